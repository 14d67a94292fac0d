/*
 * What one WASI call costs through a runtime (bench/wasi/measure.py), each
 * timed N times with clock_time_get itself:
 *
 *   clock_time_get   a layer call that reaches the kernel once, 8 bytes out
 *   args_sizes_get   the layer alone, two 4-byte copies out
 *
 * and, given a folder DIR (a preopened one, by its path), on a file of
 * 4 KiB in it, calls that go to the file service and back:
 *
 *   stat             path_filestat_get: a path walked, 64 bytes back
 *   pread_4k         fd_pread of 4 KiB
 *   pwrite_4k        fd_pwrite of 4 KiB
 *
 * Prints "wasi-bench: NAME NS ns" per call. Usage: calls [N [DIR]]
 * (N default 100000).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(void)
{
    __wasi_timestamp_t t = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

static void report(const char *name, __wasi_timestamp_t t0, long n)
{
    printf("wasi-bench: %s %llu ns\n", name, (unsigned long long)((now() - t0) / n));
}

static int files(const char *dir, long n)
{
    char path[512];
    static char block[4096];
    snprintf(path, sizeof path, "%s/wasi-bench.dat", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || pwrite(fd, block, sizeof block, 0) != (ssize_t)sizeof block) {
        perror(path);
        return 1;
    }
    struct stat st;
    __wasi_timestamp_t t0 = now();
    for (long i = 0; i < n; i++)
        if (stat(path, &st))
            return perror("stat"), 1;
    report("stat", t0, n);
    t0 = now();
    for (long i = 0; i < n; i++)
        if (pread(fd, block, sizeof block, 0) != (ssize_t)sizeof block)
            return perror("pread"), 1;
    report("pread_4k", t0, n);
    t0 = now();
    for (long i = 0; i < n; i++)
        if (pwrite(fd, block, sizeof block, 0) != (ssize_t)sizeof block)
            return perror("pwrite"), 1;
    report("pwrite_4k", t0, n);
    close(fd);
    unlink(path);
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    if (n < 1)
        n = 1;
    __wasi_timestamp_t t0 = now(), t;
    for (long i = 0; i < n; i++)
        (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    report("clock_time_get", t0, n);
    __wasi_size_t a, b;
    t0 = now();
    for (long i = 0; i < n; i++)
        (void)__wasi_args_sizes_get(&a, &b);
    report("args_sizes_get", t0, n);
    return argc > 2 ? files(argv[2], n) : 0;
}
