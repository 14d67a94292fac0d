/* Port I/O and interrupt lines for the device capabilities (devio.h). */
#include <stddef.h>

#include "dev/devio.h"

#include "arch/x86/io.h"
#include "dev/intc.h"
#include "dev/serial.h"

uint32_t devio_in(uint16_t port, unsigned width)
{
    switch (width) {
    case 1: return inb(port);
    case 2: return inw(port);
    case 4: return inl(port);
    }
    return 0;
}

void devio_out(uint16_t port, unsigned width, uint32_t value)
{
    if (port == SERIAL_COM1_DATA && width == 1)
        serial_driver_sent((uint8_t)value);     /* the log shares the line */
    switch (width) {
    case 1: outb(port, (uint8_t)value); break;
    case 2: outw(port, (uint16_t)value); break;
    case 4: outl(port, value); break;
    }
}

/* The handler each claimed line runs; the trap layer calls with the
 * frame, which a driver's line has no use for. */
static struct {
    void (*fn)(void *ctx);
    void *ctx;
} claimed[ISA_IRQS];

static void line_irq(struct trap_frame *f, void *ctx)
{
    (void)f;
    unsigned line = (unsigned)(uintptr_t)ctx;
    if (claimed[line].fn)
        claimed[line].fn(claimed[line].ctx);
}

int devio_irq_claim(unsigned line, void (*fn)(void *ctx), void *ctx)
{
    if (line >= ISA_IRQS)
        return -1;
    claimed[line].fn = fn;
    claimed[line].ctx = ctx;
    if (intc_enable_isa_irq(line, line_irq, (void *)(uintptr_t)line)) {
        claimed[line].fn = NULL;
        return -1;
    }
    return 0;
}

void devio_irq_mask(unsigned line, bool masked)
{
    intc_mask_isa_irq(line, masked);
}

void devio_irq_release(unsigned line)
{
    if (line >= ISA_IRQS)
        return;
    intc_disable_isa_irq(line);
    claimed[line].fn = NULL;
    claimed[line].ctx = NULL;
}
