/* compile_float.c: f32 and f64.
 *
 * Floats being computed live in xmm registers (the cache's second class),
 * constants and moves as bit patterns; abs, neg, copysign and
 * reinterpretations work on the bits in general-purpose registers
 * (docs/compiler.md). Exact IEEE semantics where x86 differs from Wasm:
 * min/max handle NaN and signed zeros explicitly, comparisons read the
 * parity flag (unordered), trapping truncations check NaN and range
 * before converting, saturating ones clamp, and unsigned 64-bit
 * conversions go through the signed ones. Rounding uses roundss/roundsd
 * (SSE4.1).
 */
#include "compile.h"
#include "../x64/xmm.h"

#define X0 0   /* xmm0, xmm1: scratch */
#define X1 1

static bool is64(uint8_t ty) { return ty == WASM_F64; }

/* The xmm register holding the value at `depth`: its own if it is in one,
 * else a copy in scratch register `x`. */
static int xsrc(struct cc *c, uint32_t depth, int x)
{
    struct val *v = cc_top(c, depth);
    if (v->kind == V_XREG)
        return v->reg;
    cc_xload(c, v, x);
    return x;
}

static void xconst(struct cc *c, int x, bool f64, uint64_t bits)
{
    x64_mov_ri(&c->a, f64 ? X64_S64 : X64_S32, SCRATCH, (int64_t)bits);
    x64_movd_xr(&c->a, f64 ? X64_S64 : X64_S32, x, SCRATCH);
}

/* xa = xa op (top of stack), the right operand from memory when it is. */
static void xop_top(struct cc *c, x64_xop op, int xa)
{
    struct val *b = cc_top(c, 0);
    if (b->kind == V_XREG)
        x64_sse_rr(&c->a, op, xa, b->reg);
    else if (b->kind == V_LOCAL && cc_xpinned(c, b->local) >= 0)
        x64_sse_rr(&c->a, op, xa, cc_xpinned(c, b->local));
    else if (b->kind == V_LOCAL && cc_local_mem(c, b->local))
        x64_sse_rm(&c->a, op, xa, cc_local(c, b->local));
    else if (b->kind == V_MEM)
        x64_sse_rm(&c->a, op, xa, cc_slot(c, c->nvs - 1));
    else {
        cc_xload(c, b, X1);
        x64_sse_rr(&c->a, op, xa, X1);
    }
}

static bool arith(struct cc *c, x64_xop ss, x64_xop sd, uint8_t ty)
{
    int xa = cc_in_xmm(c, 1);
    xop_top(c, is64(ty) ? sd : ss, xa);
    return cc_xresult(c, 2, ty, xa);
}

static bool unary(struct cc *c, x64_xop ss, x64_xop sd, int round, uint8_t ty)
{
    int x = cc_in_xmm(c, 0);
    if (round >= 0)
        x64_sse_rri(&c->a, is64(ty) ? sd : ss, x, x, (uint8_t)(round | 8));
    else
        x64_sse_rr(&c->a, is64(ty) ? sd : ss, x, x);
    return cc_xresult(c, 1, ty, x);
}

/* min/max: NaN if either is; -0 below +0 (or/and of equal operands). */
static bool minmax(struct cc *c, bool max, uint8_t ty)
{
    x64_asm *a = &c->a;
    bool d = is64(ty);
    x64_label nan = { 0, 0 }, normal = { 0, 0 }, done = { 0, 0 };
    int xa = cc_in_xmm(c, 1);
    int xb = xsrc(c, 0, X1);
    x64_sse_rr(a, d ? x64_op_ucomisd : x64_op_ucomiss, xa, xb);
    x64_jcc(a, X64_P, &nan);
    x64_jcc(a, X64_NE, &normal);
    x64_sse_rr(a, max ? (d ? x64_op_andpd : x64_op_andps) : (d ? x64_op_orpd : x64_op_orps),
               xa, xb);
    x64_jmp(a, &done);
    x64_bind(a, &nan);
    x64_sse_rr(a, d ? x64_op_addsd : x64_op_addss, xa, xb);
    x64_jmp(a, &done);
    x64_bind(a, &normal);
    x64_sse_rr(a, max ? (d ? x64_op_maxsd : x64_op_maxss) : (d ? x64_op_minsd : x64_op_minss),
               xa, xb);
    x64_bind(a, &done);
    return cc_xresult(c, 2, ty, xa);
}

