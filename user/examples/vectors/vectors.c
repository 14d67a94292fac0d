/*
 * vectors — a program built with -msimd128: the same sums computed with
 * 128-bit vectors (wasm_simd128.h) and lane by lane, which must agree.
 *
 *     run vectors          dot product 354.000, bytes 0x1b69, reversed "!DMIS olleh"
 *                          vectors: all 3 agree
 */
#include <stdio.h>
#include <wasm_simd128.h>

#define N 64

static float xs[N], ys[N];

/* f32x4: four products a step, summed across the lanes at the end. */
static float dot_vector(void)
{
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int i = 0; i < N; i += 4)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(&xs[i]), wasm_v128_load(&ys[i])));
    return wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
           wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
}

/* The same order of additions as the vector version (lane k sums the
 * elements i with i % 4 == k), so the two are equal to the bit. */
static float dot_scalar(void)
{
    float lane[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < N; i++)
        lane[i % 4] += xs[i] * ys[i];
    return lane[0] + lane[1] + lane[2] + lane[3];
}

/* u8x16 saturating adds folded into a checksum. */
static unsigned bytes_vector(const unsigned char *a, const unsigned char *b)
{
    unsigned char out[16];
    wasm_v128_store(out, wasm_u8x16_add_sat(wasm_v128_load(a), wasm_v128_load(b)));
    unsigned sum = 0;
    for (int i = 0; i < 16; i++)
        sum = sum * 31 + out[i];
    return sum & 0xffff;
}

static unsigned bytes_scalar(const unsigned char *a, const unsigned char *b)
{
    unsigned sum = 0;
    for (int i = 0; i < 16; i++) {
        unsigned s = (unsigned)a[i] + b[i];
        sum = sum * 31 + (s > 255 ? 255 : s);
    }
    return sum & 0xffff;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < N; i++) {
        xs[i] = (float)(i % 7) - 1.5f;
        ys[i] = (float)(i % 5) * 2.0f;
    }
    static const unsigned char a[16] = { 250, 1, 2, 3, 200, 100, 0, 255, 9, 8, 7, 6, 5, 4, 3, 2 };
    static const unsigned char b[16] = { 10, 20, 30, 40, 100, 100, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8 };
    char text[17] = "hello SIMD!\0\0\0\0\0";
    /* Reverse the first 11 bytes with one shuffle; the rest stay zero. */
    v128_t t = wasm_v128_load(text);
    v128_t r = wasm_i8x16_shuffle(t, wasm_i8x16_splat(0), 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 16, 16,
                                  16, 16, 16);
    char rev[17];
    wasm_v128_store(rev, r);
    rev[16] = 0;

    float dv = dot_vector(), ds = dot_scalar();
    unsigned bv = bytes_vector(a, b), bs = bytes_scalar(a, b);
    int agree = (dv == ds) + (bv == bs);
    int ok = 1;
    for (int i = 0; i < 11; i++)
        ok &= rev[i] == text[10 - i];
    agree += ok;
    printf("dot product %.3f, bytes 0x%x, reversed \"%s\"\n", (double)dv, bv, rev);
    if (agree != 3) {
        printf("vectors: only %d of 3 agree (dot %f vs %f, bytes 0x%x vs 0x%x)\n", agree,
               (double)dv, (double)ds, bv, bs);
        return 1;
    }
    puts("vectors: all 3 agree");
    return 0;
}
