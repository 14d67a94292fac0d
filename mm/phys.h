/*
 * Physical addresses and the direct map. The kernel maps all RAM at
 * PHYS_MAP_BASE; host unit tests point phys_map_base at a buffer that plays
 * physical memory, so the same mm code runs against fake memory.
 */
#ifndef MM_PHYS_H
#define MM_PHYS_H

#include <stdint.h>

#define PAGE_SIZE   4096ull
#define PAGE_SHIFT  12
#define LARGE_PAGE_SIZE (2ull << 20)

typedef uint64_t paddr_t;

extern uintptr_t phys_map_base;

static inline void *phys_to_virt(paddr_t p)
{
    return (void *)(phys_map_base + (uintptr_t)p);
}

static inline paddr_t virt_to_phys_direct(const void *v)
{
    return (paddr_t)((uintptr_t)v - phys_map_base);
}

static inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
static inline uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

#endif
