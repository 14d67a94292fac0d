/* The TSC's calibration (arch/x86/tsc.c). */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

/* Measures the TSC's rate and gives it to the clock (clock_set_tsc_hz);
 * takes about 10 ms against the PIT. Once, at boot, before timers. */
void clock_init(void);

#endif
