/*
 * pairlib — a library module: pair imports its exports. It is its own
 * instance in pair's component, with its own memory (no SDK, no env):
 * pair reaches it only through the functions below, and its state (the
 * call count) lives here, out of pair's reach.
 */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static int32_t calls;

EXPORT(mul) int32_t mul(int32_t a, int32_t b)
{
    calls++;
    return a * b;
}

EXPORT(gcd) int32_t gcd(int32_t a, int32_t b)
{
    calls++;
    while (b != 0) {
        int32_t t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

/* How many times mul and gcd have been called, in all. */
EXPORT(calls) int32_t call_count(void)
{
    return calls;
}
