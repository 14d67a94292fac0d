/* The 8259 PIC pair: remap, mask, EOI with spurious-IRQ detection. */
#include "dev/pic.h"

#include "arch/x86/io.h"
#include "arch/x86/trap.h"

#define MASTER_CMD  0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD   0xa0
#define SLAVE_DATA  0xa1

#define ICW1_INIT_ICW4  0x11    /* edge triggered, cascaded, ICW4 follows */
#define ICW4_8086       0x01
#define OCW2_EOI        0x20
#define OCW3_READ_ISR   0x0b

/* Current masks, bit set = masked; the hardware is only ever written. */
static uint16_t masks = 0xffff;
static uint64_t spurious;

static void write_masks(void)
{
    outb(MASTER_DATA, (uint8_t)masks);
    outb(SLAVE_DATA, (uint8_t)(masks >> 8));
}

void pic_init(void)
{
    /* Mask first so nothing arrives half-way through the sequence. */
    outb(MASTER_DATA, 0xff);
    outb(SLAVE_DATA, 0xff);
    outb(MASTER_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(SLAVE_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(MASTER_DATA, VEC_IRQ_BASE);        /* ICW2: vector base */
    io_wait();
    outb(SLAVE_DATA, VEC_IRQ_BASE + 8);
    io_wait();
    outb(MASTER_DATA, 0x04);                /* ICW3: slave on IRQ 2 */
    io_wait();
    outb(SLAVE_DATA, 0x02);                 /* ICW3: cascade identity */
    io_wait();
    outb(MASTER_DATA, ICW4_8086);
    io_wait();
    outb(SLAVE_DATA, ICW4_8086);
    io_wait();
    masks = 0xffff;
    write_masks();
}

void pic_unmask(unsigned irq)
{
    if (irq >= PIC_IRQS)
        return;
    masks &= (uint16_t)~(1u << irq);
    if (irq >= 8)
        masks &= (uint16_t)~(1u << 2);
    write_masks();
}

void pic_mask(unsigned irq)
{
    if (irq >= PIC_IRQS || irq == 2)
        return;
    masks |= (uint16_t)(1u << irq);
    if ((masks & 0xff00) == 0xff00)
        masks |= 1u << 2;
    write_masks();
}

static uint8_t read_isr(uint16_t cmd_port)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port);
}

void pic_eoi(int vector)
{
    int irq = vector - VEC_IRQ_BASE;
    if (irq < 0 || irq >= PIC_IRQS)
        return;
    if (irq == 7 && !(read_isr(MASTER_CMD) & 0x80)) {
        spurious++;
        return;
    }
    if (irq == 15 && !(read_isr(SLAVE_CMD) & 0x80)) {
        /* The master did see a real cascade interrupt: it needs its EOI. */
        spurious++;
        outb(MASTER_CMD, OCW2_EOI);
        return;
    }
    if (irq >= 8)
        outb(SLAVE_CMD, OCW2_EOI);
    outb(MASTER_CMD, OCW2_EOI);
}

uint64_t pic_spurious_count(void)
{
    return spurious;
}
