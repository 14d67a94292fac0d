/* chase.c: pointer chasing through a random cyclic list.
 * bench: n=40 test=1 kind=memory
 *
 * Links min(n, 16) * 64 Ki nodes into one random cycle (Sattolo's
 * shuffle), then walks it n times 256 Ki steps, each load depending on
 * the last: a measure of memory latency and of the cost of a dependent
 * load in generated code (in Wasm, the address computation base + index).
 * Links are 32-bit node indices, not pointers, so the nodes span 8 MiB
 * in Wasm and natively alike (8-byte native pointers would double the
 * native footprint and measure the TLB instead): beyond the caches either
 * way. Small n (the tests) stays small.
 */
#include "lib/bench.h"

#define NODES (1 << 20)
#define STEPS (256 << 10)

struct node {
    uint32_t next; /* index in nodes[] */
    uint32_t value;
};

static struct node nodes[NODES];
static uint32_t order[NODES];

BENCH_RUN
{
    uint32_t seed = 1234567u, sum = 0;
    if (n == 0)
        return 0;
    uint32_t count = n >= NODES >> 16 ? NODES : n << 16;
    for (uint32_t i = 0; i < count; i++)
        order[i] = i;
    for (uint32_t i = count - 1; i > 0; i--) {
        uint32_t j = bench_rand(&seed) % i; /* j < i: one single cycle */
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < count; i++) {
        nodes[order[i]].next = order[(i + 1) % count];
        nodes[i].value = bench_rand(&seed);
    }
    uint32_t p = 0;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t acc = 0;
        for (uint32_t s = 0; s < STEPS; s++) {
            acc += nodes[p].value;
            p = nodes[p].next;
        }
        sum = bench_mix(sum, acc);
    }
    return sum;
}
