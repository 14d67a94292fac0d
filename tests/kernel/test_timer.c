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
#include "base/clock.h"
#include "kern/ktest.h"
#include "base/log.h"

/* A band that still catches a wrong divisor or calibration (those are
 * off by 2x or more) but not TCG's jitter, nor the TSC clock's own error:
 * every rate is measured against clock_ns, whose calibration came out up
 * to 13% high on a loaded host (2767 MHz against the usual 2445). */
#define TOLERANCE_PERCENT 20

/* Waits until the tick count passes n; false after a second without it:
 * a dead timer fails the test instead of hanging it (hence no hlt here;
 * the loops that halt run only once the timer has been seen ticking). */
static bool wait_ticks_past(uint64_t n)
{
    uint64_t end = clock_ns() + 1000ull * 1000 * 1000;
    while (timer_ticks() <= n) {
        if (clock_ns() > end)
            return false;
        cpu_relax();
    }
    return true;
}

/*
 * Rates are judged by the median interval between ticks, stamped with
 * clock_ns by the tick hook: on a loaded host TCG delivers some ticks late
 * or merges two into one, which skews a plain count (seen: 1000 Hz counted
 * as 860-960 Hz with two QEMUs and a fuzzer on two CPUs) but moves the
 * median interval very little. The count still has to reach half the
 * rate, so a timer that mostly misses ticks fails.
 */
#define MAX_STAMPS 512

static uint64_t stamps[MAX_STAMPS];
static volatile unsigned nstamps;

static void stamp(struct trap_frame *f)
{
    (void)f;
    if (nstamps < MAX_STAMPS)
        stamps[nstamps++] = clock_ns();
}

struct rate {
    uint64_t median_mhz;    /* from the median interval */
    uint64_t count_mhz;     /* ticks counted over the window */
};

static bool measure(unsigned hz, struct rate *r)
{
    unsigned want = hz / 2 < MAX_STAMPS ? hz / 2 : MAX_STAMPS;     /* about half a second */
    /* Start on a tick edge so the window holds whole periods. */
    if (!wait_ticks_past(timer_ticks()))
        return false;
    nstamps = 0;
    uint64_t t0 = clock_ns(), n0 = timer_ticks();
    timer_tick_fn saved = timer_set_tick_handler(stamp);
    uint64_t deadline = t0 + 3000ull * 1000 * 1000;
    while (nstamps < want && clock_ns() < deadline)
        halt();
    timer_set_tick_handler(saved);
    uint64_t t1 = clock_ns(), n1 = timer_ticks();
    unsigned n = nstamps;
    if (n < 3)
        return false;
    /* Intervals in place, then insertion sort: n is at most 512. */
    for (unsigned i = 0; i + 1 < n; i++)
        stamps[i] = stamps[i + 1] - stamps[i];
    n--;
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && stamps[j - 1] > stamps[j]; j--) {
            uint64_t t = stamps[j];
            stamps[j] = stamps[j - 1];
            stamps[j - 1] = t;
        }
    uint64_t median = stamps[n / 2];
    r->median_mhz = median ? 1000000000000ull / median : 0;
    r->count_mhz = (n1 - n0) * 1000000000000ull / (t1 - t0);
    return true;
}

static bool check_rate(unsigned hz)
{
    KCHECK(timer_set_hz(hz) == 0, "timer_set_hz(%u) failed", hz);
    struct rate r;
    KCHECK(measure(hz, &r), "%s does not tick", timer_source_name());
    uint64_t want = (uint64_t)hz * 1000;
    kprintf("    %s via %s: asked %u Hz, programmed %llu.%03llu Hz, measured %llu.%03llu Hz "
            "(median interval; counted %llu.%03llu Hz)\n",
            timer_source_name(), intc_name(), hz, (unsigned long long)(timer_rate_mhz() / 1000),
            (unsigned long long)(timer_rate_mhz() % 1000), (unsigned long long)(r.median_mhz / 1000),
            (unsigned long long)(r.median_mhz % 1000), (unsigned long long)(r.count_mhz / 1000),
            (unsigned long long)(r.count_mhz % 1000));
    KCHECK(r.median_mhz * 100 >= want * (100 - TOLERANCE_PERCENT) &&
           r.median_mhz * 100 <= want * (100 + TOLERANCE_PERCENT),
           "median rate %llu mHz, asked %llu mHz", (unsigned long long)r.median_mhz, (unsigned long long)want);
    KCHECK(r.count_mhz * 2 >= want && r.count_mhz * 100 <= want * (100 + TOLERANCE_PERCENT),
           "counted %llu mHz, asked %llu mHz", (unsigned long long)r.count_mhz, (unsigned long long)want);
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
    KCHECK(wait_ticks_past(timer_ticks()), "%s does not tick", timer_source_name());
    hook_calls = 0;
    uint64_t n0 = timer_ticks();
    timer_tick_fn saved = timer_set_tick_handler(hook);
    uint64_t end = clock_ns() + 200ull * 1000 * 1000;
    while (hook_calls < 5 && clock_ns() < end)
        halt();
    timer_set_tick_handler(saved);
    uint64_t calls = hook_calls, n1 = timer_ticks();
    KCHECK(calls >= 5, "the hook ran %llu times in 200 ms", (unsigned long long)calls);
    KCHECK(calls <= n1 - n0, "more hook calls (%llu) than ticks (%llu)", (unsigned long long)calls,
           (unsigned long long)(n1 - n0));
    KCHECK(hook_frame_ok, "the hook saw a frame that is not interrupted kernel code");
    KCHECK(wait_ticks_past(timer_ticks() + 2), "the timer stopped");
    KCHECK(hook_calls == calls, "the hook still runs after removal");
    return true;
}

/* The tick must interrupt code that never halts (compiled Wasm in an
 * endless loop is exactly that). Under TCG a spinning guest gets its ticks
 * late and merged, so only a quarter of the rate is asked for. */
KTEST(timer_preempts_spin)
{
    KCHECK(wait_ticks_past(timer_ticks()), "%s does not tick", timer_source_name());
    uint64_t n0 = timer_ticks(), t0 = clock_ns();
    while (clock_ns() - t0 < 200ull * 1000 * 1000)
        cpu_relax();
    uint64_t got = timer_ticks() - n0, want = timer_hz() / 5;
    kprintf("    %llu ticks in 200 ms of spinning at %u Hz\n", (unsigned long long)got, timer_hz());
    KCHECK(got * 4 >= want, "%llu ticks while spinning 200 ms, expected about %llu",
           (unsigned long long)got, (unsigned long long)want);
    return true;
}
