/*
 * main.c: the command of big.wasm (bench/large/build-big.sh), a WASI
 * program of 20+ MB made of real code: many copies of SQLite, each built
 * with other options, linked into one module under their own names.
 *
 *     big [-q] [STATUS]
 *
 * Runs every copy's workload (workload.c: a table in memory, inserts,
 * joins, a window function, JSON, a recursive CTE, then the copy's own
 * extensions: FTS3/4/5, R*Tree, Geopoly, sessions, STAT4, dbstat, math
 * functions), checks that all copies agree and that their sum of squares
 * matches C's, prints one line per copy (not with -q) and a summary, and
 * exits with STATUS (default 0), or 1 when a check fails: the exit status
 * shows the whole program ran.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "big.h"

/* big_copies.h (generated) lists the copies: BIG_COPY(K, "description"). */
#define BIG_COPY(k, what) int big_work_##k(const char *copy, struct big_result *r);
#include "big_copies.h"
#undef BIG_COPY

static const struct {
    const char *what;
    int (*work)(const char *copy, struct big_result *r);
} copies[] = {
#define BIG_COPY(k, what) { what, big_work_##k },
#include "big_copies.h"
#undef BIG_COPY
};

int main(int argc, char **argv)
{
    int quiet = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0)
            quiet = 1;
        else
            status = atoi(argv[i]);
    }
    long long want_sum = 0, want_count = 0;
    for (long long i = 1; i <= BIG_ROWS; i++) {
        want_sum += i * i;
        want_count += i % 3 == 0;
    }
    int n = (int)(sizeof copies / sizeof copies[0]), failed = 0, features = 0;
    long long checksum = 0;
    for (int k = 0; k < n; k++) {
        struct big_result r;
        char name[32];
        snprintf(name, sizeof name, "copy %d", k);
        int bad = copies[k].work(name, &r);
        if (!bad && (r.sum != want_sum || r.count != want_count)) {
            printf("%s: sum %lld count %lld, C says %lld %lld\n", name, r.sum, r.count, want_sum,
                   want_count);
            bad = 1;
        }
        if (!bad && k > 0 && r.checksum != checksum) {
            printf("%s: checksum %lld, copy 0 says %lld\n", name, r.checksum, checksum);
            bad = 1;
        }
        if (k == 0)
            checksum = r.checksum;
        failed += bad;
        features += r.features;
        if (!quiet || bad)
            printf("%s (%s): %s, %d extension checks\n", name, copies[k].what,
                   bad ? "FAILED" : "ok", r.features);
    }
    printf("big: %d copies of SQLite, %d failed, %d extension checks, checksum %lld\n", n,
           failed, features, checksum);
    return failed ? 1 : status;
}
