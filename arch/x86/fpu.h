/*
 * The vector and floating-point state of a thread. Kernel C never touches
 * it (-mgeneral-regs-only), compiled Wasm code does: the scheduler saves
 * and restores it on every switch (eagerly: simple, and cheap next to a
 * switch), with XSAVE when the CPU has it (AVX registers included) and
 * FXSAVE otherwise.
 */
#ifndef ARCH_X86_FPU_H
#define ARCH_X86_FPU_H

#include <stddef.h>

/* Size and alignment of a state area. Valid after fpu_init. */
size_t fpu_state_size(void);
#define FPU_STATE_ALIGN 64

/* Records the clean initial state (after cpu_init). */
void fpu_init(void);

/* Fills a new area with the clean initial state (default MXCSR, empty x87). */
void fpu_state_init(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

#endif
