/* PIT channel 0: periodic interrupts on ISA IRQ 0. */
#include "dev/pit.h"

#include "arch/x86/io.h"

#define PIT_CH0     0x40
#define PIT_CMD     0x43

uint64_t pit_start_periodic(unsigned hz)
{
    if (hz < PIT_MIN_HZ || hz > PIT_INPUT_HZ / 2)
        return 0;
    uint32_t div = (PIT_INPUT_HZ + hz / 2) / hz;
    if (div > 0xffff)
        div = 0xffff;
    outb(PIT_CMD, 0x34);            /* channel 0, lo/hi byte, mode 2 */
    outb(PIT_CH0, div & 0xff);
    outb(PIT_CH0, (div >> 8) & 0xff);
    return (uint64_t)PIT_INPUT_HZ * 1000 / div;
}

void pit_stop(void)
{
    /* Mode 0 counts down once and then holds its output: no more edges. */
    outb(PIT_CMD, 0x30);
    outb(PIT_CH0, 0xff);
    outb(PIT_CH0, 0xff);
}
