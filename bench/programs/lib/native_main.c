/* native_main.c: the native driver of one benchmark program.
 *
 *   PROG N   prints "checksum=C ns=T": C the value run(N) returned, T the
 *            monotonic time around that one call (process start excluded,
 *            as node's and atoll-run's timings exclude compilation).
 *
 * Linked with one program built by gcc -O2 from the same source as its
 * Wasm build; run lives in another object, so the call cannot be moved
 * out of the timed region.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint32_t run(uint32_t n);

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    uint32_t n = (uint32_t)strtoul(argv[1], NULL, 0);
    long long t0 = now_ns();
    uint32_t c = run(n);
    long long t1 = now_ns();
    printf("checksum=%u ns=%lld\n", c, t1 - t0);
    return 0;
}
