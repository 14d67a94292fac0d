/* linux_trap.h: the registry of sealed code regions that the Linux fault
 * handler searches (linux_trap.c), for linux_memory.c. */
#ifndef ATOLL_HOST_LINUX_TRAP_H
#define ATOLL_HOST_LINUX_TRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Records [p, p + size) with the engine's owner cookie, and installs the
 * fault handlers on first use. False when out of memory. */
bool linux_trap_register(void *p, size_t size, void *owner);
/* Forgets the region starting at p (no-op if unknown). */
void linux_trap_unregister(void *p);
/* Interrupts the running call ("interrupted" trap) after ms milliseconds
 * of wall time. False if the timer cannot be set. */
bool linux_trap_timeout(unsigned ms);
/* Optional: for a fault outside compiled code, the name of the thread
 * whose stack guard page holds the address (NULL: none), reported before
 * the default action (host/host_thread.h: host_thread_describe_fault).
 * Called in the signal handler. */
extern const char *(*linux_trap_describe)(uintptr_t addr);

#endif
