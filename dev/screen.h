/*
 * The screen as 80x25 text cells, the same on every machine: one cell is a
 * 16-bit value, character byte (code page 437) | attribute byte << 8, in
 * the VGA's layout: attribute bits 0-3 the foreground colour, bits 4-7 the
 * background colour (16 background colours: bit 7 is brightness, never
 * blink). Cell (row, col) is at index row * SCREEN_COLS + col.
 *
 * Booted in VGA text mode, the cells are the VGA text buffer itself and a
 * write shows at once. On a linear framebuffer (UEFI) they are a kernel
 * buffer that screen_refresh() draws with the built-in 8x16 font, the grid
 * centred in the mode; a write shows at the next refresh.
 */
#ifndef DEV_SCREEN_H
#define DEV_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#define SCREEN_COLS  80
#define SCREEN_ROWS  25
#define SCREEN_CELLS (SCREEN_COLS * SCREEN_ROWS)
#define SCREEN_BYTES (SCREEN_CELLS * 2)     /* 4000 */

/* A blank cell: a space, light grey on black. */
#define SCREEN_BLANK 0x0720

enum screen_kind { SCREEN_NONE, SCREEN_VGA_TEXT, SCREEN_FRAMEBUFFER };

/* Finds the screen from the boot information, clears it and attaches the
 * kernel log to it (dev/console.h). Called once, first in platform_init,
 * after mm_init (it maps device memory). Without a usable screen, the log
 * stays on serial only and screen_cells() is NULL. */
void screen_init(void);

enum screen_kind screen_kind(void);

/* The SCREEN_CELLS cells (SCREEN_BYTES bytes), or NULL when there is no
 * screen. The memory stays valid and at this address for the kernel's
 * lifetime; anyone may read and write it (a memory area handed to
 * userboot, say). In framebuffer mode it is one page-aligned page of its
 * own, of which the first SCREEN_BYTES are cells. */
uint16_t *screen_cells(void);

/* Makes the display show the cells and the cursor: in framebuffer mode it
 * redraws the cells that changed since the last refresh (nothing to do
 * costs one pass comparing 2000 cells); in text mode there is nothing to
 * do. Callable from any context, interrupt handlers included, on any CPU:
 * a refresh asked for while another runs is done by that one before it
 * returns. Meant for the timer tick. */
void screen_refresh(void);

/* For the timer tick (interrupt context): the framebuffer console is
 * redrawn every other tick, 50 times a second at the default rate (text
 * mode needs nothing). */
void screen_tick(void);

/* For the panic path, which may have interrupted a refresh on this CPU:
 * forgets it, so the next refresh (the report's lines) draws. */
void screen_break_lock(void);

/* Places the text cursor (an underline) on a cell; a row or column out of
 * range hides it. Takes effect at once in text mode, at the next refresh on
 * a framebuffer. */
void screen_set_cursor(int row, int col);

struct fb_target;

/* For tests: the framebuffer's geometry (NULL in text mode), and how many
 * cells refreshes have drawn since boot. */
const struct fb_target *screen_fb_target(void);
uint64_t screen_cells_drawn(void);

#endif
