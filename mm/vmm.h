/*
 * The kernel address space: built by vmm_init from the boot memory map,
 * replacing the boot page tables. Layout (see docs/architecture.md):
 *   0xffff800000000000  direct map of all RAM (NX)
 *   0xffffc00000000000  regions (mm/vregion.h): stacks, heap, Wasm memories
 *   0xffffffff80000000  the kernel image (text RX, rodata R, data RW NX)
 */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/phys.h"

#define VREGION_SPACE_BASE  0xffffc00000000000ull
#define VREGION_SPACE_SIZE  0x0000200000000000ull   /* 32 TiB */

extern paddr_t kernel_root;

/* Sets up frames, page tables, regions and the heap, then switches CR3. */
void mm_init(void);

/* Maps device memory (uncached, or write-combining with wc) into a region
 * of its own. Returns the virtual address of pa, or NULL. */
void *vmm_map_device(paddr_t pa, size_t len, bool wc, const char *name);

/* True when [va, va+len) is mapped readable in the active address space.
 * Safe in fault handlers: it only reads page tables. */
bool vmm_probe_readable(uintptr_t va, size_t len);

/* Memory at boot, for the banner. */
uint64_t mm_total_ram(void);

#endif
