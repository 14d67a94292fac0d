/*
 * Drawing text cells into a framebuffer. A glyph row (8 pixels) is built
 * in a small local buffer and stored as 64-bit words: 8 pixels of 2, 3 or
 * 4 bytes are 16, 24 or 32 bytes, always whole words, so every depth takes
 * the same path and the write-combining buffers see full-width stores.
 */
#include "dev/fbcon.h"

#include "dev/font.h"
#include "lib/string.h"

/* The colours of the VGA's default palette (the EGA 16). */
const uint8_t vga_palette_rgb[16][3] = {
    { 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0xaa }, { 0x00, 0xaa, 0x00 }, { 0x00, 0xaa, 0xaa },
    { 0xaa, 0x00, 0x00 }, { 0xaa, 0x00, 0xaa }, { 0xaa, 0x55, 0x00 }, { 0xaa, 0xaa, 0xaa },
    { 0x55, 0x55, 0x55 }, { 0x55, 0x55, 0xff }, { 0x55, 0xff, 0x55 }, { 0x55, 0xff, 0xff },
    { 0xff, 0x55, 0x55 }, { 0xff, 0x55, 0xff }, { 0xff, 0xff, 0x55 }, { 0xff, 0xff, 0xff },
};

/* Scan lines start at any byte (24 bpp): stores through this type make no
 * alignment promise to the compiler. */
typedef uint64_t __attribute__((aligned(1), may_alias)) u64_any;
typedef uint32_t __attribute__((aligned(1), may_alias)) u32_any;

#define GRID_W (SCREEN_COLS * FONT_WIDTH)
#define GRID_H (SCREEN_ROWS * FONT_HEIGHT)

/* An 8-bit channel value scaled to a field of size bits at pos. */
static uint32_t channel(uint8_t v, uint8_t pos, uint8_t size)
{
    if (size == 0)
        return 0;
    uint32_t x = size >= 8 ? (uint32_t)v << (size - 8) : (uint32_t)v >> (8 - size);
    return x << pos;
}

static bool field_fits(uint8_t pos, uint8_t size, uint32_t bits)
{
    return size <= 16 && pos + size <= bits;
}

int fbcon_target_init(struct fb_target *t, void *base, const struct framebuffer *fb)
{
    uint32_t bpp = (fb->bpp + 7) / 8;
    if (fb->kind != FB_RGB || bpp < 2 || bpp > 4 || fb->width < GRID_W || fb->height < GRID_H ||
        (uint64_t)fb->pitch < (uint64_t)fb->width * bpp)
        return -1;
    if (!field_fits(fb->red_pos, fb->red_size, bpp * 8) ||
        !field_fits(fb->green_pos, fb->green_size, bpp * 8) ||
        !field_fits(fb->blue_pos, fb->blue_size, bpp * 8))
        return -1;
    *t = (struct fb_target){
        .base = base,
        .pitch = fb->pitch,
        .width = fb->width,
        .height = fb->height,
        .bytes_pp = bpp,
        /* Centred, on whole pixels; screen readers (tests/qemu/screen_ocr.py)
         * find the grid with the same rule. */
        .origin_x = (fb->width - GRID_W) / 2,
        .origin_y = (fb->height - GRID_H) / 2,
        .pens_attr = PENS_NONE,
    };
    for (int i = 0; i < 16; i++)
        t->palette[i] = channel(vga_palette_rgb[i][0], fb->red_pos, fb->red_size) |
                        channel(vga_palette_rgb[i][1], fb->green_pos, fb->green_size) |
                        channel(vga_palette_rgb[i][2], fb->blue_pos, fb->blue_size);
    return 0;
}

void fbcon_init(struct fbcon *c, const struct fb_target *t)
{
    c->t = *t;
    c->shadow_valid = false;
    c->cursor_drawn = -1;
}

void fbcon_clear(struct fbcon *c)
{
    const struct fb_target *t = &c->t;
    /* Black is 0 in every RGB layout. */
    for (uint32_t y = 0; y < t->height; y++)
        memset(t->base + (uint64_t)y * t->pitch, 0, (size_t)t->width * t->bytes_pp);
    /* Blank cells (a space on black) are already drawn, if the font's
     * space is empty: a first full redraw would draw them again. */
    const uint8_t *space = font8x16[SCREEN_BLANK & 0xff];
    bool empty = true;
    for (int r = 0; r < FONT_HEIGHT; r++)
        empty &= space[r] == 0;
    for (int i = 0; i < SCREEN_CELLS; i++)
        c->shadow[i] = SCREEN_BLANK;
    c->shadow_valid = empty && (SCREEN_BLANK >> 12) == 0;
    c->cursor_drawn = -1;
}

