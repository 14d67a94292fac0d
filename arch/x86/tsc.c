/*
 * The monotonic clock: TSC ticks scaled to nanoseconds. Calibrated once
 * against PIT channel 2 (which every PC and QEMU machine has), unless CPUID
 * leaf 0x15 states the TSC frequency outright.
 */
#include "kern/clock.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"

uint64_t boot_tsc;
static uint64_t tsc_hz;
static uint64_t mult;           /* ns per tick, 32.32 fixed point */

#define PIT_HZ 1193182ull

static uint64_t calibrate_cpuid(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 0x15)
        return 0;
    cpuid(0x15, 0, r);
    /* eax/ebx = TSC/crystal ratio, ecx = crystal Hz (0: unknown). */
    if (!r[0] || !r[1] || !r[2])
        return 0;
    return (uint64_t)r[2] * r[1] / r[0];
}

/* Counts TSC ticks over `ms` milliseconds of PIT channel 2 in mode 0. */
static uint64_t calibrate_pit(unsigned ms)
{
    uint32_t count = (uint32_t)(PIT_HZ * ms / 1000);
    uint8_t ctl = inb(0x61);
    outb(0x61, (ctl & ~0x02) | 0x01);       /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* ch2, lo/hi byte, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, (count >> 8) & 0xff);
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!(inb(0x61) & 0x20) && spins < 100000000ull)
        spins++;
    uint64_t t1 = rdtsc();
    outb(0x61, ctl);
    return (t1 - t0) * 1000 / ms;
}

void clock_init(void)
{
    uint64_t hz = calibrate_cpuid();
    if (!hz) {
        /* Best of three: a longer wait on one sample would not help
         * against an interruption, taking the minimum does. */
        uint64_t best = ~0ull;
        for (int i = 0; i < 3; i++) {
            uint64_t h = calibrate_pit(10);
            if (h && h < best)
                best = h;
        }
        hz = best == ~0ull ? 0 : best;
    }
    if (hz < 1000000)
        hz = 1000000000;    /* implausible: assume 1 GHz rather than divide by 0 */
    mult = (uint64_t)(((unsigned __int128)1000000000 << 32) / hz);
    tsc_hz = hz;
}

uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t clock_ns(void)
{
    if (!mult)
        return 0;
    uint64_t d = rdtsc() - boot_tsc;
    return (uint64_t)(((unsigned __int128)d * mult) >> 32);
}

void clock_delay_ns(uint64_t ns)
{
    uint64_t end = clock_ns() + ns;
    while (clock_ns() < end)
        cpu_relax();
}
