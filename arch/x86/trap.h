/*
 * Interrupt and exception entry. Every vector goes through vectors.S, which
 * saves the registers as a struct trap_frame and calls trap_dispatch().
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Layout pushed by vectors.S: keep in sync (checked by _Static_assert). */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is shared with vectors.S");

enum {
    VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5,
    VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10, VEC_NP = 11, VEC_SS = 12,
    VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_MC = 18, VEC_XM = 19,
    VEC_VE = 20, VEC_CP = 21,
    VEC_IRQ_BASE = 32,      /* legacy IRQ 0..15 land on 32..47 */
    VEC_SPURIOUS = 0xff,
};

/* IST slots in the TSS (1-based, as the IDT gate names them). */
enum { IST_DF = 1, IST_NMI = 2, IST_PF = 3, IST_MC = 4 };

/*
 * A handler for an exception that may be recoverable (later: faults inside
 * compiled Wasm code become traps). Returns true when it handled the fault
 * (possibly after changing frame->rip); false lets the next one try, and
 * finally the kernel reports and panics.
 */
typedef bool (*fault_handler_fn)(struct trap_frame *frame);
void trap_add_fault_handler(int vector, fault_handler_fn fn);

/* Handler for an interrupt vector >= 32. */
typedef void (*irq_handler_fn)(struct trap_frame *frame, void *ctx);
void trap_set_irq_handler(int vector, irq_handler_fn fn, void *ctx);

/* Sends end-of-interrupt for a vector to whichever controller raised it;
 * installed by dev/ once it knows (PIC or local APIC). */
extern void (*trap_eoi)(int vector);

/* Called first on every interrupt (not exceptions), on the interrupted
 * stack, before any handler: the scheduler backs stack headroom there, as
 * an interrupt may land in compiled code deep in a lazily backed stack and
 * its handlers take locks. */
extern void (*trap_irq_entry)(void);

void trap_dispatch(struct trap_frame *frame);

/* What exception reports say about kernel stacks, lent by mm/kstack.c
 * (this layer is below it): whether an address is in a stack's guard page
 * (naming the stack), the name of the stack sp lies in, whether two
 * addresses lie in one stack. Unset, reports name no stack. */
struct trap_stacks {
    bool (*guard_hit)(uintptr_t addr, char *buf, size_t n);
    bool (*describe)(uintptr_t sp, char *buf, size_t n);
    bool (*same_stack)(uintptr_t a, uintptr_t b);
};
void trap_set_stacks(const struct trap_stacks *s);

/* Prints the report of an unhandled exception (no panic line). */
void trap_report(const struct trap_frame *frame);

const char *trap_vector_name(uint64_t vector);

void idt_init(void);
void gdt_init(void);

/* Kernel code and data selectors in the GDT. */
#define KERNEL_CS   0x08
#define KERNEL_DS   0x10
#define TSS_SEL     0x28

#endif
