/*
 * I/O APICs: each owns a range of global system interrupts (GSIs) starting
 * at its base. Entries start masked; ioapic_route programs and unmasks one.
 */
#ifndef DEV_IOAPIC_H
#define DEV_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/phys.h"

#define IOAPIC_MAX 8
#define IOAPIC_WINDOW 0x20      /* bytes of registers: IOREGSEL, IOWIN */

/* Maps one I/O APIC and masks all its entries. Returns 0, or -1 when it
 * cannot be mapped, does not answer like an I/O APIC, or the table of I/O
 * APICs is full. */
int ioapic_add(uint32_t id, paddr_t pa, uint32_t gsi_base);

/* Number of I/O APICs added, and the GSIs they cover in total. */
int ioapic_count(void);
uint32_t ioapic_gsi_count(void);

/* Delivers gsi as vector to the local APIC dest (physical mode, fixed
 * delivery) with the given polarity and trigger, unmasked. Returns 0, or
 * -1 when no I/O APIC owns gsi. */
int ioapic_route(uint32_t gsi, uint8_t vector, bool active_low, bool level, uint32_t dest);

/* Masks or unmasks a routed gsi; -1 when no I/O APIC owns it. */
int ioapic_set_masked(uint32_t gsi, bool masked);

#endif
