/* compile_peak.c: the memory one decode+validate+compile of a module
 * takes, on Linux with the engine of atoll-run (bench/large/measure.py).
 *
 *   compile-peak FILE.wasm
 *
 * Prints, for one decode+validate+compile of FILE (after reading it):
 *   engine peak: the most bytes the engine held at once through its host
 *     interface: heap (wasm_host_alloc) plus code regions
 *     (wasm_host_code_alloc) whole. This is what the kernel commits: its
 *     code regions are backed in full when allocated, its heap is the
 *     engine's allocations (kern/wasm_host.c). Counted by wrapping those
 *     functions at link time (-Wl,--wrap), so the figure is exact and
 *     does not depend on libc's allocator.
 *   kept: what the compiled module and its decoded module still hold
 *     afterwards (the module's resident cost).
 *   process peak RSS: VmHWM less VmRSS before the compile (Linux backs
 *     untouched pages of a code region lazily, so this can be lower).
 * Times are bench-compile's job (bench/compile/bench_compile.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../host/file.h"
#include "../../wasm/runtime/runtime.h"
#include "../../wasm/wasm.h"

void *__real_wasm_host_alloc(size_t size);
void __real_wasm_host_free(void *p, size_t size);
void *__real_wasm_host_code_alloc(size_t size);
void __real_wasm_host_code_free(void *p, size_t size);

static size_t held, peak;

static void note(size_t add, size_t sub)
{
    held = held + add - sub;
    if (held > peak)
        peak = held;
}

void *__wrap_wasm_host_alloc(size_t size)
{
    void *p = __real_wasm_host_alloc(size);
    if (p)
        note(size, 0);
    return p;
}

void __wrap_wasm_host_free(void *p, size_t size)
{
    if (p)
        note(0, size);
    __real_wasm_host_free(p, size);
}

void *__wrap_wasm_host_code_alloc(size_t size)
{
    void *p = __real_wasm_host_code_alloc(size);
    if (p)
        note(size, 0);
    return p;
}

void __wrap_wasm_host_code_free(void *p, size_t size)
{
    if (p)
        note(0, size);
    __real_wasm_host_code_free(p, size);
}

/* A "VmRSS:" or "VmHWM:" line of /proc/self/status, in KiB. */
static long status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            v = strtol(line + strlen(key), NULL, 10);
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: compile-peak FILE.wasm\n");
        return 2;
    }
    size_t n;
    char *bytes = host_read_file(argv[1], &n);
    if (!bytes) {
        perror(argv[1]);
        return 1;
    }
    /* Resets VmHWM to the current RSS (Linux 4.0+), so the peak is the
     * compile's alone. */
    FILE *cr = fopen("/proc/self/clear_refs", "w");
    if (cr) {
        fputs("5", cr);
        fclose(cr);
    }
    long rss0 = status_kib("VmRSS:");
    wasm_error err;
    wasm_module *m = wasm_module_decode(bytes, n, NULL, &err);
    size_t after_decode = held, decode_peak = peak;
    wasm_compiled *c = m ? wasm_compile(m, &err) : NULL;
    if (!c) {
        char buf[256];
        printf("%s: refused: %s\n", argv[1], wasm_error_format(&err, m, buf, sizeof buf));
        return 1;
    }
    long hwm = status_kib("VmHWM:");
    printf("%s: %zu bytes\n", argv[1], n);
    printf("  engine peak: %zu bytes (%.2f x the module); decode alone %zu, decoded module "
           "%zu\n", peak, (double)peak / (double)n, decode_peak, after_decode);
    printf("  kept: %zu bytes (%.2f x the module), of which code region %zu\n", held,
           (double)held / (double)n, wasm_compiled_code_size(c));
    /* The engine has no API for its trap table: read from struct
     * wasm_compiled (wasm/runtime/runtime.h), as bench-compile does. */
    printf("  trap table: %u sites, room for %u (%zu bytes)\n", c->code.ntraps,
           c->code.captraps, c->code.captraps * sizeof *c->code.traps);
    printf("  estimate: %zu bytes (wasm_compile_estimate)\n", wasm_compile_estimate(m));
    printf("  process peak RSS: %ld KiB over %ld KiB before\n", hwm - rss0, rss0);
    wasm_compiled_free(c);
    wasm_module_free(m);
    free(bytes);
    return 0;
}
