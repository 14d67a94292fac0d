/*
 * The IDT: one interrupt gate per vector, all pointing at the stubs in
 * vectors.S. Exceptions that must survive a broken kernel stack get an IST
 * stack (see gdt.c).
 */
#include "arch/x86/trap.h"

struct __attribute__((packed)) idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
};

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout is fixed by the CPU");

extern const uint64_t vector_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(int v, uint64_t addr, int ist)
{
    idt[v] = (struct idt_gate){
        .off_lo = addr & 0xffff,
        .sel = KERNEL_CS,
        .ist = (uint8_t)ist,
        .type = 0x8e,       /* present, DPL 0, 64-bit interrupt gate */
        .off_mid = (addr >> 16) & 0xffff,
        .off_hi = (uint32_t)(addr >> 32),
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, vector_table[v], 0);
    set_gate(VEC_DF, vector_table[VEC_DF], IST_DF);
    set_gate(VEC_NMI, vector_table[VEC_NMI], IST_NMI);
    set_gate(VEC_PF, vector_table[VEC_PF], IST_PF);
    set_gate(VEC_MC, vector_table[VEC_MC], IST_MC);
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } p = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}
