/*
 * The device manager: userboot starts one driver (user/drivers) per
 * device it knows, each a component holding that device's capabilities
 * and nothing else (derived from the roots the kernel granted userboot:
 * a port range per register window, the device's interrupt line) and a
 * channel back to userboot; and it restarts a driver that traps or is
 * killed, with fresh capabilities, so the device works again. Today's
 * devices are the legacy ones every PC has: the PS/2 keyboard (its bytes
 * are scancodes, decoded by kbd.c) and COM1's 16550 (a serial terminal:
 * bytes typed come in, decoded by term.c; the console's mirror goes out).
 * docs/drivers.md.
 *
 * Driver channels are watched through the kernel's events_watch: their
 * input reaches the shell when it arrives (devices_ready), not at the
 * next tick.
 */
#ifndef USERBOOT_DEVICES_H
#define USERBOOT_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "user/sdk/atoll.h"

/* Starts the drivers found in the programs archive with capabilities
 * derived from ports and irqs (userboot's boot grants), after making
 * userboot's wait set and naming it to events_watch. Logs what it cannot
 * do; the shell works without any driver (atoll-coral types through
 * press_key). */
void devices_start(atoll_handle ports, atoll_handle irqs);

/* At every tick: moves drivers being loaded on, notices ended ones,
 * restarts them (at most DEVICES_RESTART_BURST quickly, then once every
 * DEVICES_RESTART_SLOW_S seconds while they keep failing). */
#define DEVICES_RESTART_BURST 5
#define DEVICES_RESTART_SLOW_S 2
void devices_tick(void);

/* userboot's ready event (events_watch): an entry of its wait set. */
void devices_ready(int64_t key, int32_t signals);

/* Prints one ps line per driver (jobs_ps_component), its running state
 * shown as "driver". */
void devices_ps(void);

/* Kills the driver whose component has id (a restart follows): true if
 * one has it. */
bool devices_kill(int64_t id, int32_t *result);

#endif
