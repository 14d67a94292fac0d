/*
 * PS/2 scancode set 1 to characters, for userboot. The keyboard driver
 * (user/drivers/ps2kbd) hands over raw bytes as the controller (with
 * translation) delivers them; all key state lives here.
 */
#ifndef USERBOOT_KBD_H
#define USERBOOT_KBD_H

#include <stdbool.h>
#include <stdint.h>

/* Non-character results of kbd_feed. */
enum {
    KBD_NONE = 0,
    KBD_INTR = 0x03,  /* Ctrl+C (ETX) */
    KBD_EOF = 0x04,   /* Ctrl+D (EOT) */
    KBD_UP = 0x100,   /* the Up arrow (0xE0 0x48) */
    KBD_DOWN = 0x101, /* the Down arrow (0xE0 0x50) */
};

struct kbd {
    bool lshift, rshift; /* held */
    bool ctrl;           /* left Ctrl held (a prefixed right Ctrl is ignored) */
    bool caps;           /* Caps Lock toggled on */
    bool e0;             /* the next byte follows an 0xE0 prefix */
    uint8_t skip;        /* bytes still to swallow after an 0xE1 prefix */
};

/* Feeds one byte. Returns the character it completes: printable ASCII,
 * '\n' (Enter), '\b' (Backspace), KBD_INTR (Ctrl+C), KBD_UP and KBD_DOWN
 * (the arrows' make codes); or KBD_NONE for modifiers, break codes, other
 * prefixed (0xE0, 0xE1) sequences, other Ctrl chords and keys with no
 * character. Values outside 0..255 are ignored. */
int kbd_feed(struct kbd *k, int32_t scancode);

#endif
