/*
 * The kernel's heap backend: slabs are carved from one large region (its
 * address space is reserved once; memory is committed a slab at a time and
 * decommitted when a slab is given back, so freed memory really returns to
 * the frame allocator). Each large allocation gets a region of its own,
 * whose unmapped tail page catches overruns.
 */
#include "mm/heap_backend.h"

#include "base/panic.h"
#include "base/spinlock.h"
#include "arch/x86/mmu.h"
#include "mm/vregion.h"

#define ARENA_SIZE (64ull << 30)

static struct vregion *arena;
static uintptr_t arena_base;
static size_t arena_used;           /* bump pointer, bytes */
static uintptr_t free_list[4096];   /* address space of returned slabs */
static int free_count;
static spinlock_t lock = SPINLOCK_INIT;

static void ensure_arena(void)
{
    if (arena)
        return;
    arena = vregion_reserve(ARENA_SIZE, HEAP_SLAB_SIZE, VR_HEAP, "kernel heap");
    if (!arena)
        panic("heap: cannot reserve %llu GiB of address space", ARENA_SIZE >> 30);
    arena_base = vregion_base(arena);
}

void *heap_backend_slab_alloc(void)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    ensure_arena();
    uintptr_t va;
    if (free_count > 0) {
        va = free_list[--free_count];
    } else if (arena_used + HEAP_SLAB_SIZE <= ARENA_SIZE) {
        va = arena_base + arena_used;
        arena_used += HEAP_SLAB_SIZE;
    } else {
        spin_unlock_irqrestore(&lock, irq);
        return NULL;
    }
    spin_unlock_irqrestore(&lock, irq);
    if (vregion_commit(arena, va - arena_base, HEAP_SLAB_SIZE, MMU_WRITE)) {
        irq = spin_lock_irqsave(&lock);
        if (free_count < (int)(sizeof free_list / sizeof free_list[0]))
            free_list[free_count++] = va;
        spin_unlock_irqrestore(&lock, irq);
        return NULL;
    }
    return (void *)va;
}

void heap_backend_slab_free(void *slab)
{
    uintptr_t va = (uintptr_t)slab;
    vregion_decommit(arena, va - arena_base, HEAP_SLAB_SIZE);
    uint64_t irq = spin_lock_irqsave(&lock);
    /* Past the table's size the address space is simply not reused. */
    if (free_count < (int)(sizeof free_list / sizeof free_list[0]))
        free_list[free_count++] = va;
    spin_unlock_irqrestore(&lock, irq);
}

bool heap_backend_is_slab(const void *p)
{
    uintptr_t va = (uintptr_t)p;
    return arena && va >= arena_base && va < arena_base + arena_used;
}

/* Committed a step at a time, so that whoever may stop the allocation
 * is asked often: at most 256 KiB of work between two questions. */
#define LARGE_STEP (256 * 1024)

void *heap_backend_large_alloc(size_t bytes, bool (*stop)(void))
{
    struct vregion *r = vregion_reserve(bytes + PAGE_SIZE, PAGE_SIZE, VR_HEAP, "kmalloc (large)");
    if (!r)
        return NULL;
    for (size_t done = 0; done < bytes;) {
        size_t n = bytes - done < LARGE_STEP ? bytes - done : LARGE_STEP;
        if (vregion_commit(r, done, n, MMU_WRITE) || (stop && stop())) {
            vregion_release(r);
            return NULL;
        }
        done += n;
    }
    return (void *)vregion_base(r);
}

void heap_backend_large_free(void *p, size_t bytes)
{
    (void)bytes;
    const struct vregion *r = vregion_find((uintptr_t)p);
    if (!r || vregion_base(r) != (uintptr_t)p)
        panic("heap: large block %p has no region", p);
    vregion_release((struct vregion *)r);
}
