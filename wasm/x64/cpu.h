/* cpu.h: what the x86-64 CPU running the engine offers, asked with cpuid.
 *
 * Here with the encoder rather than in the compiler, so that everything
 * that knows it runs on x86 sits in this folder; the compiler only asks.
 */
#ifndef ATOLL_X64_CPU_H
#define ATOLL_X64_CPU_H

#include <stdbool.h>

/* The CPU runs SSE4.1 and SSSE3 (the compiler's v128 forms need both). */
bool x64_cpu_simd(void);
/* AVX, and the OS saves its state (so the VEX forms may be used). */
bool x64_cpu_avx(void);

#endif
