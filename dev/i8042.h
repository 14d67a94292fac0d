/*
 * The i8042 PS/2 controller, keyboard port only. Set up so that the
 * keyboard speaks scancode set 2 and the controller translates it to set
 * 1 (what a PC delivers and what Atoll's programs expect). The mouse port
 * is disabled. Every wait has a deadline: a missing or silent controller
 * is an error value, never a hang.
 */
#ifndef DEV_I8042_H
#define DEV_I8042_H

#include <stdbool.h>
#include <stdint.h>

/* Brings the controller and keyboard up with the controller's IRQ 1
 * output still off. Returns 0, or -1 (logged) when there is no working
 * controller. A controller without a keyboard answering is 0 with a
 * warning: the port stays enabled for one plugged in later. */
int i8042_init(void);

/* Turns the keyboard interrupt output (IRQ 1) on or off. */
int i8042_set_irq(bool on);

/* Reads one byte if the output buffer holds one. *from_aux is set for
 * bytes from the mouse port (to be discarded). */
bool i8042_read(uint8_t *byte, bool *from_aux);

/* Test helper: makes the controller deliver `byte` as if the keyboard had
 * sent it (command 0xd2), raising IRQ 1 when enabled. Waits until the byte
 * has been taken from the output buffer. Returns 0, or -1 on timeout. */
int i8042_inject(uint8_t byte);

#endif
