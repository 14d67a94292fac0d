/*
 * pair — two instances in one component: this program imports functions
 * from the module "pairlib", so its launcher adds pairlib.wasm (as the
 * instance named "pairlib") before it. The calls below cross from this
 * instance into that one, as ordinary Wasm calls.
 */
#include <stdint.h>
#include <stdio.h>

#define PAIRLIB(name) __attribute__((import_module("pairlib"), import_name(#name)))

PAIRLIB(mul) int32_t pairlib_mul(int32_t a, int32_t b);
PAIRLIB(gcd) int32_t pairlib_gcd(int32_t a, int32_t b);
PAIRLIB(calls) int32_t pairlib_calls(void);

int main(void)
{
    printf("pairlib says 6 * 7 = %d\n", pairlib_mul(6, 7));
    printf("pairlib says gcd(1071, 462) = %d\n", pairlib_gcd(1071, 462));
    printf("pairlib counted %d calls\n", pairlib_calls());
    return 0;
}
