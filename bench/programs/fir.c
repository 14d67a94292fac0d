/* fir.c: an f32 FIR filter and saxpy (SIMD-friendly).
 * bench: n=1500 test=1 kind=simd simd
 *
 * Each unit of n filters 64 Ki f32 samples with 32 taps, looping taps
 * outside and samples inside, so every output accumulates its taps in
 * the same order in scalar and vector code (no reassociation: the
 * results are bit-identical with and without -msimd128), then runs a
 * saxpy and a clamp over the result. The inner loops become f32x4
 * multiply-adds (two instructions: Wasm has no fused multiply-add).
 */
#include "lib/bench.h"

#define SAMPLES (64 * 1024)
#define TAPS 32

static float x[SAMPLES + TAPS], y[SAMPLES], z[SAMPLES], h[TAPS];

static void filter(void)
{
    for (int i = 0; i < SAMPLES; i++)
        y[i] = 0.0f;
    for (int k = 0; k < TAPS; k++) {
        float c = h[k];
        for (int i = 0; i < SAMPLES; i++)
            y[i] += c * x[i + k];
    }
}

static void saxpy_clamp(float a)
{
    for (int i = 0; i < SAMPLES; i++) {
        float v = a * y[i] + z[i];
        z[i] = v > 1.0f ? 1.0f : (v < -1.0f ? -1.0f : v);
    }
}

BENCH_RUN
{
    uint32_t seed = 271828u, sum = 0;
    if (n == 0)
        return 0;
    for (int i = 0; i < SAMPLES + TAPS; i++)
        x[i] = (float)(int32_t)(bench_rand(&seed) & 0xffff) / 65536.0f - 0.5f;
    for (int k = 0; k < TAPS; k++)
        h[k] = (float)(k + 1) / (float)(TAPS * TAPS) * (k & 1 ? -1.0f : 1.0f);
    for (int i = 0; i < SAMPLES; i++)
        z[i] = 0.0f;
    for (uint32_t r = 0; r < n; r++) {
        filter();
        saxpy_clamp(0.5f + (float)(r & 7) * 0.125f);
        x[r % SAMPLES] += 0.25f;
        float s = 0;
        for (int i = 0; i < SAMPLES; i += 64)
            s += z[i];
        sum = bench_mix_f64(sum, (double)s);
    }
    return sum;
}
