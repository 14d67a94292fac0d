/* compile_simd_int.c: integer and bitwise v128 instructions, lanes,
 * splats, shuffles (issue 9).
 *
 * The baseline is SSE4.1 and SSSE3 (the engine checks CPUID); nothing
 * here needs SSE4.2 or AVX. The left operand is taken into an xmm
 * register it may overwrite (cc_in_xmm), which becomes the result; the
 * right one is read where it is (cc_vsrc, a copy in xmm1 when it is not
 * in a register). xmm0 and xmm1 are the temporaries; a sequence that
 * needs more takes both operands in registers of their own. Where x86 has no instruction
 * or differs from Wasm, the emulation says why it is exact:
 *  - unsigned and non-strict compares go through min/max (x86 only has
 *    signed greater-than), i64x2 signed ones through 64-bit arithmetic
 *    (pcmpgtq is SSE4.2);
 *  - shift counts are taken modulo the lane width (x86 zeroes lanes for
 *    larger counts); i8x16 shifts work on 16-bit lanes, i64x2.shr_s on a
 *    logical shift;
 *  - i64x2.mul, i64x2.abs, i8x16.popcnt and swizzle are composed;
 *  - q15mulr_sat_s fixes pmulhrsw's one overflow (0x8000 * 0x8000).
 */
#include "compile.h"
#include "../x64/xmm.h"

#define X0 0   /* xmm0, xmm1: scratch */
#define X1 1
#define V WASM_V128

static void rr(struct cc *c, x64_xop op, int d, int s)
{
    x64_sse_rr(&c->a, op, d, s);
}

static void mov(struct cc *c, int d, int s)
{
    if (d != s)
        x64_movaps(&c->a, d, s);
}

/* x = ~x (all-ones in xmm0: x must not be xmm0). */
static void vnot(struct cc *c, int x)
{
    x64_pcmpeqd(&c->a, X0, X0);
    x64_pxor(&c->a, x, X0);
}

static uint64_t rep8(uint64_t b) { return (b & 0xff) * 0x0101010101010101ull; }
static uint64_t rep16(uint64_t w) { return (w & 0xffff) * 0x0001000100010001ull; }
static uint64_t rep32(uint64_t d) { return (d & 0xffffffffu) * 0x0000000100000001ull; }

/* A constant with the same 64 bits in both halves; those made from
 * all-ones in one more instruction need no 64-bit immediates. */
static void vconst2(struct cc *c, int x, uint64_t q)
{
    x64_asm *a = &c->a;
    if (q == rep16(0x8000) || q == rep16(1) || q == rep8(1) || q == 1ull << 63) {
        x64_pcmpeqd(a, x, x);
        if (q == rep16(0x8000))
            x64_psllw_i(a, x, 15);
        else if (q == rep16(1))
            x64_psrlw_i(a, x, 15);
        else if (q == rep8(1))
            x64_pabsb(a, x, x);                   /* |-1| */
        else
            x64_psllq_i(a, x, 63);
        return;
    }
    cc_vconst(c, x, q, q);
}

/* ---- Instructions of one shape, from a table ---- */

enum {
    F_NONE,
    F_BIN,        /* a = a op b */
    F_REV,        /* b = b op a (andnot; lt_s is b > a) */
    F_BIN_NOT,    /* a = ~(a op b) (ne) */
    F_CMPM,       /* a = (a == min/max(a, b)): le, ge */
    F_CMPM_NOT,   /* its negation: gt_u, lt_u */
    F_UN,         /* a = op a */
};

struct row {
    uint16_t op;      /* x64_op_* */
    uint16_t eq;      /* F_CMPM*: the lane's pcmpeq */
    uint8_t form;
};

#define R(id) [WASM_OP_##id - WASM_OP_V128_LOAD]
#define BIN(id, o) R(id) = { x64_op_##o, 0, F_BIN }
#define UN(id, o) R(id) = { x64_op_##o, 0, F_UN }
#define CMPM(id, o, e) R(id) = { x64_op_##o, x64_op_##e, F_CMPM }
#define CMPM_NOT(id, o, e) R(id) = { x64_op_##o, x64_op_##e, F_CMPM_NOT }
/* The compares of one lane type from its signed/unsigned min and max:
 * a <= b iff min(a, b) == a, a >= b iff max(a, b) == a; the strict
 * unsigned ones are their negations (a > b iff not a <= b). */
