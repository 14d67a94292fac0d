/* valtype.c: value types by their text-format names.
 *
 * In core, not in a stage: the decoder's messages (constant expressions,
 * element segments) name types as the validator's do.
 */
#include "core.h"

const char *wasm_valtype_name(uint8_t t)
{
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "nothing";
    }
}
