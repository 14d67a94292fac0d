/*
 * The 8259's spurious interrupts: IRQ 7 or 15 raised with nothing in
 * service must get no EOI (7) or only the master's (15), and be counted.
 * In PIC mode the whole path is taken (a software interrupt on the vector
 * goes through trap_dispatch and trap_eoi); with the APIC active the PIC is
 * masked and only pic_eoi itself is checked.
 */
#include "dev/intc.h"
#include "dev/pic.h"
#include "kern/ktest.h"

KTEST(pic_spurious_irq)
{
    uint64_t before = pic_spurious_count();
    if (intc_mode() == INTC_PIC) {
        __asm__ volatile("int $0x27" ::: "memory");
        __asm__ volatile("int $0x2f" ::: "memory");
    } else {
        pic_eoi(VEC_IRQ_BASE + 7);
        pic_eoi(VEC_IRQ_BASE + 15);
    }
    uint64_t seen = pic_spurious_count() - before;
    KCHECK(seen == 2, "%llu spurious interrupts counted, expected 2", (unsigned long long)seen);
    return true;
}
