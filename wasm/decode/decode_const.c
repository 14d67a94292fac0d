/* decode_const.c: constant expressions (global initializers, segment
 * offsets and element items).
 *
 * In WebAssembly 2.0 a constant expression that validates is exactly one
 * constant instruction and an end, so it is stored decoded (struct
 * wasm_init). Functions named by ref.func here become "declared": function
 * bodies may take references to them.
 */
#include "decode.h"
#include "../core/libc.h"

bool wasm_dec_ensure_declared(struct dec *d)
{
    if (!d->declared) {
        d->declared = wasm_arena_alloc(d->m, d->m->nfuncs / 8 + 1);
        if (!d->declared)
            return wasm_dec_invalid(d, d->p, "out of memory");
    }
    return true;
}

static bool rd_le(struct dec *d, unsigned n, uint64_t *out)
{
    const uint8_t *b;
    TRY(rd_bytes(d, n, &b));
    uint64_t v = 0;
    for (unsigned i = n; i--;)
        v = v << 8 | b[i];
    *out = v;
    return true;
}

bool wasm_rd_const_expr(struct dec *d, uint8_t type, uint32_t nglobals,
                   struct wasm_init *out)
{
    struct wasm_module *m = d->m;
    const uint8_t *start = d->p;
    uint32_t count = 0;
    struct wasm_init init;

    for (;;) {
        const uint8_t *at = d->p;
        uint8_t b;
        int64_t x;
        int32_t x32;
        uint32_t idx;
        memset(&init, 0, sizeof init);
        TRY(rd_byte(d, &b));
        if (b == 0x0b)
            break;
        switch (b) {
        case 0x41:
            TRY(wasm_leb_s32(d, &x32));
            init.op = WASM_OP_I32_CONST;
            init.type = WASM_I32;
            init.bits[0] = (uint32_t)x32;
            break;
        case 0x42:
            TRY(wasm_leb_s64(d, &x));
            init.op = WASM_OP_I64_CONST;
            init.type = WASM_I64;
            init.bits[0] = (uint64_t)x;
            break;
        case 0x43:
            TRY(rd_le(d, 4, &init.bits[0]));
            init.op = WASM_OP_F32_CONST;
            init.type = WASM_F32;
            break;
        case 0x44:
            TRY(rd_le(d, 8, &init.bits[0]));
            init.op = WASM_OP_F64_CONST;
            init.type = WASM_F64;
            break;
        case 0xd0:
            TRY(wasm_rd_reftype(d, &init.type));
            init.op = WASM_OP_REF_NULL;
            break;
        case 0xd2:
            TRY(rd_u32(d, &idx));
            if (idx >= m->nfuncs)
                return wasm_dec_invalid(d, at + 1, "unknown function %u", idx);
            TRY(wasm_dec_ensure_declared(d));
            bit_set(d->declared, idx);
            init.op = WASM_OP_REF_FUNC;
            init.type = WASM_FUNCREF;
            init.index = idx;
            break;
        case 0x23:
            TRY(rd_u32(d, &idx));
            if (idx >= nglobals)
                return wasm_dec_invalid(d, at + 1, "unknown global %u", idx);
            if (m->globals[idx].mut)
                return wasm_dec_invalid(d, at, "constant expression required");
            init.op = WASM_OP_GLOBAL_GET;
            init.type = m->globals[idx].type;
            init.index = idx;
            break;
        default: {
            /* NULL for GCC, which cannot see the inlined lookup set it
             * whenever it returns true. */
            const struct wasm_opinfo *oi = NULL;
            TRY(wasm_rd_opinfo(d, b, &oi));
            if (oi->op != WASM_OP_V128_CONST)
                return wasm_dec_invalid(d, at, "constant expression required");
            TRY(rd_le(d, 8, &init.bits[0]));
            TRY(rd_le(d, 8, &init.bits[1]));
            init.op = WASM_OP_V128_CONST;
            init.type = WASM_V128;
        }
        }
        if (count++ == 0)
            *out = init;
    }
    if (count != 1)
        return wasm_dec_invalid(d, start, "type mismatch: constant expression of %u values",
                           count);
    if (out->type != type)
        return wasm_dec_invalid(d, start, "type mismatch: expected %s, got %s",
                           wasm_valtype_name(type), wasm_valtype_name(out->type));
    return true;
}
