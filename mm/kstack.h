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
    uintptr_t backed;       /* everything from here to top is backed */
};

/* Backed stack that kernel code entered from compiled Wasm code (host
 * functions, the engine's host services, interrupts) reserves before it
 * takes a lock: more than any such path uses. */
#define KSTACK_HEADROOM (24 * 1024)

/* Allocates a stack of size bytes (rounded to pages) plus a guard page.
 * Returns 0, or -1 when out of memory or address space. */
int kstack_alloc(struct kstack *ks, size_t size, const char *name);

/* Like kstack_alloc, but only the top `committed` bytes are backed at
 * first; the rest is committed a page at a time when first touched, by
 * the page-fault handler (kstack_grow). For the big stacks of components,
 * whose Wasm code may recurse deep but mostly does not. A thread on such a
 * stack must keep kstack_reserve'd headroom before running kernel code
 * that takes locks (the fault path takes the frame and region locks). */
int kstack_alloc_lazy(struct kstack *ks, size_t size, size_t committed, const char *name);

/* Page-fault hook (registered by kstack_init): commits the page of addr
 * when it lies in a kernel stack above its guard and is not yet backed.
 * False otherwise, or when memory is exhausted. */
bool kstack_grow(uintptr_t addr);

/* For growth by compiled code (the guest's, decided by its host): the
 * bytes not yet backed from addr's page down to addr - below, and backing
 * them: addr's page (false when it cannot be), then the rest as far as
 * frames allow. Growing compiled code's stack with KSTACK_HEADROOM below
 * each new page keeps the headroom kernel code needs under any stack
 * pointer compiled code can have already backed, charged to the guest. */
size_t kstack_unbacked(uintptr_t addr, size_t below);
bool kstack_grow_down(uintptr_t addr, size_t below);

/* Backs whatever is not yet backed of the n bytes below the current
 * stack pointer, which must lie on ks, so that code running next (kernel
 * code that may take locks) cannot fault on its own stack. One compare
 * when that part is known to be backed; else it touches each page, and a
 * page fault (with no lock held) backs it, from the kernel's reserve. Call
 * it with no lock held. True when done; false, backing nothing, when the
 * budget set with kstack_set_budget refuses what it would take. */
bool kstack_reserve(struct kstack *ks, size_t n);

/* kstack_reserve's first compare, inline, for the paths every host call
 * takes: true when the n bytes below the caller's stack pointer are known
 * to be backed already (then kstack_reserve would return true at once);
 * false means call kstack_reserve. */
static inline bool kstack_headroom_backed(const struct kstack *ks, size_t n)
{
    char here;
    uintptr_t sp = (uintptr_t)&here;
    return ((sp - n) & ~(uintptr_t)4095) >= ks->backed;
}

/* What kstack_reserve may take, asked before it backs pages: the kernel
 * sets it to the guest stacks' share of its reserve (kern/reserve.h), so
 * that headroom for a component's kernel code comes out of the same
 * budget as the component's own stack. */
void kstack_set_budget(bool (*may_take)(uint64_t bytes));

/* Routes not-present faults on stack pages to kstack_grow. */
void kstack_init(void);
void kstack_free(struct kstack *ks);

/* True when addr lies in the guard page of some kernel stack; names it. */
bool kstack_guard_hit(uintptr_t addr, char *buf, size_t n);

/* True when sp lies in some kernel stack; writes "kernel stack <name>". */
bool kstack_describe(uintptr_t sp, char *buf, size_t n);

#endif
