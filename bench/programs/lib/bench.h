/* bench.h: the freestanding support every benchmark program includes.
 *
 * A program defines `uint32_t run(uint32_t n)`: it does work proportional
 * to n, from a fresh state on every call, and returns a checksum. The same
 * source builds three ways (bench/README.md): natively with gcc, with
 * lib/native_main.c timing the call; to wasm32 with clang, where run is the
 * export that node, atoll-run and the kernel all call; and later into the
 * kernel itself. So nothing here may need libc: only the compiler's
 * freestanding headers and builtins. memcpy and memset are the builtins:
 * glibc's natively, memory.copy/memory.fill in Wasm (-mbulk-memory).
 *
 * run(0) must return at once: the harness uses it to measure an engine's
 * start-up (decode, compile, instantiate) when the engine cannot time the
 * call itself.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* `run` is exported from the Wasm module (with -Wl,--export=run) and
 * called from another object natively: never static, never inlined away. */
#define BENCH_RUN uint32_t run(uint32_t n)
BENCH_RUN;

#define bench_memcpy(d, s, len) __builtin_memcpy((d), (s), (len))
#define bench_memset(d, c, len) __builtin_memset((d), (c), (len))
#define bench_sqrt(x) __builtin_sqrt(x)

/* A small, fast, deterministic generator (xorshift32): programs make their
 * input data with it, so inputs are the same on every engine. */
static inline uint32_t bench_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Folds a value into a running checksum (order-sensitive). */
static inline uint32_t bench_mix(uint32_t h, uint32_t v)
{
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

/* Folds a double by its bits: engines must agree to the last bit, which
 * they do when they follow IEEE 754 (no fused or reassociated operations:
 * gcc -O2 on x86-64 emits no FMA without -mfma, and Wasm has none). */
static inline uint32_t bench_mix_f64(uint32_t h, double d)
{
    uint64_t b;
    __builtin_memcpy(&b, &d, sizeof b);
    return bench_mix(bench_mix(h, (uint32_t)b), (uint32_t)(b >> 32));
}

#endif