#define CMPS(L, eq, gt, mins, minu, maxs, maxu)                              \
    BIN(L##_EQ, eq), R(L##_NE) = { x64_op_##eq, 0, F_BIN_NOT },              \
    BIN(L##_GT_S, gt), R(L##_LT_S) = { x64_op_##gt, 0, F_REV },              \
    CMPM(L##_LE_S, mins, eq), CMPM(L##_GE_S, maxs, eq),                      \
    CMPM(L##_LE_U, minu, eq), CMPM(L##_GE_U, maxu, eq),                      \
    CMPM_NOT(L##_GT_U, minu, eq), CMPM_NOT(L##_LT_U, maxu, eq)

static const struct row rows[WASM_OP_COUNT - WASM_OP_V128_LOAD] = {
    BIN(V128_AND, pand), BIN(V128_OR, por), BIN(V128_XOR, pxor),
    R(V128_ANDNOT) = { x64_op_pandn, 0, F_REV },     /* pandn: ~dst & src */
    CMPS(I8X16, pcmpeqb, pcmpgtb, pminsb, pminub, pmaxsb, pmaxub),
    CMPS(I16X8, pcmpeqw, pcmpgtw, pminsw, pminuw, pmaxsw, pmaxuw),
    CMPS(I32X4, pcmpeqd, pcmpgtd, pminsd, pminud, pmaxsd, pmaxud),
    BIN(I64X2_EQ, pcmpeqq), R(I64X2_NE) = { x64_op_pcmpeqq, 0, F_BIN_NOT },
    UN(I8X16_ABS, pabsb), UN(I16X8_ABS, pabsw), UN(I32X4_ABS, pabsd),
    /* packuswb/packusdw read signed lanes and saturate to unsigned, as
     * narrow_*_u does. */
    BIN(I8X16_NARROW_I16X8_S, packsswb), BIN(I8X16_NARROW_I16X8_U, packuswb),
    BIN(I16X8_NARROW_I32X4_S, packssdw), BIN(I16X8_NARROW_I32X4_U, packusdw),
    UN(I16X8_EXTEND_LOW_I8X16_S, pmovsxbw), UN(I16X8_EXTEND_LOW_I8X16_U, pmovzxbw),
    UN(I32X4_EXTEND_LOW_I16X8_S, pmovsxwd), UN(I32X4_EXTEND_LOW_I16X8_U, pmovzxwd),
    UN(I64X2_EXTEND_LOW_I32X4_S, pmovsxdq), UN(I64X2_EXTEND_LOW_I32X4_U, pmovzxdq),
    BIN(I8X16_ADD, paddb), BIN(I16X8_ADD, paddw), BIN(I32X4_ADD, paddd),
    BIN(I64X2_ADD, paddq),
    BIN(I8X16_SUB, psubb), BIN(I16X8_SUB, psubw), BIN(I32X4_SUB, psubd),
    BIN(I64X2_SUB, psubq),
    BIN(I8X16_ADD_SAT_S, paddsb), BIN(I8X16_ADD_SAT_U, paddusb),
    BIN(I8X16_SUB_SAT_S, psubsb), BIN(I8X16_SUB_SAT_U, psubusb),
    BIN(I16X8_ADD_SAT_S, paddsw), BIN(I16X8_ADD_SAT_U, paddusw),
    BIN(I16X8_SUB_SAT_S, psubsw), BIN(I16X8_SUB_SAT_U, psubusw),
    BIN(I16X8_MUL, pmullw), BIN(I32X4_MUL, pmulld),
    BIN(I8X16_MIN_S, pminsb), BIN(I8X16_MIN_U, pminub),
    BIN(I8X16_MAX_S, pmaxsb), BIN(I8X16_MAX_U, pmaxub),
    BIN(I16X8_MIN_S, pminsw), BIN(I16X8_MIN_U, pminuw),
    BIN(I16X8_MAX_S, pmaxsw), BIN(I16X8_MAX_U, pmaxuw),
    BIN(I32X4_MIN_S, pminsd), BIN(I32X4_MIN_U, pminud),
    BIN(I32X4_MAX_S, pmaxsd), BIN(I32X4_MAX_U, pmaxud),
    /* pavg rounds up, (a + b + 1) >> 1 without overflow, as avgr_u. */
    BIN(I8X16_AVGR_U, pavgb), BIN(I16X8_AVGR_U, pavgw),
    /* pmaddwd's sums wrap only for -32768 * -32768 twice (2^31), as the
     * Wasm sum does in 32 bits. */
    BIN(I32X4_DOT_I16X8_S, pmaddwd),
};
#undef CMPS
#undef CMPM_NOT
#undef CMPM
#undef UN
#undef BIN
#undef R

static bool by_row(struct cc *c, const struct row *r)
{
    if (r->form == F_UN) {
        int x = cc_in_xmm(c, 0);
        rr(c, r->op, x, x);
        return cc_xresult(c, 1, V, x);
    }
    if (c->avx && (r->form == F_BIN || r->form == F_REV)) {
        bool rev = r->form == F_REV;
        return cc_xresult(c, 2, V, cc_vex_bin(c, r->op, -1, rev ? 0 : 1, rev ? 1 : 0));
    }
    if (r->form == F_REV) {
        int x = cc_in_xmm(c, 0);
        rr(c, r->op, x, cc_vsrc(c, 1, X1));
        return cc_xresult(c, 2, V, x);
    }
    int x = cc_in_xmm(c, 1);
    int s = cc_vsrc(c, 0, X1);
    if (r->form == F_CMPM || r->form == F_CMPM_NOT) {
        mov(c, X0, x);
        rr(c, r->op, X0, s);
        rr(c, r->eq, x, X0);
    } else {
        rr(c, r->op, x, s);
    }
    if (r->form == F_BIN_NOT || r->form == F_CMPM_NOT)
        vnot(c, x);
    return cc_xresult(c, 2, V, x);
}

/* ---- Bitwise ---- */

static bool v128_not(struct cc *c)
{
    int x = cc_in_xmm(c, 0);
    vnot(c, x);
    return cc_xresult(c, 1, V, x);
}

/* (v1 & m) | (v2 & ~m) as v2 ^ ((v1 ^ v2) & m): where m is set the two
 * v2 cancel, where it is clear the v1 ^ v2 term is gone. */
static bool bitselect(struct cc *c)
{
    int x = cc_in_xmm(c, 2);
    int v2 = cc_vsrc(c, 1, X1);
    int m = cc_vsrc(c, 0, X0);
    x64_pxor(&c->a, x, v2);
    x64_pand(&c->a, x, m);
    x64_pxor(&c->a, x, v2);
    return cc_xresult(c, 3, V, x);
}

/* ---- To scalars ---- */

/* The next instruction is a br_if or an if: it can test the flags. */
static bool fusable(struct cc *c)
{
    return c->p < c->end && (*c->p == 0x0d || *c->p == 0x04);
}

/* any_true and all_true: ptest sets ZF; the i32 is the condition `cc`,
 * or the flags themselves for a br_if or if right after. */
static bool test_result(struct cc *c, x64_xop pcmpeq)
{
    bool fuse = fusable(c);
    int r = fuse ? -1 : cc_alloc(c);
    x64_cc cc = X64_NE;
    if (!pcmpeq) {
        int x = cc_vsrc(c, 0, X0);
        x64_ptest(&c->a, x, x);                    /* ZF: no bit set */
    } else {
        /* Every lane is non-zero iff no lane compares equal to zero. */
        int x = cc_vsrc(c, 0, X1);
        x64_pxor(&c->a, X0, X0);
        rr(c, pcmpeq, X0, x);
        x64_ptest(&c->a, X0, X0);
        cc = X64_E;
    }
    if (fuse) {
        c->fused = cc;
        cc_drop(c, 1);
        return cc_push_const(c, WASM_I32, 0);      /* stands for the flags */
    }
    x64_setcc_zx(&c->a, cc, r);
    return cc_result(c, 1, WASM_I32, r);
}

static bool bitmask(struct cc *c, unsigned size)
{
    x64_asm *a = &c->a;
    int x = cc_vsrc(c, 0, X0);
    int r = cc_alloc(c);
    switch (size) {
    case 1:
        x64_pmovmskb(a, r, x);
        break;
    case 2:
        /* Signed saturation keeps each lane's sign in a byte; the 8
         * bytes come twice, the low ones are the mask. */
        mov(c, X0, x);
        x64_packsswb(a, X0, X0);
        x64_pmovmskb(a, r, X0);
        x64_shift_ri(a, X64_SHR, X64_S32, r, 8);
        break;
    case 4:
        x64_movmskps(a, r, x);
        break;
    default:
        x64_movmskpd(a, r, x);
        break;
    }
    return cc_result(c, 1, WASM_I32, r);
}

/* ---- Lanes ---- */

static bool splat(struct cc *c, unsigned size)
{
    x64_asm *a = &c->a;
    struct val *v = cc_top(c, 0);
    if (v->kind == V_CONST) {
        uint64_t q = size == 1 ? rep8(v->imm) : size == 2 ? rep16(v->imm)
                   : size == 4 ? rep32(v->imm) : v->imm;
        int x = cc_xalloc(c);
        vconst2(c, x, q);
        return cc_xresult(c, 1, V, x);
    }
    int x = cc_in_xmm(c, 0);          /* the scalar in the low lane */
    switch (size) {
    case 1:
        x64_pxor(a, X0, X0);          /* every byte takes byte 0 */
        x64_pshufb(a, x, X0);
        break;
    case 2:
        x64_pshuflw(a, x, x, 0);
        x64_pshufd(a, x, x, 0);
        break;
    case 4:
        x64_pshufd(a, x, x, 0);
        break;
    default:
        x64_punpcklqdq(a, x, x);
        break;
    }
    return cc_xresult(c, 1, V, x);
}

/* A lane of a vector in memory (a local in its slot or a home slot) is
 * loaded from there; of one in a register, extracted. */
static bool extract_lane(struct cc *c, unsigned size, bool sign)
{
    x64_asm *a = &c->a;
    uint8_t l = *c->p++;
    struct val *v = cc_top(c, 0);
    int r = cc_alloc(c);
    if ((v->kind == V_LOCAL && cc_local_mem(c, v->local)) || v->kind == V_MEM) {
        x64_mem m = v->kind == V_LOCAL ? cc_local(c, v->local) : cc_slot(c, c->nvs - 1);
        m.disp += (int32_t)(l * size);
        if (sign)
            x64_loads(a, (x64_sz)size, X64_S32, r, m);
        else
            x64_load(a, (x64_sz)size, r, m);
        return cc_result(c, 1, size == 8 ? WASM_I64 : WASM_I32, r);
    }
    int x = cc_vsrc(c, 0, X0);
    switch (size) {
    case 1:
        x64_pextrb(a, r, x, l);
        if (sign)
            x64_movsx(a, X64_S8, X64_S32, r, r);
        break;
    case 2:
        x64_pextrw(a, r, x, l);
        if (sign)
            x64_movsx(a, X64_S16, X64_S32, r, r);
        break;
    case 4:
        if (l == 0)
            x64_movd_rx(a, X64_S32, r, x);
        else
            x64_pextrd(a, r, x, l);
        break;
    default:
        if (l == 0)
            x64_movd_rx(a, X64_S64, r, x);
        else
            x64_pextrq(a, r, x, l);
        break;
    }
    return cc_result(c, 1, size == 8 ? WASM_I64 : WASM_I32, r);
}

static bool replace_lane(struct cc *c, unsigned size)
{
    x64_asm *a = &c->a;
    uint8_t l = *c->p++;
    int x = cc_in_xmm(c, 1);
    struct val *v = cc_top(c, 0);
    int r = SCRATCH;
    if (v->kind == V_REG)
        r = v->reg;
    else
        cc_load(c, v, SCRATCH);
    switch (size) {
    case 1: x64_pinsrb(a, x, r, l); break;
    case 2: x64_pinsrw(a, x, r, l); break;
    case 4: x64_pinsrd(a, x, r, l); break;
    default: x64_pinsrq(a, x, r, l); break;
    }
    return cc_xresult(c, 2, V, x);
}

/* i8x16.shuffle. Indices 0..15 name bytes of the first operand, 16..31
 * of the second. Patterns one x86 instruction makes are matched first:
 * those the unpacks, palignr, pshufd (a dword permutation of one operand)
 * and shufps (two dwords of each) make; anything else is a pshufb of each
 * operand with a mask from the lane indices into it (bit 7 set, which
 * pshufb turns into zero, for the lanes from the other), the two ORed. */

/* The unpacks: elements of `e` bytes from the low or high half (h) of
 * dst and src, interleaved, dst's first. */
static const struct unpack {
    uint8_t e, h;
    uint16_t op;
} unpacks[] = {
    { 1, 0, x64_op_punpcklbw }, { 2, 0, x64_op_punpcklwd },
    { 4, 0, x64_op_punpckldq }, { 8, 0, x64_op_punpcklqdq },
    { 1, 1, x64_op_punpckhbw }, { 2, 1, x64_op_punpckhwd },
    { 4, 1, x64_op_punpckhdq }, { 8, 1, x64_op_punpckhqdq },
};

/* An unpack of dst (the first operand, or the second when `swap`) with
 * the other. */
static bool is_unpack(const uint8_t *idx, const struct unpack *u, unsigned swap)
{
    unsigned db = swap ? 16 : 0, sb = swap ? 0 : 16;
    for (unsigned k = 0; k < 16; k++) {
        unsigned i = k / u->e;
        if (idx[k] != (i & 1 ? sb : db) + (u->h * (8u / u->e) + i / 2) * u->e + k % u->e)
            return false;
    }
    return true;
}

/* Bytes n..n+15 of the 32 the two operands make, the first (or, `swap`,
 * the second) below: palignr of the top half by the bottom one. */
static unsigned align_of(const uint8_t *idx, unsigned swap)
{
    unsigned n = (idx[0] - (swap ? 16u : 0u)) & 31;
    for (unsigned k = 0; k < 16; k++)
        if (idx[k] != ((swap ? 16 : 0) + n + k) % 32)
            return 0;
    return n < 16 ? n : 0;
}

/* Whole dwords: the dword index (0..7) of each, in *q; false if not. */
static bool dwords(const uint8_t *idx, unsigned q[4])
{
    for (unsigned j = 0; j < 4; j++) {
        q[j] = idx[4 * j] / 4u;
        for (unsigned b = 0; b < 4; b++)
            if (idx[4 * j + b] != 4 * q[j] + b)
                return false;
    }
    return true;
}

/* The imm8 of pshufd/shufps selecting dwords q (of either operand). */
static uint8_t pshufd_imm(const unsigned q[4])
{
    return (uint8_t)((q[0] & 3) | (q[1] & 3) << 2 | (q[2] & 3) << 4 | (q[3] & 3) << 6);
}

/* dst = op(dst, src) with dst the first operand's register, or the
 * second's when `swap`. */
static bool two_op(struct cc *c, x64_xop op, bool imm, uint8_t i, unsigned swap)
{
    int x = cc_in_xmm(c, swap ? 0 : 1);
    int s = cc_vsrc(c, swap ? 1 : 0, X1);
    if (imm)
        x64_sse_rri(&c->a, op, x, s, i);
    else
        rr(c, op, x, s);
    return cc_xresult(c, 2, V, x);
}

/* pshufb x by a constant control, read from the constant pool. */
static void pshufb_const(struct cc *c, int x, const uint64_t m[2])
{
    x64_mem at;
    if (cc_vpool(c, m[0], m[1], &at)) {
        x64_pshufb_m(&c->a, x, at);
        return;
    }
    cc_vconst(c, X0, m[0], m[1]);
    x64_pshufb(&c->a, x, X0);
}

static bool shuffle_one(struct cc *c, const uint8_t *idx, unsigned from)
{
    x64_asm *a = &c->a;
    uint64_t m[2] = { 0, 0 };
    uint8_t own[16];
    unsigned q[4];
    bool ident = true;
    for (unsigned k = 0; k < 16; k++) {
        own[k] = idx[k] & 15;
        ident &= own[k] == k;
        m[k >> 3] |= (uint64_t)own[k] << (8 * (k & 7));
    }
    x64_mem at;
    if (c->avx && !dwords(own, q) && cc_vpool(c, m[0], m[1], &at)) {
        /* vpshufb reads the operand where it is (a pinned local too). */
        int s = cc_vsrc(c, 1 - from, X0), d = cc_vdst(c, 2);
        x64_vex_rm(a, x64_op_pshufb, false, d, s, at);
        return cc_xresult(c, 2, V, d);
    }
    int x = cc_in_xmm(c, 1 - from);
    if (dwords(own, q)) {
        if (!ident)
            x64_pshufd(a, x, x, pshufd_imm(q));
    } else {
        pshufb_const(c, x, m);
    }
    return cc_xresult(c, 2, V, x);
}

static bool shuffle(struct cc *c)
{
    x64_asm *a = &c->a;
    uint8_t idx[16];
    uint64_t m[2][2] = { { 0, 0 }, { 0, 0 } };   /* [operand][half] */
    bool use[2] = { false, false };
    unsigned q[4];
    for (unsigned k = 0; k < 16; k++) {
        idx[k] = c->p[k] & 31;
        use[idx[k] >> 4] = true;
        for (unsigned o = 0; o < 2; o++) {
            unsigned b = o == idx[k] >> 4u ? idx[k] & 15u : 0x80u;
            m[o][k >> 3] |= (uint64_t)b << (8 * (k & 7));
        }
    }
    c->p += 16;
    if (!use[0] || !use[1])
        return shuffle_one(c, idx, use[1]);
    for (unsigned swap = 0; swap < 2; swap++) {
        for (unsigned u = 0; u < sizeof unpacks / sizeof unpacks[0]; u++)
            if (is_unpack(idx, &unpacks[u], swap))
                return two_op(c, unpacks[u].op, false, 0, swap);
        unsigned n = align_of(idx, swap);
        if (n)        /* palignr's destination is the top half */
            return two_op(c, x64_op_palignr, true, (uint8_t)n, !swap);
        /* shufps: dwords 0 and 1 from dst, 2 and 3 from src. */
        if (dwords(idx, q) && q[0] / 4 == swap && q[1] / 4 == swap &&
            q[2] / 4 != swap && q[3] / 4 != swap)
            return two_op(c, x64_op_shufps, true, pshufd_imm(q), swap);
    }
    x64_mem at0, at1;
    if (c->avx && cc_vpool(c, m[0][0], m[0][1], &at0) && cc_vpool(c, m[1][0], m[1][1], &at1)) {
        /* The second operand's bytes into xmm1 first: the destination may
         * be its register. */
        int s1 = cc_vsrc(c, 1, X0), s2 = cc_vsrc(c, 0, X1), d = cc_vdst(c, 2);
        x64_vex_rm(a, x64_op_pshufb, false, X1, s2, at1);
        x64_vex_rm(a, x64_op_pshufb, false, d, s1, at0);
        x64_vex_rr(a, x64_op_por, false, d, d, X1);
        return cc_xresult(c, 2, V, d);
    }
    int x = cc_in_xmm(c, 1), y = cc_in_xmm(c, 0);
    pshufb_const(c, x, m[0]);
    pshufb_const(c, y, m[1]);
    x64_por(a, x, y);
    return cc_xresult(c, 2, V, x);
}

/* Indices 16 and up select zero. Adding 0x70 with unsigned saturation
 * keeps 0..15 in 0x70..0x7f (bit 7 clear, same low nibble) and puts the
 * others at 0x80 and above, which pshufb zeroes. */
static bool swizzle(struct cc *c)
{
    int x = cc_in_xmm(c, 1);
    mov(c, X1, cc_vsrc(c, 0, X1));
    vconst2(c, X0, rep8(0x70));
    x64_paddusb(&c->a, X1, X0);
    x64_pshufb(&c->a, x, X1);
    return cc_xresult(c, 2, V, x);
}

/* ---- i64x2 compares, abs, mul ---- */

/* x = (x > y) per signed 64-bit lane, without pcmpgtq (SSE4.2); y is
 * kept; neither may be xmm0 or xmm1. y < x is the sign of
 *   (y & ~x) | (~(y ^ x) & (y - x)):
 * when the signs differ the first term says y is the negative one (the
 * second is clear); when they agree y - x cannot overflow and its sign
 * is the answer (the first term is clear). The sign bit is then spread
 * over the lane: psrad copies it over the high dword, pshufd to the low. */
static void gt64(struct cc *c, int x, int y)
{
    x64_asm *a = &c->a;
    mov(c, X0, y);
    x64_psubq(a, X0, x);              /* y - x */
    mov(c, X1, x);
    x64_pxor(a, X1, y);
    x64_pandn(a, X1, X0);             /* ~(y ^ x) & (y - x) */
    x64_pandn(a, x, y);               /* y & ~x */
    x64_por(a, x, X1);
    x64_psrad_i(a, x, 31);
    x64_pshufd(a, x, x, 0xf5);
}

/* gt_s; lt_s is b > a; le_s and ge_s are not gt_s and not lt_s. */
static bool cmp64(struct cc *c, bool swap, bool negate)
{
    int a = cc_in_xmm(c, 1), b = cc_in_xmm(c, 0);
    int x = swap ? b : a;
    gt64(c, x, swap ? a : b);
    if (negate)
        vnot(c, x);
    return cc_xresult(c, 2, V, x);
}

/* (x ^ s) - s with s the lane's sign spread over it: x when s is 0,
 * ~x + 1 = -x when s is all ones. */
static bool abs64(struct cc *c)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    x64_pshufd(a, X0, x, 0xf5);       /* high dwords over both halves */
    x64_psrad_i(a, X0, 31);
    x64_pxor(a, x, X0);
    x64_psubq(a, x, X0);
    return cc_xresult(c, 1, V, x);
}

/* Modulo 2^64, a * b = lo(a)lo(b) + ((hi(a)lo(b) + lo(a)hi(b)) << 32):
 * pmuludq multiplies the low dwords of each lane into 64 bits. */
static bool mul64(struct cc *c)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 1), y = cc_in_xmm(c, 0);
    mov(c, X0, x);
    x64_psrlq_i(a, X0, 32);
    x64_pmuludq(a, X0, y);            /* hi(a) lo(b) */
    mov(c, X1, y);
    x64_psrlq_i(a, X1, 32);
    x64_pmuludq(a, X1, x);            /* hi(b) lo(a) */
    x64_paddq(a, X0, X1);
    x64_psllq_i(a, X0, 32);
    x64_pmuludq(a, x, y);
    x64_paddq(a, x, X0);
    return cc_xresult(c, 2, V, x);
}

/* ---- Other lane-wise arithmetic ---- */

static bool neg(struct cc *c, x64_xop psub)
{
    int x = cc_in_xmm(c, 0);
    mov(c, X0, x);
    x64_pxor(&c->a, x, x);
    rr(c, psub, x, X0);
    return cc_xresult(c, 1, V, x);
}

/* Each nibble's count from a 16-entry table (pshufb), the two added. */
static bool popcnt(struct cc *c)
{
    x64_asm *a = &c->a;
    const uint64_t lut_lo = 0x0302020102010100ull, lut_hi = 0x0403030203020201ull;
    int x = cc_in_xmm(c, 0);
    vconst2(c, X1, rep8(0x0f));
    mov(c, X0, x);
    x64_psrlw_i(a, X0, 4);
    x64_pand(a, X0, X1);              /* high nibbles */
    x64_pand(a, x, X1);               /* low nibbles */
    cc_vconst(c, X1, lut_lo, lut_hi);
    x64_pshufb(a, X1, x);
    cc_vconst(c, x, lut_lo, lut_hi);
    x64_pshufb(a, x, X0);
    x64_paddb(a, x, X1);
    return cc_xresult(c, 1, V, x);
}

/* extend_high: signed ones move the high half down and sign-extend it;
 * unsigned ones interleave it with zeros. */
static bool extend_high(struct cc *c, x64_xop pmovsx, x64_xop punpckh)
{
    int x = cc_in_xmm(c, 0);
    if (pmovsx) {
        x64_pshufd(&c->a, x, x, 0xee);
        rr(c, pmovsx, x, x);
    } else {
        x64_pxor(&c->a, X0, X0);
        rr(c, punpckh, x, X0);
    }
    return cc_xresult(c, 1, V, x);
}

/* extadd_pairwise: pmaddubsw multiplies unsigned bytes of its destination
 * by signed bytes of its source and adds pairs, pmaddwd the same on
 * signed words; with ones as the other factor that is the pairwise sum,
 * which never saturates (at most 2 * 255). Unsigned words have no
 * pmaddwd: the halves of each dword are added after shifts. */
static bool extadd(struct cc *c, bool wide, bool sign)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 0);
    if (!wide && sign) {
        vconst2(c, X0, rep8(1));
        x64_pmaddubsw(a, X0, x);
        mov(c, x, X0);
    } else if (!wide) {
        vconst2(c, X0, rep8(1));
        x64_pmaddubsw(a, x, X0);
    } else if (sign) {
        vconst2(c, X0, rep16(1));
        x64_pmaddwd(a, x, X0);
    } else {
        mov(c, X0, x);
        x64_psrld_i(a, x, 16);        /* the odd words, zero-extended */
        x64_pslld_i(a, X0, 16);
        x64_psrld_i(a, X0, 16);       /* the even words */
        x64_paddd(a, x, X0);
    }
    return cc_xresult(c, 1, V, x);
}

