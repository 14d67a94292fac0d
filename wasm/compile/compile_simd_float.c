/* compile_simd_float.c: f32x4 and f64x2 instructions and the
 * conversions between float and integer vectors.
 *
 * Legacy SSE..SSE4.1 encodings (the baseline CPUID checks), two-operand:
 * the result overwrites the operand the stack position owns (cc_in_xmm),
 * the other operand is read where it is (cc_vsrc). Where x86 differs
 * from Wasm the sequences stay branch-free and lane-wise: min/max run
 * minps/maxps in both operand orders and merge, the truncations clamp
 * around cvttps2dq/cvttpd2dq's 0x80000000, unsigned conversions go
 * through exact signed ones. xmm0 and xmm1 are the temporaries.
 */
#include "compile.h"
#include "../x64/xmm.h"

#define X0 0   /* xmm0, xmm1: scratch */
#define X1 1
#define V WASM_V128

/* What each instruction compiles as. */
enum {
    S_NONE,
    S_BIN,       /* a = a op b (imm >= 0: op's imm8) */
    S_RBIN,      /* b = b op a: gt/ge as lt/le, pmin/pmax as minps/maxps */
    S_UN,        /* x = op x (imm >= 0: op's imm8) */
    S_ABS, S_NEG, S_MIN, S_MAX,
    S_SPLAT, S_EXTRACT, S_REPLACE,
    S_CVT_U,     /* f32x4.convert_i32x4_u */
    S_CVT_LOW_U, /* f64x2.convert_low_i32x4_u */
    S_TRUNC_S, S_TRUNC_U,    /* i32x4.trunc_sat_f32x4_* (d: _f64x2_*_zero) */
};

struct vrow {
    uint8_t shape;
    bool d;              /* f64x2 lanes */
    int8_t imm;          /* -1: none */
    uint16_t op;         /* x64_xop */
};

