/*
 * Small wrappers around privileged x86-64 instructions, and the CPU
 * features the rest of the kernel asks about (filled by cpu_detect()).
 */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                         \
    static inline uint64_t read_cr##n(void)                                  \
    { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_cr##n(uint64_t v)                               \
    { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }

static inline uint64_t irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void irq_restore(uint64_t flags)
{
    if (flags & (1u << 9))
        irq_enable();
}

static inline void invlpg(uintptr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

#define MSR_EFER        0xc0000080
#define MSR_APIC_BASE   0x1b
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101

#define CR0_WP          (1ull << 16)
#define CR0_MP          (1ull << 1)
#define CR0_EM          (1ull << 2)
#define CR4_OSFXSR      (1ull << 9)
#define CR4_OSXMMEXCPT  (1ull << 10)
#define CR4_OSXSAVE     (1ull << 18)
#define CR4_PKE         (1ull << 22)

/* What the kernel learned about the CPU at boot. */
struct cpu_info {
    char vendor[13];
    char model[49];
    uint32_t family, model_id, stepping;
    bool nx, pdpe1gb, sse41, sse42, popcnt, avx, avx2, xsave, pku, la57, x2apic;
    bool invariant_tsc, tsc_deadline, apic;
    uint8_t phys_addr_bits, virt_addr_bits;
};

extern struct cpu_info cpu;

/* Reads CPUID into `cpu` and enables what the kernel relies on (SSE for
 * compiled Wasm code, NX). Called once, early. */
void cpu_init(void);

/* Halts this CPU for good, interrupts off. */
/* Stops this CPU for good (interrupts masked, halted). */
__attribute__((noreturn)) static inline void cpu_halt_forever(void)
{
    for (;;) {
        irq_disable();
        halt();
    }
}

#endif
