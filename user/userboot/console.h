/*
 * The text console of userboot: the 80x25 screen (a VMA of character and
 * attribute bytes) drawn from a cell buffer in this program's memory, with a
 * title bar on row 0 and a scrolling text area below. Every character that
 * reaches the text area is mirrored to a serial terminal when there is one
 * (the uart driver: con_term_attach), as a terminal shows it, at once;
 * otherwise to the serial log, one line per log_write, so the serial log
 * reads like the screen.
 */
#ifndef USERBOOT_CONSOLE_H
#define USERBOOT_CONSOLE_H

#include <stdbool.h>

#include "user/sdk/atoll.h"

#define CON_COLS 80
#define CON_ROWS 25
#define CON_TEXT_TOP 1 /* row 0 is the title bar */

/* Takes screen as the screen if it is a VMA of at least 80x25x2 bytes, and
 * returns true; otherwise the console only writes to the serial log. */
bool con_init(atoll_handle screen);

/* Draws text on the title bar (cut to fit; the spinner cell is kept). */
void con_title(const char *text);
/* Draws c in the spinner cell, the right end of the title bar. */
void con_spinner(char c);

/* Writes to the text area at the cursor: '\n' ends the line, '\b' erases
 * the character before the cursor on this row, a full row wraps, the last
 * row scrolls. Other control bytes show as '?'. */
void con_putc(char c);
void con_write(const char *s);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The cursor's column (0 at the start of a row). */
int con_col(void);

/* Empties the text area and puts the cursor at its top left. */
void con_clear(void);

/* Copies the rows changed since the last flush to the screen: one
 * vma_write, and what the terminal has not been sent yet: one message.
 * Returns the screen's result (ATOLL_OK with nothing to do). */
int32_t con_flush(void);

/* Mirrors the text area to a serial terminal from now on: its bytes
 * ('\n' as "\r\n", '\b' as "\b \b") go as messages on channel ch
 * (the uart driver's), no more to the log. Bytes the terminal has not
 * taken are kept (CON_TERM_BUF of them) and go to the next channel
 * attached. ch -1: no terminal, the log again. */
#define CON_TERM_BUF 32768
void con_term_attach(atoll_handle ch);

/* Bytes the terminal's buffer can still take: a writer that can wait
 * (a job's output) takes no more than this, so nothing is lost. With no
 * terminal, UINT32_MAX / 2: no limit. */
uint32_t con_term_room(void);

#endif
