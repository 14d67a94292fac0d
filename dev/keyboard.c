/* Placeholder: the PS/2 keyboard driver is being written. */
#include "dev/keyboard.h"

void keyboard_init(void)
{
}
