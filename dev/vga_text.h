/*
 * The VGA in 80x25 colour text mode, as the BIOS (or GRUB under BIOS)
 * leaves it: cells at physical 0xb8000, CRT controller at port 0x3d4.
 */
#ifndef DEV_VGA_TEXT_H
#define DEV_VGA_TEXT_H

#include <stdint.h>

#include "mm/phys.h"

/* Maps the text buffer at pa (uncached: it is device memory) and sets
 * attribute bit 7 to mean a bright background rather than blinking, as the
 * framebuffer renderer does. Returns the cells, or NULL. */
uint16_t *vga_text_init(paddr_t pa);

/* Moves the hardware cursor to a cell index; negative hides it. */
void vga_text_set_cursor(int index);

#endif
