/*
 * The kernel console: a writer of cells with a cursor. It owns no lock
 * (see console.h): the log calls it under its own, which the panic path
 * breaks, so a panic report still reaches the screen.
 */
#include "dev/console.h"

#include <stdbool.h>

#include "dev/screen.h"
#include "base/log.h"

#define DEFAULT_ATTR 0x07
#define ESC_MAX_PARAMS 8

/* col == SCREEN_COLS means the row is full and the wrap is pending: it
 * happens at the next character drawn, so that a line of exactly 80
 * characters and its '\n' take one row, not two. */
static int row, col;
static uint8_t attr = DEFAULT_ATTR;

/* ANSI escape parsing: ESC seen, then '[' seen with parameters so far. */
static enum { ESC_NONE, ESC_START, ESC_CSI } esc;
static unsigned esc_param[ESC_MAX_PARAMS];
static int esc_nparams;

static uint16_t blank(void)
{
    return (uint16_t)(' ' | attr << 8);
}

static void scroll(uint16_t *cells)
{
    for (int i = 0; i < SCREEN_CELLS - SCREEN_COLS; i++)
        cells[i] = cells[i + SCREEN_COLS];
    for (int i = SCREEN_CELLS - SCREEN_COLS; i < SCREEN_CELLS; i++)
        cells[i] = blank();
}

static void newline(uint16_t *cells)
{
    col = 0;
    if (++row == SCREEN_ROWS) {
        scroll(cells);
        row = SCREEN_ROWS - 1;
    }
}

/* One SGR parameter; colours are given in ANSI order, VGA's differs. */
static void sgr(unsigned n)
{
    static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
    if (n == 0)
        attr = DEFAULT_ATTR;
    else if (n == 1)
        attr |= 0x08;
    else if (n == 22)
        attr &= ~0x08;
    else if (n >= 30 && n <= 37)
        attr = (uint8_t)((attr & 0xf8) | ansi_to_vga[n - 30]);
    else if (n == 39)
        attr = (uint8_t)((attr & 0xf0) | (DEFAULT_ATTR & 0x0f));
    else if (n >= 40 && n <= 47)
        attr = (uint8_t)((attr & 0x0f) | ansi_to_vga[n - 40] << 4);
    else if (n == 49)
        attr = (uint8_t)((attr & 0x0f) | (DEFAULT_ATTR & 0xf0));
    else if (n >= 90 && n <= 97)
        attr = (uint8_t)((attr & 0xf0) | ansi_to_vga[n - 90] | 0x08);
    else if (n >= 100 && n <= 107)
        attr = (uint8_t)((attr & 0x0f) | (ansi_to_vga[n - 100] | 0x08) << 4);
}

/* Consumes c if it belongs to an escape sequence. */
static bool escape(char c)
{
    if (esc == ESC_NONE) {
        if (c != '\033')
            return false;
        esc = ESC_START;
        return true;
    }
    if (esc == ESC_START) {
        if (c == '[') {
            esc = ESC_CSI;
            esc_nparams = 0;
            esc_param[0] = 0;
        } else {
            esc = ESC_NONE;
        }
        return true;
    }
    if (c >= '0' && c <= '9') {
        if (esc_nparams == 0)
            esc_nparams = 1;
        unsigned *p = &esc_param[esc_nparams - 1];
        if (*p < 1000)
            *p = *p * 10 + (unsigned)(c - '0');
    } else if (c == ';') {
        if (esc_nparams == 0)
            esc_nparams = 1;
        if (esc_nparams < ESC_MAX_PARAMS)
            esc_param[esc_nparams++] = 0;
    } else if ((unsigned char)c >= 0x40 && (unsigned char)c <= 0x7e) {
        /* The final byte ends the sequence; only 'm' means something here. */
        if (c == 'm') {
            if (esc_nparams == 0)
                sgr(0);
            for (int i = 0; i < esc_nparams; i++)
                sgr(esc_param[i]);
        }
        esc = ESC_NONE;
    }
    return true;
}

void console_putc(char c)
{
    uint16_t *cells = screen_cells();
    if (!cells || escape(c))
        return;
    switch (c) {
    case '\n':
        newline(cells);
        break;
    case '\r':
        col = 0;
        break;
    case '\t':
        if (col == SCREEN_COLS)
            newline(cells);
        col = (col + 8) & ~7;
        break;
    case '\b':
        if (col > 0)
            col--;
        break;
    default:
        if (col == SCREEN_COLS)
            newline(cells);
        cells[row * SCREEN_COLS + col++] = (uint16_t)((uint8_t)c | attr << 8);
        break;
    }
    screen_set_cursor(row, col < SCREEN_COLS ? col : SCREEN_COLS - 1);
    if (c == '\n')
        screen_refresh();
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

void console_set_attr(uint8_t a)
{
    attr = a;
}

uint8_t console_attr(void)
{
    return attr;
}

void console_get_cursor(int *r, int *c)
{
    *r = row;
    *c = col;
}

void console_clear(void)
{
    uint16_t *cells = screen_cells();
    if (!cells)
        return;
    for (int i = 0; i < SCREEN_CELLS; i++)
        cells[i] = blank();
    row = col = 0;
    screen_set_cursor(row, col);
    screen_refresh();
}

void console_init(void)
{
    attr = DEFAULT_ATTR;
    esc = ESC_NONE;
    console_clear();
    console_attach();
}

void console_attach(void)
{
    esc = ESC_NONE;
    screen_set_cursor(row, col < SCREEN_COLS ? col : SCREEN_COLS - 1);
    log_set_console(console_putc);
}

void console_detach(void)
{
    log_set_console(NULL);
    screen_set_cursor(-1, -1);
}