/* i16x8.extmul_*_i8x16: both halves widened, then multiplied (the
 * products fit in 16 bits). */
static bool extmul8(struct cc *c, x64_xop pmovx, bool high)
{
    x64_asm *a = &c->a;
    int x = cc_in_xmm(c, 1);
    int s = cc_vsrc(c, 0, X1);
    if (high) {
        x64_pshufd(a, x, x, 0xee);
        x64_pshufd(a, X0, s, 0xee);
        rr(c, pmovx, X0, X0);
    } else {
        rr(c, pmovx, X0, s);
    }
    rr(c, pmovx, x, x);
    x64_pmullw(a, x, X0);
    return cc_xresult(c, 2, V, x);
}

/* i32x4.extmul_*_i16x8: the low and high 16 bits of the 32-bit products
 * (pmullw, pmulhw/pmulhuw), interleaved. */
static bool extmul16(struct cc *c, x64_xop pmulh, x64_xop punpck)
{
    int x = cc_in_xmm(c, 1);
    int s = cc_vsrc(c, 0, X1);
    mov(c, X0, x);
    x64_pmullw(&c->a, x, s);
    rr(c, pmulh, X0, s);
    rr(c, punpck, x, X0);
    return cc_xresult(c, 2, V, x);
}

/* i64x2.extmul_*_i32x4: pmuldq/pmuludq multiply dwords 0 and 2, so the
 * two lanes wanted are moved there. */
