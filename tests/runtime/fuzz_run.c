/* fuzz_run.c: the Atoll side of the differential fuzzer (fuzz_diff.py).
 *
 *   fuzz-run [--timeout MS] FILE.wasm...   the runs
 *   fuzz-run --sig FILE.wasm...            the exported functions' types
 *   fuzz-run --dump PREFIX FILE.wasm       the run, and each exported memory's
 *                                          final bytes in PREFIX.NAME
 *   fuzz-run --plant-v128 FILE.wasm...     the runs, with the first v128 each
 *                                          module logs misprinted (lane 0's low
 *                                          bit flipped): a planted divergence,
 *                                          for fuzz_diff_self.py to catch
 *
 * Each module's output starts with a line "module FILE". --sig prints one
 * line per exported function, NAME -PARAMS -RESULTS (as i/I/f/F/r/v), and
 * per exported global, "global NAME T", for fuzz_diff.js, which cannot read
 * a function's or a global's type in node 20.
 *
 * A run instantiates a module made by `wasm-opt -ttf` (its
 * fuzzing-support.log-* imports print their argument; log-v128's as four
 * i32 lanes in hex, lane 0 first), calls every exported function in export
 * order with zero arguments, printing what it logs and its result or "trap
 * KIND", then prints each exported global and a hash of each exported
 * memory. fuzz_diff.js prints the same lines from node; the two must agree,
 * up to what fuzz_diff.py forgives. An export with a v128 in its type is
 * listed ("call NAME", then "uncalled: v128") but not called, as
 * JavaScript cannot call it: fuzz_diff.py counts it as a call not compared.
 * An import other than the five loggers is refused ("instantiate: error
 * unknown import"), as node refuses it: fuzz_diff.py counts a module both
 * refuse as not compared, never as agreement.
 *
 * Values that cross to JavaScript print every NaN as "nan": JavaScript
 * numbers quiet a signalling NaN, and an arithmetic NaN's payload and sign
 * are not deterministic. Memory keeps exact bits (the memory hash).
 * Trap kinds are folded into the classes V8's messages can tell apart.
 * A module that does not compile prints "skip: not compiled: WHY", which
 * fuzz_diff.py counts as Atoll refusing it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "../../host/linux_trap.h"
#include "../../wasm/wasm.h"

static const char *trap_class(int t)
{
    switch (t) {
    case WASM_TRAP_UNREACHABLE:    return "unreachable";
    case WASM_TRAP_MEMORY_OOB:     return "memory";
    case WASM_TRAP_DIV_ZERO:       return "div";
    case WASM_TRAP_INT_OVERFLOW:   return "overflow";
    case WASM_TRAP_BAD_CONVERSION: return "convert";
    case WASM_TRAP_UNDEF_ELEM:     /* V8: "table index is out of bounds" */
    case WASM_TRAP_TABLE_OOB:      return "table";
    case WASM_TRAP_UNINIT_ELEM:    /* V8: "null function or function signature mismatch" */
    case WASM_TRAP_SIG_MISMATCH:   return "indirect";
    case WASM_TRAP_STACK:          return "stack";
    case WASM_TRAP_INTERRUPTED:    return "timeout";
    default:                       return "host";
    }
}

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
        printf(v ? " ref" : " null");
}

static bool plant_v128;          /* --plant-v128 */
static bool planted;             /* this module's first v128 log misprinted */

static int logger(void *env, uint64_t *vals)
{
    uint8_t t = (uint8_t)(uintptr_t)env;
    if (t == 0x7b) {
        /* Whole lanes in hex: bits exactly, NaN payloads included, as
         * memory is compared. A lane's type is not known here, so no NaN
         * can be forgiven; one that differs is judged by hand. */
        uint64_t lo = vals[0], hi = vals[1];
        if (plant_v128 && !planted) {
            lo ^= 1;
            planted = true;
        }
        printf("log v128:%08" PRIx32 " %08" PRIx32 " %08" PRIx32 " %08" PRIx32 "\n",
               (uint32_t)lo, (uint32_t)(lo >> 32), (uint32_t)hi, (uint32_t)(hi >> 32));
        return 0;
    }
    printf("log");
    show(vals[0], t);
    printf("\n");
    return 0;
}

/* The valtype of fuzzing-support's logger NAME, or 0 when there is none. */
static uint8_t logger_type(const wasm_import_desc *d)
{
    static const struct { const char *name; uint8_t type; } loggers[] = {
        { "log-i32", 0x7f }, { "log-i64", 0x7e }, { "log-f32", 0x7d },
        { "log-f64", 0x7c }, { "log-v128", 0x7b },
    };
    if (d->kind != 0 || d->module_len != 15 || memcmp(d->module, "fuzzing-support", 15))
        return 0;
    for (size_t i = 0; i < sizeof loggers / sizeof loggers[0]; i++)
        if (strlen(loggers[i].name) == d->field_len &&
            !memcmp(loggers[i].name, d->field, d->field_len))
            return loggers[i].type;
    return 0;
}

static char code(uint8_t t)
{
    return t == 0x7f ? 'i' : t == 0x7e ? 'I' : t == 0x7d ? 'f' : t == 0x7c ? 'F'
         : t == 0x7b ? 'v' : 'r';
}

