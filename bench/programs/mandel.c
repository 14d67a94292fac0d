/* mandel.c: the Mandelbrot set.
 * bench: n=90 test=1 kind=float
 *
 * Each unit of n iterates z = z^2 + c over a 160x120 grid around the set
 * (at most 500 iterations a point) and folds the iteration counts.
 * Exercises a tight f64 loop with a data-dependent exit: few loads or
 * stores, all registers.
 */
#include "lib/bench.h"

#define W 160
#define H 120
#define MAX_ITER 500

static uint32_t escape(double cr, double ci)
{
    double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
    uint32_t i = 0;
    while (i < MAX_ITER && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        i++;
    }
    return i;
}

BENCH_RUN
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        /* Each round zooms slightly, so no two rounds are the same. */
        double scale = 3.0 / W * (1.0 - r * 0.001);
        for (int y = 0; y < H; y++) {
            uint32_t row = 0;
            for (int x = 0; x < W; x++)
                row += escape(-2.2 + x * scale, -1.2 + y * scale) * (uint32_t)(x + 1);
            sum = bench_mix(sum, row);
        }
    }
    return sum;
}
