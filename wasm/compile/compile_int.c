/* compile_int.c: i32 and i64 constants and arithmetic.
 *
 * The left operand is taken into a register it may overwrite, the right
 * one is used where it is (an immediate, a register, a local or a home
 * slot). Division checks its divisor (and INT_MIN / -1) explicitly and
 * jumps to the function's trap stubs, so #DE never fires. Counting bits
 * uses bsr/bsf (every x86-64 has them: lzcnt/tzcnt would silently decode
 * as bsr/bsf on a CPU without them).
 */
#include "compile.h"

/* The register of the value at `depth` when it is a local living in one
 * (usable as a source as it is), else -1. */
static int pinned_at(struct cc *c, uint32_t depth)
{
    struct val *v = cc_top(c, depth);
    return v->kind == V_LOCAL ? cc_pinned(c, v->local) : -1;
}

/* `local.get x; ...; op; local.set x` (or local.tee x) with x in a
 * register: the operation is done in that register, and the set is
 * consumed here. For a commutative op the local may be either operand.
 * Only when no other value on the stack still reads x. */
static bool in_place(struct cc *c, x64_alu op, uint8_t ty)
{
    if (c->p + 1 >= c->end || (c->p[0] != 0x21 && c->p[0] != 0x22))
        return false;
    bool tee = c->p[0] == 0x22;
    const uint8_t *save = c->p++;
    uint32_t x = cc_u32(c);
    int depth = pinned_at(c, 1) >= 0 && cc_top(c, 1)->local == x ? 1
              : op != X64_SUB && pinned_at(c, 0) >= 0 && cc_top(c, 0)->local == x &&
                cc_top(c, 1)->kind != V_MEM ? 0 : -1;   /* a home slot cannot move */
    bool others = false;
    for (uint32_t i = 0; i + 2 < c->nvs; i++)
        others |= c->vs[i].kind == V_LOCAL && c->vs[i].local == x;
    if (depth < 0 || others) {
        c->p = save;
        return false;
    }
    int p = cc_pinned(c, x);
    if (depth == 0) {                         /* x op= the other operand */
        struct val t = *cc_top(c, 0);
        *cc_top(c, 0) = *cc_top(c, 1);
        *cc_top(c, 1) = t;
    }
    cc_alu_top(c, op, cc_sz(ty), p);
    cc_drop(c, 2);
    return !tee || cc_push_local(c, x);
}

static bool binary(struct cc *c, x64_alu op, uint8_t ty)
{
    if (in_place(c, op, ty))
        return !c->failed;
    int ra = cc_own(c, 1);
    cc_alu_top(c, op, cc_sz(ty), ra);
    return cc_result(c, 2, ty, ra);
}

/* A compare whose result only a br_if or if tests (the next opcode)
 * leaves it in the flags: the branch uses the condition directly. */
static bool fusable(struct cc *c)
{
    return c->p < c->end && (*c->p == 0x0d || *c->p == 0x04);
}

static bool fused(struct cc *c, x64_cc cc, uint32_t n)
{
    c->fused = cc;
    cc_drop(c, n);
    return cc_push_const(c, WASM_I32, 0);   /* stands for the flags */
}

static bool compare(struct cc *c, x64_cc cc, uint8_t ty)
{
    int p = pinned_at(c, 1);
    if (p >= 0 && fusable(c)) {               /* compares the local in place */
        cc_alu_top(c, X64_CMP, cc_sz(ty), p);
        return fused(c, cc, 2);
    }
    int ra = cc_in_reg(c, 1);
    cc_alu_top(c, X64_CMP, cc_sz(ty), ra);
    if (fusable(c))
        return fused(c, cc, 2);
    x64_setcc_zx(&c->a, cc, ra);
    return cc_result(c, 2, WASM_I32, ra);
}

