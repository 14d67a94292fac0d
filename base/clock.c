/* The monotonic clock (see clock.h): TSC ticks scaled to nanoseconds,
 * at the rate arch/x86/tsc.c measured. */
#include "base/clock.h"

#include "arch/x86/cpu.h"

uint64_t boot_tsc;
static uint64_t tsc_hz;
static uint64_t mult;           /* ns per tick, 32.32 fixed point */

void clock_set_tsc_hz(uint64_t hz)
{
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
