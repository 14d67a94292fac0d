#include "dev/debug_exit.h"

#include "arch/x86/io.h"

void debug_exit(int value)
{
    outl(0xf4, (uint32_t)value);
}