/* Fills the pen table for attribute attr: the pixels, as stored, of each
 * 4-pixel pattern. Consecutive cells nearly always share their colours, so
 * one table is kept and rebuilt only when the attribute changes. */
static void load_pens(struct fb_target *t, uint8_t attr)
{
    if (t->pens_attr == attr)
        return;
    uint32_t fg = t->palette[attr & 0xf], bg = t->palette[attr >> 4];
    for (int p = 0; p < 16; p++)
        for (int i = 0; i < 4; i++) {
            uint32_t v = (p & (8 >> i)) ? fg : bg;
            memcpy(&t->pens[p][i * t->bytes_pp], &v, t->bytes_pp);
        }
    t->pens_attr = attr;
}

static inline uint64_t u64_at(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t u32_at(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

void fbcon_draw_cell(struct fb_target *t, unsigned index, uint16_t cell, bool underline)
{
    if (index >= SCREEN_CELLS)
        return;
    load_pens(t, (uint8_t)(cell >> 8));
    const uint8_t *glyph = font8x16[cell & 0xff];
    uint32_t x = t->origin_x + (index % SCREEN_COLS) * FONT_WIDTH;
    uint32_t y = t->origin_y + (index / SCREEN_COLS) * FONT_HEIGHT;
    uint8_t *line = t->base + (uint64_t)y * t->pitch + (uint64_t)x * t->bytes_pp;

    /* One loop per depth, so each row is a few fixed-size stores: the
     * left four pixels from the high nibble's pens, the right from the low. */
    for (int r = 0; r < FONT_HEIGHT; r++, line += t->pitch) {
        uint8_t bits = underline && r >= FONT_HEIGHT - 2 ? 0xff : glyph[r];
        const uint8_t *hi = t->pens[bits >> 4], *lo = t->pens[bits & 0xf];
        volatile u64_any *d = (volatile u64_any *)line;
        switch (t->bytes_pp) {
        case 4:
            d[0] = u64_at(hi), d[1] = u64_at(hi + 8), d[2] = u64_at(lo), d[3] = u64_at(lo + 8);
            break;
        case 3: {
            volatile u32_any *w = (volatile u32_any *)line;
            d[0] = u64_at(hi), w[2] = u32_at(hi + 8);
            w[3] = u32_at(lo), d[2] = u64_at(lo + 4);
            break;
        }
        default:
            d[0] = u64_at(hi), d[1] = u64_at(lo);
            break;
        }
    }
}

/* Whether a cell index lies in [i, i + n). */
static bool within(int index, int i, int n)
{
    return index >= i && index < i + n;
}

unsigned fbcon_sync(struct fbcon *c, const volatile uint16_t *cells, int cursor)
{
    unsigned drawn = 0;
    if (cursor >= SCREEN_CELLS)
        cursor = -1;
    for (int i = 0; i < SCREEN_CELLS; i += 4) {
        /* The common case, nothing changed: four cells per comparison.
         * This is what a periodic refresh of an idle screen costs. */
        if (c->shadow_valid && !within(cursor, i, 4) && !within(c->cursor_drawn, i, 4) &&
            *(const volatile u64_any *)&cells[i] == *(const u64_any *)&c->shadow[i])
            continue;
        for (int j = i; j < i + 4; j++) {
            /* Read once: a writer may change the cell meanwhile, and the
             * shadow must record what was actually drawn. */
            uint16_t cell = cells[j];
            bool cursor_here = j == cursor, was_here = j == c->cursor_drawn;
            if (c->shadow_valid && cell == c->shadow[j] && cursor_here == was_here)
                continue;
            fbcon_draw_cell(&c->t, (unsigned)j, cell, cursor_here);
            c->shadow[j] = cell;
            drawn++;
        }
    }
    c->shadow_valid = true;
    c->cursor_drawn = cursor;
    return drawn;
}
