/* bench_decode.c: decode+validate throughput, in MB/s on one core.
 *
 *   bench-decode [-n RUNS] FILE.wasm...
 *
 * Decodes each module RUNS times (default 200) and reports the best and
 * the median run, in thread CPU time (this machine is shared: wall time
 * also counts other processes' turns). The allocator is told to keep
 * freed memory, so the figure is the engine's work, not the kernel's
 * page faults on a fresh heap each run. Not a test: it prints numbers.
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
    double *t = malloc((size_t)runs * sizeof *t);
    for (int i = 0; i < runs; i++) {
        wasm_error err;
        double t0 = cpu_now();
        wasm_module *m = wasm_module_decode(bytes, (size_t)n, NULL, &err);
        t[i] = cpu_now() - t0;
        if (!m) {
            char buf[256];
            printf("%s: refused: %s\n", path, wasm_error_format(&err, NULL, buf, sizeof buf));
            return 1;
        }
        wasm_module_free(m);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    printf("%s: %zu bytes, best %.3f ms = %.0f MB/s, median %.3f ms = %.0f MB/s\n",
           path, n, t[0] * 1e3, (double)n / t[0] / 1e6,
           t[runs / 2] * 1e3, (double)n / t[runs / 2] / 1e6);
    free(t);
    free(bytes);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 200, rc = 0, i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-n")) {
        runs = atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc || runs < 1) {
        fprintf(stderr, "usage: bench-decode [-n RUNS] FILE.wasm...\n");
        return 2;
    }
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    for (; i < argc; i++)
        rc |= bench(argv[i], runs);
    return rc;
}
