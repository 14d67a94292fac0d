/*
 * Kernel virtual address space regions. A region is a range of kernel
 * virtual addresses reserved for one purpose (a kernel stack, a Wasm
 * memory's 8 GiB, a heap chunk, device registers), with nothing behind it
 * until pages are committed. Unbacked parts act as guard areas: a touch
 * there faults, and the fault report names the region.
 */
#ifndef MM_VREGION_H
#define MM_VREGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/phys.h"

struct vregion;

/* What a region is for: fault reports and leak checks read it. */
enum vregion_kind {
    VR_GENERIC,
    VR_STACK,       /* kernel stack: first page is the guard */
    VR_HEAP,        /* kernel heap chunks */
    VR_DEVICE,      /* device registers, framebuffer: frames not owned */
    VR_WASM,        /* Wasm linear memory and its guard */
    VR_CODE,        /* compiled code */
};

/* The most regions that can be live at once (the size of the table's
 * fixed directory). The table grows as regions are made, in frames from the
 * frame allocator (about 80 bytes a region), so memory runs out first. */
#define VREGION_TABLE_MAX (1u << 20)

/* Reserves size bytes (rounded up to pages) of address space aligned to
 * align (a power of two >= 4096). Nothing is mapped. NULL when the address
 * space is exhausted, when no frame is left to grow the region table with,
 * or at the ceiling on live regions (vregion_set_limit). The name is
 * copied (truncated). Time: O(live regions), with interrupts masked. */
struct vregion *vregion_reserve(size_t size, size_t align, enum vregion_kind kind, const char *name);

enum vregion_kind vregion_kind(const struct vregion *r);

/* Backs [off, off+len) of the region with fresh zeroed frames, mapped with
 * flags (mm/mmu.h). All or nothing: on failure (-1) nothing new stays
 * mapped. Pages already committed in the range are an error. */
int vregion_commit(struct vregion *r, size_t off, size_t len, int flags);

/* Unmaps [off, off+len) and frees the frames behind it. */
void vregion_decommit(struct vregion *r, size_t off, size_t len);

/* Maps existing physical memory (device registers, a framebuffer, boot
 * modules) into [off, off+len) without owning the frames. */
int vregion_map_phys(struct vregion *r, size_t off, paddr_t pa, size_t len, int flags);

/* Changes the permissions of the mapped pages in [off, off+len) (mm/mmu.h
 * flags). Returns 0, or -1 for a range outside the region. */
int vregion_protect(struct vregion *r, size_t off, size_t len, int flags);

/* An opaque cookie for the region's user (the engine's code regions carry
 * their owner here, for fault lookups). NULL by default. */
void vregion_set_owner(struct vregion *r, void *owner);
void *vregion_owner(const struct vregion *r);

/* Unmaps everything, frees owned frames, and releases the range. */
void vregion_release(struct vregion *r);

uintptr_t vregion_base(const struct vregion *r);
size_t vregion_size(const struct vregion *r);
size_t vregion_committed(const struct vregion *r);

/* The region containing va, or NULL. Safe from fault handlers: takes no
 * lock, O(log live regions). See vregion.c for what that relies on. */
const struct vregion *vregion_find(uintptr_t va);
const char *vregion_name(const struct vregion *r);

/* Sets up the region allocator over [base, base+size) of the kernel root,
 * with an empty table (any earlier one is forgotten, not freed). */
void vregion_init(paddr_t root, uintptr_t base, uint64_t size);

/* Number of live regions and committed bytes (leak accounting). */
void vregion_stats(uint64_t *regions, uint64_t *committed_bytes);

/* Frames backing the region table itself. Like page tables they stay once
 * taken (the table keeps its peak size and reuses its descriptors), so
 * leak checks count them apart. */
uint64_t vregion_table_frames(void);

/* Sets the ceiling on live regions (at most VREGION_TABLE_MAX; below the
 * live count it only refuses new ones) and returns the previous one. For
 * tests that need region exhaustion without exhausting memory. */
uint64_t vregion_set_limit(uint64_t max);

#endif
