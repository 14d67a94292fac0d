/*
 * The TSC's rate, for the clock (base/clock.h): calibrated once against
 * PIT channel 2 (which every PC and QEMU machine has), unless CPUID leaf
 * 0x15 states the TSC frequency outright.
 */
#include "arch/x86/tsc.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "base/clock.h"

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

/* Latches and reads PIT channel 2's count, with the TSC read just before
 * and after. Under emulation the guest can be descheduled between any two
 * instructions; a read whose bracket is wide is retried, so each sample
 * pairs a PIT count with a TSC value taken at (nearly) the same moment. */
static uint16_t pit2_sample(uint64_t *tsc, uint64_t *best_span)
{
    uint16_t count = 0;
    for (int tries = 0; tries < 8; tries++) {
        uint64_t a = rdtsc();
        outb(0x43, 0x80);                   /* latch channel 2 */
        uint8_t lo = inb(0x42), hi = inb(0x42);
        uint64_t b = rdtsc();
        count = (uint16_t)(lo | hi << 8);
        *tsc = a + (b - a) / 2;
        if (b - a < *best_span)
            *best_span = b - a;
        if (b - a <= 2 * *best_span)
            break;
    }
    return count;
}

/* TSC ticks per second, over `ms` milliseconds of PIT channel 2 counting
 * down in mode 2 (its count is read back, not just its output waited on). */
static uint64_t calibrate_pit(unsigned ms)
{
    uint64_t target = PIT_HZ * ms / 1000, best = ~0ull;
    uint8_t ctl = inb(0x61);
    outb(0x61, (ctl & ~0x02) | 0x01);       /* gate on, speaker off */
    outb(0x43, 0xb4);                       /* ch2, lo/hi byte, mode 2 */
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    uint64_t t0, t1 = 0;
    /* Warm the bracket estimate, then take the starting pair. */
    pit2_sample(&t0, &best);
    uint16_t prev = pit2_sample(&t0, &best);
    uint64_t elapsed = 0, spins = 0;
    while (elapsed < target && spins++ < 10000000) {
        /* Samples come far more often than the 55 ms wrap period, so the
         * 16-bit difference is the count that passed. */
        uint16_t c = pit2_sample(&t1, &best);
        elapsed += (uint16_t)(prev - c);
        prev = c;
    }
    outb(0x61, ctl);
    if (!elapsed || t1 <= t0)
        return 0;
    return (t1 - t0) * PIT_HZ / elapsed;
}

void clock_init(void)
{
    uint64_t hz = calibrate_cpuid();
    if (!hz) {
        /* Median of three windows: one disturbed window cannot move it. */
        uint64_t h[3];
        for (int i = 0; i < 3; i++)
            h[i] = calibrate_pit(3);
        uint64_t lo = h[0] < h[1] ? h[0] : h[1], hi = h[0] < h[1] ? h[1] : h[0];
        hz = h[2] < lo ? lo : h[2] > hi ? hi : h[2];
    }
    clock_set_tsc_hz(hz);
}
