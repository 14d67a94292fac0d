/*
 * The architecture's page tables behind a small interface, so that mm/
 * never names x86 bits. A root is the physical address of the top-level
 * table. Intermediate tables come from the frames set below. None of these
 * block; they fail with -1 (out of frames, or a conflicting mapping).
 * mm/ implements it and hands the tables their frames (mmu_set_frames),
 * so this layer below it names none of mm's allocators.
 */
#ifndef ARCH_X86_MMU_H
#define ARCH_X86_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/phys.h"

enum {
    MMU_READ = 0,           /* every mapping is readable */
    MMU_WRITE = 1 << 0,
    MMU_EXEC = 1 << 1,      /* absent: no-execute */
    MMU_USER = 1 << 2,
    MMU_UNCACHED = 1 << 3,  /* device registers */
    MMU_WC = 1 << 4,        /* write-combining (framebuffers) */
    MMU_LARGE = 1 << 5,     /* map with 2 MiB pages where aligned */
    MMU_GLOBAL = 1 << 6,
};

/* Where table frames come from: alloc(zero) returns a frame (zeroed when
 * asked), 0 when none is left; free gives one back. Set once, before the
 * first root is made (mm/pmm.c does, when it starts). The frames of
 * mappings made with mmu_unmap(..., free_frames) go back the same way. */
void mmu_set_frames(paddr_t (*alloc)(bool zero), void (*free)(paddr_t frame));

/* A fresh, empty top-level table (0 when out of memory). */
paddr_t mmu_new_root(void);

/* Maps [va, va+len) to [pa, pa+len). With MMU_LARGE uses 2 MiB pages
 * where both are aligned. Fails (and maps nothing new) if any page in the
 * range is already mapped. */
int mmu_map(paddr_t root, uintptr_t va, paddr_t pa, size_t len, int flags);

/* Unmaps [va, va+len); pages not mapped are skipped. When free_frames is
 * set the frames behind 4 KiB mappings go back to the frame allocator. A
 * 2 MiB page partly inside the range is split first. */
int mmu_unmap(paddr_t root, uintptr_t va, size_t len, bool free_frames);

/* Changes the permissions of the mapped pages in [va, va+len). */
int mmu_protect(paddr_t root, uintptr_t va, size_t len, int flags);

/* The physical address behind va and its flags; false if not mapped. */
bool mmu_query(paddr_t root, uintptr_t va, paddr_t *pa, int *flags);

/* Frees every intermediate table of the lower (user) half of a root, and
 * the root itself. Leaf frames are not touched. */
void mmu_free_root_lower(paddr_t root);

/* Number of table frames the walker has allocated and not freed (leak
 * accounting for tests). */
uint64_t mmu_table_frames(void);

/* Architecture hooks the walker calls: flush one page's TLB entry on this
 * CPU; the root currently in use. */
void mmu_flush_page(uintptr_t va);
paddr_t mmu_active_root(void);
void mmu_switch_root(paddr_t root);

#endif
