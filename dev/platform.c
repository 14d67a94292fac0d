/*
 * Device bring-up order: the screen first (so the log shows), then the
 * TSC clock (the APIC timer is calibrated against it), the interrupt
 * controller, the tick and the keyboard; interrupts go on last, when
 * every vector that can fire has its handler.
 */
#include "dev/platform.h"

#include "arch/x86/cpu.h"
#include "dev/intc.h"
#include "dev/keyboard.h"
#include "dev/screen.h"
#include "dev/timer.h"
#include "arch/x86/tsc.h"
#include "base/clock.h"
#include "base/cmdline.h"

void platform_init(void)
{
    screen_init();
    clock_init();
    intc_init();
    timer_init((unsigned)cmdline_get_ulong("timer_hz", TIMER_DEFAULT_HZ));
    keyboard_init();
    irq_enable();
}
