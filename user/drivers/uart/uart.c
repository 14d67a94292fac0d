/*
 * uart — the 16550 serial port driver (docs/drivers.md).
 *
 * It holds one UART's eight ports and its interrupt line. Received bytes
 * go to its client as channel messages, as they come (the receive
 * interrupt, FIFO trigger at one byte, so a key typed into a terminal
 * reaches the shell at once); the client's messages are bytes to send,
 * written polled (the transmitter's holding register empty before each).
 *
 * COM1 is shared with the kernel, which writes its log and panics there
 * polled: the driver leaves the line settings (speed, 8N1) as the kernel
 * set them and touches only the interrupt enable, the FIFO control and
 * the modem control's OUT2, which gates the UART's interrupt onto the ISA
 * line on a PC.
 */
#include "user/sdk/atoll.h"
#include "user/sdk/program.h"
#include "user/sdk/program_abi.h"

#define CLIENT (ATOLL_GRANTED + ATOLL_DRIVER_CLIENT_GRANT)
#define IRQ    (ATOLL_GRANTED + ATOLL_DRIVER_IRQ_GRANT)
#define PORTS  (ATOLL_GRANTED + ATOLL_DRIVER_PORTS_GRANT)

/* Register offsets from the base port (DLAB clear). */
#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define IER 1
#define FCR 2   /* write */
#define MCR 4
#define LSR 5

#define IER_RX      0x01
#define FCR_ENABLE  0x01    /* and trigger level 1 byte (bits 6-7 clear) */
#define MCR_DTR     0x01
#define MCR_RTS     0x02
#define MCR_OUT2    0x08
#define LSR_DATA    0x01
#define LSR_THRE    0x20

/* Polls of LSR per byte sent before the byte is given up (a UART that
 * never empties: unplugged, or not there). */
#define TX_SPINS    100000
#define RX_MAX      256
#define TX_MAX      4096

#define KEY_IRQ    1
#define KEY_CLIENT 2

static int32_t base;
static uint64_t rx_dropped, tx_dropped;

static int in8(int off)
{
    int32_t v;
    return atoll_port_in(PORTS, base + off, 1, &v) == ATOLL_OK ? (v & 0xff) : -1;
}

static void out8(int off, int v)
{
    atoll_port_out(PORTS, base + off, 1, v);
}

/* Sends n bytes; a byte the UART never takes is dropped (counted). */
static void transmit(const uint8_t *p, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        int spins = 0, lsr;
        while ((lsr = in8(LSR)) >= 0 && !(lsr & LSR_THRE) && spins < TX_SPINS)
            spins++;
        if (lsr < 0 || spins == TX_SPINS) {
            tx_dropped++;
            continue;
        }
        out8(THR, p[i]);
    }
}

/* Reads what the UART holds and hands it on; false when the client is
 * gone. A client that does not read loses input (counted), as a
 * terminal's does: the driver never blocks on it. */
static bool receive(void)
{
    uint8_t buf[RX_MAX];
    int n = 0, lsr;
    while (n < RX_MAX && (lsr = in8(LSR)) >= 0 && lsr != 0xff && (lsr & LSR_DATA))
        buf[n++] = (uint8_t)in8(RBR);
    if (n == 0)
        return true;
    int32_t r = atoll_channel_write(CLIENT, ATOLL_SELF, atoll_off(buf), n, -1, -1, -1, -1);
    if (r == ATOLL_EWOULDBLOCK)
        rx_dropped += (uint64_t)n;
    return r != ATOLL_EPEER;
}

/* Sends the client's queued messages; false when it is gone. */
static bool send_queued(void)
{
    static uint8_t buf[TX_MAX];
    for (;;) {
        int64_t len;
        int32_t nh;
        atoll_handle h[4];
        int32_t r = atoll_channel_read(CLIENT, ATOLL_SELF, atoll_off(buf), sizeof buf, &len,
                                       &nh, &h[0], &h[1], &h[2], &h[3]);
        if (r == ATOLL_EWOULDBLOCK)
            return true;
        if (r == ATOLL_EPEER)
            return false;
        if (r == ATOLL_ETOOSMALL) {
            /* Longer than the driver takes: read into the maximum and
             * send it anyway, in parts. */
            static uint8_t big[ATOLL_CHANNEL_MSG_MAX];
            r = atoll_channel_read(CLIENT, ATOLL_SELF, atoll_off(big), sizeof big, &len, &nh,
                                   &h[0], &h[1], &h[2], &h[3]);
            if (r != ATOLL_OK)
                return r != ATOLL_EPEER;
            transmit(big, len);
        } else if (r == ATOLL_OK) {
            transmit(buf, len);
        } else {
            return false;
        }
        for (int i = 0; i < nh && i < 4; i++)
            atoll_handle_drop(h[i]);       /* bytes only: handles are dropped */
    }
}

int main(void)
{
    int64_t first = 0;
    if (atoll_handle_kind(CLIENT) != ATOLL_KIND_CHANNEL ||
        atoll_handle_kind(IRQ) != ATOLL_KIND_IRQ ||
        atoll_handle_kind(PORTS) != ATOLL_KIND_IOPORTS) {
        atoll_printf("uart: started without its grants (channel, line, port range)\n");
        return ATOLL_DRIVER_BAD_GRANTS;
    }
    /* The range's first port is the UART's base: probe it by the line
     * status register, which a missing UART reads as 0xff. */
    static const int32_t bases[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
    for (unsigned i = 0; i < sizeof bases / sizeof bases[0] && !first; i++) {
        int32_t v;
        if (atoll_port_in(PORTS, bases[i] + LSR, 1, &v) == ATOLL_OK)
            first = bases[i];
    }
    base = (int32_t)first;
    if (!base || in8(LSR) == 0xff) {
        atoll_printf("uart: no 16550 at the granted ports\n");
        return ATOLL_DRIVER_NO_DEVICE;
    }

    atoll_handle ws;
    if (atoll_waitset_create(&ws) != ATOLL_OK ||
        atoll_waitset_add(ws, IRQ, ATOLL_SIGNAL_READABLE, KEY_IRQ) != ATOLL_OK ||
        atoll_waitset_add(ws, CLIENT, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED,
                          KEY_CLIENT) != ATOLL_OK) {
        atoll_printf("uart: cannot make its wait set\n");
        return ATOLL_DRIVER_BAD_GRANTS;
    }
    /* FIFOs on, the receive trigger at 1 byte; not cleared: bytes typed
     * while no driver read them (a restart) are still there. The
     * receive interrupt on, gated to the line by OUT2. */
    out8(FCR, FCR_ENABLE);
    out8(MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
    out8(IER, IER_RX);
    int64_t fired;
    if (!receive())
        return 0;
    atoll_irq_ack(IRQ, &fired);
    atoll_printf("uart: serial port at %#x ready\n", base);
    for (;;) {
        int64_t key;
        int32_t seen;
        if (atoll_waitset_wait(ws, ATOLL_FOREVER, &key, &seen) != ATOLL_OK)
            continue;
        if (key == KEY_CLIENT) {
            if (!send_queued())
                break;
            continue;
        }
        /* Received bytes, then the ack; then what came meanwhile (an
         * edge while the line was masked may have been lost). */
        if (!receive())
            break;
        atoll_irq_ack(IRQ, &fired);
        if (!receive())
            break;
    }
    out8(IER, 0);
    if (rx_dropped || tx_dropped)
        atoll_printf("uart: %llu bytes received and %llu to send were dropped\n",
                     (unsigned long long)rx_dropped, (unsigned long long)tx_dropped);
    return 0;
}
