/*
 * Entry from a Multiboot1 or Multiboot2 loader: 32-bit protected mode, paging
 * off, EAX = loader magic, EBX = physical address of the boot information.
 *
 * Builds just enough page tables to enter long mode (the first BOOT_MAP_GIB
 * GiB identity-mapped, at PHYS_MAP_BASE, and the first GiB at KERNEL_VMA, all
 * with 2 MiB pages), switches to 64-bit mode and calls kmain(magic, info) on
 * the boot stack in the higher half. mm/ replaces these tables with its own.
 */
#include "boot/boot.h"

#define V2P(x)  ((x) - KERNEL_VMA)
#define COM1    0x3f8

    .section .boot.text, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    movl %eax, %edi                 /* loader magic, kept for kmain */
    movl %ebx, %esi                 /* boot information, physical */
    movl $V2P(boot_stack_top), %esp

    /* Long mode present? (CPUID 0x80000001 EDX.LM) */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz no_long_mode
    movl %edx, %ebp                 /* EDX.NX (bit 20) is needed below */

    /* The tables live in .bss; a loader need not have zeroed it yet. */
    pushl %edi
    movl $V2P(boot_page_tables), %edi
    xorl %eax, %eax
    movl $(BOOT_PT_PAGES * 4096 / 4), %ecx
    rep stosl
    popl %edi

    /* Page directories: 2 MiB pages over the first BOOT_MAP_GIB GiB. */
    movl $V2P(boot_pd), %ebx
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* present | writable | 2 MiB */
    movl %eax, (%ebx, %ecx, 8)
    incl %ecx
    cmpl $(BOOT_MAP_GIB * 512), %ecx
    jb 1b

    /* PDPT for the low half: one PD per GiB. */
    movl $V2P(boot_pdpt_low), %ebx
    movl $V2P(boot_pd), %eax
    orl $3, %eax
    xorl %ecx, %ecx
2:  movl %eax, (%ebx, %ecx, 8)
    addl $4096, %eax
    incl %ecx
    cmpl $BOOT_MAP_GIB, %ecx
    jb 2b

    /* PDPT for the top: entry 510 is -2 GiB, the kernel's first GiB. */
    movl $V2P(boot_pd), %eax
    orl $3, %eax
    movl %eax, V2P(boot_pdpt_high) + 510 * 8

    movl $V2P(boot_pdpt_low), %eax
    orl $3, %eax
    movl %eax, V2P(boot_pml4)               /* identity, for this code */
    movl %eax, V2P(boot_pml4) + 256 * 8     /* direct map */
    movl $V2P(boot_pdpt_high), %eax
    orl $3, %eax
    movl %eax, V2P(boot_pml4) + 511 * 8

    movl $V2P(boot_pml4), %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $(1 << 5), %eax             /* PAE */
    movl %eax, %cr4
    movl $0xc0000080, %ecx          /* EFER */
    rdmsr
    orl $(1 << 8), %eax             /* LME */
    testl $(1 << 20), %ebp
    jz 3f
    orl $(1 << 11), %eax            /* NXE, when the CPU has NX */
3:  wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16)), %eax  /* PG | WP */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $start64_low

/* No long mode: say so on COM1 and stop. There is no kernel to report to. */
no_long_mode:
    movl $no_lm_msg, %esi
4:  lodsb
    testb %al, %al
    jz 6f
    movb %al, %bl
    movw $(COM1 + 5), %dx
5:  inb %dx, %al
    testb $0x20, %al
    jz 5b
    movw $COM1, %dx
    movb %bl, %al
    outb %al, %dx
    jmp 4b
6:  cli
    hlt
    jmp 6b

    .code64
start64_low:
    movabsq $start64, %rax
    jmp *%rax

    .section .boot.data, "aw"
no_lm_msg:
    .asciz "atoll: panic: this CPU has no 64-bit long mode\r\n"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .text
    .code64
start64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    /* EDI = magic, ESI = info: 32-bit writes cleared the upper halves. */
    call kmain
7:  cli
    hlt
    jmp 7b

    .section .bss
    .balign 4096
    .globl boot_page_tables, boot_pml4
boot_page_tables:
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096 * BOOT_MAP_GIB
    .balign 16
    .globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:
