/* Host stand-in for arch/x86/cpu.h: unit tests and the hosted coral tool
 * (host/atoll_coral.c) run in user space, where cli/sti are not allowed and
 * not needed: no interrupts, and the hosted build's threads are
 * cooperative ones on one OS thread (host/host_thread.c), so nothing runs
 * between a check and a thread_block. */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <stdint.h>

static inline uint64_t irq_save(void) { return 0; }
static inline void irq_restore(uint64_t flags) { (void)flags; }
static inline void irq_disable(void) {}
static inline void irq_enable(void) {}
static inline void cpu_relax(void) {}

#endif
