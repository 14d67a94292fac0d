/* spectral.c: the spectral norm of an infinite matrix.
 * bench: n=190 test=1 kind=float
 *
 * Each unit of n runs 10 power iterations of u = A^T A v on a 250-element
 * vector, where A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1) is computed on the
 * fly, and folds sqrt(u.v / v.v). Exercises f64 divides, int-to-float
 * conversion and a small function called in the innermost loop.
 */
#include "lib/bench.h"

#define DIM 250

static double u[DIM], v[DIM], t[DIM];

static double a(int i, int j)
{
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(const double *x, double *y)
{
    for (int i = 0; i < DIM; i++) {
        double s = 0;
        for (int j = 0; j < DIM; j++)
            s += a(i, j) * x[j];
        y[i] = s;
    }
}

static void mul_atv(const double *x, double *y)
{
    for (int i = 0; i < DIM; i++) {
        double s = 0;
        for (int j = 0; j < DIM; j++)
            s += a(j, i) * x[j];
        y[i] = s;
    }
}

static void mul_atav(const double *x, double *y)
{
    mul_av(x, t);
    mul_atv(t, y);
}

BENCH_RUN
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        for (int i = 0; i < DIM; i++)
            u[i] = 1.0 + (double)(r & 1) * 1e-9 * i;
        for (int k = 0; k < 10; k++) {
            mul_atav(u, v);
            mul_atav(v, u);
        }
        double vbv = 0, vv = 0;
        for (int i = 0; i < DIM; i++) {
            vbv += u[i] * v[i];
            vv += v[i] * v[i];
        }
        sum = bench_mix_f64(sum, bench_sqrt(vbv / vv));
    }
    return sum;
}
