/*
 * What one WASI call costs through a runtime (bench/wasi/measure.py): N
 * calls of clock_time_get (a layer call that reaches the kernel once and
 * copies 8 bytes out) and N of args_sizes_get (the layer alone, two 4-byte
 * copies out), timed with clock_time_get itself. Prints
 * "wasi-bench: clock_time_get NS ns" and "wasi-bench: args_sizes_get NS ns"
 * per call. N is the first argument (default 100000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(void)
{
    __wasi_timestamp_t t = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    if (n < 1)
        n = 1;
    __wasi_timestamp_t t0 = now(), t;
    for (long i = 0; i < n; i++)
        (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    __wasi_timestamp_t t1 = now();
    __wasi_size_t a, b;
    for (long i = 0; i < n; i++)
        (void)__wasi_args_sizes_get(&a, &b);
    __wasi_timestamp_t t2 = now();
    printf("wasi-bench: clock_time_get %llu ns\n", (unsigned long long)((t1 - t0) / n));
    printf("wasi-bench: args_sizes_get %llu ns\n", (unsigned long long)((t2 - t1) / n));
    return 0;
}
