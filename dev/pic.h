/*
 * The legacy 8259 PIC pair. It is always remapped to vectors 32..47 (so a
 * stray IRQ can never look like a CPU exception) and masked; it delivers
 * interrupts only when it is the active controller (no usable APIC), and
 * then only for the lines unmasked here.
 */
#ifndef DEV_PIC_H
#define DEV_PIC_H

#include <stdint.h>

#define PIC_IRQS 16

/* Remaps master to 32..39 and slave to 40..47, and masks all 16 lines.
 * Safe to call again. */
void pic_init(void);

/* Unmasks / masks one line (0..15); unmasking a slave line also unmasks
 * the cascade (IRQ 2). Out-of-range lines are ignored. */
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);

/* End of interrupt for a vector the PIC raised; ignores other vectors.
 * Spurious IRQ 7 and 15 (the line dropped before the CPU acknowledged it)
 * are recognised by the in-service register: no EOI for a spurious 7, and
 * only the master's (cascade) EOI for a spurious 15. */
void pic_eoi(int vector);

/* Spurious interrupts seen on IRQ 7 and 15 since boot. */
uint64_t pic_spurious_count(void);

#endif
