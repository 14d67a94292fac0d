/* Placeholder: the screen console is being written (dev/vga_text, dev/fbcon). */
#include "dev/screen.h"

void screen_init(void)
{
}
