/* user/userboot/term.c: what a serial terminal sends, decoded to the
 * shell's keys; and random bytes, which must only ever give keys the
 * shell knows. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "user/userboot/kbd.h"
#include "user/userboot/term.h"

/* Feeds s (n bytes) and writes the keys it gives to out; returns how many. */
static int feed(struct term_in *t, const char *s, size_t n, int *out)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = term_feed(t, (uint8_t)s[i]);
        if (c != KBD_NONE)
            out[k++] = c;
    }
    return k;
}

#define KEYS(text, ...)                                                      \
    do {                                                                     \
        struct term_in t_ = { 0 };                                           \
        int got_[64], want_[] = { __VA_ARGS__ };                              \
        int n_ = feed(&t_, text, sizeof text - 1, got_);                     \
        CHECK(n_ == (int)(sizeof want_ / sizeof want_[0]));                  \
        for (int i_ = 0; i_ < n_ && i_ < (int)(sizeof want_ / sizeof want_[0]); i_++) \
            CHECK(got_[i_] == want_[i_]);                                    \
    } while (0)

TEST(term_keys)
{
    KEYS("ls\r", 'l', 's', '\n');
    KEYS("a\nb", 'a', '\n', 'b');
    KEYS("a\r\nb", 'a', '\n', 'b');               /* CR LF is one Enter */
    KEYS("\r\r", '\n', '\n');
    KEYS("ab\x7f\b", 'a', 'b', '\b', '\b');        /* DEL and BS */
    KEYS("\x03\x04", KBD_INTR, KBD_EOF);
    KEYS("\x1b[A\x1b[B", KBD_UP, KBD_DOWN);
    KEYS("\x1bOA\x1bOB", KBD_UP, KBD_DOWN);        /* application mode */
    KEYS("\x1b[1;5Ax", KBD_UP, 'x');               /* Ctrl+Up: an Up with parameters */
    KEYS("\x1b[C\x1b[D\x1b[3~y", 'y');             /* right, left, Delete */
}

TEST(term_escape_then_text)
{
    /* ESC then a letter that does not open a sequence: both dropped. */
    struct term_in t = { 0 };
    int out[8];
    CHECK(feed(&t, "\x1bxq", 3, out) == 1 && out[0] == 'q');
    /* A sequence cut by a control byte ends there. */
    t = (struct term_in){ 0 };
    CHECK(feed(&t, "\x1b[1\nz", 5, out) == 1 && out[0] == 'z');
    /* Tab and other control bytes give nothing. */
    t = (struct term_in){ 0 };
    CHECK(feed(&t, "\t\x01\x1f\x80\xff", 5, out) == 0);
}

TEST(term_random_bytes)
{
    srand(18);
    struct term_in t = { 0 };
    for (int i = 0; i < 200000; i++) {
        int c = term_feed(&t, (uint8_t)rand());
        bool known = c == KBD_NONE || c == '\n' || c == '\b' || c == KBD_INTR ||
                     c == KBD_EOF || c == KBD_UP || c == KBD_DOWN || (c >= 0x20 && c < 0x7f);
        CHECK(known);
        CHECK(t.esc <= 2);
    }
}