static const struct vrow rows[WASM_OP_COUNT] = {
#define PAIR(name, shape, ps, pd, imm)                                       \
    [WASM_OP_F32X4_##name] = { shape, false, imm, x64_op_##ps },             \
    [WASM_OP_F64X2_##name] = { shape, true, imm, x64_op_##pd },
    PAIR(ADD, S_BIN, addps, addpd, -1)
    PAIR(SUB, S_BIN, subps, subpd, -1)
    PAIR(MUL, S_BIN, mulps, mulpd, -1)
    PAIR(DIV, S_BIN, divps, divpd, -1)
    PAIR(EQ, S_BIN, cmpps, cmppd, X64_CMP_EQ)
    PAIR(NE, S_BIN, cmpps, cmppd, X64_CMP_NEQ)    /* true on NaN, as Wasm */
    PAIR(LT, S_BIN, cmpps, cmppd, X64_CMP_LT)
    PAIR(LE, S_BIN, cmpps, cmppd, X64_CMP_LE)
    /* a > b is b < a: NLE would also be true on NaN. */
    PAIR(GT, S_RBIN, cmpps, cmppd, X64_CMP_LT)
    PAIR(GE, S_RBIN, cmpps, cmppd, X64_CMP_LE)
    /* minps d, s is `d < s ? d : s`, so pmin (`b < a ? b : a`) is
     * minps b, a, and pmax (`a < b ? b : a`) maxps b, a, bit for bit
     * (NaNs and zeros included). */
    PAIR(PMIN, S_RBIN, minps, minpd, -1)
    PAIR(PMAX, S_RBIN, maxps, maxpd, -1)
    PAIR(SQRT, S_UN, sqrtps, sqrtpd, -1)
    PAIR(NEAREST, S_UN, roundps, roundpd, X64_ROUND_NEAREST | X64_ROUND_NOEXC)
    PAIR(FLOOR, S_UN, roundps, roundpd, X64_ROUND_FLOOR | X64_ROUND_NOEXC)
    PAIR(CEIL, S_UN, roundps, roundpd, X64_ROUND_CEIL | X64_ROUND_NOEXC)
    PAIR(TRUNC, S_UN, roundps, roundpd, X64_ROUND_TRUNC | X64_ROUND_NOEXC)
    PAIR(ABS, S_ABS, andps, andpd, -1)
    PAIR(NEG, S_NEG, xorps, xorpd, -1)
    PAIR(MIN, S_MIN, minps, minpd, -1)
    PAIR(MAX, S_MAX, maxps, maxpd, -1)
    PAIR(SPLAT, S_SPLAT, shufps, shufpd, -1)
    PAIR(EXTRACT_LANE, S_EXTRACT, shufps, shufpd, -1)
    PAIR(REPLACE_LANE, S_REPLACE, insertps, movsd, -1)
#undef PAIR
    /* cvtdq2ps rounds as Wasm does (to nearest even, the MXCSR default);
     * cvtpd2ps zeroes the upper lanes as demote_f64x2_zero wants; both
     * conversions quiet a signalling NaN. */
    [WASM_OP_F32X4_CONVERT_I32X4_S] = { S_UN, false, -1, x64_op_cvtdq2ps },
    [WASM_OP_F64X2_CONVERT_LOW_I32X4_S] = { S_UN, true, -1, x64_op_cvtdq2pd },
    [WASM_OP_F32X4_DEMOTE_F64X2_ZERO] = { S_UN, true, -1, x64_op_cvtpd2ps },
    [WASM_OP_F64X2_PROMOTE_LOW_F32X4] = { S_UN, false, -1, x64_op_cvtps2pd },
    [WASM_OP_F32X4_CONVERT_I32X4_U] = { S_CVT_U, false, -1, 0 },
    [WASM_OP_F64X2_CONVERT_LOW_I32X4_U] = { S_CVT_LOW_U, true, -1, 0 },
    [WASM_OP_I32X4_TRUNC_SAT_F32X4_S] = { S_TRUNC_S, false, -1, 0 },
    [WASM_OP_I32X4_TRUNC_SAT_F32X4_U] = { S_TRUNC_U, false, -1, 0 },
    [WASM_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO] = { S_TRUNC_S, true, -1, 0 },
    [WASM_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO] = { S_TRUNC_U, true, -1, 0 },
};

static void op_rr(struct cc *c, const struct vrow *r, int dst, int src)
{
    if (r->imm >= 0)
        x64_sse_rri(&c->a, r->op, dst, src, (uint8_t)r->imm);
    else
        x64_sse_rr(&c->a, r->op, dst, src);
}

static bool bin(struct cc *c, const struct vrow *r)
{
    if (c->avx)
        return cc_xresult(c, 2, V, cc_vex_bin(c, r->op, r->imm, 1, 0));
    int xa = cc_in_xmm(c, 1);
    int xb = cc_vsrc(c, 0, X1);
    op_rr(c, r, xa, xb);
    return cc_xresult(c, 2, V, xa);
}

static bool rbin(struct cc *c, const struct vrow *r)
{
    if (c->avx)
        return cc_xresult(c, 2, V, cc_vex_bin(c, r->op, r->imm, 0, 1));
    int xb = cc_in_xmm(c, 0);
    int xa = cc_vsrc(c, 1, X1);
    op_rr(c, r, xb, xa);
    return cc_xresult(c, 2, V, xb);
}

static bool un(struct cc *c, const struct vrow *r)
{
    int x = cc_in_xmm(c, 0);
    op_rr(c, r, x, x);
    return cc_xresult(c, 1, V, x);
}

/* abs and neg on the bits (a NaN keeps its payload, as Wasm requires):
 * the mask is all-ones shifted, no constant in memory. */
static bool sign(struct cc *c, const struct vrow *r, bool neg)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    x64_pcmpeqd(a, X0, X0);
    if (neg && r->d)
        x64_psllq_i(a, X0, 63);
    else if (neg)
        x64_pslld_i(a, X0, 31);
    else if (r->d)
        x64_psrlq_i(a, X0, 1);
    else
        x64_psrld_i(a, X0, 1);
    x64_sse_rr(a, r->op, x, X0);
    return cc_xresult(c, 1, V, x);
}

/* NaN lanes of x (all-ones in `mask`) become the canonical quiet NaN with
 * the sign set: x |= mask, then the payload below the quiet bit cleared
 * (mask shifted right by sign + exponent + quiet bit). Result in mask. */
static void canonical_nan(struct cc *c, bool d, int x, int mask)
{
    x64_asm *a = &c->a;
    x64_sse_rr(a, d ? x64_op_orpd : x64_op_orps, x, mask);
    if (d)
        x64_psrlq_i(a, mask, 13);
    else
        x64_psrld_i(a, mask, 10);
    x64_sse_rr(a, d ? x64_op_andnpd : x64_op_andnps, mask, x);
}

/* Wasm min/max: NaN if either operand is, -0 < +0. minps/maxps return
 * their second operand when either is NaN or both are zeros, so running
 * them in both orders gives the same lane unless that happens:
 *  min: or-ing the two orders gives -0 when either zero is -0, and a NaN
 *       (all-ones exponent, non-zero mantissa survive an or) when either
 *       operand is one;
 *  max: the two orders differ (xor) only in those lanes; or-ing the
 *       difference in keeps a NaN a NaN and turns (+0, -0) into -0, and
 *       subtracting the difference then gives -0 - -0 = +0 there, a
 *       quiet NaN in NaN lanes, and leaves equal lanes alone (x - 0).
 * Unordered lanes are then made the canonical NaN. */
static bool minmax(struct cc *c, const struct vrow *r, bool max)
{
    x64_asm *a = &c->a;
    bool d = r->d;
    int xa = cc_in_xmm(c, 1);
    int xb = cc_vsrc(c, 0, X1);
    x64_sse_rr(a, x64_op_movaps, X0, xb);
    x64_sse_rr(a, r->op, X0, xa);               /* X0 = op(b, a) */
    x64_sse_rr(a, r->op, xa, xb);               /* xa = op(a, b) */
    if (max) {
        x64_sse_rr(a, d ? x64_op_xorpd : x64_op_xorps, xa, X0);
        x64_sse_rr(a, d ? x64_op_orpd : x64_op_orps, X0, xa);
        x64_sse_rr(a, d ? x64_op_subpd : x64_op_subps, X0, xa);
    } else {
        x64_sse_rr(a, d ? x64_op_orpd : x64_op_orps, X0, xa);
    }
    /* X0 is NaN exactly in the lanes where a or b is. */
    x64_sse_rri(a, d ? x64_op_cmppd : x64_op_cmpps, xa, X0, X64_CMP_UNORD);
    canonical_nan(c, d, X0, xa);
    return cc_xresult(c, 2, V, xa);
}

static uint8_t lane(struct cc *c)
{
    return *c->p++;
}

/* A constant splats at compile time (f32x4.splat (f32.const k) is the
 * usual way to write a vector constant). */
static bool splat(struct cc *c, const struct vrow *r)
{
    const struct val *v = cc_top(c, 0);
    int x;
    if (v->kind == V_CONST) {
        uint64_t k = r->d ? v->imm : (uint64_t)(uint32_t)v->imm * 0x100000001;
        x = cc_xalloc(c);
        cc_vconst(c, x, k, k);
    } else {
        x = cc_in_xmm(c, 0);
        x64_sse_rri(&c->a, r->op, x, x, 0);    /* lane 0 everywhere */
    }
    return cc_xresult(c, 1, V, x);
}

/* The lane moves to lane 0; the bits above a scalar are never read. A
 * vector in memory (a local, a home slot) gives just the lane. */
static bool extract(struct cc *c, const struct vrow *r)
{
    uint8_t n = lane(c);
    const struct val *v = cc_top(c, 0);
    uint8_t ty = r->d ? WASM_F64 : WASM_F32;
    int x;
    if ((v->kind == V_LOCAL && cc_local_mem(c, v->local)) || v->kind == V_MEM) {
        x64_mem m = v->kind == V_LOCAL ? cc_local(c, v->local) : cc_slot(c, c->nvs - 1);
        m.disp += n << (r->d ? 3 : 2);
        x = cc_xalloc(c);
        if (r->d)
            x64_movq_x_m(&c->a, x, m);
        else
            x64_movd_xm(&c->a, x, m);
        return cc_xresult(c, 1, ty, x);
    }
    x = cc_in_xmm(c, 0);
    if (n && r->d)
        x64_movhlps(&c->a, x, x);
    else if (n)
        x64_sse_rri(&c->a, r->op, x, x, n);
    return cc_xresult(c, 1, ty, x);
}

static bool replace(struct cc *c, const struct vrow *r)
{
    uint8_t n = lane(c);
    int xv = cc_in_xmm(c, 1);
    int xs = cc_vsrc(c, 0, X0);
    if (!r->d)
        x64_insertps(&c->a, xv, xs, (uint8_t)(n << 4));   /* its lane 0 to n */
    else if (n)
        x64_movlhps(&c->a, xv, xs);
    else
        x64_movsd(&c->a, xv, xs);                        /* low half only */
    return cc_xresult(c, 2, V, xv);
}

static void vconst2(struct cc *c, int x, uint64_t both)
{
    cc_vconst(c, x, both, both);
}

/* u32 to f32 has no x86 instruction. Split each lane into its low 16
 * bits and the rest; both convert exactly as signed (the rest halved
 * first to stay below 2^31: it is a multiple of 2^16, so halving loses
 * nothing and 16 significant bits fit a float), doubling is exact, and
 * the final add is the one rounding, so the result is rounded once, as
 * Wasm wants. */
static bool cvt_u(struct cc *c)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    x64_xorps(a, X0, X0);
    x64_pblendw(a, X0, x, 0x55);          /* the low word of each lane */
    x64_psubd(a, x, X0);
    x64_cvtdq2ps(a, X0, X0);
    x64_psrld_i(a, x, 1);
    x64_cvtdq2ps(a, x, x);
    x64_addps(a, x, x);
    x64_addps(a, x, X0);
    return cc_xresult(c, 1, V, x);
}

