/*
 * The VGA text mode's registers: the attribute controller (blink) and the
 * CRT controller (hardware cursor). The cells themselves are plain memory
 * once mapped; dev/screen.c hands them out.
 */
#include "dev/vga_text.h"

#include <stdbool.h>

#include "arch/x86/io.h"
#include "dev/screen.h"
#include "mm/vmm.h"

#define VGA_AC_INDEX    0x3c0   /* attribute controller: index, then data */
#define VGA_AC_READ     0x3c1
#define VGA_STATUS      0x3da   /* reading it resets the AC's index/data flip-flop */
#define VGA_CRTC_INDEX  0x3d4
#define VGA_CRTC_DATA   0x3d5

#define AC_MODE         0x10
#define AC_MODE_BLINK   0x08
#define AC_PAS          0x20    /* keep the palette on the screen while indexing */

#define CRTC_CURSOR_START   0x0a
#define CRTC_CURSOR_END     0x0b
#define CRTC_CURSOR_HIGH    0x0e
#define CRTC_CURSOR_LOW     0x0f
#define CURSOR_DISABLE      0x20

static void crtc_write(uint8_t reg, uint8_t v)
{
    outb(VGA_CRTC_INDEX, reg);
    outb(VGA_CRTC_DATA, v);
}

static void disable_blink(void)
{
    (void)inb(VGA_STATUS);
    outb(VGA_AC_INDEX, AC_MODE | AC_PAS);
    uint8_t mode = inb(VGA_AC_READ);
    outb(VGA_AC_INDEX, mode & ~AC_MODE_BLINK);
}

uint16_t *vga_text_init(paddr_t pa)
{
    uint16_t *cells = vmm_map_device(pa, SCREEN_BYTES, false, "vga-text");
    if (!cells)
        return NULL;
    disable_blink();
    return cells;
}

void vga_text_set_cursor(int index)
{
    static bool hidden = true;      /* forces the first show to set the shape */
    if (index < 0 || index >= SCREEN_CELLS) {
        crtc_write(CRTC_CURSOR_START, CURSOR_DISABLE);
        hidden = true;
        return;
    }
    if (hidden) {
        /* An underline on the two bottom scan lines, as fbcon draws it. */
        crtc_write(CRTC_CURSOR_START, 14);
        crtc_write(CRTC_CURSOR_END, 15);
        hidden = false;
    }
    crtc_write(CRTC_CURSOR_HIGH, (uint8_t)(index >> 8));
    crtc_write(CRTC_CURSOR_LOW, (uint8_t)index);
}
