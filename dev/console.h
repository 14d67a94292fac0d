/*
 * The kernel's text console on the screen cells (dev/screen.h): a cursor
 * that advances, wraps at the right edge and scrolls at the bottom, in a
 * current colour. It is the kernel log's second sink (base/log.h), so the
 * banner and the log show on screen.
 *
 * Understood: '\n' (next line, column 0), '\r' (column 0), '\t' (next
 * multiple of 8), '\b' (one column back, nothing erased), and the ANSI
 * colour sequences ESC [ n;...;n m with n in 0 (reset), 1 (bright), 22,
 * 30-37, 39, 40-47, 49, 90-97, 100-107. Any other byte is drawn as its
 * code page 437 glyph; other escape sequences are swallowed.
 *
 * Not reentrant: callers serialize (the log does, under its lock). Every
 * '\n' refreshes the screen, so complete lines show without a timer.
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Clears the screen, homes the cursor and attaches to the kernel log.
 * Called by screen_init once the cells exist. */
void console_init(void);

/* Stops mirroring the log on screen and hides the cursor: the cells then
 * belong to whoever they are handed to (userboot). console_putc still
 * works when called directly. */
void console_detach(void);

/* Mirrors the log on screen again, from where the console's cursor was,
 * without clearing: for the panic path, so that its report shows even
 * when a program owns the screen. */
void console_attach(void);

void console_putc(char c);
void console_write(const char *s, size_t n);

/* The attribute new characters get (see dev/screen.h); default 0x07. */
void console_set_attr(uint8_t attr);
uint8_t console_attr(void);

/* Where the next character goes; col is SCREEN_COLS when the row is full
 * and the wrap waits for the next character. */
void console_get_cursor(int *row, int *col);

/* Blanks the screen in the current colour and homes the cursor. */
void console_clear(void);

#endif
