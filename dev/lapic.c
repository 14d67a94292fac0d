/* The boot CPU's local APIC: xAPIC (MMIO) or x2APIC (MSR) registers. */
#include "dev/lapic.h"

#include "arch/x86/cpu.h"
#include "base/clock.h"
#include "base/log.h"
#include "mm/vmm.h"

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16. */
enum {
    REG_ID = 0x20,
    REG_VERSION = 0x30,
    REG_TPR = 0x80,
    REG_EOI = 0xb0,
    REG_SVR = 0xf0,
    REG_ESR = 0x280,
    REG_LVT_CMCI = 0x2f0,
    REG_LVT_TIMER = 0x320,
    REG_LVT_THERMAL = 0x330,
    REG_LVT_PERF = 0x340,
    REG_LVT_LINT0 = 0x350,
    REG_LVT_LINT1 = 0x360,
    REG_LVT_ERROR = 0x370,
    REG_TIMER_INIT = 0x380,
    REG_TIMER_CURRENT = 0x390,
    REG_TIMER_DIVIDE = 0x3e0,
};

#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_X2APIC    (1ull << 10)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define SVR_ENABLE          (1u << 8)
#define LVT_MASKED          (1u << 16)
#define LVT_PERIODIC        (1u << 17)
#define LVT_NMI             (4u << 8)
#define LVT_EXTINT          (7u << 8)
#define LVT_ACTIVE_LOW      (1u << 13)
#define LVT_LEVEL           (1u << 15)

static volatile uint32_t *mmio;
static bool x2apic;
static bool active;
static uint64_t timer_hz_div1;      /* measured once, 0 = not yet */

static uint32_t rd(uint32_t reg)
{
    if (x2apic)
        return (uint32_t)rdmsr(0x800 + (reg >> 4));
    return mmio[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
    if (x2apic)
        wrmsr(0x800 + (reg >> 4), v);
    else
        mmio[reg / 4] = v;
}

/* Maps (or, in x2APIC mode, needs no mapping) and enables the APIC with
 * every LVT entry masked. pa 0 means "where the CPU says". */
static int setup(paddr_t pa, uint8_t spurious_vector, uint8_t error_vector)
{
    if (!cpu.apic) {
        pr_warn("lapic: the CPU reports no local APIC\n");
        return -1;
    }
    uint64_t base = rdmsr(MSR_APIC_BASE);
    paddr_t msr_pa = base & APIC_BASE_ADDR_MASK;
    if ((base & APIC_BASE_ENABLE) && (base & APIC_BASE_X2APIC)) {
        x2apic = true;
    } else {
        if (pa && pa != msr_pa)
            pr_warn("lapic: MADT says %#llx, the CPU says %#llx: using the CPU's\n",
                    (unsigned long long)pa, (unsigned long long)msr_pa);
        pa = msr_pa;
        mmio = vmm_map_device(pa, 4096, false, "local apic");
        if (!mmio) {
            pr_warn("lapic: cannot map its registers at %#llx\n", (unsigned long long)pa);
            return -1;
        }
        if (!(base & APIC_BASE_ENABLE))
            wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    }
    unsigned max_lvt = (rd(REG_VERSION) >> 16) & 0xff;
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_LVT_LINT0, LVT_MASKED);
    wr(REG_LVT_LINT1, LVT_MASKED);
    if (max_lvt >= 4)
        wr(REG_LVT_PERF, LVT_MASKED);
    if (max_lvt >= 5)
        wr(REG_LVT_THERMAL, LVT_MASKED);
    if (max_lvt >= 6)
        wr(REG_LVT_CMCI, LVT_MASKED);
    wr(REG_LVT_ERROR, error_vector);
    /* Clear errors latched before us (the write arms the read). */
    wr(REG_ESR, 0);
    (void)rd(REG_ESR);
    wr(REG_TPR, 0);
    wr(REG_SVR, SVR_ENABLE | spurious_vector);
    wr(REG_EOI, 0);     /* in case firmware left one in service */
    active = true;
    return 0;
}

