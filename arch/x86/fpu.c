/* XSAVE/FXSAVE state areas (see fpu.h). */
#include "arch/x86/fpu.h"

#include <stdint.h>

#include "arch/x86/cpu.h"
#include "base/panic.h"
#include "lib/string.h"

#define MAX_STATE 4096

static size_t state_size = 512;
static uint64_t xcr0;
static uint8_t clean[MAX_STATE] __attribute__((aligned(FPU_STATE_ALIGN)));

size_t fpu_state_size(void)
{
    return state_size;
}

void fpu_save(void *area)
{
    if (xcr0)
        __asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    if (xcr0)
        __asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void fpu_init(void)
{
    if (cpu.xsave) {
        uint32_t r[4];
        cpuid(0xd, 0, r);
        /* EBX: bytes needed for the features enabled in XCR0 now. */
        state_size = r[1];
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((uint64_t)hi << 32) | lo;
    }
    if (state_size > MAX_STATE || state_size < 512)
        panic("fpu: state area of %zu bytes is not supported", state_size);
    /* A clean state: x87 reset, SSE control at its default. */
    uint32_t mxcsr = 0x1f80;
    __asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
    memset(clean, 0, sizeof clean);
    fpu_save(clean);
}

void fpu_state_init(void *area)
{
    memcpy(area, clean, state_size);
}
