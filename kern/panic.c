/*
 * The end of the line. Everything here must work with a corrupted kernel:
 * no allocation, no locks that may be held (the log lock is broken open),
 * and no reads through pointers that are not known to be mapped.
 */
#include "kern/panic.h"

#include "arch/x86/cpu.h"
#include "dev/debug_exit.h"
#include "kern/cmdline.h"
#include "kern/ksyms.h"
#include "kern/log.h"
#include "mm/vmm.h"

static volatile int panicking;

void backtrace_from(uintptr_t rip, uintptr_t rbp)
{
    char sym[128];
    kprintf("  backtrace:\n");
    ksym_format(rip, sym, sizeof sym);
    kprintf("    #0  %016lx  %s\n", (unsigned long)rip, sym);
    for (int i = 1; i < 32 && rbp; i++) {
        if ((rbp & 7) || !vmm_probe_readable(rbp, 16))
            break;
        uintptr_t next = ((const uintptr_t *)rbp)[0];
        uintptr_t ret = ((const uintptr_t *)rbp)[1];
        if (!ret)
            break;
        ksym_format(ret, sym, sizeof sym);
        kprintf("    #%-2d %016lx  %s\n", i, (unsigned long)ret, sym);
        if (next <= rbp)    /* frames grow upwards; anything else is garbage */
            break;
        rbp = next;
    }
}

__attribute__((noreturn)) static void stop(void)
{
    if (cmdline_test_mode())
        debug_exit(EXIT_PANIC);
    cpu_halt_forever();
}

/* fp: the frame of panic() itself, 0 when a report was printed already. */
__attribute__((noreturn)) static void vpanic(uintptr_t fp, const char *fmt, va_list ap)
{
    irq_disable();
    if (panicking++) {
        /* A panic while panicking: say as little as possible. */
        log_break_lock();
        kprintf("atoll: panic: (nested panic)\n");
        stop();
    }
    log_break_lock();
    if (fp)
        backtrace_from(((const uintptr_t *)fp)[1], ((const uintptr_t *)fp)[0]);
    kprintf("atoll: panic: ");
    vkprintf(fmt, ap);
    kprintf("\n");
    stop();
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic((uintptr_t)__builtin_frame_address(0), fmt, ap);
}

void panic_after_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(0, fmt, ap);
}
