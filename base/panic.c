/*
 * The end of the line. Everything here must work with a corrupted kernel:
 * no allocation, no locks that may be held (the log lock is broken open),
 * and no reads through pointers that are not known to be mapped.
 */
#include "base/panic.h"

#include "arch/x86/cpu.h"
#include "base/cmdline.h"
#include "base/ksyms.h"
#include "base/log.h"

/* What the layers above lend the panic path (panic_set_hooks). */
static struct panic_hooks hooks;

void panic_set_hooks(const struct panic_hooks *h)
{
    hooks = *h;
}

static bool readable(uintptr_t va, size_t len)
{
    return hooks.readable && hooks.readable(va, len);
}

static volatile int panicking;

/* Prints a return address: symbolized by ret - 1, which lies in the call
 * instruction (a call to a noreturn function may be the last instruction of
 * its function, so ret itself can belong to the next one). */
static void print_return(int i, uintptr_t ret)
{
    char sym[128];
    uintptr_t off;
    const char *name = ksym_lookup(ret - 1, &off);
    if (name)
        kprintf("    #%-2d %016lx  %s+%#lx\n", i, (unsigned long)ret, name, (unsigned long)(off + 1));
    else {
        ksym_format(ret, sym, sizeof sym);
        kprintf("    #%-2d %016lx  %s\n", i, (unsigned long)ret, sym);
    }
}

/* Walks saved frame pointers from rbp, numbering frames from `first`. */
static void walk_frames(uintptr_t rbp, int first)
{
    uintptr_t last = 0;
    int repeats = 0, shown = 0;
    for (int i = first; i < 4096 && rbp && shown < 32; i++) {
        if ((rbp & 7) || !readable(rbp, 16))
            break;
        uintptr_t next = ((const uintptr_t *)rbp)[0];
        uintptr_t ret = ((const uintptr_t *)rbp)[1];
        if (!ret)
            break;
        /* Deep recursion (a stack overflow) shows as one line and a count. */
        if (ret == last) {
            repeats++;
        } else {
            if (repeats)
                kprintf("        ... the frame above repeated %d more times\n", repeats);
            repeats = 0;
            print_return(i, ret);
            shown++;
        }
        last = ret;
        if (next <= rbp)    /* frames grow upwards; anything else is garbage */
            break;
        rbp = next;
    }
    if (repeats)
        kprintf("        ... the frame above repeated %d more times\n", repeats);
}

void backtrace_from(uintptr_t rip, uintptr_t rbp, uintptr_t rsp)
{
    extern char _text_start[], _text_end[];
    char sym[128];
    kprintf("  backtrace:\n");
    ksym_format(rip, sym, sizeof sym);
    kprintf("    #0  %016lx  %s\n", (unsigned long)rip, sym);
    if (rsp && !(rsp & 7) && readable(rsp, 8) && rbp && readable(rbp, 16)) {
        uintptr_t top = *(const uintptr_t *)rsp;
        if (top >= (uintptr_t)_text_start && top < (uintptr_t)_text_end &&
            top != ((const uintptr_t *)rbp)[1]) {
            uintptr_t off;
            const char *name = ksym_lookup(top - 1, &off);
            if (name)
                kprintf("    #?  %016lx  %s+%#lx (return address at rsp: a caller, if #0 has no frame)\n",
                        (unsigned long)top, name, (unsigned long)(off + 1));
        }
    }
    walk_frames(rbp, 1);
}

void panic_prepare_output(void)
{
    log_break_lock();
    if (hooks.take_screen)
        hooks.take_screen();
}

__attribute__((noreturn)) static void stop(void)
{
    if (cmdline_test_mode() && hooks.exit_tests)
        hooks.exit_tests();
    cpu_halt_forever();
}

/* fp: the frame of panic() itself, 0 when a report was printed already. */
__attribute__((noreturn)) static void vpanic(uintptr_t fp, const char *fmt, va_list ap)
{
    irq_disable();
    if (panicking++) {
        /* A panic while panicking: say as little as possible. */
        log_break_lock();
        log_set_console(NULL);
        kprintf("atoll: panic: (nested panic)\n");
        stop();
    }
    panic_prepare_output();
    if (fp) {
        kprintf("  backtrace:\n");
        walk_frames(fp, 0);
    }
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
