/*
 * The engine's front end inside the kernel: every boot module whose
 * command line ends in " valid", " malformed" or " invalid" is decoded and
 * validated here (a module whose command line was lost fails the test), from the same sources as the Linux tools, and must give
 * that verdict; the heap must be back where it was afterwards. Manual: it
 * needs those modules, so test=all leaves it out.
 * tests/qemu/test_wasm_kernel.py passes spec-suite modules this way.
 */
#include "boot/bootinfo.h"
#include "base/clock.h"
#include "kern/kmodule.h"
#include "kern/ktest.h"
#include "base/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/vregion.h"
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

static bool contains(const char *s, const char *part)
{
    size_t n = strlen(part);
    for (; *s; s++)
        if (strncmp(s, part, n) == 0)
            return true;
    return false;
}

/* Appends v as unsigned LEB128. */
static size_t leb(uint8_t *p, uint32_t v)
{
    size_t n = 0;
    do {
        p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return n;
}

/* A module of `funcs` empty functions of type [] -> []: small as bytes
 * (a few per function) but, decoded, larger than the heap's slabs hold,
 * so decoding needs a region of its own. */
static size_t many_funcs_module(uint8_t *out, uint32_t funcs)
{
    static const uint8_t head[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                    0x01, 0x04, 0x01, 0x60, 0x00, 0x00 };
    size_t n = sizeof head;
    memcpy(out, head, n);
    uint8_t cnt[5];
    size_t c = leb(cnt, funcs);
    out[n++] = 0x03;
    n += leb(out + n, (uint32_t)(c + funcs));
    memcpy(out + n, cnt, c), n += c;
    memset(out + n, 0, funcs), n += funcs;
    out[n++] = 0x0a;
    n += leb(out + n, (uint32_t)(c + 3 * funcs));
    memcpy(out + n, cnt, c), n += c;
    for (uint32_t i = 0; i < funcs; i++)
        out[n++] = 0x02, out[n++] = 0x00, out[n++] = 0x0b;
    return n;
}

/* A module refused because the kernel ran out of regions (here with no
 * new region allowed: large heap allocations and code need one) is result
 * 2, "out of memory", with nothing leaked, and the same bytes make a
 * module once regions are back. */
KTEST(kmodule_out_of_regions)
{
    static uint8_t bytes[2048];
    size_t len = many_funcs_module(bytes, 400);
    KCHECK(len <= sizeof bytes, "module of %llu bytes", (unsigned long long)len);
    struct heap_stats before, after;
    heap_get_stats(&before);
    int status = -1;
    char why[160] = "";
    uint64_t old = vregion_set_limit(0);
    struct kmodule *km = kmodule_create(bytes, len, NULL, &status, why, sizeof why);
    vregion_set_limit(old);
    kprintf("    with no region to be had: status %d, \"%s\"\n", status, why);
    KCHECK(!km, "a module was made with no region to be had");
    KCHECK(status == 2, "status %d, not 2 (\"%s\")", status, why);
    KCHECK(contains(why, "out of memory"), "reason \"%s\"", why);
    heap_get_stats(&after);
    KCHECK(after.live_allocs == before.live_allocs, "%lld allocations leaked",
           (long long)(after.live_allocs - before.live_allocs));
    km = kmodule_create(bytes, len, NULL, &status, why, sizeof why);
    KCHECK(km && status == 0, "with regions back: status %d (%s)", status, why);
    kobj_put(&km->k);
    return true;
}
