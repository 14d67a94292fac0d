/*
 * PIT channel 0 as a periodic interrupt source (ISA IRQ 0), the timer of
 * last resort. Channel 2 belongs to the TSC calibration (arch/x86/tsc.c).
 */
#ifndef DEV_PIT_H
#define DEV_PIT_H

#include <stdint.h>

#define PIT_INPUT_HZ    1193182u
#define PIT_MIN_HZ      19u         /* the 16-bit divisor's limit */

/* Programs channel 0 as a rate generator at about hz (>= PIT_MIN_HZ).
 * Returns the rate programmed in millihertz, or 0 for a rate it cannot
 * produce (nothing changed). Routing IRQ 0 is the caller's business. */
uint64_t pit_start_periodic(unsigned hz);

/* Stops channel 0 (one-shot mode, never reloaded). */
void pit_stop(void);

#endif
