/*
 * Constants shared by the boot assembly, the linker script and early C.
 * Kept free of C syntax so that .S files and the linker script can use it.
 */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

/* Kernel image lives in the top 2 GiB (-mcmodel=kernel). */
#define KERNEL_VMA          0xffffffff80000000
/* All physical memory is mapped here (the direct map). */
#define PHYS_MAP_BASE       0xffff800000000000
/* Physical load address of the image. */
#define KERNEL_PHYS_BASE    0x100000

#define MB2_HEADER_MAGIC    0xe85250d6
#define MB2_BOOT_MAGIC      0x36d76289
#define MB1_HEADER_MAGIC    0x1badb002
#define MB1_BOOT_MAGIC      0x2badb002
/* page-align modules | want memory map | a.out kludge (load addresses). */
#define MB1_FLAGS           ((1 << 0) | (1 << 1) | (1 << 16))

/* Size of the boot stack used until the scheduler exists. */
#define BOOT_STACK_SIZE     (32 * 1024)

/* Boot-time page tables map this much physical memory, with 2 MiB pages. */
#define BOOT_MAP_GIB        4
#define BOOT_PT_PAGES       (3 + BOOT_MAP_GIB)

#endif
