/* cpu.c: the CPU's features, from cpuid (and xgetbv for the OS's part). */
#include <stdint.h>

#include "cpu.h"

bool x64_cpu_simd(void)
{
    uint32_t a = 1, b, cx = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(cx), "=d"(d));
    (void)b, (void)d;
    return (cx & (1u << 19)) && (cx & (1u << 9));    /* SSE4.1, SSSE3 */
}

bool x64_cpu_avx(void)
{
    uint32_t a = 1, b, cx = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(cx), "=d"(d));
    (void)b, (void)d;
    if (!(cx & (1u << 28)) || !(cx & (1u << 27)))   /* AVX, OSXSAVE */
        return false;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    return (lo & 6) == 6;                   /* the OS saves xmm and ymm state */
}
