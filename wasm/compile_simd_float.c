/* compile_simd_float.c: f32x4 and f64x2 instructions and the
 * conversions between float and integer vectors. */
#include "compile.h"

bool cc_simd_float(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    return cc_fail(c, "SIMD instructions are not compiled yet");
}
