/* linux_trap.h: the registry of sealed code regions that the Linux fault
 * handler searches (linux_trap.c), for linux_memory.c. */
#ifndef ATOLL_HOST_LINUX_TRAP_H
#define ATOLL_HOST_LINUX_TRAP_H

#include <stdbool.h>
#include <stddef.h>

/* Records [p, p + size) with the engine's owner cookie, and installs the
 * fault handlers on first use. False when out of memory. */
bool linux_trap_register(void *p, size_t size, void *owner);
/* Forgets the region starting at p (no-op if unknown). */
void linux_trap_unregister(void *p);
/* Interrupts the running call ("interrupted" trap) after ms milliseconds
 * of wall time. False if the timer cannot be set. */
bool linux_trap_timeout(unsigned ms);

#endif
