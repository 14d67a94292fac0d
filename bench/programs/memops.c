/* memops.c: memcpy- and memset-heavy work.
 * bench: n=170 test=1 kind=memory
 *
 * Each unit of n clears a 4 MiB arena in 4 KiB pages, copies blocks of
 * 1 KiB to 256 KiB between pseudo-random offsets, moves small records
 * (8 to 256 bytes) as a serializer would, and compacts an array of
 * records in place (overlapping moves), then folds sampled bytes. In
 * Wasm these are memory.copy and memory.fill (bulk memory); natively
 * they are the C library's memcpy and memset.
 */
#include "lib/bench.h"

#define ARENA (4 << 20)
#define RECORDS 4096
#define REC_SIZE 96

static uint8_t arena[ARENA], out[ARENA];
static uint8_t records[RECORDS * REC_SIZE];

BENCH_RUN
{
    uint32_t sum = 0, seed = 5318008u;
    for (uint32_t r = 0; r < n; r++) {
        for (uint32_t p = 0; p < ARENA; p += 4096)
            bench_memset(arena + p, (int)((p >> 12) + r), 4096);

        /* Large copies: 64 blocks of 1 KiB .. 256 KiB. */
        for (int i = 0; i < 64; i++) {
            uint32_t len = 1024u << (bench_rand(&seed) % 9);
            uint32_t from = bench_rand(&seed) % (ARENA - len);
            uint32_t to = bench_rand(&seed) % (ARENA - len);
            bench_memcpy(out + to, arena + from, len);
            out[to] ^= (uint8_t)i;
        }

        /* Small copies: a serializer packing records of varying size. */
        uint32_t pos = 0;
        for (int i = 0; i < 200000; i++) {
            uint32_t len = 8 + (bench_rand(&seed) & 0xf8); /* 8..256 */
            uint32_t from = bench_rand(&seed) % (ARENA - 256);
            if (pos + len > ARENA)
                pos = 0;
            bench_memcpy(out + pos, arena + from, len);
            pos += len;
        }

        /* Compaction: delete every third record, sliding the rest down. */
        for (int i = 0; i < RECORDS; i++)
            bench_memset(records + i * REC_SIZE, i & 0xff, REC_SIZE);
        int live = RECORDS;
        for (int i = 0; i < live; i += 2) {
            bench_memcpy(records + i * REC_SIZE, out + (uint32_t)i * 997u % (ARENA - REC_SIZE), 16);
            __builtin_memmove(records + i * REC_SIZE, records + (i + 1) * REC_SIZE,
                              (size_t)(live - i - 1) * REC_SIZE);
            live--;
            if (i > 256)
                i += 64; /* bound the quadratic part */
        }

        for (uint32_t p = 0; p < ARENA; p += 4093)
            sum = bench_mix(sum, out[p]);
        for (int i = 0; i < live * REC_SIZE; i += 61)
            sum = bench_mix(sum, records[i]);
    }
    return sum;
}