/* FNV-1a over the bytes; fuzz_diff.js computes the same. */
static uint32_t hash(const uint8_t *p, uint64_t n)
{
    uint32_t h = 2166136261u;
    for (uint64_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static const char *dump;          /* --dump PREFIX */

static void disarm(void)
{
    struct itimerval t = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &t, NULL);
}

static void print_sigs(const wasm_module *m, wasm_instance *in)
{
    for (uint32_t i = 0; i < wasm_module_num_exports(m); i++) {
        const char *name;
        uint32_t nlen, np, nr;
        uint8_t kind;
        const uint8_t *params, *results;
        wasm_extern fn;
        wasm_module_export(m, i, &name, &nlen, &kind);
        if (kind == 3 && wasm_instance_export(in, name, nlen, &fn)) {
            uint8_t type;
            wasm_global_value(&fn, &type);
            printf("global %.*s %c\n", (int)nlen, name, code(type));
        }
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
}

static void run_exports(wasm_store *s, const wasm_module *m, wasm_instance *in,
                        unsigned timeout)
{
    uint32_t n = wasm_module_num_exports(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *name;
        uint32_t nlen, np, nr;
        uint8_t kind;
        const uint8_t *params, *results;
        wasm_extern fn;
        wasm_module_export(m, i, &name, &nlen, &kind);
        if (kind != 0 || !wasm_instance_export(in, name, nlen, &fn))
            continue;
        wasm_func_type(&fn, &np, &params, &nr, &results);
        uint64_t vals[64] = { 0 };
        printf("call %.*s\n", (int)nlen, name);
        if (memchr(params, 0x7b, np) || memchr(results, 0x7b, nr)) {
            printf("uncalled: v128\n");    /* JavaScript cannot call it */
            continue;
        }
        if (np > 64 || nr > 64) {
            printf("uncalled: over 64 values\n");
            continue;
        }
        if (timeout)
            linux_trap_timeout(timeout);
        int t = wasm_call(s, &fn, vals);
        disarm();
        if (t) {
            printf("trap %s\n", trap_class(t));
            continue;
        }
        printf("result");
        for (uint32_t k = 0; k < nr; k++)
            show(vals[k], results[k]);
        printf("\n");
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *name;
        uint32_t nlen;
        uint8_t kind, type;
        wasm_extern x;
        wasm_module_export(m, i, &name, &nlen, &kind);
        if ((kind != 2 && kind != 3) || !wasm_instance_export(in, name, nlen, &x))
            continue;
        if (kind == 3) {
            uint64_t v = wasm_global_value(&x, &type);
            if (type == 0x7b)
                continue;
            printf("global %.*s", (int)nlen, name);
            show(v, type);
            printf("\n");
        } else {
            uint64_t size;
            uint8_t *p = wasm_memory_data(&x, &size);
            printf("memory %.*s %" PRIu64 " %08" PRIx32 "\n", (int)nlen, name,
                   size >> 16, hash(p, size));
            char path[4096];
            snprintf(path, sizeof path, "%s.%.*s", dump ? dump : "", (int)nlen, name);
            FILE *f = dump ? fopen(path, "wb") : NULL;
            if (f) {
                fwrite(p, 1, size, f);
                fclose(f);
            }
        }
    }
}

static void run_one(const char *path, bool sig, unsigned timeout)
{
    static unsigned char bytes[1 << 24];
    printf("module %s\n", path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("skip: cannot read\n");
        return;
    }
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    wasm_error err;
    wasm_module *m = wasm_module_decode(bytes, len, NULL, &err);
    if (!m) {
        printf("invalid: %s\n", err.msg);
        return;
    }
    wasm_compiled *c = wasm_compile(m, &err);
    if (!c) {
        printf("skip: not compiled: %s\n", err.msg);
        wasm_module_free(m);
        return;
    }
    wasm_store *s = wasm_store_new(0);
    uint32_t n = wasm_module_num_imports(m);
    wasm_extern *im = calloc(n + 1, sizeof *im);
    planted = false;
    for (uint32_t i = 0; s && im && i < n; i++) {
        wasm_import_desc d;
        wasm_module_import(m, i, &d);
        /* Each logger's type is its own, not the import's: a module that
         * imports one with another type is refused. node refuses it too
         * for log-v128 (a Wasm function there) but not for the others,
         * whose JavaScript functions take anything: a divergence, which
         * binaryen's modules never show. */
        uint8_t t = logger_type(&d);
        if (!t) {
            printf("instantiate: error unknown import %.*s.%.*s\n", (int)d.module_len,
                   d.module, (int)d.field_len, d.field);
            goto out;
        }
        if (!wasm_host_func_new(s, &t, 1, NULL, 0, logger, (void *)(uintptr_t)t, &im[i])) {
            printf("skip: out of memory\n");
            goto out;
        }
    }
    int trap = 0;
    if (timeout)
        linux_trap_timeout(timeout);
    wasm_instance *in = s && im ? wasm_instantiate(s, c, im, n, &err, &trap) : NULL;
    disarm();
    if (!in) {
        if (trap)
            printf("instantiate: trap %s\n", trap_class(trap));
        else
            printf("instantiate: error %s\n", err.msg);
    } else if (sig) {
        print_sigs(m, in);
    } else {
        run_exports(s, m, in, timeout);
    }
out:
    fflush(stdout);
    free(im);
    wasm_store_free(s);
    wasm_compiled_free(c);
    wasm_module_free(m);
}

int main(int argc, char **argv)
{
    bool sig = false;
    unsigned timeout = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--sig"))
            sig = true;
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--plant-v128"))
            plant_v128 = true;
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
            timeout = (unsigned)atoi(argv[++i]);
        else
            return 2;
    }
    if (i == argc)
        return 2;
    for (; i < argc; i++)
        run_one(argv[i], sig, timeout);
    return 0;
}
