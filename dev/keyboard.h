/*
 * The PS/2 keyboard: its interrupt puts raw scancodes (set 1, as the
 * controller translates them) in a kernel queue; decoding lives in Wasm.
 */
#ifndef DEV_KEYBOARD_H
#define DEV_KEYBOARD_H

#include <stdint.h>

void keyboard_init(void);

#endif