enum { EQ, NE, LT, GT, LE, GE };

static bool compare(struct cc *c, int op, uint8_t ty)
{
    x64_asm *a = &c->a;
    bool swap = op == LT || op == LE;
    int x0 = xsrc(c, swap ? 0 : 1, X0);
    int x1 = xsrc(c, swap ? 1 : 0, X1);
    x64_sse_rr(a, is64(ty) ? x64_op_ucomisd : x64_op_ucomiss, x0, x1);
    /* Ordered compares are one condition (unordered sets CF): a br_if or
     * if right after tests the flags directly. */
    if (op != EQ && op != NE && c->p < c->end && (*c->p == 0x0d || *c->p == 0x04)) {
        c->fused = op == LT || op == GT ? X64_A : X64_AE;
        cc_drop(c, 2);
        return cc_push_const(c, WASM_I32, 0);
    }
    int r = cc_alloc(c);
    switch (op) {
    case EQ:
        x64_setcc_zx(a, X64_E, r);
        x64_setcc_zx(a, X64_NP, SCRATCH);
        x64_alu_rr(a, X64_AND, X64_S32, r, SCRATCH);
        break;
    case NE:
        x64_setcc_zx(a, X64_NE, r);
        x64_setcc_zx(a, X64_P, SCRATCH);
        x64_alu_rr(a, X64_OR, X64_S32, r, SCRATCH);
        break;
    case LT: case GT: x64_setcc_zx(a, X64_A, r); break;
    default: x64_setcc_zx(a, X64_AE, r); break;
    }
    return cc_result(c, 2, WASM_I32, r);
}

/* abs, neg, copysign on the bits. */
static bool sign(struct cc *c, int op, uint8_t ty)
{
    x64_asm *a = &c->a;
    bool d = is64(ty);
    x64_sz sz = d ? X64_S64 : X64_S32;
    uint64_t sbit = d ? (uint64_t)1 << 63 : (uint64_t)1 << 31;
    int n = op == 2 ? 2 : 1;
    int r = cc_own(c, (uint32_t)n - 1);
    if (op == 0 || op == 2) {                      /* clear the sign */
        x64_mov_ri(a, sz, SCRATCH, (int64_t)(sbit - 1));
        x64_alu_rr(a, X64_AND, sz, r, SCRATCH);
    }
    if (op == 1) {
        x64_mov_ri(a, sz, SCRATCH, (int64_t)sbit);
        x64_alu_rr(a, X64_XOR, sz, r, SCRATCH);
    }
    if (op == 2) {                                 /* the sign of the top */
        cc_load(c, cc_top(c, 0), SCRATCH2);
        x64_mov_ri(a, sz, SCRATCH, (int64_t)sbit);
        x64_alu_rr(a, X64_AND, sz, SCRATCH2, SCRATCH);
        x64_alu_rr(a, X64_OR, sz, r, SCRATCH2);
    }
    return cc_result(c, (uint32_t)n, ty, r);
}

/* Integer to float; unsigned 64-bit halves the value (keeping the low
 * bit, so it still rounds right) and doubles the result. */
