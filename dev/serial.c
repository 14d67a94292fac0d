/* COM1 at 115200 8N1, polled. "\n" goes out as "\r\n" for real terminals. */
#include "dev/serial.h"

#include "arch/x86/io.h"

#define COM1 0x3f8

static int present;
/* The last byte sent on the line and whether the driver sent it (COM1 is
 * shared with the uart driver in Wasm: serial_driver_sent). */
static volatile char last = '\n';
static volatile bool last_by_driver;

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB on */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1, DLAB off */
    outb(COM1 + 2, 0xc7);   /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + 4, 0x03);   /* DTR | RTS */
    /* A missing UART reads back 0xff: do not spin on it later. */
    present = inb(COM1 + 5) != 0xff;
}

static void put_raw(char c)
{
    if (!present)
        return;
    for (int spins = 0; spins < 100000 && !(inb(COM1 + 5) & 0x20); spins++)
        ;
    outb(COM1, (unsigned char)c);
}

void serial_putc(char c)
{
    /* The kernel's text starts on a line of its own: the driver's line
     * (a prompt, an echo) is ended first rather than broken into. */
    if (last_by_driver && last != '\n') {
        put_raw('\r');
        put_raw('\n');
    }
    last_by_driver = false;
    last = c;
    if (c == '\n')
        put_raw('\r');
    put_raw(c);
}

void serial_driver_sent(uint8_t byte)
{
    last = (char)byte;
    last_by_driver = true;
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
}