static bool eqz(struct cc *c, uint8_t ty)
{
    int p = pinned_at(c, 0);
    if (p >= 0 && fusable(c)) {
        x64_test_rr(&c->a, cc_sz(ty), p, p);
        return fused(c, X64_E, 1);
    }
    int r = cc_in_reg(c, 0);
    x64_test_rr(&c->a, cc_sz(ty), r, r);
    if (fusable(c))
        return fused(c, X64_E, 1);
    x64_setcc_zx(&c->a, X64_E, r);
    return cc_result(c, 1, WASM_I32, r);
}

static bool mul(struct cc *c, uint8_t ty)
{
    x64_sz sz = cc_sz(ty);
    int ra = cc_own(c, 1);
    struct val *b = cc_top(c, 0);
    if (b->kind == V_CONST && (sz == X64_S32 || (int64_t)b->imm == (int32_t)b->imm))
        x64_imul_rri(&c->a, sz, ra, ra, (int32_t)b->imm);
    else if (b->kind == V_REG)
        x64_imul_rr(&c->a, sz, ra, b->reg);
    else if (b->kind == V_LOCAL && cc_pinned(c, b->local) >= 0)
        x64_imul_rr(&c->a, sz, ra, cc_pinned(c, b->local));
    else if (b->kind == V_LOCAL && cc_local_mem(c, b->local))
        x64_imul_rm(&c->a, sz, ra, cc_local(c, b->local));
    else if (b->kind == V_MEM)
        x64_imul_rm(&c->a, sz, ra, cc_slot(c, c->nvs - 1));
    else {
        cc_load(c, b, SCRATCH);
        x64_imul_rr(&c->a, sz, ra, SCRATCH);
    }
    return cc_result(c, 2, ty, ra);
}

static bool shift(struct cc *c, x64_shift op, uint8_t ty)
{
    x64_sz sz = cc_sz(ty);
    struct val *b = cc_top(c, 0);
    if (b->kind == V_CONST) {
        int ra = cc_own(c, 1);
        x64_shift_ri(&c->a, op, sz, ra, (uint8_t)(b->imm & (sz * 8 - 1)));
        return cc_result(c, 2, ty, ra);
    }
    cc_evict(c, X64_RCX);
    int ra = cc_own(c, 1);
    cc_load(c, cc_top(c, 0), X64_RCX);
    x64_shift_rcl(&c->a, op, sz, ra);
    cc_free_reg(c, X64_RCX);
    return cc_result(c, 2, ty, ra);
}

static bool divide(struct cc *c, bool is_signed, bool rem, uint8_t ty)
{
    x64_asm *a = &c->a;
    x64_sz sz = cc_sz(ty);
    cc_evict(c, X64_RAX);
    cc_evict(c, X64_RDX);
    struct val *b = cc_top(c, 0);
    uint64_t minus1 = sz == X64_S32 ? 0xffffffffu : ~(uint64_t)0;
    bool nonzero = b->kind == V_CONST && b->imm != 0;
    bool not_minus1 = b->kind == V_CONST && b->imm != minus1;
    int rb;
    if (b->kind == V_REG) {
        rb = b->reg;
    } else {
        cc_load(c, b, SCRATCH);
        rb = SCRATCH;
    }
    cc_load(c, cc_top(c, 1), X64_RAX);
    if (!nonzero) {
        x64_test_rr(a, sz, rb, rb);
        x64_jcc(a, X64_E, &c->trap[WASM_TRAP_DIV_ZERO]);
    }
    x64_label ok = { 0, 0 }, done = { 0, 0 };
    if (is_signed && !not_minus1) {
        x64_alu_ri(a, X64_CMP, sz, rb, -1);
        x64_jcc(a, X64_NE, &ok);
        if (rem) {
            x64_zero(a, X64_RDX);
            x64_jmp(a, &done);
        } else {
            if (sz == X64_S32) {
                x64_alu_ri(a, X64_CMP, sz, X64_RAX, INT32_MIN);
            } else {
                x64_mov_ri(a, X64_S64, SCRATCH2, INT64_MIN);
                x64_alu_rr(a, X64_CMP, sz, X64_RAX, SCRATCH2);
            }
            x64_jcc(a, X64_E, &c->trap[WASM_TRAP_INT_OVERFLOW]);
        }
        x64_bind(a, &ok);
    }
    if (is_signed) {
        x64_cdq(a, sz);
        x64_unary_r(a, X64_IDIV, sz, rb);
    } else {
        x64_zero(a, X64_RDX);
        x64_unary_r(a, X64_DIV, sz, rb);
    }
    x64_bind(a, &done);
    int r = rem ? X64_RDX : X64_RAX;
    cc_free_reg(c, rem ? X64_RAX : X64_RDX);
    return cc_result(c, 2, ty, r);
}

