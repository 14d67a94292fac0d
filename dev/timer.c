/* The periodic tick: source selection, the counter and the tick hook. */
#include <stddef.h>

#include "dev/timer.h"

#include "dev/intc.h"
#include "dev/lapic.h"
#include "dev/pit.h"
#include "base/cmdline.h"
#include "base/log.h"
#include "lib/string.h"

enum source { SRC_NONE, SRC_LAPIC, SRC_PIT };

static enum source source = SRC_NONE;
static unsigned asked_hz;
static uint64_t programmed_mhz;
static volatile uint64_t ticks;
static timer_tick_fn volatile tick_hook;

static void tick(struct trap_frame *f, void *ctx)
{
    (void)ctx;
    ticks++;
    timer_tick_fn fn = tick_hook;
    if (fn)
        fn(f);
}

static uint64_t program(unsigned hz)
{
    return source == SRC_LAPIC ? lapic_timer_periodic(VEC_LAPIC_TIMER, hz) : pit_start_periodic(hz);
}

static int start_lapic(unsigned hz)
{
    trap_set_irq_handler(VEC_LAPIC_TIMER, tick, NULL);
    source = SRC_LAPIC;
    programmed_mhz = program(hz);
    if (programmed_mhz)
        return 0;
    trap_set_irq_handler(VEC_LAPIC_TIMER, NULL, NULL);
    source = SRC_NONE;
    return -1;
}

static int start_pit(unsigned hz)
{
    if (intc_enable_isa_irq(0, tick, NULL))
        return -1;
    source = SRC_PIT;
    programmed_mhz = program(hz);
    if (programmed_mhz)
        return 0;
    intc_disable_isa_irq(0);
    source = SRC_NONE;
    return -1;
}

int timer_init(unsigned hz)
{
    if (hz < TIMER_MIN_HZ || hz > TIMER_MAX_HZ) {
        pr_warn("timer: %u Hz is outside %u..%u; using %u Hz\n", hz, TIMER_MIN_HZ, TIMER_MAX_HZ,
                TIMER_DEFAULT_HZ);
        hz = TIMER_DEFAULT_HZ;
    }
    char opt[8] = "";
    bool want_pit = cmdline_get("timer", opt, sizeof opt) && strcmp(opt, "pit") == 0;
    asked_hz = hz;
    if (intc_mode() == INTC_APIC && !want_pit) {
        if (start_lapic(hz) == 0) {
            uint64_t in = lapic_timer_hz();
            pr_info("timer: local APIC timer at %llu.%03llu Hz (asked %u; input clock %llu.%03llu MHz)\n",
                    (unsigned long long)(programmed_mhz / 1000), (unsigned long long)(programmed_mhz % 1000),
                    hz, (unsigned long long)(in / 1000000), (unsigned long long)(in / 1000 % 1000));
            return 0;
        }
        pr_warn("timer: the local APIC timer cannot run at %u Hz; using the PIT\n", hz);
    }
    if (start_pit(hz) == 0) {
        pr_info("timer: PIT at %llu.%03llu Hz (asked %u) on ISA IRQ 0 (GSI %u)%s\n",
                (unsigned long long)(programmed_mhz / 1000), (unsigned long long)(programmed_mhz % 1000),
                hz, intc_isa_gsi(0), want_pit ? ", boot option timer=pit" : "");
        return 0;
    }
    pr_err("timer: no timer source could be started\n");
    asked_hz = 0;
    return -1;
}

int timer_set_hz(unsigned hz)
{
    if (source == SRC_NONE || hz < TIMER_MIN_HZ || hz > TIMER_MAX_HZ)
        return -1;
    uint64_t mhz = program(hz);
    if (!mhz)
        return -1;
    asked_hz = hz;
    programmed_mhz = mhz;
    return 0;
}

unsigned timer_hz(void)
{
    return asked_hz;
}

uint64_t timer_rate_mhz(void)
{
    return programmed_mhz;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

const char *timer_source_name(void)
{
    switch (source) {
    case SRC_LAPIC: return "local APIC timer";
    case SRC_PIT: return "PIT";
    default: return "none";
    }
}

timer_tick_fn timer_set_tick_handler(timer_tick_fn fn)
{
    return __atomic_exchange_n(&tick_hook, fn, __ATOMIC_SEQ_CST);
}
