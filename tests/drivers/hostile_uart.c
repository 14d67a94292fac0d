/*
 * hostile_uart — a driver that misbehaves, booted in place of uart.wasm
 * by tests/qemu/test_drivers.py. With the uart driver's grants (its
 * channel, COM1's line, COM1's eight ports) it first reaches for what it
 * was not given — ports beside its range, the PS/2 controller, the RTC,
 * PCI configuration, a wider range, another line — and counts the
 * refusals ("hostile-uart: 9 refusals of 9"); then it floods its client
 * with messages longer than a driver's (8 KiB, where userboot reads 4 KiB),
 * as fast as the channel takes them, and never acknowledges its line.
 * userboot must kill it, restart it (and give up the quick restarts),
 * and the rest of the system must not notice.
 */
#include "user/sdk/program.h"

#define CLIENT (ATOLL_GRANTED + ATOLL_DRIVER_CLIENT_GRANT)
#define IRQ    (ATOLL_GRANTED + ATOLL_DRIVER_IRQ_GRANT)
#define PORTS  (ATOLL_GRANTED + ATOLL_DRIVER_PORTS_GRANT)

static int refused, tried;

static void expect_refused(int32_t r)
{
    tried++;
    if (r != ATOLL_OK)
        refused++;
}

int main(void)
{
    int32_t v;
    atoll_handle h;
    expect_refused(atoll_port_in(PORTS, 0x3f7, 1, &v));        /* just below */
    expect_refused(atoll_port_in(PORTS, 0x400, 1, &v));        /* just above */
    expect_refused(atoll_port_in(PORTS, 0x3fe, 4, &v));        /* across the end */
    expect_refused(atoll_port_in(PORTS, 0x60, 1, &v));         /* the keyboard's */
    expect_refused(atoll_port_out(PORTS, 0x70, 1, 0x0c));      /* the RTC's */
    expect_refused(atoll_port_out(PORTS, 0xcf8, 4, 0x80000000)); /* PCI configuration */
    expect_refused(atoll_ioport_range(PORTS, 0x3f8, 16, &h));  /* a wider range */
    expect_refused(atoll_irq_line(IRQ, 1, &h));                /* another line */
    expect_refused(atoll_irq_line(CLIENT, 4, &h));             /* lines from a channel */
    atoll_printf("hostile-uart: %d refusals of %d\n", refused, tried);

    static uint8_t big[8192];
    for (unsigned i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)('a' + i % 26);
    for (;;) {
        int32_t r = atoll_channel_write(CLIENT, ATOLL_SELF, atoll_off(big), sizeof big, -1, -1,
                                        -1, -1);
        if (r == ATOLL_EPEER)
            return 0;
        if (r == ATOLL_EWOULDBLOCK)
            atoll_yield();
    }
}
