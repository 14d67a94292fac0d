/*
 * The boot banner. Its lines are read by people and by the boot tests
 * (tests/qemu), which look for "memory:" and "module" lines: keep the
 * wording stable.
 */
#include "kern/banner.h"

#include "arch/x86/cpu.h"
#include "boot/bootinfo.h"
#include "dev/intc.h"
#include "dev/timer.h"
#include "base/clock.h"
#include "base/log.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define ATOLL_VERSION "0.1"

static const char *yn(bool b) { return b ? "yes" : "no"; }

void banner_print(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    uint64_t ticks = rdtsc() - boot_tsc;
    uint64_t hz = clock_tsc_hz();

    kprintf("\nAtoll %s (x86_64) - a kernel for WebAssembly programs\n", ATOLL_VERSION);
    kprintf("  boot: Multiboot%d from %s, command line \"%s\"\n", bootinfo.protocol,
            bootinfo.loader[0] ? bootinfo.loader : "an unnamed loader", bootinfo.cmdline);
    kprintf("  cpu: %s, %s (family %u model %u stepping %u)\n", cpu.vendor, cpu.model,
            cpu.family, cpu.model_id, cpu.stepping);
    kprintf("  features: sse4.1 %s, sse4.2 %s, popcnt %s, avx %s, avx2 %s, pku %s, la57 %s, x2apic %s, "
            "invariant-tsc %s, nx %s\n", yn(cpu.sse41), yn(cpu.sse42), yn(cpu.popcnt), yn(cpu.avx), yn(cpu.avx2),
            yn(cpu.pku), yn(cpu.la57), yn(cpu.x2apic), yn(cpu.invariant_tsc), yn(cpu.nx));
    if (!cpu.sse41 || !cpu.popcnt)
        kprintf("  warning: this CPU lacks SSE4.1 or POPCNT, which compiled Wasm code needs: "
                "programs will not run here (in QEMU, use -cpu max)\n");
    kprintf("  tsc: %llu.%03llu MHz\n", (unsigned long long)(hz / 1000000),
            (unsigned long long)(hz / 1000 % 1000));
    kprintf("  memory: %llu MiB usable, %llu MiB free, %d map entries\n",
            (unsigned long long)(mm_total_ram() >> 20),
            (unsigned long long)(st.free_frames * PAGE_SIZE >> 20), bootinfo.memmap_count);
    uint64_t mhz = timer_rate_mhz();
    kprintf("  interrupts: %s; timer: %s at %llu.%03llu Hz\n", intc_name(),
            timer_source_name(), (unsigned long long)(mhz / 1000), (unsigned long long)(mhz % 1000));
    const struct framebuffer *fb = &bootinfo.fb;
    if (fb->kind == FB_EGA_TEXT)
        kprintf("  screen: VGA text %ux%u\n", fb->width, fb->height);
    else if (fb->kind == FB_RGB)
        kprintf("  screen: framebuffer %ux%u, %u bpp, pitch %u\n", fb->width, fb->height, fb->bpp,
                fb->pitch);
    kprintf("  modules: %d%s\n", bootinfo.module_count,
            bootinfo.modules_dropped ? " (more were given than the kernel keeps)" : "");
    for (int i = 0; i < bootinfo.module_count; i++) {
        const struct boot_module *m = &bootinfo.modules[i];
        const char *lost = boot_module_cmdline_problem(m);
        kprintf("    module %d: %llu bytes at %#llx, \"%s\"%s%s%s\n", i,
                (unsigned long long)(m->end - m->start), (unsigned long long)m->start, m->cmdline,
                lost ? " (its command line " : "", lost ? lost : "", lost ? ")" : "");
    }
    uint64_t us = hz ? ticks * 1000000 / hz : 0;
    kprintf("  boot time: %llu.%03llu ms since kernel entry (%llu TSC ticks)\n",
            (unsigned long long)(us / 1000), (unsigned long long)(us % 1000),
            (unsigned long long)ticks);
}
