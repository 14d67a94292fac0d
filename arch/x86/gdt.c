/*
 * The GDT and the TSS. Long mode ignores segment bases and limits for code
 * and data; what matters is the TSS, whose interrupt stack table gives the
 * double fault, NMI, page fault and machine check handlers stacks of their
 * own, so that a kernel stack overflow (a page fault with RSP in a guard
 * page) is still reported instead of becoming a triple fault.
 */
#include "arch/x86/trap.h"

#include <stdint.h>

#include "lib/string.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS layout is fixed by the CPU");

#define IST_STACK_SIZE (16 * 1024)

/* IST stacks, one per slot. Static so they exist before any allocator. */
static uint8_t ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));
static struct tss tss;

static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffff,     /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffff,     /* 0x10 kernel data */
    0x00cff2000000ffff,     /* 0x18 user data (for a later ring 3) */
    0x00affa000000ffff,     /* 0x20 user code, 64-bit */
    0, 0,                   /* 0x28 TSS, 16 bytes */
};

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    for (int i = 0; i < 4; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.iomap_base = sizeof tss;    /* no I/O permission bitmap */

    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;

    struct desc_ptr p = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3\n\t"
        : : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL) : "rax", "memory");
}

/* The bounds of the IST stacks, so a report can say which stack it is on. */
int ist_stack_of(uintptr_t sp)
{
    for (int i = 0; i < 4; i++) {
        uintptr_t lo = (uintptr_t)ist_stacks[i];
        if (sp >= lo && sp <= lo + IST_STACK_SIZE)
            return i + 1;
    }
    return 0;
}
