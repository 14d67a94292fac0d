/*
 * What the parts of userboot share: the version and the event counters
 * kept by main.c.
 */
#ifndef USERBOOT_H
#define USERBOOT_H

#include <stdint.h>

#define USERBOOT_VERSION "0.1"

/* Timer events seen since init. */
uint64_t userboot_ticks(void);

#endif
