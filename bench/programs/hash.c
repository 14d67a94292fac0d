/* hash.c: integer hashing and an open-addressing hash table.
 * bench: n=700 test=1 kind=integer
 *
 * Each round hashes a 64 KiB buffer byte by byte (FNV-1a, 32-bit multiply
 * chains) and word by word (a 64-bit multiply-xorshift mix), then inserts
 * 40,000 keys into a 64 Ki-slot table with linear probing and looks up as
 * many (half present). Exercises i32/i64 multiplies, shifts and xors,
 * and data-dependent probe loops.
 */
#include "lib/bench.h"

#define BUF_BYTES (64 * 1024)
#define SLOTS (64 * 1024) /* a power of two: the mask below */
#define KEYS 40000

static uint8_t buf[BUF_BYTES];
static uint32_t table_key[SLOTS];
static uint32_t table_val[SLOTS];

static uint32_t fnv1a(const uint8_t *p, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint64_t mix64(const uint8_t *p, size_t len)
{
    uint64_t h = 0x243f6a8885a308d3ull;
    for (size_t i = 0; i + 8 <= len; i += 8) {
        uint64_t w;
        bench_memcpy(&w, p + i, 8);
        h ^= w;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }
    return h;
}

static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* Key 0 marks an empty slot, so keys are made non-zero. */
static void insert(uint32_t key, uint32_t val)
{
    uint32_t i = hash32(key) & (SLOTS - 1);
    while (table_key[i] != 0 && table_key[i] != key)
        i = (i + 1) & (SLOTS - 1);
    table_key[i] = key;
    table_val[i] = val;
}

static uint32_t lookup(uint32_t key)
{
    uint32_t i = hash32(key) & (SLOTS - 1);
    while (table_key[i] != 0) {
        if (table_key[i] == key)
            return table_val[i];
        i = (i + 1) & (SLOTS - 1);
    }
    return 0;
}

BENCH_RUN
{
    uint32_t sum = 0, seed = 12345;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < BUF_BYTES; i++)
        buf[i] = (uint8_t)bench_rand(&seed);
    for (uint32_t r = 0; r < n; r++) {
        buf[r % BUF_BYTES] ^= (uint8_t)r; /* each round hashes new data */
        sum = bench_mix(sum, fnv1a(buf, BUF_BYTES));
        uint64_t m = mix64(buf, BUF_BYTES);
        sum = bench_mix(sum, (uint32_t)m ^ (uint32_t)(m >> 32));

        bench_memset(table_key, 0, sizeof table_key);
        uint32_t ks = r * 7919u + 1;
        for (uint32_t k = 0; k < KEYS; k++)
            insert((bench_rand(&ks) >> 1) | 1, k);
        uint32_t qs = r * 7919u + 1, found = 0;
        for (uint32_t k = 0; k < KEYS; k++) {
            uint32_t key = (bench_rand(&qs) >> 1) | 1;
            found += lookup(k & 1 ? key ^ 0x40000000u : key);
        }
        sum = bench_mix(sum, found);
    }
    return sum;
}
