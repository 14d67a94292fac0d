/*
 * The periodic timer: it ticks at the asked rate (checked against the TSC
 * clock, at 100 Hz and 1000 Hz, with whatever source this boot uses: the
 * host harness boots it with and without `noapic` and with `timer=pit`),
 * and the scheduler's tick hook sees every tick with the interrupted
 * frame.
 */
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/trap.h"
#include "dev/intc.h"
#include "dev/timer.h"
#include "kern/clock.h"
#include "kern/ktest.h"
#include "kern/log.h"

#define WINDOW_NS   (500ull * 1000 * 1000)
/* TCG runs guest time off the host's clock, but a busy host can delay a
 * tick: a generous band that still catches a wrong divisor or a missed
 * calibration (those are off by 2x or more). */
#define TOLERANCE_PERCENT 10

/* Ticks per second, in millihertz, over WINDOW_NS of clock_ns. */
static uint64_t measure_mhz(void)
{
    /* Start on a tick edge so the window holds whole periods. */
    uint64_t start_ticks = timer_ticks();
    while (timer_ticks() == start_ticks)
        halt();
    uint64_t t0 = clock_ns(), n0 = timer_ticks();
    uint64_t t1;
    do {
        halt();
        t1 = clock_ns();
    } while (t1 - t0 < WINDOW_NS);
    uint64_t n1 = timer_ticks();
    return (n1 - n0) * 1000000000000ull / (t1 - t0);
}

static bool check_rate(unsigned hz)
{
    KCHECK(timer_set_hz(hz) == 0, "timer_set_hz(%u) failed", hz);
    uint64_t got = measure_mhz();
    uint64_t want = (uint64_t)hz * 1000;
    kprintf("    %s via %s: asked %u Hz, programmed %llu.%03llu Hz, measured %llu.%03llu Hz\n",
            timer_source_name(), intc_name(), hz, (unsigned long long)(timer_rate_mhz() / 1000),
            (unsigned long long)(timer_rate_mhz() % 1000), (unsigned long long)(got / 1000),
            (unsigned long long)(got % 1000));
    KCHECK(got * 100 >= want * (100 - TOLERANCE_PERCENT) && got * 100 <= want * (100 + TOLERANCE_PERCENT),
           "measured %llu mHz, asked %llu mHz", (unsigned long long)got, (unsigned long long)want);
    return true;
}

KTEST(timer_rate)
{
    unsigned boot_hz = timer_hz();
    KCHECK(boot_hz != 0, "no timer is running (source %s)", timer_source_name());
    KCHECK(read_rflags() & (1u << 9), "interrupts are off");
    bool ok = check_rate(100) && check_rate(1000);
    timer_set_hz(boot_hz);
    return ok;
}

KTEST(timer_bad_rates)
{
    unsigned hz = timer_hz();
    KCHECK(timer_set_hz(0) == -1, "0 Hz accepted");
    KCHECK(timer_set_hz(TIMER_MIN_HZ - 1) == -1, "%u Hz accepted", TIMER_MIN_HZ - 1);
    KCHECK(timer_set_hz(TIMER_MAX_HZ + 1) == -1, "%u Hz accepted", TIMER_MAX_HZ + 1);
    KCHECK(timer_hz() == hz, "a refused rate changed the rate");
    return true;
}

static volatile uint64_t hook_calls;
static volatile bool hook_frame_ok = true;

static void hook(struct trap_frame *f)
{
    hook_calls++;
    if (f->cs != KERNEL_CS || !(f->rflags & (1u << 9)))
        hook_frame_ok = false;
}

KTEST(timer_tick_hook)
{
    hook_calls = 0;
    uint64_t n0 = timer_ticks();
    timer_set_tick_handler(hook);
    uint64_t end = clock_ns() + 200ull * 1000 * 1000;
    while (hook_calls < 5 && clock_ns() < end)
        halt();
    timer_set_tick_handler(NULL);
    uint64_t calls = hook_calls, n1 = timer_ticks();
    KCHECK(calls >= 5, "the hook ran %llu times in 200 ms", (unsigned long long)calls);
    KCHECK(calls <= n1 - n0, "more hook calls (%llu) than ticks (%llu)", (unsigned long long)calls,
           (unsigned long long)(n1 - n0));
    KCHECK(hook_frame_ok, "the hook saw a frame that is not interrupted kernel code");
    uint64_t t = timer_ticks();
    while (timer_ticks() < t + 3)
        halt();
    KCHECK(hook_calls == calls, "the hook still runs after removal");
    return true;
}
