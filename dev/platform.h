/*
 * Bring-up of the devices the kernel drives itself: the screen console,
 * the interrupt controllers (local/IO APIC via ACPI, or the legacy PIC),
 * the periodic timer and the calibrated clock.
 */
#ifndef DEV_PLATFORM_H
#define DEV_PLATFORM_H

void platform_init(void);

#endif