/* u32 to f64: the u32 as the low mantissa bits of 2^52 (exponent word
 * 0x43300000) is the double 2^52 + u exactly; subtracting 2^52 leaves u. */
static bool cvt_low_u(struct cc *c)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    vconst2(c, X1, 0x4330000043300000);
    x64_unpcklps(a, x, X1);
    vconst2(c, X1, 0x4330000000000000);
    x64_subpd(a, x, X1);
    return cc_xresult(c, 1, V, x);
}

/* Saturating float to i32. cvttps2dq and cvttpd2dq give 0x80000000 for
 * NaN and anything out of range, which is right only for large negative
 * lanes. */
static bool trunc_s(struct cc *c, bool d)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    x64_sse_rr(a, x64_op_movaps, X0, x);
    if (d) {
        /* Clamp first: the lane's ordered mask and-ed with INT32_MAX is
         * the bound (0 for NaN, which minpd then returns: it gives its
         * second operand when either is NaN). */
        x64_cmppd(a, X0, X0, X64_CMP_ORD);
        vconst2(c, X1, 0x41dfffffffc00000);         /* 2147483647.0 */
        x64_andpd(a, X0, X1);
        x64_minpd(a, x, X0);
        x64_cvttpd2dq(a, x, x);                     /* upper lanes zero */
        return cc_xresult(c, 1, V, x);
    }
    /* NaN lanes to 0 first; then a lane whose sign flipped from + to -
     * in the conversion overflowed, and 0x80000000 becomes 0x7fffffff. */
    x64_cmpps(a, X0, X0, X64_CMP_ORD);
    x64_andps(a, x, X0);
    x64_xorps(a, X0, x);                  /* sign: the lane was >= +0 */
    x64_cvttps2dq(a, x, x);
    x64_pand(a, X0, x);
    x64_psrad_i(a, X0, 31);
    x64_pxor(a, x, X0);
    return cc_xresult(c, 1, V, x);
}

