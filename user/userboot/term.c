/* Terminal input decoding (see term.h). */
#include "user/userboot/term.h"

#include "user/userboot/kbd.h"

#define ESC 0x1b
#define DEL 0x7f

int term_feed(struct term_in *t, uint8_t b)
{
    bool after_cr = t->cr;
    t->cr = false;
    if (t->esc == 1) {
        t->esc = (b == '[' || b == 'O') ? 2 : 0;
        return KBD_NONE;
    }
    if (t->esc == 2) {
        /* Parameters and intermediates go by; a final byte ends it. */
        if (b >= 0x40 && b <= 0x7e) {
            t->esc = 0;
            return b == 'A' ? KBD_UP : b == 'B' ? KBD_DOWN : KBD_NONE;
        }
        if (b < 0x20 || b > 0x3f)
            t->esc = 0;         /* not a sequence after all: dropped */
        return KBD_NONE;
    }
    switch (b) {
    case ESC:
        t->esc = 1;
        return KBD_NONE;
    case '\r':
        t->cr = true;
        return '\n';
    case '\n':
        return after_cr ? KBD_NONE : '\n';
    case DEL:
    case '\b':
        return '\b';
    case KBD_INTR:
    case KBD_EOF:
        return b;
    }
    return b >= 0x20 && b < DEL ? b : KBD_NONE;
}
