/*
 * Device bring-up order: the screen first (so the log shows), then the
 * TSC clock (the APIC timer is calibrated against it), the interrupt
 * controller and the tick; interrupts go on last, when every vector
 * that can fire has its handler. The keyboard and the serial port's
 * input are drivers' (in Wasm, docs/drivers.md), not the kernel's.
 */
#include "dev/platform.h"

#include "arch/x86/cpu.h"
#include "dev/intc.h"
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
    irq_enable();
}
