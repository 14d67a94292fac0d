/*
 * The interrupt controllers: the local APIC and I/O APIC found through
 * ACPI (MADT), or the legacy 8259 PIC when there is no usable MADT. The
 * PIC is always remapped away from the exception vectors and masked.
 */
#ifndef DEV_INTC_H
#define DEV_INTC_H

#include "arch/x86/trap.h"

void intc_init(void);

#endif
