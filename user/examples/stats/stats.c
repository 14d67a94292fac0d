/*
 * stats — ordinary C on wasi-libc: the numbers given (N made-up ones, or
 * those of a file read with fopen) into a malloc'd array, sorted with
 * qsort, summed up with printf's floats; the time of day from time() and
 * the time the work took from clock_gettime.
 *
 *     atoll> run stats 3 1.5 2
 *     3 numbers: 1.50 2.00 3.00
 *     min 1.50, median 2.00, mean 2.17, max 3.00, stddev 0.62
 *     ...
 *     atoll> run stats -n 100000
 *     $ build/atoll-run --dir data::/data stats.wasm -f /data/numbers.txt
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A number of the command line, or -1 with the reason printed. */
static int parse(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end || errno) {
        fprintf(stderr, "stats: not a number: %s\n", s);
        return -1;
    }
    return 0;
}

/* Reads the numbers of file path (blank-separated) into a malloc'd array:
 * their count, or -1 with the reason printed. */
static long read_file(const char *path, double **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "stats: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = 0, cap = 16;
    double *v = malloc(cap * sizeof *v), x;
    while (v && fscanf(f, "%lf", &x) == 1) {
        if (n == cap) {
            double *w = realloc(v, 2 * cap * sizeof *v);
            if (!w) {
                free(v);
                v = NULL;
                break;
            }
            v = w;
            cap *= 2;
        }
        v[n++] = x;
    }
    int bad = !v || ferror(f) || !feof(f);
    fclose(f);
    if (bad || n == 0) {
        fprintf(stderr, "stats: %s: %s\n", path, !v ? "no memory" : "not a list of numbers");
        free(v);
        return -1;
    }
    *out = v;
    return (long)n;
}

int main(int argc, char **argv)
{
    size_t n;
    double *v;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (argc == 3 && strcmp(argv[1], "-f") == 0) {
        long got = read_file(argv[2], &v);
        if (got < 0)
            return 2;
        n = (size_t)got;
    } else if (argc == 3 && strcmp(argv[1], "-n") == 0) {
        /* N numbers of a fixed sequence (a linear congruential generator),
         * so two runs print the same. */
        long want = strtol(argv[2], NULL, 10);
        if (want <= 0 || want > 10000000) {
            fprintf(stderr, "stats: -n takes 1 to 10000000\n");
            return 2;
        }
        n = (size_t)want;
        v = malloc(n * sizeof *v);
        if (!v) {
            fprintf(stderr, "stats: no memory for %zu numbers\n", n);
            return 1;
        }
        unsigned long x = 12345;
        for (size_t i = 0; i < n; i++) {
            x = (x * 1103515245ul + 12345ul) & 0x7ffffffful;
            v[i] = (double)(x % 100000) / 100.0;
        }
    } else {
        if (argc < 2) {
            fprintf(stderr, "usage: stats NUMBER... | stats -n COUNT | stats -f FILE\n");
            return 2;
        }
        n = (size_t)argc - 1;
        v = malloc(n * sizeof *v);
        if (!v)
            return 1;
        for (size_t i = 0; i < n; i++)
            if (parse(argv[i + 1], &v[i]) != 0) {
                free(v);
                return 2;
            }
    }
    qsort(v, n, sizeof *v, by_value);
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (v[i] - mean) * (v[i] - mean);
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%zu numbers:", n);
    for (size_t i = 0; i < n && i < 8; i++)
        printf(" %.2f", v[i]);
    printf("%s\n", n > 8 ? " ..." : "");
    printf("min %.2f, median %.2f, mean %.2f, max %.2f, stddev %.2f\n", v[0], median, mean,
           v[n - 1], sqrt(sq / (double)n));
    free(v);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
    time_t now = time(NULL);
    printf("sorted in %lld us; time() says %lld s\n", us, (long long)now);
    return 0;
}
