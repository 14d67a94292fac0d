/* bench_x64.c: encoder throughput (not a test): a mix of instructions
 * like a baseline compiler's output (ALU with registers and immediates,
 * loads and stores through the memory base and the frame, forward
 * branches, scalar float), emitted into a fixed buffer. Prints the best
 * of several runs in instructions and bytes of code per second.
 *
 *   make bench-x64
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../../wasm/x64/asm.h"
#include "../../../wasm/x64/xmm.h"

#define ROUNDS 300000
#define PER_ROUND 9

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
    size_t cap = 64u << 20;
    unsigned char *buf = malloc(cap);
    double best = 1e9;
    uint32_t bytes = 0;
    for (int rep = 0; rep < 30; rep++) {
        double t0 = now();
        x64_asm a;
        x64_init(&a, buf, cap, NULL, NULL);
        x64_label out = { 0 };
        for (int i = 0; i < ROUNDS; i++) {
            int r = i & 15, s = (i >> 4) & 15;
            x64_alu_rr(&a, X64_ADD, X64_S32, r, s);
            x64_load(&a, X64_S32, r, x64_mbi(X64_R14, s, 1, i & 0xfff));
            x64_alu_ri(&a, X64_SUB, X64_S64, r, i & 0xff);
            x64_mov_rr(&a, X64_S64, s, r);
            x64_jcc(&a, X64_NE, &out);
            x64_store(&a, X64_S32, x64_mb(X64_RBP, -8 * (i & 63)), r);
            x64_mov_ri(&a, X64_S32, r, i);
            x64_addsd(&a, r, s);
            x64_setcc_zx(&a, X64_L, s);   /* two instructions */
        }
        x64_bind(&a, &out);
        double t = now() - t0;
        if (x64_failed(&a))
            return fprintf(stderr, "bench-x64: buffer too small\n"), 1;
        bytes = x64_pos(&a);
        if (t < best)
            best = t;
    }
    double n = (double)ROUNDS * PER_ROUND;
    printf("x64 encoder: %.1f M instructions/s, %.0f MB/s of code, %.2f ns per instruction\n",
           n / best / 1e6, bytes / best / 1e6, best * 1e9 / n);
    free(buf);
    return 0;
}