int lapic_init(paddr_t pa, uint8_t spurious_vector, uint8_t error_vector)
{
    /* LINT0 (the PIC's virtual wire) stays masked; LINT1 waits for the
     * MADT's NMI entries. */
    return setup(pa, spurious_vector, error_vector);
}

int lapic_init_virtual_wire(uint8_t spurious_vector, uint8_t error_vector)
{
    if (setup(0, spurious_vector, error_vector))
        return -1;
    /* The PC-AT wiring: the PIC's INTR on LINT0, NMI on LINT1. */
    wr(REG_LVT_LINT0, LVT_EXTINT);
    wr(REG_LVT_LINT1, LVT_NMI);
    return 0;
}

bool lapic_active(void) { return active; }
bool lapic_x2apic(void) { return x2apic; }

uint32_t lapic_id(void)
{
    uint32_t id = rd(REG_ID);
    return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
    wr(REG_EOI, 0);
}

void lapic_set_lint_nmi(unsigned lint, uint16_t madt_flags)
{
    if (lint > 1)
        return;
    uint32_t v = LVT_NMI;
    /* NMI is edge by definition; a level trigger flag is ignored by the
     * APIC for NMI delivery, polarity still matters. */
    if ((madt_flags & 0x3) == 0x3)
        v |= LVT_ACTIVE_LOW;
    wr(lint ? REG_LVT_LINT1 : REG_LVT_LINT0, v);
}

uint32_t lapic_read_esr(void)
{
    wr(REG_ESR, 0);
    return rd(REG_ESR);
}

/* Counts timer ticks at divide-by-16 over `ms` of the TSC clock. */
static uint64_t measure_once(unsigned ms)
{
    wr(REG_TIMER_DIVIDE, 0x3);
    wr(REG_LVT_TIMER, LVT_MASKED);
    uint64_t t0 = clock_ns();
    wr(REG_TIMER_INIT, 0xffffffffu);
    while (clock_ns() - t0 < (uint64_t)ms * 1000000)
        cpu_relax();
    uint32_t left = rd(REG_TIMER_CURRENT);
    uint64_t t1 = clock_ns();
    wr(REG_TIMER_INIT, 0);
    uint64_t counted = (uint64_t)(0xffffffffu - left) * 16;
    uint64_t us = (t1 - t0) / 1000;
    /* In microseconds: counted * 10^6 cannot overflow (counted < 2^36). */
    return us ? counted * 1000000 / us : 0;
}

uint64_t lapic_timer_hz(void)
{
    if (!active || !clock_tsc_hz())
        return 0;
    if (timer_hz_div1)
        return timer_hz_div1;
    /* Median of three short windows: one window stretched by an emulator
     * hiccup does not skew the result. */
    uint64_t s[3];
    uint64_t flags = irq_save();
    for (int i = 0; i < 3; i++)
        s[i] = measure_once(2);
    irq_restore(flags);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2 - i; j++)
            if (s[j] > s[j + 1]) {
                uint64_t t = s[j];
                s[j] = s[j + 1];
                s[j + 1] = t;
            }
    timer_hz_div1 = s[1];
    return timer_hz_div1;
}

/* Divide configuration values by divisor 1, 2, 4 ... 128. */
static const uint8_t divide_code[8] = { 0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa };

uint64_t lapic_timer_periodic(uint8_t vector, unsigned hz)
{
    uint64_t in_hz = lapic_timer_hz();
    if (!in_hz || !hz)
        return 0;
    for (int shift = 0; shift < 8; shift++) {
        uint64_t count = (in_hz >> shift) / hz;
        if (count > 0xffffffffu)
            continue;
        if (count < 16)
            return 0;   /* too fast for this timer to mean anything */
        wr(REG_LVT_TIMER, LVT_MASKED);
        wr(REG_TIMER_DIVIDE, divide_code[shift]);
        wr(REG_LVT_TIMER, LVT_PERIODIC | vector);
        wr(REG_TIMER_INIT, (uint32_t)count);
        return (in_hz >> shift) * 1000 / count;
    }
    return 0;
}

void lapic_timer_stop(void)
{
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_TIMER_INIT, 0);
}
