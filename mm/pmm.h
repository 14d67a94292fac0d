/*
 * The physical frame allocator: 4 KiB frames, a bitmap over all of physical
 * memory up to the highest usable address. Frames are handed out zeroed
 * only when asked (PMM_ZERO). Never blocks; returns 0 when out of memory.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/phys.h"

struct pmm_range {
    paddr_t base;
    uint64_t len;
};

enum { PMM_ZERO = 1 };

/*
 * Sets up the allocator over the usable ranges, minus the reserved ones
 * (kernel image, boot modules, low memory). The bitmap itself is carved out
 * of the first usable range large enough. Returns 0, or -1 when no usable
 * memory is left.
 */
int pmm_init(const struct pmm_range *usable, int n_usable,
             const struct pmm_range *reserved, int n_reserved);

/* One frame, or 0 when memory is exhausted. */
paddr_t pmm_alloc(int flags);
/* n physically contiguous frames aligned to align_frames, or 0. */
paddr_t pmm_alloc_contig(size_t n, size_t align_frames, int flags);
/* Returns a frame. Freeing a frame that is not allocated is a kernel bug
 * and panics (the allocator's bitmap would otherwise be corrupted). */
void pmm_free(paddr_t frame);
void pmm_free_contig(paddr_t base, size_t n);

struct pmm_stats {
    uint64_t total_frames;      /* usable frames managed */
    uint64_t free_frames;
    paddr_t highest;            /* one past the highest managed address */
};
void pmm_get_stats(struct pmm_stats *st);

/* Whether the frame is currently allocated (tests, sanity checks). */
bool pmm_is_allocated(paddr_t frame);

#endif
