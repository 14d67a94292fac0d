/* fuzz_run.c: the Atoll side of the differential fuzzer (fuzz_diff.py).
 *
 *   fuzz-run FILE.wasm          the run
 *   fuzz-run --sig FILE.wasm    the exported functions' types, one per
 *                               line: NAME PARAMS RESULTS (as i/I/f/F/r)
 *
 * Instantiates a module made by `wasm-opt -ttf` (its fuzzing-support.log-*
 * imports print their argument), then calls every exported function in
 * order with zero arguments, printing each result or "trap". fuzz_diff.js
 * prints the same lines from node; the two must agree. Floats print as
 * bits, every NaN as "nan" (its payload is not deterministic).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../wasm/wasm.h"

static void show(uint64_t v, uint8_t t)
{
    if (t == 0x7f)
        printf(" %" PRId32, (int32_t)v);
    else if (t == 0x7e)
        printf(" %" PRId64, (int64_t)v);
    else if (t == 0x7d)
        ((v & 0x7f800000) == 0x7f800000 && (v & 0x7fffff)) ? printf(" nan")
                                                           : printf(" f32:%08" PRIx32, (uint32_t)v);
    else if (t == 0x7c)
        ((v & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v & 0xfffffffffffffull))
            ? printf(" nan") : printf(" f64:%016" PRIx64, v);
    else
        printf(" ref");
}

static int logger(void *env, uint64_t *vals)
{
    printf("log");
    show(vals[0], (uint8_t)(uintptr_t)env);
    printf("\n");
    return 0;
}

static char code(uint8_t t)
{
    return t == 0x7f ? 'i' : t == 0x7e ? 'I' : t == 0x7d ? 'f' : t == 0x7c ? 'F' : 'r';
}

int main(int argc, char **argv)
{
    bool sig = argc == 3 && !strcmp(argv[1], "--sig");
    if (sig)
        argv++, argc--;
    if (argc != 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    static unsigned char bytes[1 << 24];
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    wasm_error err;
    wasm_module *m = wasm_module_decode(bytes, len, NULL, &err);
    if (!m) {
        printf("invalid\n");
        return 0;
    }
    wasm_compiled *c = wasm_compile(m, &err);
    if (!c) {
        printf("not compiled: %s\n", err.msg);
        return 3;
    }
    wasm_store *s = wasm_store_new(0);
    uint32_t n = wasm_module_num_imports(m);
    wasm_extern *im = calloc(n + 1, sizeof *im);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_desc d;
        wasm_module_import(m, i, &d);
        uint8_t t = d.field_len == 7 && !memcmp(d.field, "log-i32", 7) ? 0x7f
                  : d.field_len == 7 && !memcmp(d.field, "log-i64", 7) ? 0x7e
                  : d.field_len == 7 && !memcmp(d.field, "log-f32", 7) ? 0x7d : 0x7c;
        if (!wasm_host_func_new(s, &t, 1, NULL, 0, logger, (void *)(uintptr_t)t, &im[i]))
            return 2;
    }
    int trap;
    wasm_instance *in = wasm_instantiate(s, c, im, n, &err, &trap);
    if (sig && in) {
        for (uint32_t i = 0; i < wasm_module_num_exports(m); i++) {
            const char *name;
            uint32_t nlen, np, nr;
            uint8_t kind;
            const uint8_t *params, *results;
            wasm_extern fn;
            wasm_module_export(m, i, &name, &nlen, &kind);
            if (kind != 0 || !wasm_instance_export(in, name, nlen, &fn))
                continue;
            wasm_func_type(&fn, &np, &params, &nr, &results);
            printf("%.*s -", (int)nlen, name);
            for (uint32_t k = 0; k < np; k++)
                putchar(code(params[k]));
            printf(" -");
            for (uint32_t k = 0; k < nr; k++)
                putchar(code(results[k]));
            printf("\n");
        }
        return 0;
    }
    if (!in) {
        printf("instantiate: %s\n", trap ? "trap" : err.msg);
        return 0;
    }
    for (uint32_t i = 0; i < wasm_module_num_exports(m); i++) {
        const char *name;
        uint32_t nlen;
        uint8_t kind;
        wasm_module_export(m, i, &name, &nlen, &kind);
        wasm_extern fn;
        if (kind != 0 || !wasm_instance_export(in, name, nlen, &fn))
            continue;
        uint32_t np, nr;
        const uint8_t *params, *results;
        wasm_func_type(&fn, &np, &params, &nr, &results);
        uint64_t vals[64] = { 0 };
        if (np > 64 || nr > 64)
            continue;
        printf("call %.*s\n", (int)nlen, name);
        int t = wasm_call(s, &fn, vals);
        if (t) {
            printf("trap\n");
            continue;
        }
        printf("result");
        for (uint32_t k = 0; k < nr; k++)
            show(vals[k], results[k]);
        printf("\n");
    }
    return 0;
}
