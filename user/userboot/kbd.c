/*
 * PS/2 scancode set 1 decoding. A make code is the key number (bit 7
 * clear), its break code the same with bit 7 set. 0xE0 prefixes one byte of
 * the extended keys (arrows, right Ctrl, keypad Enter...), 0xE1 prefixes
 * two (Pause). The byte after a prefix never reads as a key of its own
 * (0xE0 0x48, Up, is not '8' on the keypad): only the Up and Down make
 * codes mean something after 0xE0; everything else prefixed is swallowed
 * (fake shifts of Print Screen, right Ctrl, keypad Enter...).
 */
#include "user/userboot/kbd.h"

#define SC_LCTRL 0x1D
#define SC_LSHIFT 0x2A
#define SC_RSHIFT 0x36
#define SC_CAPS 0x3A
#define SC_C 0x2E
#define SC_D 0x20
#define SC_UP 0x48   /* after 0xE0 */
#define SC_DOWN 0x50 /* after 0xE0 */
#define SC_BREAK 0x80
#define SC_E0 0xE0
#define SC_E1 0xE1

/* US layout, make codes 0x00..0x39; 0 where the key has no character. */
static const char plain[0x3A] = {
    0, 0, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', 0,
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm', ',', '.', '/', 0, 0, 0, ' ',
};
static const char shifted[0x3A] = {
    0, 0, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', 0,
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0, 'A', 'S',
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M', '<', '>', '?', 0, 0, 0, ' ',
};

int kbd_feed(struct kbd *k, int32_t scancode)
{
    if (scancode < 0 || scancode > 0xFF)
        return KBD_NONE;
    uint8_t sc = (uint8_t)scancode;
    if (k->skip) {
        k->skip--;
        return KBD_NONE;
    }
    if (k->e0) {
        k->e0 = false;
        return sc == SC_UP ? KBD_UP : sc == SC_DOWN ? KBD_DOWN : KBD_NONE;
    }
    if (sc == SC_E0) {
        k->e0 = true;
        return KBD_NONE;
    }
    if (sc == SC_E1) {
        k->skip = 2;
        return KBD_NONE;
    }
    bool down = !(sc & SC_BREAK);
    uint8_t key = sc & (uint8_t)~SC_BREAK;
    switch (key) {
    case SC_LSHIFT: k->lshift = down; return KBD_NONE;
    case SC_RSHIFT: k->rshift = down; return KBD_NONE;
    case SC_LCTRL:  k->ctrl = down;   return KBD_NONE;
    case SC_CAPS:
        if (down)
            k->caps = !k->caps;
        return KBD_NONE;
    }
    if (down && k->ctrl && key == SC_C)
        return KBD_INTR;
    if (down && k->ctrl && key == SC_D)
        return KBD_EOF;
    if (!down || key >= sizeof plain || k->ctrl)
        return KBD_NONE;
    bool shift = k->lshift || k->rshift;
    char c = plain[key];
    /* Caps Lock shifts letters only, and Shift undoes it. */
    if (c >= 'a' && c <= 'z' && k->caps)
        shift = !shift;
    return shift ? shifted[key] : c;
}
