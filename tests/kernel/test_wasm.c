/*
 * The engine's front end inside the kernel: every boot module whose
 * command line ends in " valid", " malformed" or " invalid" is decoded and
 * validated here (a module whose command line was lost fails the test), from the same sources as the Linux tools, and must give
 * that verdict; the heap must be back where it was afterwards. Manual: it
 * needs those modules, so test=all leaves it out.
 * tests/qemu/test_wasm_kernel.py passes spec-suite modules this way.
 */
#include "boot/bootinfo.h"
#include "kern/clock.h"
#include "kern/ktest.h"
#include "kern/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "wasm/wasm.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

KTEST_MANUAL(wasm_decode_modules)
{
    struct heap_stats before, after;
    heap_get_stats(&before);
    int checked = 0;
    uint64_t bytes = 0, ns = 0;
    for (int i = 0; i < bootinfo.module_count; i++) {
        const struct boot_module *bm = &bootinfo.modules[i];
        /* Its verdict is in its command line: without it, this module
         * would be skipped unseen. */
        const char *lost = boot_module_cmdline_problem(bm);
        KCHECK(!lost, "module %d's command line %s: cannot tell what it should decode to", i,
               lost);
        const char *want = ends_with(bm->cmdline, " valid")       ? "valid"
                           : ends_with(bm->cmdline, " malformed") ? "malformed"
                           : ends_with(bm->cmdline, " invalid")   ? "invalid"
                                                                  : NULL;
        if (!want)
            continue;
        wasm_error err;
        uint64_t t0 = clock_ns();
        wasm_module *m = wasm_module_decode(phys_to_virt(bm->start), bm->end - bm->start, NULL, &err);
        ns += clock_ns() - t0;
        bytes += bm->end - bm->start;
        const char *got = m ? "valid" : err.malformed ? "malformed" : "invalid";
        char msg[256];
        if (!m)
            wasm_error_format(&err, NULL, msg, sizeof msg);
        KCHECK(strcmp(got, want) == 0, "%s: expected %s, got %s%s%s", bm->cmdline, want, got,
               m ? "" : ": ", m ? "" : msg);
        wasm_module_free(m);
        checked++;
    }
    heap_get_stats(&after);
    kprintf("    %d modules (%llu bytes) decoded and validated in the kernel in %llu us\n", checked,
            (unsigned long long)bytes, (unsigned long long)(ns / 1000));
    KCHECK(checked > 0, "no module to check (boot with modules named '... valid' etc.)");
    KCHECK(after.live_allocs == before.live_allocs, "the engine leaked %lld allocations",
           (long long)(after.live_allocs - before.live_allocs));
    return true;
}
