/*
 * kmain: the order in which Atoll comes up. Each step may rely on the ones
 * before it; see docs/architecture.md for the picture.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/probe.h"
#include "arch/x86/trap.h"
#include "boot/bootinfo.h"
#include "dev/serial.h"
#include "kern/banner.h"
#include "base/clock.h"
#include "base/cmdline.h"
#include "kern/ktest.h"
#include "kern/reserve.h"
#include "base/log.h"
#include "base/panic.h"
#include "kern/thread.h"
#include "kern/userboot.h"
#include "kern/wasm_host.h"
#include "dev/console.h"
#include "dev/debug_exit.h"
#include "dev/platform.h"
#include "dev/screen.h"
#include "kern/component.h"
#include "kern/coral.h"
#include "mm/kstack.h"
#include "mm/vmm.h"

void arch_call_on_stack(uintptr_t top, void (*fn)(void));

static struct kstack main_stack;

__attribute__((noreturn)) static void kmain_on_stack(void)
{
    platform_init();
    sched_init();
    /* What the tick drives besides the scheduler, wired here so that the
     * scheduler knows neither the screen nor components. */
    sched_add_tick_hook(screen_tick);
    sched_add_tick_hook(component_tick_all);
    coral_init();
    banner_print();

    char spec[256];
    if (cmdline_get("test", spec, sizeof spec))
        ktest_run(spec);

    userboot_start();
    for (;;)
        thread_sleep_ns(1000000000ull);
}

/* The panic path's borrowings from the devices and mm (base/panic.h). */
static void panic_take_screen(void)
{
    screen_break_lock();
    console_attach();
}

static void panic_exit_tests(void)
{
    debug_exit(EXIT_PANIC);
}

static const struct panic_hooks panic_hooks = {
    .take_screen = panic_take_screen,
    .readable = vmm_probe_readable,
    .exit_tests = panic_exit_tests,
};

__attribute__((noreturn)) void kmain(uint32_t magic, uint64_t info_phys)
{
    boot_tsc = rdtsc();
    serial_init();
    /* The bottom layer knows no device: hand it the log's port and what a
     * panic needs, before anything can log or panic. */
    log_set_serial(serial_putc);
    panic_set_hooks(&panic_hooks);
    if (bootinfo_parse(magic, info_phys))
        panic("not started by a Multiboot loader (magic %#x)", magic);
    cmdline_init(bootinfo.cmdline);
    log_threshold = (enum log_level)cmdline_get_ulong("loglevel", LOG_INFO);
    if (log_threshold > LOG_DEBUG)
        log_threshold = LOG_DEBUG;

    cpu_init();
    gdt_init();
    idt_init();
    probe_init();
    mm_init();
    kstack_set_budget(reserve_stack_may_take);
    /* After mm_init: a fault that grows a stack is tried before one that
     * becomes a Wasm trap (handlers run in the order they were added). */
    wasm_host_init();

    /* Leave the boot stack (no guard page) for one that has one. */
    if (kstack_alloc(&main_stack, 64 * 1024, "kmain"))
        panic("cannot allocate the main kernel stack");
    arch_call_on_stack(main_stack.top, kmain_on_stack);
    __builtin_unreachable();
}
