/*
 * Input from a serial terminal (the uart driver's bytes): what a VT100-
 * style terminal sends for the keys the shell knows, decoded to the same
 * values as the keyboard's (kbd.h): Enter ('\r', '\n', or "\r\n" as one),
 * Backspace (DEL or BS), Ctrl+C, Ctrl+D, the Up and Down arrows (ESC [ A,
 * ESC [ B, or ESC O A/B in application mode). Other escape sequences are
 * swallowed whole; other control bytes are ignored.
 */
#ifndef USERBOOT_TERM_H
#define USERBOOT_TERM_H

#include <stdbool.h>
#include <stdint.h>

struct term_in {
    uint8_t esc;    /* 0; 1 after ESC; 2 inside ESC [ or ESC O */
    bool cr;        /* the last byte was '\r' */
};

/* The key one byte makes (a char, '\n', '\b', KBD_INTR, KBD_EOF, KBD_UP,
 * KBD_DOWN) or KBD_NONE. */
int term_feed(struct term_in *t, uint8_t byte);

#endif
