/*
 * Fault-tolerant memory probes (see probe.S). Tests use them to check that
 * a page really is unmapped, read-only or no-execute; the fault handlers
 * use the same table to resume after an expected fault.
 */
#ifndef ARCH_X86_PROBE_H
#define ARCH_X86_PROBE_H

#include <stdint.h>

int arch_probe_read8(uintptr_t addr);
int arch_probe_write8(uintptr_t addr, uint8_t v);
int arch_probe_exec(uintptr_t addr);

/* Registers the fault handlers that make the probes work. */
void probe_init(void);

/* Faults the probes absorbed since boot (tests check they happened). */
extern volatile uint64_t probe_faults;

#endif
