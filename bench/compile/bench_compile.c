/* bench_compile.c: compile throughput of the single-pass compiler, in MB
 * of module per second on one core; the size of the code it makes; the
 * time to instantiate the module.
 *
 *   bench-compile [-n RUNS] FILE.wasm...
 *
 * Decodes and compiles each module RUNS times (default 50): best and
 * median of wasm_compile alone and of decode+validate+compile, as whole-
 * module bytes / time, in thread CPU time (the machine is shared).
 * Then: the bytes of the functions' Wasm bodies against the bytes of
 * machine code the compiler made for them (the engine has no API for it:
 * read from its internal struct wasm_compiled, wasm/runtime.h), and the
 * median wall time of RUNS instantiations of the compiled module, every
 * imported function a stub (memory, tables, globals and segments made,
 * no start function run beyond the module's own). docs/compiler.md
 * ("Compile speed") and bench/results.md keep the figures. Not a test:
 * it prints.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../host/file.h"
#include "../../wasm/runtime/runtime.h"
#include "../../wasm/wasm.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int stub(void *env, uint64_t *vals)
{
    (void)env;
    vals[0] = 0;
    return WASM_TRAP_NONE;
}

/* Imports for m: functions are stubs returning zero; other kinds are not
 * supported (false). */
static bool stub_imports(wasm_store *s, const wasm_module *m, wasm_extern *out)
{
    for (uint32_t i = 0, f = 0; i < m->nimports; i++) {
        if (m->imports[i].kind != 0)
            return false;
        const struct wasm_functype *t = &m->types[m->funcs[f++].type];
        if (!wasm_host_func_new(s, t->params, t->nparams, t->results, t->nresults, stub, NULL,
                                &out[i]))
            return false;
    }
    return true;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench(const char *path, int runs)
{
    size_t n;
    char *bytes = host_read_file(path, &n);
    if (!bytes) {
        perror(path);
        return 1;
    }
    double *tc = malloc((size_t)runs * sizeof *tc), *tall = malloc((size_t)runs * sizeof *tall);
    for (int i = 0; i < runs; i++) {
        wasm_error err;
        double t0 = cpu_now();
        wasm_module *m = wasm_module_decode(bytes, (size_t)n, NULL, &err);
        double t1 = cpu_now();
        wasm_compiled *c = m ? wasm_compile(m, &err) : NULL;
        double t2 = cpu_now();
        if (!c) {
            char buf[256];
            printf("%s: refused: %s\n", path, wasm_error_format(&err, m, buf, sizeof buf));
            return 1;
        }
        tc[i] = t2 - t1;
        tall[i] = t2 - t0;
        if (i < runs - 1) {
            wasm_compiled_free(c);
            wasm_module_free(m);
            continue;
        }
        /* The last one stays for code size and instantiation. */
        size_t wasm_code = 0;
        for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++)
            wasm_code += m->funcs[f].code_len;
        /* The engine keeps the region's size, not the bytes it used: the
         * region was fresh (zero) memory, so the code ends at its last
         * non-zero byte (within a few bytes). */
        size_t used = c->code.size;
        while (used && c->code.base[used - 1] == 0)
            used--;
        printf("%s: code: %u functions, Wasm bodies %zu bytes, machine code %zu bytes "
               "(%.2f x Wasm; region %zu bytes)\n", path, m->nfuncs - m->nfunc_imports,
               wasm_code, used, (double)used / (double)wasm_code, c->code.size);
        double *ti = malloc((size_t)runs * sizeof *ti);
        wasm_extern *imp = calloc(m->nimports + 1, sizeof *imp);
        int ok = 1;
        for (int k = 0; k < runs && ok; k++) {
            wasm_store *s = wasm_store_new(0);
            int trap = 0;
            ok = s && stub_imports(s, m, imp);
            double w0 = wall_now();
            wasm_instance *in = ok ? wasm_instantiate(s, c, imp, m->nimports, &err, &trap) : NULL;
            ti[k] = wall_now() - w0;
            ok = in != NULL;
            if (s)
                wasm_store_free(s);
        }
        if (ok) {
            qsort(ti, (size_t)runs, sizeof *ti, cmp);
            printf("%s: instantiate: best %.3f ms, median %.3f ms, worst %.3f ms (wall)\n",
                   path, ti[0] * 1e3, ti[runs / 2] * 1e3, ti[runs - 1] * 1e3);
        } else {
            printf("%s: instantiate: not measured (imports other than functions, or it "
                   "failed)\n", path);
        }
        free(imp);
        free(ti);
        wasm_compiled_free(c);
        wasm_module_free(m);
    }
    qsort(tc, (size_t)runs, sizeof *tc, cmp);
    qsort(tall, (size_t)runs, sizeof *tall, cmp);
    printf("%s: %zu bytes\n  compile: best %.2f ms = %.0f MB/s, median %.2f ms = %.0f MB/s\n"
           "  decode+validate+compile: best %.2f ms = %.0f MB/s, median %.2f ms = %.0f MB/s\n",
           path, n, tc[0] * 1e3, (double)n / tc[0] / 1e6, tc[runs / 2] * 1e3,
           (double)n / tc[runs / 2] / 1e6, tall[0] * 1e3, (double)n / tall[0] / 1e6,
           tall[runs / 2] * 1e3, (double)n / tall[runs / 2] / 1e6);
    free(tc);
    free(tall);
    free(bytes);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 50, rc = 0, i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-n")) {
        runs = atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc || runs < 1) {
        fprintf(stderr, "usage: bench-compile [-n RUNS] FILE.wasm...\n");
        return 2;
    }
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    for (; i < argc; i++)
        rc |= bench(argv[i], runs);
    return rc;
}
