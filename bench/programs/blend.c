/* blend.c: 8-bit image compositing (SIMD-friendly).
 * bench: n=600 test=1 kind=simd simd
 *
 * Each unit of n alpha-blends two 512x512 RGBA images with a per-pixel
 * alpha, adds a brightness offset with unsigned saturation, and computes
 * a per-channel sum of absolute differences against the background.
 * Straight-line loops over bytes that a vectorizer turns into i8x16 and
 * i16x8 operations (clang -msimd128); built without it, they are the
 * scalar baseline. Issue 9 (SIMD) runs both builds.
 */
#include "lib/bench.h"

#define PIXELS (512 * 512)
#define BYTES (PIXELS * 4)

static uint8_t fg[BYTES], bg[BYTES], alpha[BYTES], out[BYTES];

static void blend(void)
{
    for (int i = 0; i < BYTES; i++) {
        uint32_t a = alpha[i];
        uint32_t x = fg[i] * a + bg[i] * (255 - a) + 128;
        out[i] = (uint8_t)((x + (x >> 8)) >> 8); /* exact x / 255 for x < 65536 */
    }
}

static void brighten(uint8_t add)
{
    for (int i = 0; i < BYTES; i++) {
        uint32_t v = out[i] + add;
        out[i] = (uint8_t)(v > 255 ? 255 : v);
    }
}

static uint32_t sad(void)
{
    uint32_t s = 0;
    for (int i = 0; i < BYTES; i++) {
        int d = (int)out[i] - (int)bg[i];
        s += (uint32_t)(d < 0 ? -d : d);
    }
    return s;
}

BENCH_RUN
{
    uint32_t seed = 31337u, sum = 0;
    if (n == 0)
        return 0;
    for (int i = 0; i < BYTES; i++) {
        uint32_t r = bench_rand(&seed);
        fg[i] = (uint8_t)r;
        bg[i] = (uint8_t)(r >> 8);
        alpha[i] = (uint8_t)((i & 3) == 3 ? 255 : r >> 16);
    }
    for (uint32_t r = 0; r < n; r++) {
        blend();
        brighten((uint8_t)(r * 7));
        sum = bench_mix(sum, sad());
        fg[r % BYTES] ^= 0x5a; /* the next round's input differs */
    }
    return sum;
}
