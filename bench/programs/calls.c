/* calls.c: call-heavy recursion.
 * bench: n=90 test=1 kind=calls
 *
 * Each unit of n computes fib(27), Takeuchi's tak(18, 12, 6) and
 * Ackermann's ack(2, 2000) by plain recursion: millions of short calls
 * with few instructions between them. Exercises the prologue and epilogue,
 * argument passing, the stack-limit check an engine adds to each function.
 */
#include "lib/bench.h"

__attribute__((noinline)) static uint32_t fib(uint32_t k)
{
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

__attribute__((noinline)) static int32_t tak(int32_t x, int32_t y, int32_t z)
{
    return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t k)
{
    if (m == 0)
        return k + 1;
    if (k == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, k - 1));
}

BENCH_RUN
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        /* r & 1 keeps the arguments opaque to constant folding. */
        sum = bench_mix(sum, fib(27 - (r & 1)));
        sum = bench_mix(sum, (uint32_t)tak(18 + (int32_t)(r & 1), 12, 6));
        sum = bench_mix(sum, ack(2, 2000 + (r & 1)));
    }
    return sum;
}