static bool extmul32(struct cc *c, x64_xop pmul, bool high)
{
    uint8_t sel = high ? 0xfa : 0x50;  /* dwords 2,3 or 0,1 to 0 and 2 */
    int x = cc_in_xmm(c, 1);
    int s = cc_vsrc(c, 0, X1);
    x64_pshufd(&c->a, x, x, sel);
    x64_pshufd(&c->a, X0, s, sel);
    rr(c, pmul, x, X0);
    return cc_xresult(c, 2, V, x);
}

/* pmulhrsw is (a * b + 0x4000) >> 15, Wasm's rounding, but wraps where
 * Wasm saturates: only -32768 * -32768 gives 32768, which it writes as
 * 0x8000. No other product gives 0x8000 (the most negative product,
 * -32768 * 32767, rounds to -32767), so those lanes become 0x7fff. */
static bool q15mulr(struct cc *c)
{
    int x = cc_in_xmm(c, 1);
    x64_pmulhrsw(&c->a, x, cc_vsrc(c, 0, X1));
    vconst2(c, X0, rep16(0x8000));
    x64_pcmpeqw(&c->a, X0, x);
    x64_pxor(&c->a, x, X0);
    return cc_xresult(c, 2, V, x);
}

/* ---- Shifts ---- */

enum { SHL, SHR_S, SHR_U };

