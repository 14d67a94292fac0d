/* Device bring-up order: screen first (so the log shows), then time and
 * interrupts. */
#include "dev/platform.h"

#include "arch/x86/cpu.h"
#include "dev/intc.h"
#include "dev/keyboard.h"
#include "dev/screen.h"
#include "dev/timer.h"
#include "kern/clock.h"
#include "kern/cmdline.h"

void platform_init(void)
{
    screen_init();
    clock_init();
    intc_init();
    timer_init((unsigned)cmdline_get_ulong("timer_hz", 100));
    keyboard_init();
    irq_enable();
}