static bool trunc_u(struct cc *c, bool d)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    /* maxps x, 0 gives 0 for NaN (its second operand), negatives and -0. */
    x64_xorps(a, X0, X0);
    if (d) {
        /* Clamp to 2^32 - 1, truncate, and read the integer off the low
         * mantissa bits of 2^52 + v (exact for v < 2^32). */
        x64_maxpd(a, x, X0);
        vconst2(c, X1, 0x41efffffffe00000);         /* 4294967295.0 */
        x64_minpd(a, x, X1);
        x64_roundpd(a, x, x, X64_ROUND_TRUNC | X64_ROUND_NOEXC);
        vconst2(c, X1, 0x4330000000000000);
        x64_addpd(a, x, X1);
        x64_shufps(a, x, X0, 0x88);                 /* low dwords, then 0 */
        return cc_xresult(c, 1, V, x);
    }
    x64_maxps(a, x, X0);
    /* Lanes below 2^31 convert as signed. For the others, v - 2^31 is
     * exact (a multiple of v's ulp) and converts as signed too; it is
     * added to cvttps2dq's 0x80000000. Below 2^31 the difference is at
     * most -128 and is clamped to 0 (pmaxsd); from 2^32 up it is at
     * least 2^31 (cmpleps) and becomes 0x7fffffff: the sum 0xffffffff. */
    vconst2(c, X1, 0x4f0000004f000000);             /* 2^31 */
    x64_movaps(a, X0, x);
    x64_subps(a, X0, X1);
    x64_cmpps(a, X1, X0, X64_CMP_LE);               /* 2^31 <= v - 2^31 */
    x64_cvttps2dq(a, X0, X0);
    x64_pxor(a, X0, X1);
    x64_pxor(a, X1, X1);
    x64_pmaxsd(a, X0, X1);
    x64_cvttps2dq(a, x, x);
    x64_paddd(a, x, X0);
    return cc_xresult(c, 1, V, x);
}

bool cc_simd_float(struct cc *c, const struct wasm_opinfo *oi)
{
    const struct vrow *r = &rows[oi->op];
    switch (r->shape) {
    case S_BIN: return bin(c, r);
    case S_RBIN: return rbin(c, r);
    case S_UN: return un(c, r);
    case S_ABS: return sign(c, r, false);
    case S_NEG: return sign(c, r, true);
    case S_MIN: return minmax(c, r, false);
    case S_MAX: return minmax(c, r, true);
    case S_SPLAT: return splat(c, r);
    case S_EXTRACT: return extract(c, r);
    case S_REPLACE: return replace(c, r);
    case S_CVT_U: return cvt_u(c);
    case S_CVT_LOW_U: return cvt_low_u(c);
    case S_TRUNC_S: return trunc_s(c, r->d);
    case S_TRUNC_U: return trunc_u(c, r->d);
    default: return cc_fail(c, "SIMD float instruction not compiled yet");
    }
}
