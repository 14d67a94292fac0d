/*
 * The built-in 8x16 screen font, one glyph per code page 437 byte. Its
 * source (font8x16.c) is generated at build time by scripts/gen-font.py
 * from Debian's console-setup-linux font; see mk/font.mk.
 */
#ifndef DEV_FONT_H
#define DEV_FONT_H

#include <stdint.h>

#define FONT_WIDTH  8
#define FONT_HEIGHT 16

/* font8x16[byte][row]: bit 7 is the leftmost pixel, row 0 the top. */
extern const uint8_t font8x16[256][FONT_HEIGHT];

#endif
