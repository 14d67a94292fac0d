/* bench_compile.c: compile throughput of the single-pass compiler, in MB
 * of module per second on one core.
 *
 *   bench-compile [-n RUNS] FILE.wasm...
 *
 * Decodes and compiles each module RUNS times (default 50): best and
 * median of wasm_compile alone and of decode+validate+compile, as whole-
 * module bytes / time, in thread CPU time (the machine is shared).
 * docs/compiler.md ("Compile speed") keeps the figures. Not a test: it
 * prints.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../host/file.h"
#include "../../wasm/wasm.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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
