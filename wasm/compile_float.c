/* compile_float.c: f32 and f64 (not compiled yet: constants only). */
#include "compile.h"

bool cc_float(struct cc *c, const struct wasm_opinfo *oi)
{
    uint64_t bits = 0;
    switch (oi->op) {
    case WASM_OP_F32_CONST:
        for (int i = 0; i < 4; i++)
            bits |= (uint64_t)c->p[i] << (8 * i);
        c->p += 4;
        return cc_push_const(c, WASM_F32, bits);
    case WASM_OP_F64_CONST:
        for (int i = 0; i < 8; i++)
            bits |= (uint64_t)c->p[i] << (8 * i);
        c->p += 8;
        return cc_push_const(c, WASM_F64, bits);
    default:
        return cc_fail(c, "float instruction not compiled yet");
    }
}
