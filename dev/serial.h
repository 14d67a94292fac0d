/*
 * COM1, the kernel's log and panic console. Polled output: it must work
 * with interrupts off and from the fault handlers. The port is shared
 * with its driver in Wasm (user/drivers/uart, docs/drivers.md), which
 * reads it and writes the shell's terminal there.
 */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);

/* The driver wrote byte to COM1's data port (dev/devio.c tells): the
 * kernel's next text then begins on a new line if the driver's did not
 * end one. */
#define SERIAL_COM1_DATA 0x3f8
void serial_driver_sent(uint8_t byte);

#endif