static bool count(struct cc *c, int op, uint8_t ty)
{
    x64_asm *a = &c->a;
    x64_sz sz = cc_sz(ty);
    int bits = sz * 8;
    int r = cc_own(c, 0);
    if (op == 0) {                    /* clz: bsr, 2*bits-1 for zero, xor */
        x64_mov_ri(a, X64_S32, SCRATCH, 2 * bits - 1);
        x64_bitop_rr(a, X64_BSR, sz, r, r);
        x64_cmov_rr(a, X64_E, sz, r, SCRATCH);
        x64_alu_ri(a, X64_XOR, sz, r, bits - 1);
    } else if (op == 1) {             /* ctz: bsf, bits for zero */
        x64_mov_ri(a, X64_S32, SCRATCH, bits);
        x64_bitop_rr(a, X64_BSF, sz, r, r);
        x64_cmov_rr(a, X64_E, sz, r, SCRATCH);
    } else {
        x64_bitop_rr(a, X64_POPCNT, sz, r, r);
    }
    return cc_result(c, 1, ty, r);
}

static bool extend(struct cc *c, x64_sz from, uint8_t ty)
{
    int r = cc_own(c, 0);
    x64_movsx(&c->a, from, cc_sz(ty), r, r);
    return cc_result(c, 1, ty, r);
}

/* Handlers of their own for the frequent i32 instructions, so the driver
 * reaches them in one dispatch; cc_int does the same through its switch. */
#define ONE(name, call)                                                      \
    static bool h_##name(struct cc *c, const struct wasm_opinfo *oi)        \
    { (void)oi; return call; }
ONE(I32_ADD, binary(c, X64_ADD, WASM_I32))
ONE(I32_SUB, binary(c, X64_SUB, WASM_I32))
ONE(I32_AND, binary(c, X64_AND, WASM_I32))
ONE(I32_OR, binary(c, X64_OR, WASM_I32))
ONE(I32_XOR, binary(c, X64_XOR, WASM_I32))
ONE(I64_ADD, binary(c, X64_ADD, WASM_I64))
ONE(I32_EQZ, eqz(c, WASM_I32))
ONE(I32_EQ, compare(c, X64_E, WASM_I32))
ONE(I32_NE, compare(c, X64_NE, WASM_I32))
ONE(I32_LT_S, compare(c, X64_L, WASM_I32))
ONE(I32_LT_U, compare(c, X64_B, WASM_I32))
ONE(I32_GT_S, compare(c, X64_G, WASM_I32))
ONE(I32_GT_U, compare(c, X64_A, WASM_I32))
ONE(I32_SHL, shift(c, X64_SHL, WASM_I32))
ONE(I32_SHR_U, shift(c, X64_SHR, WASM_I32))
ONE(I32_SHR_S, shift(c, X64_SAR, WASM_I32))
ONE(I32_MUL, mul(c, WASM_I32))
#undef ONE

cc_handler cc_int_handler(uint16_t op)
{
    switch (op) {
#define H(name) case WASM_OP_##name: return h_##name;
    H(I32_ADD) H(I32_SUB) H(I32_AND) H(I32_OR) H(I32_XOR) H(I64_ADD)
    H(I32_EQZ) H(I32_EQ) H(I32_NE) H(I32_LT_S) H(I32_LT_U) H(I32_GT_S)
    H(I32_GT_U) H(I32_SHL) H(I32_SHR_U) H(I32_SHR_S) H(I32_MUL)
#undef H
    default: return NULL;
    }
}

