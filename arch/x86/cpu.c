/*
 * CPU identification and the control-register set-up every later part
 * assumes: SSE on (compiled Wasm code uses it for floats; the kernel's own C
 * is built with -mgeneral-regs-only and never touches vector registers),
 * AVX state enabled in XCR0 when present.
 */
#include "arch/x86/cpu.h"

#include "lib/string.h"

struct cpu_info cpu;

static void copy_regs(char *dst, const uint32_t *regs, int n)
{
    memcpy(dst, regs, (size_t)n * 4);
}

void cpu_init(void)
{
    uint32_t r[4];

    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    copy_regs(cpu.vendor, &r[1], 1);
    copy_regs(cpu.vendor + 4, &r[3], 1);
    copy_regs(cpu.vendor + 8, &r[2], 1);
    cpu.vendor[12] = 0;

    cpuid(1, 0, r);
    cpu.stepping = r[0] & 0xf;
    cpu.model_id = (r[0] >> 4) & 0xf;
    cpu.family = (r[0] >> 8) & 0xf;
    if (cpu.family == 0xf)
        cpu.family += (r[0] >> 20) & 0xff;
    if (cpu.family >= 6)
        cpu.model_id |= ((r[0] >> 16) & 0xf) << 4;
    cpu.sse41 = r[2] & (1u << 19);
    cpu.sse42 = r[2] & (1u << 20);
    cpu.popcnt = r[2] & (1u << 23);
    cpu.x2apic = r[2] & (1u << 21);
    cpu.tsc_deadline = r[2] & (1u << 24);
    cpu.xsave = r[2] & (1u << 26);
    cpu.avx = r[2] & (1u << 28);
    cpu.apic = r[3] & (1u << 9);

    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        cpu.avx2 = r[1] & (1u << 5);
        cpu.pku = r[2] & (1u << 3);
        cpu.la57 = r[2] & (1u << 16);
    }

    cpuid(0x80000000, 0, r);
    uint32_t max_ext = r[0];
    if (max_ext >= 0x80000001) {
        cpuid(0x80000001, 0, r);
        cpu.nx = r[3] & (1u << 20);
        cpu.pdpe1gb = r[3] & (1u << 26);
    }
    if (max_ext >= 0x80000004) {
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002 + i, 0, r);
            copy_regs(cpu.model + 16 * i, r, 4);
        }
        cpu.model[48] = 0;
    } else {
        memcpy(cpu.model, "unknown", 8);
    }
    if (max_ext >= 0x80000007) {
        cpuid(0x80000007, 0, r);
        cpu.invariant_tsc = r[3] & (1u << 8);
    }
    cpu.phys_addr_bits = 36;
    cpu.virt_addr_bits = 48;
    if (max_ext >= 0x80000008) {
        cpuid(0x80000008, 0, r);
        cpu.phys_addr_bits = r[0] & 0xff;
        cpu.virt_addr_bits = (r[0] >> 8) & 0xff;
    }

    /* SSE: no emulation, monitor coprocessor, FXSAVE and #XM enabled. */
    uint64_t cr0 = read_cr0();
    cr0 &= ~CR0_EM;
    cr0 |= CR0_MP | CR0_WP;
    write_cr0(cr0);
    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpu.xsave)
        cr4 |= CR4_OSXSAVE;
    write_cr4(cr4);
    if (cpu.xsave) {
        /* x87 | SSE, and AVX when present: XCR0 = 0b111 or 0b011. */
        uint64_t xcr0 = 3 | (cpu.avx ? 4 : 0);
        __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
    }
    __asm__ volatile("fninit");
}

