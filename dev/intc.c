/* Placeholder until the APIC code lands: remap and mask the legacy PIC so
 * that no IRQ lands on an exception vector. */
#include "dev/intc.h"

#include "arch/x86/io.h"

void intc_init(void)
{
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}
