/*
 * Where the heap gets its memory. The kernel's backend uses regions of
 * kernel address space (mm/heap_backend.c); the host unit tests supply one
 * over the C library, so the allocator's logic is tested with sanitizers.
 */
#ifndef MM_HEAP_BACKEND_H
#define MM_HEAP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

/* Small objects come from slabs of this size, aligned to it. */
#define HEAP_SLAB_SIZE (16 * 1024)

void *heap_backend_slab_alloc(void);            /* NULL when exhausted */
void heap_backend_slab_free(void *slab);
/* A large block of bytes (a multiple of the page size), page-aligned and
 * zeroed; NULL when exhausted, or when stop (if not NULL) returned true:
 * it is asked after each 256 KiB committed. */
void *heap_backend_large_alloc(size_t bytes, bool (*stop)(void));
void heap_backend_large_free(void *p, size_t bytes);
/* Whether p lies in memory handed out by heap_backend_slab_alloc. */
bool heap_backend_is_slab(const void *p);

#endif
