/*
 * The screen as 80x25 text cells (character byte, attribute byte), the
 * same on every machine: on the VGA text buffer when booted in text mode,
 * or on a buffer the kernel renders to a linear framebuffer (UEFI) with a
 * built-in 8x16 font.
 */
#ifndef DEV_SCREEN_H
#define DEV_SCREEN_H

#include <stdint.h>

#define SCREEN_COLS 80
#define SCREEN_ROWS 25

/* Finds the screen from the boot information and attaches the kernel log
 * to it. Without any usable screen, the log stays on serial only. */
void screen_init(void);

#endif
