/*
 * Kernel stacks: each one a region with an unmapped guard page below it,
 * so an overflow faults on the guard (and the page-fault handler, on its
 * own IST stack, reports it) instead of corrupting memory.
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kstack {
    struct vregion *region;
    uintptr_t bottom;       /* lowest usable address (just above the guard) */
    uintptr_t top;          /* initial stack pointer */
};

/* Allocates a stack of size bytes (rounded to pages) plus a guard page.
 * Returns 0, or -1 when out of memory or address space. */
int kstack_alloc(struct kstack *ks, size_t size, const char *name);
void kstack_free(struct kstack *ks);

/* True when addr lies in the guard page of some kernel stack; names it. */
bool kstack_guard_hit(uintptr_t addr, char *buf, size_t n);

/* True when sp lies in some kernel stack; writes "kernel stack <name>". */
bool kstack_describe(uintptr_t sp, char *buf, size_t n);

#endif
