/*
 * Spinlocks that also mask interrupts on this CPU while held, so a lock
 * shared with an interrupt handler cannot deadlock against it.
 */
#ifndef BASE_SPINLOCK_H
#define BASE_SPINLOCK_H

#include <stdint.h>

#include "arch/x86/cpu.h"

typedef struct {
    volatile uint32_t locked;
} spinlock_t;

/* Spinlocks held right now (one CPU: a count will do). The page-fault
 * path reads it: a fault that would need a lock while one is held is a
 * deadlock in the making, reported as a panic instead (mm/kstack.c). */
extern volatile uint32_t spin_held;

#define SPINLOCK_INIT { 0 }

static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t flags = irq_save();
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            cpu_relax();
    spin_held++;
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_held--;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    irq_restore(flags);
}

/* For a waiter that blocks between two looks at what a lock guards:
 * releases l leaving interrupts masked (so on one CPU no wake-up falls
 * between the release and the block), and takes it again with them
 * still masked. */
static inline void spin_unlock_irqs_off(spinlock_t *l)
{
    spin_held--;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock_irqs_off(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            cpu_relax();
    spin_held++;
}

#endif
