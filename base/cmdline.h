/*
 * The kernel command line: space-separated words, each "key" or
 * "key=value". Options the kernel knows:
 *   test=NAME[,NAME...]   run in-kernel tests and exit QEMU with the result
 *   loglevel=0..3         0 errors only ... 3 debug
 *   timer_hz=N            periodic timer rate (default 100, 19..10000)
 *   timer=pit             use the PIT for the tick even with an APIC
 *   noapic                use the legacy PIC instead of the I/O APIC
 *   acpi=off              ignore ACPI (and so the APIC): the PIC is used
 */
#ifndef BASE_CMDLINE_H
#define BASE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

void cmdline_init(const char *cmdline);

/* Copies the value of key into buf (NUL-terminated, truncated to size).
 * Returns true when the key is present ("" for a bare key). */
bool cmdline_get(const char *key, char *buf, size_t size);

/* The value of key as an unsigned number, or def when absent or malformed. */
unsigned long cmdline_get_ulong(const char *key, unsigned long def);

/* True when booted with test=...: panics then exit QEMU instead of halting. */
bool cmdline_test_mode(void);

#endif
