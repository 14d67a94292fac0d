/*
 * Monotonic time since kernel entry, from the TSC once calibrated.
 * clock_ns() is 0 before calibration; never goes backwards after.
 */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdint.h>

/* TSC value read at the first instruction of kmain: the origin of time. */
extern uint64_t boot_tsc;

uint64_t clock_ns(void);
/* TSC ticks per second, 0 if not yet calibrated. */
uint64_t clock_tsc_hz(void);
/* The TSC's rate, once measured (arch/x86/tsc.h: clock_init); an
 * implausible one (under 1 MHz) is taken as 1 GHz. */
void clock_set_tsc_hz(uint64_t hz);
/* Busy-waits for at least ns nanoseconds (needs the rate). */
void clock_delay_ns(uint64_t ns);

#endif
