/*
 * Port I/O and interrupt lines for the device capabilities
 * (kern/devcap.c): the few machine operations a driver's I/O port range
 * and interrupt line objects perform, behind functions so that the hosted
 * build (host/kernel_host.c), which has no ports and no interrupts,
 * supplies its own: there, ports are plain latches (a read gives what was
 * last written, 0 at first) and no line ever fires.
 *
 * Which ports and lines may be handed out is the capabilities' policy
 * (kern/devcap.c), not this layer's: these functions do what they are
 * told.
 */
#ifndef DEV_DEVIO_H
#define DEV_DEVIO_H

#include <stdbool.h>
#include <stdint.h>

/* Reads / writes port `port`, width 1, 2 or 4 bytes (others: nothing
 * happens, 0 read). */
uint32_t devio_in(uint16_t port, unsigned width);
void devio_out(uint16_t port, unsigned width, uint32_t value);

/* Installs fn(ctx) as ISA IRQ line's handler (0..15), run in interrupt
 * context with interrupts off, and unmasks the line. 0, or -1 when the
 * line cannot be routed (nothing installed). */
int devio_irq_claim(unsigned line, void (*fn)(void *ctx), void *ctx);

/* Masks or unmasks a claimed line, its handler kept. Any context. */
void devio_irq_mask(unsigned line, bool masked);

/* Masks the line and removes its handler: fn is not running and will
 * not run again once this returns (one CPU takes the interrupts). */
void devio_irq_release(unsigned line);

#endif