/* The x86 shift of one lane width: count in an xmm register or an imm. */
struct shop {
    x64_xop reg;
    void (*imm)(x64_asm *a, int x, uint8_t n);
};
static const struct shop shops[3][3] = {   /* [16, 32, 64 bits][kind] */
    { { x64_op_psllw, x64_psllw_i }, { x64_op_psraw, x64_psraw_i },
      { x64_op_psrlw, x64_psrlw_i } },
    { { x64_op_pslld, x64_pslld_i }, { x64_op_psrad, x64_psrad_i },
      { x64_op_psrld, x64_psrld_i } },
    { { x64_op_psllq, x64_psllq_i }, { 0, 0 }, { x64_op_psrlq, x64_psrlq_i } },
};

/* The count at the top of the stack modulo the lane width (x86 would
 * zero or fill lanes for larger counts), plus `add`: true and the value
 * in *n when constant, else false with it in xmm0. */
static bool count(struct cc *c, unsigned bits, unsigned add, unsigned *n)
{
    struct val *v = cc_top(c, 0);
    if (v->kind == V_CONST) {
        *n = ((unsigned)v->imm & (bits - 1)) + add;
        return true;
    }
    cc_load(c, v, SCRATCH);
    x64_alu_ri(&c->a, X64_AND, X64_S32, SCRATCH, (int32_t)(bits - 1));
    if (add)
        x64_alu_ri(&c->a, X64_ADD, X64_S32, SCRATCH, (int32_t)add);
    x64_movd_xr(&c->a, X64_S32, X0, SCRATCH);
    return false;
}

