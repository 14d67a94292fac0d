/*
 * The screen: the console's effect on the cells (any boot), the
 * framebuffer renderer on framebuffers of the test's own in several pixel
 * formats (any boot), and the real framebuffer's pixels when booted on one
 * (UEFI). tests/qemu/test_screen.py runs them under BIOS and UEFI and
 * reads the screen from outside as well.
 */
#include "boot/bootinfo.h"
#include "dev/console.h"
#include "dev/fbcon.h"
#include "dev/font.h"
#include "dev/screen.h"
#include "base/clock.h"
#include "kern/ktest.h"
#include "base/log.h"
#include "lib/string.h"
#include "mm/heap.h"

/* ---- helpers ---- */

/* Row r of the screen as text, trailing blanks dropped. */
static void row_text(int r, char out[SCREEN_COLS + 1])
{
    const uint16_t *cells = screen_cells();
    int end = 0;
    for (int c = 0; c < SCREEN_COLS; c++) {
        out[c] = (char)(cells[r * SCREEN_COLS + c] & 0xff);
        if (out[c] != ' ')
            end = c + 1;
    }
    out[end] = 0;
}

#define CHECK_ROW(r, want)                                                      \
    do {                                                                        \
        char got_[SCREEN_COLS + 1];                                             \
        row_text(r, got_);                                                      \
        KCHECK(strcmp(got_, want) == 0, "row %d is \"%s\", expected \"%s\"", r, \
               got_, want);                                                     \
    } while (0)

#define CHECK_CURSOR(r, c)                                                       \
    do {                                                                         \
        int row_, col_;                                                          \
        console_get_cursor(&row_, &col_);                                        \
        KCHECK(row_ == (r) && col_ == (c), "cursor at %d,%d, expected %d,%d",  \
               row_, col_, r, c);                                                \
    } while (0)

static void put(const char *s)
{
    console_write(s, strlen(s));
}

static uint16_t cell_at(int r, int c)
{
    return screen_cells()[r * SCREEN_COLS + c];
}

/* ---- the console ---- */

KTEST(screen_console)
{
    KCHECK(screen_cells() != NULL, "no screen (kind %d)", screen_kind());
    uint8_t saved_attr = console_attr();

    console_clear();
    CHECK_CURSOR(0, 0);
    put("hello, screen\n");
    CHECK_ROW(0, "hello, screen");
    CHECK_CURSOR(1, 0);

    /* Colours: the attribute byte, and ANSI sequences that set it. */
    console_set_attr(0x1e);
    put("Atoll");
    KCHECK(cell_at(1, 0) == (0x1e00 | 'A'), "cell %#x", cell_at(1, 0));
    KCHECK(cell_at(1, 4) == (0x1e00 | 'l'), "cell %#x", cell_at(1, 4));
    console_set_attr(0x07);
    put("\033[31;44mR\033[0mN\033[1;92mG\033[mD\n");
    CHECK_ROW(1, "AtollRNGD");
    KCHECK(cell_at(1, 5) == (0x1400 | 'R'), "red on blue: %#x", cell_at(1, 5));
    KCHECK(cell_at(1, 6) == (0x0700 | 'N'), "after reset: %#x", cell_at(1, 6));
    KCHECK(cell_at(1, 7) == (0x0a00 | 'G'), "bright green: %#x", cell_at(1, 7));
    KCHECK(console_attr() == 0x07, "attr %#x after ESC[m", console_attr());

    /* Tab, carriage return, backspace. */
    put("ab\tX\rY\bZ\n");
    CHECK_ROW(2, "Zb      X");

    /* A full row and its newline take one row; one more character wraps. */
    char line[SCREEN_COLS + 2];
    memset(line, '=', SCREEN_COLS);
    line[SCREEN_COLS] = '\n';
    line[SCREEN_COLS + 1] = 0;
    put(line);
    CHECK_CURSOR(4, 0);
    line[SCREEN_COLS] = 0;
    put(line);
    CHECK_CURSOR(4, SCREEN_COLS);
    put("w");
    CHECK_ROW(4, line);
    CHECK_ROW(5, "w");
    CHECK_CURSOR(5, 1);

    /* Scrolling: 30 lines on 25 rows keep the last 24 and the cursor row. */
    console_clear();
    char text[16] = "line 00\n";
    for (int i = 0; i < 30; i++) {
        text[5] = (char)('0' + i / 10);
        text[6] = (char)('0' + i % 10);
        put(text);
    }
    CHECK_ROW(0, "line 06");
    CHECK_ROW(23, "line 29");
    CHECK_ROW(24, "");
    CHECK_CURSOR(24, 0);
    KCHECK(cell_at(24, 79) == SCREEN_BLANK, "new row not blank: %#x", cell_at(24, 79));

    /* Detached, the log leaves the cells alone; attached again, it writes
     * where the console left off. */
    console_detach();
    kprintf("not on screen\n");
    CHECK_CURSOR(24, 0);
    CHECK_ROW(24, "");
    console_attach();
    kprintf("on screen\n");
    CHECK_ROW(23, "on screen");

    console_set_attr(saved_attr);
    return true;
}

