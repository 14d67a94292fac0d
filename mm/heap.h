/*
 * The kernel heap. kmalloc never blocks and returns NULL when memory is
 * exhausted; callers must handle it (guest-driven allocations especially).
 * Memory is 16-byte aligned and not zeroed (kzalloc zeroes). kfree(NULL) is
 * a no-op; freeing anything else that kmalloc did not return, or freeing
 * twice, is a kernel bug and panics with the caller's address.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);

/* kzalloc for a big block a guest asked for: a large block is backed
 * 256 KiB at a time, and stop() is asked after each; true gives up
 * (NULL, nothing kept). So a killed thread does not spend long in it. */
void *kzalloc_stoppable(size_t size, bool (*stop)(void));
void *kcalloc(size_t n, size_t size);    /* NULL on overflow too */
void kfree(void *p);
/* The usable size of an allocation (>= what was asked). */
size_t ksize(const void *p);

struct heap_stats {
    uint64_t live_allocs;       /* kmalloc'd and not yet freed */
    uint64_t live_bytes;        /* bytes asked for by the live ones */
    uint64_t total_allocs;      /* since boot */
    uint64_t failed_allocs;
    uint64_t slab_bytes;        /* backing memory held by small-object slabs */
    uint64_t large_bytes;       /* backing memory of large allocations */
};
void heap_get_stats(struct heap_stats *st);

void heap_init(void);

#endif
