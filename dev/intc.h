/*
 * The interrupt controllers: the local APIC and I/O APIC(s) found through
 * ACPI (MADT), or the legacy 8259 PIC when there is no usable MADT or the
 * kernel was booted with `noapic` (or `acpi=off`). The PIC is always
 * remapped away from the exception vectors and masked; in PIC mode only
 * the lines asked for here are unmasked.
 *
 * Vectors: ISA IRQ n arrives on VEC_IRQ_BASE + n whichever controller is
 * active (an I/O APIC honours the MADT's source overrides: on QEMU, ISA
 * IRQ 0 is GSI 2). The local APIC's own interrupts use the vectors below.
 * trap_eoi is set to the active controller's end-of-interrupt.
 */
#ifndef DEV_INTC_H
#define DEV_INTC_H

#include <stdbool.h>

#include "arch/x86/trap.h"

#define ISA_IRQS            16
#define VEC_LAPIC_TIMER     0xf0
#define VEC_LAPIC_ERROR     0xfe
/* VEC_SPURIOUS (0xff, trap.h) is the local APIC's spurious vector. */

enum intc_mode { INTC_PIC, INTC_APIC };

/* Picks and sets up the controller; logs which one and why. Needs the
 * memory manager and (for lapic timing) clock_init. Never fails: the PIC
 * is the last resort. */
void intc_init(void);

enum intc_mode intc_mode(void);

/* "local APIC + I/O APIC" or "8259 PIC": for the log and the banner. */
const char *intc_name(void);

/* Installs fn for ISA IRQ irq (0..15) on vector VEC_IRQ_BASE + irq and
 * unmasks the line (edge/level and polarity from the MADT). Returns 0, or
 * -1 (nothing installed) when the line cannot be routed. */
int intc_enable_isa_irq(unsigned irq, irq_handler_fn fn, void *ctx);

/* Masks ISA IRQ irq and removes its handler. */
void intc_disable_isa_irq(unsigned irq);

/* Masks or unmasks ISA IRQ irq, its handler kept: the line of a
 * driver's interrupt object stays masked from its interrupt until the
 * driver acknowledges it (kern/devcap.c). Safe with interrupts off. */
void intc_mask_isa_irq(unsigned irq, bool masked);

/* The GSI an ISA IRQ is wired to (itself in PIC mode). */
unsigned intc_isa_gsi(unsigned irq);

#endif
