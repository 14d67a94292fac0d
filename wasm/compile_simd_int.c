/* compile_simd_int.c: integer and bitwise v128 instructions, lanes,
 * splats, shuffles. */
#include "compile.h"

bool cc_simd_int(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    return cc_fail(c, "SIMD instructions are not compiled yet");
}
