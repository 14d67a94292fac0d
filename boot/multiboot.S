/*
 * Multiboot headers. One image carries both: Multiboot2 for GRUB (the ISO,
 * BIOS and UEFI) and Multiboot1 with the a.out kludge so that QEMU's -kernel
 * (which speaks only Multiboot1 and refuses a plain ELF64) can boot the same
 * file in tests, with -append and -initrd. Both must sit early in the file:
 * MB2 within the first 32 KiB, MB1 within the first 8 KiB.
 */
#include "boot/boot.h"

    .section .multiboot, "a"

    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0                                 /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))

    /* Ask for text mode under BIOS: no framebuffer tag. Under UEFI GRUB
     * hands a linear framebuffer regardless, which dev/fbcon renders to. */

    /* Modules page-aligned: they become memory areas mapped as they are. */
    .balign 8
    .short 6, 0
    .long 8

    .balign 8
    .short 0, 0                             /* end tag */
    .long 8
mb2_header_end:

    .balign 4
mb1_header:
    .long MB1_HEADER_MAGIC
    .long MB1_FLAGS
    .long -(MB1_HEADER_MAGIC + MB1_FLAGS)
    .long mb1_header                        /* header_addr (physical) */
    .long _kernel_phys_start                /* load_addr */
    .long _load_end - KERNEL_VMA            /* load_end_addr */
    .long _kernel_end - KERNEL_VMA          /* bss_end_addr */
    .long _start32                          /* entry_addr */
