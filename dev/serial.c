/* COM1 at 115200 8N1, polled. "\n" goes out as "\r\n" for real terminals. */
#include "dev/serial.h"

#include "arch/x86/io.h"

#define COM1 0x3f8

static int present;

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
    if (c == '\n')
        put_raw('\r');
    put_raw(c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
}
