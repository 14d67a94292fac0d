/*
 * The PS/2 keyboard: its interrupt (ISA IRQ 1) puts raw scancodes, set 1
 * as the controller translates them, make and break codes and 0xe0/0xe1
 * prefixes as they come, into a fixed-size kernel queue. Decoding lives
 * in Wasm, not here.
 *
 * The queue never blocks the interrupt: when it is full, new codes are
 * dropped and counted. Readers may be any kernel thread (the lock masks
 * interrupts while held), never the interrupt handler itself.
 */
#ifndef DEV_KEYBOARD_H
#define DEV_KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

#define KEYBOARD_QUEUE_SIZE 256     /* codes; a power of two */

/* Sets up the i8042 and routes IRQ 1 (needs intc_init and clock_init).
 * Returns 0, or -1 (logged) when there is no keyboard controller: the
 * queue then simply stays empty. */
int keyboard_init(void);

bool keyboard_present(void);

/* Takes the oldest scancode; false when the queue is empty. */
bool keyboard_pop(uint8_t *code);

/* Like keyboard_pop, but halts the CPU until a code arrives or timeout_ns
 * (of clock_ns) has passed; false on timeout. Needs interrupts enabled
 * around the call and a running timer (or it waits for the next key). */
bool keyboard_wait(uint8_t *code, uint64_t timeout_ns);

/* Codes currently queued. */
unsigned keyboard_pending(void);

struct keyboard_stats {
    uint64_t received;      /* codes the interrupt handler saw */
    uint64_t dropped;       /* of those, lost because the queue was full */
    uint64_t aux_discarded; /* mouse-port bytes thrown away */
};
void keyboard_get_stats(struct keyboard_stats *st);

/* Called from the interrupt handler after codes were queued (e.g. to wake
 * the component that consumes keys); interrupt context, keep it short.
 * NULL removes it. */
void keyboard_set_notify(void (*fn)(void));

/* Empties the queue (tests, or a consumer starting afresh). */
void keyboard_flush(void);

#endif