/* x shifted by the count (`k`: the constant n, else xmm0). */
static void shift_by(struct cc *c, const struct shop *s, int x, bool k, unsigned n)
{
    if (!k)
        rr(c, s->reg, x, X0);
    else if (n)
        s->imm(&c->a, x, (uint8_t)n);
}

static bool shift(struct cc *c, unsigned lg, int kind)   /* lg: 0 16, 1 32, 2 64 bits */
{
    unsigned n;
    int x = cc_in_xmm(c, 1);
    bool k = count(c, 16u << lg, 0, &n);
    shift_by(c, &shops[lg][kind], x, k, n);
    return cc_xresult(c, 2, V, x);
}

/* No psraq before AVX-512: a logical shift, then the sign bit's new
 * place m = 2^63 >> n sign-extended by (x ^ m) - m (m set: the bits
 * above it borrow to ones; clear: nothing changes). */
static bool shr_s64(struct cc *c)
{
    x64_asm *a = &c->a;
    unsigned n;
    int x = cc_in_xmm(c, 1);
    if (count(c, 64, 0, &n)) {
        if (n) {
            x64_psrlq_i(a, x, (uint8_t)n);
            vconst2(c, X1, (1ull << 63) >> n);
            x64_pxor(a, x, X1);
            x64_psubq(a, x, X1);
        }
    } else {
        vconst2(c, X1, 1ull << 63);
        x64_psrlq(a, X1, X0);
        x64_psrlq(a, x, X0);
        x64_pxor(a, x, X1);
        x64_psubq(a, x, X1);
    }
    return cc_xresult(c, 2, V, x);
}