static bool convert(struct cc *c, uint8_t from, bool is_signed, uint8_t ty)
{
    x64_asm *a = &c->a;
    bool d = is64(ty);
    int r = cc_in_reg(c, 0);
    int X = cc_xalloc(c);
    x64_sse_rr(a, x64_op_xorps, X, X);
    void (*cvt)(x64_asm *, x64_sz, int, int) = d ? x64_cvtsi2sd : x64_cvtsi2ss;
    if (from == WASM_I32) {
        if (is_signed)
            cvt(a, X64_S32, X, r);
        else
            cvt(a, X64_S64, X, r);            /* zero-extended: exact */
    } else if (is_signed) {
        cvt(a, X64_S64, X, r);
    } else {
        x64_label big = { 0, 0 }, done = { 0, 0 };
        x64_test_rr(a, X64_S64, r, r);
        x64_jcc(a, X64_S, &big);
        cvt(a, X64_S64, X, r);
        x64_jmp(a, &done);
        x64_bind(a, &big);
        x64_mov_rr(a, X64_S64, SCRATCH, r);
        x64_shift_ri(a, X64_SHR, X64_S64, SCRATCH, 1);
        x64_mov_rr(a, X64_S64, SCRATCH2, r);
        x64_alu_ri(a, X64_AND, X64_S32, SCRATCH2, 1);
        x64_alu_rr(a, X64_OR, X64_S64, SCRATCH, SCRATCH2);
        cvt(a, X64_S64, X, SCRATCH);
        x64_sse_rr(a, d ? x64_op_addsd : x64_op_addss, X, X);
        x64_bind(a, &done);
    }
    return cc_xresult(c, 1, ty, X);
}

/* Exclusive bounds of the floats that truncate into each integer type:
 * [from f64][to i64][unsigned] = {lo, hi}. */
static const uint64_t bounds[2][2][2][2] = {
    { { { 0xcf000001, 0x4f000000 }, { 0xbf800000, 0x4f800000 } },
      { { 0xdf000001, 0x5f000000 }, { 0xbf800000, 0x5f800000 } } },
    { { { 0xc1e0000000200000, 0x41e0000000000000 },
        { 0xbff0000000000000, 0x41f0000000000000 } },
      { { 0xc3e0000000000001, 0x43e0000000000000 },
        { 0xbff0000000000000, 0x43f0000000000000 } } },
};

/* Float to integer: traps (or, saturating, clamps) outside the range. */
static bool truncate(struct cc *c, uint8_t from, uint8_t to, bool is_signed, bool sat)
{
    x64_asm *a = &c->a;
    bool d = is64(from), l = to == WASM_I64;
    x64_xop ucomi = d ? x64_op_ucomisd : x64_op_ucomiss;
    void (*cvtt)(x64_asm *, x64_sz, int, int) = d ? x64_cvttsd2si : x64_cvttss2si;
    const uint64_t *b = bounds[d][l][!is_signed];
    x64_label nan = { 0, 0 }, low = { 0, 0 }, high = { 0, 0 }, done = { 0, 0 };
    cc_xload(c, cc_top(c, 0), X0);
    int r = cc_alloc(c);
    x64_sse_rr(a, ucomi, X0, X0);
    x64_jcc(a, X64_P, sat ? &nan : &c->trap[WASM_TRAP_BAD_CONVERSION]);
    xconst(c, X1, d, b[0]);
    x64_sse_rr(a, ucomi, X0, X1);
    x64_jcc(a, X64_BE, sat ? &low : &c->trap[WASM_TRAP_INT_OVERFLOW]);
    xconst(c, X1, d, b[1]);
    x64_sse_rr(a, ucomi, X0, X1);
    x64_jcc(a, X64_AE, sat ? &high : &c->trap[WASM_TRAP_INT_OVERFLOW]);
    if (!l) {
        cvtt(a, is_signed ? X64_S32 : X64_S64, r, X0);
        x64_mov_rr(a, X64_S32, r, r);
    } else if (is_signed) {
        cvtt(a, X64_S64, r, X0);
    } else {                                     /* 2^63 and above: shifted */
        x64_label big = { 0, 0 };
        xconst(c, X1, d, d ? 0x43e0000000000000 : 0x5f000000);
        x64_sse_rr(a, ucomi, X0, X1);
        x64_jcc(a, X64_AE, &big);
        cvtt(a, X64_S64, r, X0);
        x64_jmp(a, &done);
        x64_bind(a, &big);
        x64_sse_rr(a, d ? x64_op_subsd : x64_op_subss, X0, X1);
        cvtt(a, X64_S64, r, X0);
        x64_mov_ri(a, X64_S64, SCRATCH, INT64_MIN);
        x64_alu_rr(a, X64_XOR, X64_S64, r, SCRATCH);
    }
    if (sat) {
        x64_sz sz = l ? X64_S64 : X64_S32;
        uint64_t min = !is_signed ? 0 : l ? (uint64_t)INT64_MIN : 0x80000000u;
        uint64_t max = !is_signed ? (l ? ~(uint64_t)0 : 0xffffffffu)
                                  : (l ? (uint64_t)INT64_MAX : 0x7fffffffu);
        x64_jmp(a, &done);
        x64_bind(a, &nan);
        x64_mov_ri(a, sz, r, 0);
        x64_jmp(a, &done);
        x64_bind(a, &low);
        x64_mov_ri(a, sz, r, (int64_t)min);
        x64_jmp(a, &done);
        x64_bind(a, &high);
        x64_mov_ri(a, sz, r, (int64_t)max);
    }
    x64_bind(a, &done);
    return cc_result(c, 1, to, r);
}

