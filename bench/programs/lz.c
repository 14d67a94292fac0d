/* lz.c: LZ77 compression and decompression.
 * bench: n=150 test=1 kind=integer
 *
 * Each unit of n compresses 1 MiB of generated, compressible data with a
 * greedy LZ77 coder (a 64 Ki-entry hash of 4-byte prefixes, LZ4-like
 * tokens), decompresses it and checks the round trip. Exercises unaligned
 * loads, byte stores, hashing, match-length loops and short copies.
 */
#include "lib/bench.h"

#define SRC (1 << 20)
#define HASH_BITS 16
#define MIN_MATCH 4

static uint8_t src[SRC], packed[SRC + SRC / 8 + 64], back[SRC];
static uint32_t head[1 << HASH_BITS];

static void generate(uint32_t seed)
{
    /* Phrases from a small dictionary with random mutations: text-like
     * redundancy, so matches of all lengths occur. */
    static uint8_t dict[4096];
    for (int i = 0; i < 4096; i++)
        dict[i] = (uint8_t)('a' + bench_rand(&seed) % 20);
    uint32_t pos = 0;
    while (pos < SRC) {
        uint32_t r = bench_rand(&seed);
        uint32_t len = 3 + r % 40, from = (r >> 8) % (4096 - 48);
        for (uint32_t i = 0; i < len && pos < SRC; i++)
            src[pos++] = (r >> 24) % 7 == 0 && i == len / 2 ? (uint8_t)r : dict[from + i];
    }
}

static uint32_t read32(const uint8_t *p)
{
    uint32_t v;
    bench_memcpy(&v, p, 4);
    return v;
}

static uint8_t *put_len(uint8_t *o, uint32_t len)
{
    while (len >= 255) {
        *o++ = 255;
        len -= 255;
    }
    *o++ = (uint8_t)len;
    return o;
}

/* Token: literal count (4 bits) | match length - 4 (4 bits), extra length
 * bytes, the literals, a 16-bit offset. The last token has no match. */
static uint32_t compress(void)
{
    uint8_t *o = packed;
    uint32_t i = 0, lit = 0;
    bench_memset(head, 0xff, sizeof head);
    while (i + MIN_MATCH + 8 < SRC) {
        uint32_t h = (read32(src + i) * 2654435761u) >> (32 - HASH_BITS);
        uint32_t cand = head[h];
        head[h] = i;
        if (cand == 0xffffffffu || i - cand > 65535 || read32(src + cand) != read32(src + i)) {
            i++;
            continue;
        }
        uint32_t len = MIN_MATCH;
        while (i + len < SRC && src[cand + len] == src[i + len])
            len++;
        uint32_t nlit = i - lit, ml = len - MIN_MATCH;
        *o++ = (uint8_t)((nlit < 15 ? nlit : 15) << 4 | (ml < 15 ? ml : 15));
        if (nlit >= 15)
            o = put_len(o, nlit - 15);
        bench_memcpy(o, src + lit, nlit);
        o += nlit;
        *o++ = (uint8_t)(i - cand);
        *o++ = (uint8_t)((i - cand) >> 8);
        if (ml >= 15)
            o = put_len(o, ml - 15);
        i += len;
        lit = i;
    }
    uint32_t nlit = SRC - lit;
    *o++ = (uint8_t)((nlit < 15 ? nlit : 15) << 4);
    if (nlit >= 15)
        o = put_len(o, nlit - 15);
    bench_memcpy(o, src + lit, nlit);
    o += nlit;
    return (uint32_t)(o - packed);
}

static uint32_t decompress(uint32_t size)
{
    const uint8_t *p = packed, *end = packed + size;
    uint8_t *o = back;
    while (p < end) {
        uint32_t tok = *p++, nlit = tok >> 4, ml = tok & 15;
        if (nlit == 15)
            do
                nlit += *p;
            while (*p++ == 255);
        bench_memcpy(o, p, nlit);
        o += nlit;
        p += nlit;
        if (p >= end)
            break;
        uint32_t off = p[0] | (uint32_t)p[1] << 8;
        p += 2;
        if (ml == 15)
            do
                ml += *p;
            while (*p++ == 255);
        ml += MIN_MATCH;
        const uint8_t *m = o - off;
        for (uint32_t k = 0; k < ml; k++) /* may overlap: byte by byte */
            o[k] = m[k];
        o += ml;
    }
    return (uint32_t)(o - back);
}

BENCH_RUN
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        if (r % 4 == 0)
            generate(4242u + r);
        uint32_t size = compress();
        uint32_t out = decompress(size);
        for (uint32_t i = 0; i < SRC; i += 4096)
            if (back[i] != src[i])
                return 0;
        sum = bench_mix(bench_mix(sum, size), out);
    }
    return sum;
}