/* i8x16 shifts on 16-bit lanes. shl: a word shift, then the bits that
 * crossed from each low byte into the high one are masked off (the mask,
 * 0xff << n in each byte, is the low byte of 0xffff << n, broadcast).
 * shr_u by a constant likewise with 0xff >> n. Right shifts by a
 * variable, and shr_s: each byte doubled into a word (b:b), which the
 * word shift by n + 8 leaves as b >> n, extended; packing back cannot
 * saturate. */
static bool shift8(struct cc *c, int kind)
{
    x64_asm *a = &c->a;
    unsigned n;
    int x = cc_in_xmm(c, 1);
    bool k = cc_top(c, 0)->kind == V_CONST;
    if (kind == SHL || (kind == SHR_U && k)) {
        count(c, 8, 0, &n);
        const struct shop *s = &shops[0][kind];
        if (k) {
            if (kind == SHL && n == 1) {
                x64_paddb(a, x, x);                  /* x + x, per byte */
            } else if (n) {
                s->imm(a, x, (uint8_t)n);
                vconst2(c, X1, rep8(kind == SHL ? 0xffu << n : 0xffu >> n));
                x64_pand(a, x, X1);
            }
        } else {
            rr(c, s->reg, x, X0);
            x64_pcmpeqd(a, X1, X1);
            rr(c, s->reg, X1, X0);
            x64_pxor(a, X0, X0);
            x64_pshufb(a, X1, X0);
            x64_pand(a, x, X1);
        }
        return cc_xresult(c, 2, V, x);
    }
    k = count(c, 8, 8, &n);
    const struct shop *s = &shops[0][kind];
    mov(c, X1, x);
    x64_punpcklbw(a, x, x);
    x64_punpckhbw(a, X1, X1);
    shift_by(c, s, x, k, n);
    shift_by(c, s, X1, k, n);
    if (kind == SHR_S)
        x64_packsswb(a, x, X1);
    else
        x64_packuswb(a, x, X1);
    return cc_xresult(c, 2, V, x);
}

/* ---- Dispatch ---- */

static bool special(struct cc *c, uint16_t op)
{
    switch (op) {
    case WASM_OP_V128_NOT: return v128_not(c);
    case WASM_OP_V128_BITSELECT: return bitselect(c);
    case WASM_OP_V128_ANY_TRUE: return test_result(c, 0);
    case WASM_OP_I8X16_ALL_TRUE: return test_result(c, x64_op_pcmpeqb);
    case WASM_OP_I16X8_ALL_TRUE: return test_result(c, x64_op_pcmpeqw);
    case WASM_OP_I32X4_ALL_TRUE: return test_result(c, x64_op_pcmpeqd);
    case WASM_OP_I64X2_ALL_TRUE: return test_result(c, x64_op_pcmpeqq);
    case WASM_OP_I8X16_BITMASK: return bitmask(c, 1);
    case WASM_OP_I16X8_BITMASK: return bitmask(c, 2);
    case WASM_OP_I32X4_BITMASK: return bitmask(c, 4);
    case WASM_OP_I64X2_BITMASK: return bitmask(c, 8);
    case WASM_OP_I8X16_SPLAT: return splat(c, 1);
    case WASM_OP_I16X8_SPLAT: return splat(c, 2);
    case WASM_OP_I32X4_SPLAT: return splat(c, 4);
    case WASM_OP_I64X2_SPLAT: return splat(c, 8);
    case WASM_OP_I8X16_EXTRACT_LANE_S: return extract_lane(c, 1, true);
    case WASM_OP_I8X16_EXTRACT_LANE_U: return extract_lane(c, 1, false);
    case WASM_OP_I16X8_EXTRACT_LANE_S: return extract_lane(c, 2, true);
    case WASM_OP_I16X8_EXTRACT_LANE_U: return extract_lane(c, 2, false);
    case WASM_OP_I32X4_EXTRACT_LANE: return extract_lane(c, 4, false);
    case WASM_OP_I64X2_EXTRACT_LANE: return extract_lane(c, 8, false);
    case WASM_OP_I8X16_REPLACE_LANE: return replace_lane(c, 1);
    case WASM_OP_I16X8_REPLACE_LANE: return replace_lane(c, 2);
    case WASM_OP_I32X4_REPLACE_LANE: return replace_lane(c, 4);
    case WASM_OP_I64X2_REPLACE_LANE: return replace_lane(c, 8);
    case WASM_OP_I8X16_SHUFFLE: return shuffle(c);
    case WASM_OP_I8X16_SWIZZLE: return swizzle(c);
    case WASM_OP_I64X2_GT_S: return cmp64(c, false, false);
    case WASM_OP_I64X2_LT_S: return cmp64(c, true, false);
    case WASM_OP_I64X2_LE_S: return cmp64(c, false, true);
    case WASM_OP_I64X2_GE_S: return cmp64(c, true, true);
    case WASM_OP_I64X2_ABS: return abs64(c);
    case WASM_OP_I64X2_MUL: return mul64(c);
    case WASM_OP_I8X16_NEG: return neg(c, x64_op_psubb);
    case WASM_OP_I16X8_NEG: return neg(c, x64_op_psubw);
    case WASM_OP_I32X4_NEG: return neg(c, x64_op_psubd);
    case WASM_OP_I64X2_NEG: return neg(c, x64_op_psubq);
    case WASM_OP_I8X16_POPCNT: return popcnt(c);
    case WASM_OP_I16X8_Q15MULR_SAT_S: return q15mulr(c);
    default: return cc_fail(c, "SIMD integer instruction not compiled");
    }
}