static bool retype(struct cc *c, uint8_t ty)
{
    struct val *v = cc_top(c, 0);
    if (v->kind == V_LOCAL)
        cc_in_reg(c, 0);          /* the local keeps its own type */
    v->type = ty;
    return true;
}

bool cc_float(struct cc *c, const struct wasm_opinfo *oi)
{
    const uint8_t F = WASM_F32, D = WASM_F64, I = WASM_I32, L = WASM_I64;
    uint64_t bits = 0;
    switch (oi->op) {
    case WASM_OP_F32_CONST:
        for (int i = 0; i < 4; i++)
            bits |= (uint64_t)c->p[i] << (8 * i);
        c->p += 4;
        return cc_push_const(c, F, bits);
    case WASM_OP_F64_CONST:
        for (int i = 0; i < 8; i++)
            bits |= (uint64_t)c->p[i] << (8 * i);
        c->p += 8;
        return cc_push_const(c, D, bits);
#define AR(name, op)                                                         \
    case WASM_OP_F32_##name: return arith(c, x64_op_##op##ss, x64_op_##op##sd, F); \
    case WASM_OP_F64_##name: return arith(c, x64_op_##op##ss, x64_op_##op##sd, D);
    AR(ADD, add) AR(SUB, sub) AR(MUL, mul) AR(DIV, div)
#undef AR
#define RD(name, mode)                                                       \
    case WASM_OP_F32_##name: return unary(c, x64_op_roundss, x64_op_roundsd, mode, F); \
    case WASM_OP_F64_##name: return unary(c, x64_op_roundss, x64_op_roundsd, mode, D);
    RD(NEAREST, 0) RD(FLOOR, 1) RD(CEIL, 2) RD(TRUNC, 3)
#undef RD
    case WASM_OP_F32_SQRT: return unary(c, x64_op_sqrtss, x64_op_sqrtsd, -1, F);
    case WASM_OP_F64_SQRT: return unary(c, x64_op_sqrtss, x64_op_sqrtsd, -1, D);
    case WASM_OP_F32_MIN: return minmax(c, false, F);
    case WASM_OP_F64_MIN: return minmax(c, false, D);
    case WASM_OP_F32_MAX: return minmax(c, true, F);
    case WASM_OP_F64_MAX: return minmax(c, true, D);
    case WASM_OP_F32_ABS: return sign(c, 0, F);
    case WASM_OP_F64_ABS: return sign(c, 0, D);
    case WASM_OP_F32_NEG: return sign(c, 1, F);
    case WASM_OP_F64_NEG: return sign(c, 1, D);
    case WASM_OP_F32_COPYSIGN: return sign(c, 2, F);
    case WASM_OP_F64_COPYSIGN: return sign(c, 2, D);
#define CMP(name, op)                                                        \
    case WASM_OP_F32_##name: return compare(c, op, F);                      \
    case WASM_OP_F64_##name: return compare(c, op, D);
    CMP(EQ, EQ) CMP(NE, NE) CMP(LT, LT) CMP(GT, GT) CMP(LE, LE) CMP(GE, GE)
#undef CMP
    case WASM_OP_F32_CONVERT_I32_S: return convert(c, I, true, F);
    case WASM_OP_F32_CONVERT_I32_U: return convert(c, I, false, F);
    case WASM_OP_F32_CONVERT_I64_S: return convert(c, L, true, F);
    case WASM_OP_F32_CONVERT_I64_U: return convert(c, L, false, F);
    case WASM_OP_F64_CONVERT_I32_S: return convert(c, I, true, D);
    case WASM_OP_F64_CONVERT_I32_U: return convert(c, I, false, D);
    case WASM_OP_F64_CONVERT_I64_S: return convert(c, L, true, D);
    case WASM_OP_F64_CONVERT_I64_U: return convert(c, L, false, D);
    case WASM_OP_F32_DEMOTE_F64: {
        int x = cc_in_xmm(c, 0);
        x64_cvtsd2ss(&c->a, x, x);
        return cc_xresult(c, 1, F, x);
    }
    case WASM_OP_F64_PROMOTE_F32: {
        int x = cc_in_xmm(c, 0);
        x64_cvtss2sd(&c->a, x, x);
        return cc_xresult(c, 1, D, x);
    }
    case WASM_OP_I32_REINTERPRET_F32: return retype(c, I);
    case WASM_OP_I64_REINTERPRET_F64: return retype(c, L);
    case WASM_OP_F32_REINTERPRET_I32: return retype(c, F);
    case WASM_OP_F64_REINTERPRET_I64: return retype(c, D);
    default:
        break;
    }
    switch (oi->op) {
    case WASM_OP_I32_TRUNC_F32_S: return truncate(c, F, I, true, false);
    case WASM_OP_I32_TRUNC_F32_U: return truncate(c, F, I, false, false);
    case WASM_OP_I32_TRUNC_F64_S: return truncate(c, D, I, true, false);
    case WASM_OP_I32_TRUNC_F64_U: return truncate(c, D, I, false, false);
    case WASM_OP_I64_TRUNC_F32_S: return truncate(c, F, L, true, false);
    case WASM_OP_I64_TRUNC_F32_U: return truncate(c, F, L, false, false);
    case WASM_OP_I64_TRUNC_F64_S: return truncate(c, D, L, true, false);
    case WASM_OP_I64_TRUNC_F64_U: return truncate(c, D, L, false, false);
    case WASM_OP_I32_TRUNC_SAT_F32_S: return truncate(c, F, I, true, true);
    case WASM_OP_I32_TRUNC_SAT_F32_U: return truncate(c, F, I, false, true);
    case WASM_OP_I32_TRUNC_SAT_F64_S: return truncate(c, D, I, true, true);
    case WASM_OP_I32_TRUNC_SAT_F64_U: return truncate(c, D, I, false, true);
    case WASM_OP_I64_TRUNC_SAT_F32_S: return truncate(c, F, L, true, true);
    case WASM_OP_I64_TRUNC_SAT_F32_U: return truncate(c, F, L, false, true);
    case WASM_OP_I64_TRUNC_SAT_F64_S: return truncate(c, D, L, true, true);
    case WASM_OP_I64_TRUNC_SAT_F64_U: return truncate(c, D, L, false, true);
    default:
        return cc_fail(c, "float instruction not compiled yet");
    }
}
