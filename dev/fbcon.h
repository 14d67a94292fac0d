/*
 * Text cells drawn onto a linear framebuffer: the 80x25 grid of 8x16
 * glyphs (dev/font.h), centred in the mode, in the 16 VGA colours. Any
 * pitch, 2, 3 or 4 bytes per pixel, any channel layout the loader reports.
 *
 * A struct fbcon keeps a shadow of the cells last drawn, so fbcon_sync
 * redraws only cells that changed. It touches nothing but its own state and
 * the pixels: callers serialize calls on one fbcon (dev/screen.c does).
 * Tests run it on framebuffers of their own in kernel memory.
 */
#ifndef DEV_FBCON_H
#define DEV_FBCON_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"
#include "dev/screen.h"

_Static_assert(SCREEN_CELLS % 4 == 0, "fbcon_sync compares cells four at a time");

/* The VGA palette as 8-bit R, G, B, indexed by colour 0..15. */
extern const uint8_t vga_palette_rgb[16][3];

struct fb_target {
    uint8_t *base;              /* virtual address of pixel (0, 0) */
    uint32_t pitch;             /* bytes from one scan line to the next */
    uint32_t width, height;     /* in pixels */
    uint32_t bytes_pp;          /* 2, 3 or 4 */
    uint32_t origin_x, origin_y;    /* top-left pixel of cell (0, 0) */
    uint32_t palette[16];       /* VGA colours as pixel values */
    uint16_t pens_attr;         /* the attribute pens holds, or PENS_NONE */
    uint8_t pens[16][16];       /* 4 pixels, as stored, per 4-bit glyph pattern */
};

#define PENS_NONE 0xffff

struct fbcon {
    struct fb_target t;
    bool shadow_valid;          /* false: the next sync redraws every cell */
    int cursor_drawn;           /* cell index the cursor is drawn on, or -1 */
    uint16_t shadow[SCREEN_CELLS];  /* the cells as last drawn */
};

/* Fills t for the framebuffer fb mapped at base (NULL to check the mode
 * before mapping it; set t->base after). Fails (-1) when the mode
 * cannot hold 80x25 cells of 8x16 pixels, or its pixel format is not RGB
 * with 2, 3 or 4 bytes per pixel; t is then unusable. */
int fbcon_target_init(struct fb_target *t, void *base, const struct framebuffer *fb);

/* Starts an fbcon on a target: nothing drawn yet, first sync draws all. */
void fbcon_init(struct fbcon *c, const struct fb_target *t);

/* Paints the whole framebuffer black (what the loader left is gone), which
 * is how cells of SCREEN_BLANK look: the next sync draws only other cells. */
void fbcon_clear(struct fbcon *c);

/* Draws one cell (character | attribute << 8); with underline, the two
 * bottom pixel rows take the foreground colour (the text cursor). */
void fbcon_draw_cell(struct fb_target *t, unsigned index, uint16_t cell, bool underline);

/* Brings the pixels up to date with cells (SCREEN_CELLS of them) and the
 * cursor cell index (negative: none). Returns how many cells it drew. */
unsigned fbcon_sync(struct fbcon *c, const volatile uint16_t *cells, int cursor);

#endif