/* ---- the renderer, on framebuffers of our own ---- */

struct format {
    const char *name;
    uint8_t bpp, rpos, rsize, gpos, gsize, bpos, bsize;
};

static const struct format formats[] = {
    { "32 bpp xRGB", 32, 16, 8, 8, 8, 0, 8 },
    { "24 bpp BGR (OVMF)", 24, 16, 8, 8, 8, 0, 8 },
    { "24 bpp RGB", 24, 0, 8, 8, 8, 16, 8 },
    { "32 bpp xBGR", 32, 0, 8, 8, 8, 16, 8 },
    { "16 bpp 565", 16, 11, 5, 5, 6, 0, 5 },
};

#define CANARY 0x5a

/* The pixel value colour i should have, computed apart from fbcon's own
 * palette code. */
static uint32_t expected_pixel(const struct framebuffer *fb, int i)
{
    const uint8_t *rgb = vga_palette_rgb[i];
    return (uint32_t)(rgb[0] >> (8 - fb->red_size)) << fb->red_pos |
           (uint32_t)(rgb[1] >> (8 - fb->green_size)) << fb->green_pos |
           (uint32_t)(rgb[2] >> (8 - fb->blue_size)) << fb->blue_pos;
}

static uint32_t read_pixel(const struct fb_target *t, uint32_t x, uint32_t y)
{
    const volatile uint8_t *p = t->base + (uint64_t)y * t->pitch + (uint64_t)x * t->bytes_pp;
    uint32_t v = 0;
    for (uint32_t i = 0; i < t->bytes_pp; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

/* Every pixel of cell index shows glyph ch in colours fg on bg (with the
 * cursor's underline when underline is set). */
static bool check_cell_pixels(const struct fb_target *t, const struct framebuffer *fb,
                              unsigned index, uint8_t ch, int fg, int bg, bool underline)
{
    uint32_t x0 = t->origin_x + index % SCREEN_COLS * FONT_WIDTH;
    uint32_t y0 = t->origin_y + index / SCREEN_COLS * FONT_HEIGHT;
    uint32_t want_fg = expected_pixel(fb, fg), want_bg = expected_pixel(fb, bg);
    for (int y = 0; y < FONT_HEIGHT; y++) {
        uint8_t bits = font8x16[ch][y];
        if (underline && y >= FONT_HEIGHT - 2)
            bits = 0xff;
        for (int x = 0; x < FONT_WIDTH; x++) {
            uint32_t want = (bits & (0x80 >> x)) ? want_fg : want_bg;
            uint32_t got = read_pixel(t, x0 + x, y0 + y);
            if (got != want) {
                kprintf("    glyph row %#x, pixels:", bits);
                for (int i = 0; i < FONT_WIDTH; i++)
                    kprintf(" %#x", read_pixel(t, x0 + i, y0 + y));
                kprintf("\n");
            }
            KCHECK(got == want, "cell %u '%c' pixel (%d,%d) at (%u,%u): %#x, expected %#x",
                   index, ch, x, y, x0 + x, y0 + y, got, want);
        }
    }
    return true;
}

static bool is_canary(const struct fb_target *t, uint32_t x, uint32_t y)
{
    const uint8_t *p = t->base + (uint64_t)y * t->pitch + (uint64_t)x * t->bytes_pp;
    for (uint32_t i = 0; i < t->bytes_pp; i++)
        if (p[i] != CANARY)
            return false;
    return true;
}

static bool render_format(const struct format *f)
{
    /* A mode a little larger than the grid, with padding after each line:
     * the grid must be centred and the pitch honoured. */
    struct framebuffer fb = {
        .kind = FB_RGB, .width = 656, .height = 410, .bpp = f->bpp,
        .red_pos = f->rpos, .red_size = f->rsize, .green_pos = f->gpos,
        .green_size = f->gsize, .blue_pos = f->bpos, .blue_size = f->bsize,
    };
    fb.pitch = fb.width * (f->bpp / 8) + 12;
    size_t len = (size_t)fb.pitch * fb.height;
    uint8_t *mem = kmalloc(len);
    struct fbcon *con = kmalloc(sizeof *con);
    bool ok = false;
    if (!mem || !con) {
        ktest_fail(__FILE__, __LINE__, "out of memory for a %zu-byte framebuffer", len);
        goto out;
    }
    memset(mem, CANARY, len);
    struct fb_target t;
    if (fbcon_target_init(&t, mem, &fb)) {
        ktest_fail(__FILE__, __LINE__, "%s: refused", f->name);
        goto out;
    }
    if (t.origin_x != 8 || t.origin_y != 5) {
        ktest_fail(__FILE__, __LINE__, "%s: grid at (%u,%u), expected centred at (8,5)",
                   f->name, t.origin_x, t.origin_y);
        goto out;
    }

    /* Corners and a middle cell, every colour used as fg and bg. */
    static const struct { unsigned index; uint8_t ch; int fg, bg; } cases[] = {
        { 0, 'A', 15, 0 }, { 79, 'z', 14, 1 }, { 24 * 80, '@', 12, 9 },
        { 24 * 80 + 79, '#', 2, 13 }, { 12 * 80 + 40, 0xdb, 6, 7 }, { 81, 'g', 8, 3 },
        { 82, 'M', 4, 10 }, { 83, '~', 5, 11 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t cell = (uint16_t)(cases[i].ch | (cases[i].bg << 4 | cases[i].fg) << 8);
        fbcon_draw_cell(&t, cases[i].index, cell, false);
        if (!check_cell_pixels(&t, &fb, cases[i].index, cases[i].ch, cases[i].fg, cases[i].bg,
                               false)) {
            kprintf("    (format %s)\n", f->name);
            goto out;
        }
    }
    /* Nothing outside the cells drawn: the pixels around the grid's
     * corners, and the pitch padding, still hold the canary. */
    uint32_t gx = t.origin_x, gy = t.origin_y, gw = SCREEN_COLS * 8, gh = SCREEN_ROWS * 16;
    if (!is_canary(&t, gx - 1, gy) || !is_canary(&t, gx, gy - 1) ||
        !is_canary(&t, gx + gw, gy) || !is_canary(&t, gx + gw - 1, gy + gh) ||
        !is_canary(&t, gx - 1, gy + gh - 1) || !is_canary(&t, gx + 8, gy) ||
        mem[(size_t)gy * fb.pitch + fb.width * (f->bpp / 8)] != CANARY) {
        ktest_fail(__FILE__, __LINE__, "%s: drew outside its cells", f->name);
        goto out;
    }

    /* The shadow: a first sync draws all, then only what changed. */
    static uint16_t cells[SCREEN_CELLS];
    for (int i = 0; i < SCREEN_CELLS; i++)
        cells[i] = (uint16_t)((0x20 + i % 95) | 0x0700);
    fbcon_init(con, &t);
    unsigned n1 = fbcon_sync(con, cells, -1);
    unsigned n2 = fbcon_sync(con, cells, -1);
    cells[1234] = 0x4f00 | 'Q';
    unsigned n3 = fbcon_sync(con, cells, -1);
    unsigned n4 = fbcon_sync(con, cells, 100);
    unsigned n5 = fbcon_sync(con, cells, 101);
    if (n1 != SCREEN_CELLS || n2 != 0 || n3 != 1 || n4 != 1 || n5 != 2) {
        ktest_fail(__FILE__, __LINE__, "%s: syncs drew %u, %u, %u, %u, %u cells; expected "
                   "2000, 0, 1, 1, 2", f->name, n1, n2, n3, n4, n5);
        goto out;
    }
    if (!check_cell_pixels(&t, &fb, 1234, 'Q', 15, 4, false) ||
        !check_cell_pixels(&t, &fb, 100, (uint8_t)cells[100], 7, 0, false) ||
        !check_cell_pixels(&t, &fb, 101, (uint8_t)cells[101], 7, 0, true)) {
        kprintf("    (format %s, after sync)\n", f->name);
        goto out;
    }
    /* A cleared framebuffer is black everywhere and counts as showing
     * blank cells: syncing blank cells then draws nothing. */
    fbcon_clear(con);
    for (int i = 0; i < SCREEN_CELLS; i++)
        cells[i] = SCREEN_BLANK;
    unsigned n6 = fbcon_sync(con, cells, -1);
    if (n6 != 0 || read_pixel(&t, 0, 0) != 0 || read_pixel(&t, fb.width - 1, fb.height - 1) != 0 ||
        !check_cell_pixels(&t, &fb, 1234, ' ', 7, 0, false)) {
        ktest_fail(__FILE__, __LINE__, "%s: after a clear, %u cells drawn, corners %#x %#x",
                   f->name, n6, read_pixel(&t, 0, 0),
                   read_pixel(&t, fb.width - 1, fb.height - 1));
        goto out;
    }
    ok = true;
out:
    kfree(mem);
    kfree(con);
    return ok;
}

KTEST(screen_render)
{
    for (unsigned i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!render_format(&formats[i]))
            return false;

    /* Modes that cannot hold the grid, or formats it cannot draw, are refused. */
    struct fb_target t;
    struct framebuffer small = { .kind = FB_RGB, .width = 639, .height = 480, .pitch = 639 * 4,
                                 .bpp = 32, .red_pos = 16, .red_size = 8, .green_pos = 8,
                                 .green_size = 8, .blue_pos = 0, .blue_size = 8 };
    KCHECK(fbcon_target_init(&t, NULL, &small) != 0, "639 pixels wide accepted");
    struct framebuffer eight = small;
    eight.width = 800, eight.bpp = 8, eight.pitch = 800;
    KCHECK(fbcon_target_init(&t, NULL, &eight) != 0, "8 bpp accepted");
    struct framebuffer text = { .kind = FB_EGA_TEXT, .width = 80, .height = 25 };
    KCHECK(fbcon_target_init(&t, NULL, &text) != 0, "text mode accepted as RGB");
    return true;
}

/* ---- the screen this machine booted with ---- */

KTEST(screen_device)
{
    enum screen_kind kind = screen_kind();
    KCHECK(kind != SCREEN_NONE, "no screen; boot framebuffer kind %d", bootinfo.fb.kind);
    uint16_t *cells = screen_cells();
    KCHECK(cells != NULL, "no cells");
    KCHECK(((uintptr_t)cells & 1) == 0, "cells misaligned");

    console_clear();
    put("\033[93;41mFB\033[0m ok\n");
    KCHECK(cells[0] == (0x4e00 | 'F'), "cell 0 is %#x", cells[0]);

    if (kind == SCREEN_VGA_TEXT) {
        /* Text mode shows the cells themselves: what we wrote is there. */
        KCHECK(bootinfo.fb.kind == FB_EGA_TEXT, "kind mismatch");
        cells[SCREEN_CELLS - 1] = 0x2f00 | '!';
        KCHECK(cells[SCREEN_CELLS - 1] == (0x2f00 | '!'), "VGA memory did not keep a write");
        cells[SCREEN_CELLS - 1] = SCREEN_BLANK;
        kprintf("    VGA text mode: cells at %p\n", (void *)cells);
        return true;
    }

    const struct fb_target *t = screen_fb_target();
    KCHECK(t != NULL, "framebuffer screen without a target");
    screen_refresh();
    /* With nothing changed, a refresh draws nothing. */
    uint64_t before = screen_cells_drawn();
    screen_refresh();
    KCHECK(screen_cells_drawn() == before, "an idle refresh drew %llu cells",
           (unsigned long long)(screen_cells_drawn() - before));
    /* The cells in the framebuffer: glyphs in the colours asked for. */
    const struct framebuffer *fb = &bootinfo.fb;
    if (!check_cell_pixels(t, fb, 0, 'F', 14, 4, false) ||
        !check_cell_pixels(t, fb, 1, 'B', 14, 4, false) ||
        !check_cell_pixels(t, fb, 3, 'o', 7, 0, false) ||
        !check_cell_pixels(t, fb, 4, 'k', 7, 0, false) ||
        !check_cell_pixels(t, fb, SCREEN_COLS, ' ', 7, 0, true))
        return false;
    /* A write to the cells by anyone shows after a refresh. */
    cells[SCREEN_CELLS - 1] = 0x2f00 | '!';
    screen_refresh();
    if (!check_cell_pixels(t, fb, SCREEN_CELLS - 1, '!', 15, 2, false))
        return false;
    cells[SCREEN_CELLS - 1] = SCREEN_BLANK;
    screen_refresh();

    /* What a full redraw costs (every cell changed, as after a scroll):
     * reported, not judged. */
    for (int i = 0; i < SCREEN_CELLS; i++)
        cells[i] = (uint16_t)((0x21 + i % 94) | 0x1700);
    uint64_t t0 = clock_ns();
    screen_refresh();
    uint64_t t1 = clock_ns();
    for (int i = 0; i < 100; i++)
        screen_refresh();
    uint64_t t2 = clock_ns();
    console_clear();
    kprintf("    framebuffer %ux%u, %u bpp, pitch %u, grid at (%u,%u); full redraw %llu us, "
            "idle refresh %llu ns\n", fb->width, fb->height, fb->bpp, fb->pitch, t->origin_x,
            t->origin_y, (unsigned long long)((t1 - t0) / 1000),
            (unsigned long long)((t2 - t1) / 100));
    return true;
}
