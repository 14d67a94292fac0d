/*
 * COM1, the kernel's log and panic console. Polled output: it must work
 * with interrupts off and from the fault handlers.
 */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);

#endif
