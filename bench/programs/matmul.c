/* matmul.c: dense f64 matrix multiply.
 * bench: n=100 test=1 kind=float
 *
 * Each unit of n fills two 192x192 matrices and multiplies them in i-k-j
 * order (streaming rows, the cache-friendly order), then folds a diagonal
 * and a row of the product. Exercises f64 multiply-add chains (no FMA on
 * either side), row-major indexing and sequential loads and stores.
 */
#include "lib/bench.h"

#define DIM 192

static double A[DIM][DIM], B[DIM][DIM], C[DIM][DIM];

static void multiply(void)
{
    for (int i = 0; i < DIM; i++) {
        for (int j = 0; j < DIM; j++)
            C[i][j] = 0;
        for (int k = 0; k < DIM; k++) {
            double a = A[i][k];
            for (int j = 0; j < DIM; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

BENCH_RUN
{
    uint32_t sum = 0, seed = 88172645u;
    for (uint32_t r = 0; r < n; r++) {
        for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++) {
                A[i][j] = (double)(bench_rand(&seed) & 0xffff) / 65536.0 - 0.5;
                B[i][j] = (double)(bench_rand(&seed) & 0xffff) / 32768.0 - 1.0;
            }
        for (int rep = 0; rep < 4; rep++) {
            multiply();
            /* Feed the product back (scaled) so the repetitions differ. */
            for (int i = 0; i < DIM; i++)
                A[i][(i + rep) % DIM] = C[i][i] * 0.125;
        }
        for (int i = 0; i < DIM; i++) {
            sum = bench_mix_f64(sum, C[i][i]);
            sum = bench_mix_f64(sum, C[DIM / 2][i]);
        }
    }
    return sum;
}
