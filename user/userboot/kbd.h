/*
 * PS/2 scancode set 1 to characters: the keyboard driver of userboot.
 * The kernel hands over raw bytes as the controller (with translation)
 * delivers them; all key state lives here.
 */
#ifndef USERBOOT_KBD_H
#define USERBOOT_KBD_H

#include <stdbool.h>
#include <stdint.h>

/* Non-character results of kbd_feed. */
enum { KBD_NONE = 0 };

struct kbd {
    bool lshift, rshift; /* held */
    bool ctrl;           /* left Ctrl held (a prefixed right Ctrl is ignored) */
    bool caps;           /* Caps Lock toggled on */
    uint8_t skip;        /* bytes still to swallow after an 0xE0/0xE1 prefix */
};

/* Feeds one byte. Returns the character it completes: printable ASCII,
 * '\n' (Enter), '\b' (Backspace), or KBD_NONE for modifiers, break codes,
 * prefixed (0xE0, 0xE1) sequences, Ctrl chords and keys with no character.
 * Values outside 0..255 are ignored. */
int kbd_feed(struct kbd *k, int32_t scancode);

#endif
