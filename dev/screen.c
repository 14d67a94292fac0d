/*
 * One text-cell screen over two kinds of display: the VGA text buffer
 * (dev/vga_text.c) or a linear framebuffer drawn by dev/fbcon.c. This file
 * decides which from the boot information and serializes refreshes.
 */
#include "dev/screen.h"

#include "boot/bootinfo.h"
#include "dev/console.h"
#include "dev/fbcon.h"
#include "dev/vga_text.h"
#include "base/log.h"
#include "mm/vmm.h"

static enum screen_kind kind;
static uint16_t *cells;
static volatile int cursor = -1;

/* Framebuffer mode: the cells live here, a page of their own so they can
 * be mapped elsewhere whole. */
static uint16_t fb_cells[4096 / sizeof(uint16_t)] __attribute__((aligned(4096)));
static struct fbcon fbc;
static uint64_t cells_drawn;

/* Refresh serialization without waiting: whoever holds `busy` redraws
 * until no one has asked again (`again`). A CPU that finds it busy only
 * leaves its request, so an interrupt handler never spins on a refresh it
 * interrupted. */
static volatile int busy, again;

_Static_assert(SCREEN_BYTES <= sizeof fb_cells, "cells fit their page");

static bool init_framebuffer(const struct framebuffer *fb)
{
    /* Checked before mapping, so a mode we cannot draw costs nothing. */
    struct fb_target t;
    if (fbcon_target_init(&t, NULL, fb)) {
        pr_warn("screen: cannot draw text on a %ux%u framebuffer at %u bpp\n", fb->width,
                fb->height, fb->bpp);
        return false;
    }
    uint64_t len = (uint64_t)fb->pitch * fb->height;
    t.base = vmm_map_device(fb->addr, len, true, "framebuffer");
    if (!t.base) {
        pr_warn("screen: cannot map the framebuffer (%llu bytes at %#llx)\n",
                (unsigned long long)len, (unsigned long long)fb->addr);
        return false;
    }
    fbcon_init(&fbc, &t);
    fbcon_clear(&fbc);
    return true;
}

void screen_init(void)
{
    const struct framebuffer *fb = &bootinfo.fb;
    if (fb->kind == FB_EGA_TEXT) {
        if (fb->width != SCREEN_COLS || fb->height != SCREEN_ROWS) {
            pr_warn("screen: text mode %ux%u is not 80x25\n", fb->width, fb->height);
            return;
        }
        cells = vga_text_init(fb->addr);
        if (!cells)
            return;
        kind = SCREEN_VGA_TEXT;
    } else if (fb->kind == FB_RGB) {
        if (!init_framebuffer(fb))
            return;
        cells = fb_cells;
        kind = SCREEN_FRAMEBUFFER;
    } else {
        return;
    }
    for (int i = 0; i < SCREEN_CELLS; i++)
        cells[i] = SCREEN_BLANK;
    console_init();
    screen_refresh();
}

enum screen_kind screen_kind(void)
{
    return kind;
}

uint16_t *screen_cells(void)
{
    return cells;
}

void screen_tick(void)
{
    static unsigned n;
    if (++n % 2 == 0)
        screen_refresh();
}

void screen_refresh(void)
{
    if (kind != SCREEN_FRAMEBUFFER)
        return;
    __atomic_store_n(&again, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&again, __ATOMIC_SEQ_CST)) {
        if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
            return;         /* the holder sees `again` and redraws */
        __atomic_store_n(&again, 0, __ATOMIC_SEQ_CST);
        cells_drawn += fbcon_sync(&fbc, cells, cursor);
        __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
    }
}

void screen_break_lock(void)
{
    __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void screen_set_cursor(int row, int col)
{
    int index = -1;
    if (row >= 0 && row < SCREEN_ROWS && col >= 0 && col < SCREEN_COLS)
        index = row * SCREEN_COLS + col;
    if (index == cursor)
        return;
    cursor = index;
    if (kind == SCREEN_VGA_TEXT)
        vga_text_set_cursor(index);
}

const struct fb_target *screen_fb_target(void)
{
    return kind == SCREEN_FRAMEBUFFER ? &fbc.t : NULL;
}

uint64_t screen_cells_drawn(void)
{
    return cells_drawn;
}
