/* Where the direct map of RAM begins (mm/phys.h): boot lays it out
 * (boot/boot.h); the unit tests point it at a buffer of their own. */
#include "boot/boot.h"
#include "mm/phys.h"

uintptr_t phys_map_base = PHYS_MAP_BASE;
