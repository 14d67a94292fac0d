/*
 * The console: cells[] is the screen's image; drawing changes it and marks
 * rows dirty, and con_flush copies the dirty rows to the screen VMA in one
 * vma_write. The events (init, tick, a key) end with a flush, so the kernel
 * is called once per event however much was drawn.
 */
#include "user/userboot/console.h"

#include <stdarg.h>
#include <stdint.h>

#define ATTR_TEXT 0x07   /* light grey on black */
#define ATTR_TITLE 0x1F  /* white on blue */
#define ATTR_CURSOR 0x70 /* black on light grey: the block cursor */
#define SPINNER_COL (CON_COLS - 2)
#define ROW_BYTES (CON_COLS * 2)
#define SCREEN_BYTES (CON_ROWS * ROW_BYTES)
#define LOG_LINE_MAX 256

static uint8_t cells[CON_ROWS][CON_COLS][2];
static atoll_handle screen = -1; /* -1: no screen, log only */
static int row = CON_TEXT_TOP, col;
static int dirty_lo = CON_ROWS, dirty_hi = -1; /* rows to flush */

/* The line being mirrored to the serial log. */
static char log_line[LOG_LINE_MAX];
static int log_len;

/* The serial terminal: the channel to its driver, or -1 (the log), and
 * the bytes not yet sent. */
static atoll_handle term = -1;
static bool term_on;
static uint8_t term_buf[CON_TERM_BUF];
static uint32_t term_len;
static uint64_t term_dropped;

_Static_assert(sizeof cells == SCREEN_BYTES, "cells must match the screen layout");

static void mark(int r)
{
    if (r < dirty_lo)
        dirty_lo = r;
    if (r > dirty_hi)
        dirty_hi = r;
}

static void put_cell(int r, int c, char ch, uint8_t attr)
{
    cells[r][c][0] = (uint8_t)ch;
    cells[r][c][1] = attr;
    mark(r);
}

static void clear_row(int r, uint8_t attr)
{
    for (int c = 0; c < CON_COLS; c++)
        put_cell(r, c, ' ', attr);
}

static void cursor(bool on)
{
    cells[row][col][1] = on ? ATTR_CURSOR : ATTR_TEXT;
    mark(row);
}

static void log_flush(void)
{
    if (log_len > 0)
        atoll_log_write(ATOLL_SELF, atoll_off(log_line), log_len);
    log_len = 0;
}

static void log_putc(char c)
{
    if (c == '\b') {
        if (log_len > 0)
            log_len--;
        return;
    }
    if (log_len == LOG_LINE_MAX)
        log_flush(); /* a line longer than the buffer goes out in pieces */
    log_line[log_len++] = c;
    if (c == '\n')
        log_flush();
}

static void term_put(const char *s, uint32_t n)
{
    if (term_len + n > CON_TERM_BUF) {
        term_dropped += n;
        return;
    }
    memcpy(term_buf + term_len, s, n);
    term_len += n;
}

static void term_putc(char c)
{
    if (c == '\n')
        term_put("\r\n", 2);
    else if (c == '\b')
        term_put("\b \b", 3);
    else
        term_put(&c, 1);
}

void con_term_attach(atoll_handle ch)
{
    term = ch;
    term_on = ch >= 0;
    if (!term_on)
        term_len = 0;     /* the log has had none of it: it starts afresh */
}

uint32_t con_term_room(void)
{
    return term_on ? CON_TERM_BUF - term_len : UINT32_MAX / 2;
}

/* Sends what the terminal has not had, in one message; on a full queue,
 * or with the driver gone, it waits for the next flush or driver. */
static void term_flush(void)
{
    if (!term_on || term < 0 || term_len == 0)
        return;
    if (atoll_channel_write(term, ATOLL_SELF, atoll_off(term_buf), term_len, -1, -1, -1, -1) ==
        ATOLL_OK)
        term_len = 0;
    if (term_dropped) {
        static char note[64];
        int n = fmt_snprintf(note, sizeof note, "\r\n[%llu bytes of output dropped]\r\n",
                             (unsigned long long)term_dropped);
        term_dropped = 0;
        term_put(note, (uint32_t)n);
    }
}

static void newline(void)
{
    col = 0;
    if (row < CON_ROWS - 1) {
        row++;
        return;
    }
    memmove(cells[CON_TEXT_TOP], cells[CON_TEXT_TOP + 1],
            (CON_ROWS - 1 - CON_TEXT_TOP) * ROW_BYTES);
    clear_row(CON_ROWS - 1, ATTR_TEXT);
    mark(CON_TEXT_TOP);
}

bool con_init(atoll_handle scr)
{
    int64_t size = 0;
    for (int r = 0; r < CON_ROWS; r++)
        clear_row(r, r < CON_TEXT_TOP ? ATTR_TITLE : ATTR_TEXT);
    row = CON_TEXT_TOP;
    col = 0;
    cursor(true);
    if (atoll_handle_kind(scr) != ATOLL_KIND_VMA ||
        atoll_vma_size(scr, &size) != ATOLL_OK || size < SCREEN_BYTES) {
        screen = -1;
        return false;
    }
    screen = scr;
    return true;
}

void con_title(const char *text)
{
    for (int c = 0; c < SPINNER_COL; c++)
        put_cell(0, c, ' ', ATTR_TITLE);
    for (int c = 1; c < SPINNER_COL - 1 && *text; c++)
        put_cell(0, c, *text++, ATTR_TITLE);
}

void con_spinner(char c)
{
    put_cell(0, SPINNER_COL, c, ATTR_TITLE);
}

void con_putc(char c)
{
    if (c != '\n' && c != '\b' && (c < 0x20 || c > 0x7E))
        c = '?';
    if (term_on)
        term_putc(c);
    else
        log_putc(c);
    cursor(false);
    if (c == '\n') {
        newline();
    } else if (c == '\b') {
        if (col > 0)
            put_cell(row, --col, ' ', ATTR_TEXT);
    } else {
        put_cell(row, col, c, ATTR_TEXT);
        if (++col == CON_COLS)
            newline();
    }
    cursor(true);
}

void con_write(const char *s)
{
    while (*s)
        con_putc(*s++);
}

static void fmt_putc(char c, void *ctx)
{
    (void)ctx;
    con_putc(c);
}

void con_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(fmt_putc, 0, fmt, ap);
    va_end(ap);
}

int con_col(void)
{
    return col;
}

void con_clear(void)
{
    for (int r = CON_TEXT_TOP; r < CON_ROWS; r++)
        clear_row(r, ATTR_TEXT);
    row = CON_TEXT_TOP;
    col = 0;
    cursor(true);
}

int32_t con_flush(void)
{
    term_flush();
    if (screen < 0 || dirty_hi < dirty_lo)
        return ATOLL_OK;
    int32_t r = atoll_vma_write(ATOLL_SELF, screen, atoll_off(cells[dirty_lo]),
                                (int64_t)dirty_lo * ROW_BYTES,
                                (int64_t)(dirty_hi - dirty_lo + 1) * ROW_BYTES);
    dirty_lo = CON_ROWS;
    dirty_hi = -1;
    return r;
}
