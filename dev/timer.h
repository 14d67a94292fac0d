/*
 * The periodic timer: one interrupt every 1/hz second on the boot CPU.
 * The source is the local APIC timer (calibrated against the TSC clock)
 * when the APIC is the interrupt controller, else PIT channel 0 on ISA
 * IRQ 0. Boot options: timer_hz=N (default 100), timer=pit to use the PIT
 * even with an APIC.
 *
 * The tick count is only a count of interrupts: for time, use clock_ns().
 */
#ifndef DEV_TIMER_H
#define DEV_TIMER_H

#include <stdint.h>

#include "arch/x86/trap.h"

#define TIMER_DEFAULT_HZ    100
#define TIMER_MIN_HZ        19      /* the PIT cannot go slower */
#define TIMER_MAX_HZ        10000

/* Starts the tick at hz (out of range: the default, with a warning).
 * Needs intc_init and clock_init. Returns 0, or -1 when no source could
 * be started (logged; the kernel then runs without a tick). */
int timer_init(unsigned hz);

/* Changes the rate of the running source. Returns 0, or -1 (rate
 * unchanged) when hz is out of range or no timer runs. */
int timer_set_hz(unsigned hz);

/* The rate asked for, and the one actually programmed in millihertz (the
 * hardware divides an input clock by an integer). 0 before timer_init. */
unsigned timer_hz(void);
uint64_t timer_rate_mhz(void);

/* Ticks since timer_init: monotonic, never wraps in practice, safe to read
 * anywhere (a single aligned 64-bit load). */
uint64_t timer_ticks(void);

/* "local APIC timer", "PIT" or "none". */
const char *timer_source_name(void);

/*
 * The hook the scheduler uses. fn runs on every tick, in interrupt
 * context on the interrupted stack with interrupts off, after the
 * controller got its EOI and after timer_ticks() counted this tick; frame
 * is the interrupted context (fn may change it, or switch threads). NULL
 * removes the hook. Setting it is atomic with respect to the tick. Returns
 * the hook it replaced, which a temporary user (a test) must put back.
 */
typedef void (*timer_tick_fn)(struct trap_frame *frame);
timer_tick_fn timer_set_tick_handler(timer_tick_fn fn);

#endif