static bool widen_or_shift(struct cc *c, uint16_t op)
{
    switch (op) {
    case WASM_OP_I16X8_EXTEND_HIGH_I8X16_S: return extend_high(c, x64_op_pmovsxbw, 0);
    case WASM_OP_I16X8_EXTEND_HIGH_I8X16_U: return extend_high(c, 0, x64_op_punpckhbw);
    case WASM_OP_I32X4_EXTEND_HIGH_I16X8_S: return extend_high(c, x64_op_pmovsxwd, 0);
    case WASM_OP_I32X4_EXTEND_HIGH_I16X8_U: return extend_high(c, 0, x64_op_punpckhwd);
    case WASM_OP_I64X2_EXTEND_HIGH_I32X4_S: return extend_high(c, x64_op_pmovsxdq, 0);
    case WASM_OP_I64X2_EXTEND_HIGH_I32X4_U: return extend_high(c, 0, x64_op_punpckhdq);
    case WASM_OP_I16X8_EXTADD_PAIRWISE_I8X16_S: return extadd(c, false, true);
    case WASM_OP_I16X8_EXTADD_PAIRWISE_I8X16_U: return extadd(c, false, false);
    case WASM_OP_I32X4_EXTADD_PAIRWISE_I16X8_S: return extadd(c, true, true);
    case WASM_OP_I32X4_EXTADD_PAIRWISE_I16X8_U: return extadd(c, true, false);
    case WASM_OP_I16X8_EXTMUL_LOW_I8X16_S: return extmul8(c, x64_op_pmovsxbw, false);
    case WASM_OP_I16X8_EXTMUL_HIGH_I8X16_S: return extmul8(c, x64_op_pmovsxbw, true);
    case WASM_OP_I16X8_EXTMUL_LOW_I8X16_U: return extmul8(c, x64_op_pmovzxbw, false);
    case WASM_OP_I16X8_EXTMUL_HIGH_I8X16_U: return extmul8(c, x64_op_pmovzxbw, true);
    case WASM_OP_I32X4_EXTMUL_LOW_I16X8_S:
        return extmul16(c, x64_op_pmulhw, x64_op_punpcklwd);
    case WASM_OP_I32X4_EXTMUL_HIGH_I16X8_S:
        return extmul16(c, x64_op_pmulhw, x64_op_punpckhwd);
    case WASM_OP_I32X4_EXTMUL_LOW_I16X8_U:
        return extmul16(c, x64_op_pmulhuw, x64_op_punpcklwd);
    case WASM_OP_I32X4_EXTMUL_HIGH_I16X8_U:
        return extmul16(c, x64_op_pmulhuw, x64_op_punpckhwd);
    case WASM_OP_I64X2_EXTMUL_LOW_I32X4_S: return extmul32(c, x64_op_pmuldq, false);
    case WASM_OP_I64X2_EXTMUL_HIGH_I32X4_S: return extmul32(c, x64_op_pmuldq, true);
    case WASM_OP_I64X2_EXTMUL_LOW_I32X4_U: return extmul32(c, x64_op_pmuludq, false);
    case WASM_OP_I64X2_EXTMUL_HIGH_I32X4_U: return extmul32(c, x64_op_pmuludq, true);
    case WASM_OP_I8X16_SHL: return shift8(c, SHL);
    case WASM_OP_I8X16_SHR_S: return shift8(c, SHR_S);
    case WASM_OP_I8X16_SHR_U: return shift8(c, SHR_U);
    case WASM_OP_I16X8_SHL: return shift(c, 0, SHL);
    case WASM_OP_I16X8_SHR_S: return shift(c, 0, SHR_S);
    case WASM_OP_I16X8_SHR_U: return shift(c, 0, SHR_U);
    case WASM_OP_I32X4_SHL: return shift(c, 1, SHL);
    case WASM_OP_I32X4_SHR_S: return shift(c, 1, SHR_S);
    case WASM_OP_I32X4_SHR_U: return shift(c, 1, SHR_U);
    case WASM_OP_I64X2_SHL: return shift(c, 2, SHL);
    case WASM_OP_I64X2_SHR_S: return shr_s64(c);
    case WASM_OP_I64X2_SHR_U: return shift(c, 2, SHR_U);
    default: return special(c, op);
    }
}

bool cc_simd_int(struct cc *c, const struct wasm_opinfo *oi)
{
    if (oi->op >= WASM_OP_V128_LOAD && rows[oi->op - WASM_OP_V128_LOAD].form)
        return by_row(c, &rows[oi->op - WASM_OP_V128_LOAD]);
    return widen_or_shift(c, oi->op);
}
