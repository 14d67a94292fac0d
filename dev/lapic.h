/*
 * The local APIC of the boot CPU: enable, end of interrupt, LINT wiring,
 * and its timer. xAPIC through MMIO, or x2APIC through MSRs when the
 * firmware left the CPU in x2APIC mode (it cannot be switched back).
 * Single CPU for now: "the" local APIC is the boot CPU's.
 */
#ifndef DEV_LAPIC_H
#define DEV_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/phys.h"

/* Maps the registers (MADT address pa; the MSR's base wins, logged, if
 * they differ), software-enables the APIC with the spurious vector,
 * masks every LVT entry and routes its error interrupt to error_vector.
 * Returns 0, or -1 (nothing changed) when it cannot be used. */
int lapic_init(paddr_t pa, uint8_t spurious_vector, uint8_t error_vector);

/* For PIC mode: enables the APIC (at the CPU's own address) as the PC-AT
 * "virtual wire", the PIC's output taken on LINT0 (ExtINT) and NMI on
 * LINT1. Firmware may leave LINT0 masked (qboot does), and then no PIC
 * interrupt would ever arrive. Returns 0, or -1 with nothing changed. */
int lapic_init_virtual_wire(uint8_t spurious_vector, uint8_t error_vector);

bool lapic_active(void);
bool lapic_x2apic(void);
uint32_t lapic_id(void);

/* Signals end of interrupt (for every vector the local APIC delivered). */
void lapic_eoi(void);

/* Wires a LINT pin (0 or 1) as NMI with MADT polarity/trigger flags. */
void lapic_set_lint_nmi(unsigned lint, uint16_t madt_flags);

/* Reads and clears the error status register. */
uint32_t lapic_read_esr(void);

/* The timer's input frequency at divide-by-1, measured against the TSC
 * clock (clock_ns) the first time it is asked; 0 if it does not count. */
uint64_t lapic_timer_hz(void);

/* Starts the timer in periodic mode at about hz interrupts a second on
 * vector; returns the rate actually programmed (in millihertz, the count
 * being an integer), or 0 when hz cannot be reached (nothing changed). */
uint64_t lapic_timer_periodic(uint8_t vector, unsigned hz);

/* Stops and masks the timer. */
void lapic_timer_stop(void);

#endif
