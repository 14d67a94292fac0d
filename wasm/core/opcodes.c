/* opcodes.c: the instruction tables, expanded from opcodes.def.
 *
 * The operand letters of the .def (i I f F v) become valtype bytes here,
 * at compile time, so the validator's hot loop does no translation. The
 * letter strings are padded with NULs so that every index is in bounds.
 */
#include "opcodes.h"
#include "module.h"

#define VT(c) ((c) == 'i' ? WASM_I32 : (c) == 'I' ? WASM_I64 :       \
               (c) == 'f' ? WASM_F32 : (c) == 'F' ? WASM_F64 :       \
               (c) == 'v' ? WASM_V128 : 0)
#define ROW(pfx, code, id, name, kind, cls, pops, push, arg)          \
    { WASM_K_##kind, arg, sizeof(pops) - 1, VT((push "")[0]),         \
      { VT((pops "\0\0")[0]), VT((pops "\0\0")[1]),                  \
        VT((pops "\0\0")[2]) },                                        \
      pfx, WASM_OP_##id, code, WASM_C_##cls, name,                    \
      (uint32_t)((uint64_t)(VT((pops "\0\0")[0]) |                     \
                            VT((pops "\0\0")[1]) << 8 |                \
                            VT((pops "\0\0")[2]) << 16)                \
                 << (8 * (5 - sizeof(pops)))),                          \
      (uint32_t)((uint64_t)0xffffffffu << (8 * (5 - sizeof(pops)))) }

/* Each table takes every row of the .def and sends the rows of the other
 * prefixes to a slot that is no opcode, reset to a hole last: one list,
 * three tables, at the cost of allowing overridden initializers here. */
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma clang diagnostic ignored "-Winitializer-overrides"
#endif

const struct wasm_opinfo wasm_ops_base[256] = {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) \
    [(pfx) == 0 ? (code) : 255] = ROW(pfx, code, id, name, kind, cls, pops, push, arg),
#include "opcodes.def"
#undef OP
    [255] = { 0 },
};

const struct wasm_opinfo wasm_ops_fc[WASM_FC_CODES + 1] = {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) \
    [(pfx) == 0xfc ? (code) : WASM_FC_CODES] = ROW(pfx, code, id, name, kind, cls, pops, push, arg),
#include "opcodes.def"
#undef OP
    [WASM_FC_CODES] = { 0 },
};

const struct wasm_opinfo wasm_ops_fd[256] = {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) \
    [(pfx) == 0xfd ? (code) : 0x9a] = ROW(pfx, code, id, name, kind, cls, pops, push, arg),
#include "opcodes.def"
#undef OP
    [0x9a] = { 0 },
};

const struct wasm_opinfo *const wasm_ops_by_id[WASM_OP_COUNT] = {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg)             \
    [WASM_OP_##id] = (pfx) == 0 ? &wasm_ops_base[code]                  \
                   : (pfx) == 0xfc ? &wasm_ops_fc[code] : &wasm_ops_fd[code],
#include "opcodes.def"
#undef OP
};
