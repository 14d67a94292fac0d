/* sort.c: sorting integers three ways.
 * bench: n=200 test=1 kind=integer
 *
 * Each round sorts 20,000 pseudo-random 32-bit keys with a quicksort
 * (median of three, insertion sort below 16), sorts them again with a
 * heapsort, and sorts 64-bit records with a bottom-up merge sort; then
 * checks order and folds every tenth element. Exercises compares and
 * unpredictable branches, array indexing, swaps, i64 loads and stores.
 */
#include "lib/bench.h"

#define N 20000

static uint32_t a[N], b[N];
static uint64_t rec[N], tmp[N];

static void insertion(uint32_t *v, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(uint32_t *v, int lo, int hi)
{
    while (hi - lo >= 16) {
        int mid = lo + (hi - lo) / 2;
        uint32_t x = v[lo], y = v[mid], z = v[hi];
        uint32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                uint32_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        /* Recurse into the smaller side: bounded stack depth. */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion(v, lo, hi);
}

static void sift(uint32_t *v, int root, int end)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= end)
            return;
        if (child + 1 < end && v[child] < v[child + 1])
            child++;
        if (v[root] >= v[child])
            return;
        uint32_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void heapsort(uint32_t *v, int len)
{
    for (int i = len / 2 - 1; i >= 0; i--)
        sift(v, i, len);
    for (int end = len - 1; end > 0; end--) {
        uint32_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift(v, 0, end);
    }
}

static void mergesort(uint64_t *v, uint64_t *w, int len)
{
    for (int width = 1; width < len; width *= 2) {
        for (int lo = 0; lo < len; lo += 2 * width) {
            int mid = lo + width < len ? lo + width : len;
            int hi = lo + 2 * width < len ? lo + 2 * width : len;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                w[k++] = v[i] <= v[j] ? v[i++] : v[j++];
            while (i < mid)
                w[k++] = v[i++];
            while (j < hi)
                w[k++] = v[j++];
        }
        uint64_t *t = v;
        v = w;
        w = t;
    }
    if (v != rec)
        bench_memcpy(rec, v, sizeof rec);
}

BENCH_RUN
{
    uint32_t sum = 0, seed = 2463534242u;
    for (uint32_t r = 0; r < n; r++) {
        for (int i = 0; i < N; i++) {
            a[i] = b[i] = bench_rand(&seed);
            rec[i] = (uint64_t)bench_rand(&seed) << 20 | (uint32_t)i;
        }
        quicksort(a, 0, N - 1);
        heapsort(b, N);
        mergesort(rec, tmp, N);
        for (int i = 1; i < N; i++)
            if (a[i - 1] > a[i] || a[i] != b[i] || rec[i - 1] > rec[i])
                return 0; /* unsorted: a checksum no engine should give */
        for (int i = 0; i < N; i += 10)
            sum = bench_mix(sum, a[i] ^ (uint32_t)rec[i]);
    }
    return sum;
}