bool cc_int(struct cc *c, const struct wasm_opinfo *oi)
{
    const uint8_t I = WASM_I32, L = WASM_I64;
    switch (oi->op) {
    case WASM_OP_I32_CONST: return cc_push_const(c, I, (uint32_t)cc_s32(c));
    case WASM_OP_I64_CONST: return cc_push_const(c, L, (uint64_t)cc_s64(c));

    case WASM_OP_I32_EQZ: return eqz(c, I);
    case WASM_OP_I64_EQZ: return eqz(c, L);
#define CMP(name, cc)                                                        \
    case WASM_OP_I32_##name: return compare(c, cc, I);                      \
    case WASM_OP_I64_##name: return compare(c, cc, L);
    CMP(EQ, X64_E) CMP(NE, X64_NE) CMP(LT_S, X64_L) CMP(LT_U, X64_B)
    CMP(GT_S, X64_G) CMP(GT_U, X64_A) CMP(LE_S, X64_LE) CMP(LE_U, X64_BE)
    CMP(GE_S, X64_GE) CMP(GE_U, X64_AE)
#undef CMP
#define BIN(name, op)                                                        \
    case WASM_OP_I32_##name: return binary(c, op, I);                       \
    case WASM_OP_I64_##name: return binary(c, op, L);
    BIN(ADD, X64_ADD) BIN(SUB, X64_SUB) BIN(AND, X64_AND) BIN(OR, X64_OR)
    BIN(XOR, X64_XOR)
#undef BIN
#define SH(name, op)                                                         \
    case WASM_OP_I32_##name: return shift(c, op, I);                        \
    case WASM_OP_I64_##name: return shift(c, op, L);
    SH(SHL, X64_SHL) SH(SHR_S, X64_SAR) SH(SHR_U, X64_SHR) SH(ROTL, X64_ROL)
    SH(ROTR, X64_ROR)
#undef SH
    case WASM_OP_I32_MUL: return mul(c, I);
    case WASM_OP_I64_MUL: return mul(c, L);
    case WASM_OP_I32_DIV_S: return divide(c, true, false, I);
    case WASM_OP_I32_DIV_U: return divide(c, false, false, I);
    case WASM_OP_I32_REM_S: return divide(c, true, true, I);
    case WASM_OP_I32_REM_U: return divide(c, false, true, I);
    case WASM_OP_I64_DIV_S: return divide(c, true, false, L);
    case WASM_OP_I64_DIV_U: return divide(c, false, false, L);
    case WASM_OP_I64_REM_S: return divide(c, true, true, L);
    case WASM_OP_I64_REM_U: return divide(c, false, true, L);
    case WASM_OP_I32_CLZ: return count(c, 0, I);
    case WASM_OP_I64_CLZ: return count(c, 0, L);
    case WASM_OP_I32_CTZ: return count(c, 1, I);
    case WASM_OP_I64_CTZ: return count(c, 1, L);
    case WASM_OP_I32_POPCNT: return count(c, 2, I);
    case WASM_OP_I64_POPCNT: return count(c, 2, L);
    case WASM_OP_I32_EXTEND8_S: return extend(c, X64_S8, I);
    case WASM_OP_I32_EXTEND16_S: return extend(c, X64_S16, I);
    case WASM_OP_I64_EXTEND8_S: return extend(c, X64_S8, L);
    case WASM_OP_I64_EXTEND16_S: return extend(c, X64_S16, L);
    case WASM_OP_I64_EXTEND32_S:
    case WASM_OP_I64_EXTEND_I32_S: return extend(c, X64_S32, L);
    case WASM_OP_I64_EXTEND_I32_U: {
        int r = cc_own(c, 0);       /* an i32 in a register is zero-extended */
        return cc_result(c, 1, L, r);
    }
    case WASM_OP_I32_WRAP_I64: {
        int r = cc_own(c, 0);
        x64_mov_rr(&c->a, X64_S32, r, r);
        return cc_result(c, 1, I, r);
    }
    default:
        return cc_fail(c, "instruction not compiled yet");
    }
}
