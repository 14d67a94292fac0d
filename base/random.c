/* Random bytes (see random.h). */
#include "base/random.h"

#include <stdint.h>

#include "arch/x86/cpu.h"
#include "lib/string.h"

static int hardware = -1;       /* unknown until the first use */
static uint64_t fallback;       /* SplitMix64's state */

bool random_hardware(void)
{
    if (hardware < 0) {
        uint32_t r[4];
        cpuid(1, 0, r);
        hardware = (r[2] >> 30) & 1;        /* CPUID.1:ECX.RDRAND */
    }
    return hardware;
}

/* RDRAND may fail when its entropy source is drained for a moment; Intel
 * advises ten tries before giving up. */
static bool rdrand64(uint64_t *v)
{
    for (int i = 0; i < 10; i++) {
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

static uint64_t splitmix(void)
{
    if (!fallback)
        fallback = rdtsc() | 1;
    uint64_t z = (fallback += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void random_fill(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n) {
        uint64_t v;
        if (!random_hardware() || !rdrand64(&v))
            v = splitmix();
        size_t k = n < 8 ? n : 8;
        memcpy(p, &v, k);
        p += k;
        n -= k;
    }
}
