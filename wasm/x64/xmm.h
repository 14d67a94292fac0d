/* xmm.h: SSE..SSE4.1 and AVX (VEX) instructions on XMM registers: scalar
 * floats for issue 4, packed integers and floats for issue 9.
 *
 * Two encodings of the same operations:
 *  - legacy SSE: [66|F2|F3] [REX] 0F [38|3A] opcode ModRM, two operands,
 *    the first also a source (x64_addps(a, dst, src): dst += src);
 *  - VEX (AVX): C5 xx or C4 xx xx, then opcode ModRM, three operands,
 *    non-destructive (x64_vaddps(a, dst, src1, src2)), upper YMM bits
 *    zeroed; the 2-byte form whenever it can be used, as GNU as does.
 * Registers are XMM numbers 0..15 except where a parameter says gpr. The
 * generic helpers take an opcode word X64_XOP(pp, map, opcode) and are
 * the way to any instruction without a named helper; the named helpers,
 * generated from xmm.def, are the API.
 */
#ifndef ATOLL_X64_XMM_H
#define ATOLL_X64_XMM_H

#include "asm.h"

/* Opcode word: opcode byte, map (1: 0F, 2: 0F38, 3: 0F3A), mandatory
 * prefix pp (0: none, 1: 66, 2: F3, 3: F2); X64_XOP_W sets REX.W/VEX.W. */
typedef uint32_t x64_xop;
#define X64_XOP(pp, map, opc) \
    ((uint32_t)(opc) | (uint32_t)(map) << 8 | (uint32_t)(pp) << 10)
#define X64_XOP_W (1u << 12)

/* imm8 of roundss/sd/ps/pd: a rounding mode, plus X64_ROUND_NOEXC to keep
 * the precision exception quiet (Wasm's nearest, floor, ceil, trunc). */
enum {
    X64_ROUND_NEAREST = 0, X64_ROUND_FLOOR = 1, X64_ROUND_CEIL = 2,
    X64_ROUND_TRUNC = 3, X64_ROUND_NOEXC = 8,
};
/* imm8 of cmpss/sd/ps/pd: the predicate (false on NaN except UNORD, NEQ,
 * NLT, NLE, which are true on NaN). */
enum {
    X64_CMP_EQ = 0, X64_CMP_LT = 1, X64_CMP_LE = 2, X64_CMP_UNORD = 3,
    X64_CMP_NEQ = 4, X64_CMP_NLT = 5, X64_CMP_NLE = 6, X64_CMP_ORD = 7,
};

/* Legacy SSE: reg is the ModRM reg operand (usually the destination), rm
 * the other; both XMM, or GPRs where the instruction says so (movd, cvt). */
void x64_sse_rr(x64_asm *a, x64_xop op, int reg, int rm);
void x64_sse_rm(x64_asm *a, x64_xop op, int reg, x64_mem m);
void x64_sse_rri(x64_asm *a, x64_xop op, int reg, int rm, uint8_t imm);
void x64_sse_rmi(x64_asm *a, x64_xop op, int reg, x64_mem m, uint8_t imm);

/* VEX: `l256` selects YMM (VEX.L), vvvv is the extra source register (0
 * when the instruction has none). */
void x64_vex_rr(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, int rm);
void x64_vex_rm(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, x64_mem m);
void x64_vex_rri(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, int rm,
                 uint8_t imm);
void x64_vex_rmi(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, x64_mem m,
                 uint8_t imm);

/* ---- Named helpers from xmm.def ----
 * For each row `name`:   x64_name(a, dst, src)      x64_name_m(a, dst, m)
 * with V3 (3 operands):  x64_vname(a, dst, s1, s2)  x64_vname_m(a, dst, s1, m)
 * with V2 (2 operands):  x64_vname(a, dst, src)     x64_vname_m(a, dst, m)
 * X64_XMMI rows take a trailing imm8; X64_XSHIFT rows give
 * x64_name_i(a, reg, imm) and x64_vname_i(a, dst, src, imm).
 * x64_op_name is the row's opcode word, for table-driven compilers. */
#define X64_GEN_VN(n, op)
#define X64_GEN_V3(n, op)                                                   \
    static inline void x64_v##n(x64_asm *a, int d, int s1, int s2)          \
    { x64_vex_rr(a, op, false, d, s1, s2); }                                \
    static inline void x64_v##n##_m(x64_asm *a, int d, int s1, x64_mem m)   \
    { x64_vex_rm(a, op, false, d, s1, m); }
#define X64_GEN_V2(n, op)                                                   \
    static inline void x64_v##n(x64_asm *a, int d, int s)                   \
    { x64_vex_rr(a, op, false, d, 0, s); }                                  \
    static inline void x64_v##n##_m(x64_asm *a, int d, x64_mem m)           \
    { x64_vex_rm(a, op, false, d, 0, m); }
#define X64_GENI_VN(n, op)
#define X64_GENI_V3(n, op)                                                  \
    static inline void x64_v##n(x64_asm *a, int d, int s1, int s2, uint8_t i) \
    { x64_vex_rri(a, op, false, d, s1, s2, i); }                            \
    static inline void x64_v##n##_m(x64_asm *a, int d, int s1, x64_mem m,   \
                                    uint8_t i)                              \
    { x64_vex_rmi(a, op, false, d, s1, m, i); }
#define X64_GENI_V2(n, op)                                                  \
    static inline void x64_v##n(x64_asm *a, int d, int s, uint8_t i)        \
    { x64_vex_rri(a, op, false, d, 0, s, i); }                              \
    static inline void x64_v##n##_m(x64_asm *a, int d, x64_mem m, uint8_t i) \
    { x64_vex_rmi(a, op, false, d, 0, m, i); }

#define X64_XMM(n, pp, map, opc, vex)                                       \
    enum { x64_op_##n = X64_XOP(pp, map, opc) };                            \
    static inline void x64_##n(x64_asm *a, int d, int s)                    \
    { x64_sse_rr(a, x64_op_##n, d, s); }                                    \
    static inline void x64_##n##_m(x64_asm *a, int d, x64_mem m)            \
    { x64_sse_rm(a, x64_op_##n, d, m); }                                    \
    X64_GEN_##vex(n, x64_op_##n)
#define X64_XMMI(n, pp, map, opc, vex)                                      \
    enum { x64_op_##n = X64_XOP(pp, map, opc) };                            \
    static inline void x64_##n(x64_asm *a, int d, int s, uint8_t i)         \
    { x64_sse_rri(a, x64_op_##n, d, s, i); }                                \
    static inline void x64_##n##_m(x64_asm *a, int d, x64_mem m, uint8_t i) \
    { x64_sse_rmi(a, x64_op_##n, d, m, i); }                                \
    X64_GENI_##vex(n, x64_op_##n)
/* 66 0F 71..73 /digit ib: the digit sits in ModRM.reg, the register in rm
 * (VEX: the destination in vvvv). */
#define X64_XSHIFT(n, opc, digit)                                           \
    static inline void x64_##n##_i(x64_asm *a, int r, uint8_t i)            \
    { x64_sse_rri(a, X64_XOP(1, 1, opc), digit, r, i); }                    \
    static inline void x64_v##n##_i(x64_asm *a, int d, int s, uint8_t i)    \
    { x64_vex_rri(a, X64_XOP(1, 1, opc), false, digit, d, s, i); }
#include "xmm.def"

/* ---- Stores (the MR opcodes) ---- */
void x64_movaps_store(x64_asm *a, x64_mem m, int src);
void x64_movapd_store(x64_asm *a, x64_mem m, int src);
void x64_movups_store(x64_asm *a, x64_mem m, int src);
void x64_movupd_store(x64_asm *a, x64_mem m, int src);
void x64_movdqa_store(x64_asm *a, x64_mem m, int src);
void x64_movdqu_store(x64_asm *a, x64_mem m, int src);
void x64_movss_store(x64_asm *a, x64_mem m, int src);   /* low 32 bits */
void x64_movsd_store(x64_asm *a, x64_mem m, int src);   /* low 64 bits */
void x64_movq_store(x64_asm *a, x64_mem m, int src);    /* low 64 bits */
void x64_movd_store(x64_asm *a, x64_mem m, int src);    /* low 32 bits */
void x64_vmovdqu_store(x64_asm *a, x64_mem m, int src);
void x64_vmovups_store(x64_asm *a, x64_mem m, int src);

/* Half-register moves: movhlps/movlhps between registers, movlps/movhps
 * load or store the low/high 64 bits (the other half is kept). */
void x64_movhlps(x64_asm *a, int dst, int src);
void x64_movlhps(x64_asm *a, int dst, int src);
void x64_movlps_m(x64_asm *a, int dst, x64_mem m);
void x64_movhps_m(x64_asm *a, int dst, x64_mem m);
void x64_movlps_store(x64_asm *a, x64_mem m, int src);
void x64_movhps_store(x64_asm *a, x64_mem m, int src);

/* ---- Between GPRs and XMM (sz 4 or 8 selects the GPR width) ---- */
/* movd/movq xmm, gpr (zeroes the rest) and gpr, xmm (the low lane). */
void x64_movd_xr(x64_asm *a, x64_sz sz, int xmm, int gpr);
void x64_movd_rx(x64_asm *a, x64_sz sz, int gpr, int xmm);
/* movd xmm, m32 (zeroes the rest); for m64 use x64_movq_x_m. */
void x64_movd_xm(x64_asm *a, int xmm, x64_mem m);
/* cvtsi2ss/sd from a signed 32/64-bit GPR or memory; only the low lane
 * changes (xor the register first to break the dependency). */
void x64_cvtsi2ss(x64_asm *a, x64_sz sz, int xmm, int gpr);
void x64_cvtsi2sd(x64_asm *a, x64_sz sz, int xmm, int gpr);
void x64_cvtsi2ss_m(x64_asm *a, x64_sz sz, int xmm, x64_mem m);
void x64_cvtsi2sd_m(x64_asm *a, x64_sz sz, int xmm, x64_mem m);
/* Truncating (cvtt) and current-rounding (cvt) conversions to a 32/64-bit
 * GPR; out of range or NaN gives the "integer indefinite" 0x80..0. */
void x64_cvttss2si(x64_asm *a, x64_sz sz, int gpr, int xmm);
void x64_cvttsd2si(x64_asm *a, x64_sz sz, int gpr, int xmm);
void x64_cvtss2si(x64_asm *a, x64_sz sz, int gpr, int xmm);
void x64_cvtsd2si(x64_asm *a, x64_sz sz, int gpr, int xmm);
/* Lane inserts and extracts (SSE4.1 except pinsrw/pextrw, SSE2). */
void x64_pinsrb(x64_asm *a, int xmm, int gpr, uint8_t lane);
void x64_pinsrw(x64_asm *a, int xmm, int gpr, uint8_t lane);
void x64_pinsrd(x64_asm *a, int xmm, int gpr, uint8_t lane);
void x64_pinsrq(x64_asm *a, int xmm, int gpr, uint8_t lane);
void x64_pinsrb_m(x64_asm *a, int xmm, x64_mem m, uint8_t lane);
void x64_pinsrw_m(x64_asm *a, int xmm, x64_mem m, uint8_t lane);
void x64_pinsrd_m(x64_asm *a, int xmm, x64_mem m, uint8_t lane);
void x64_pinsrq_m(x64_asm *a, int xmm, x64_mem m, uint8_t lane);
void x64_pextrb(x64_asm *a, int gpr, int xmm, uint8_t lane);   /* zero-extends */
void x64_pextrw(x64_asm *a, int gpr, int xmm, uint8_t lane);   /* zero-extends */
void x64_pextrd(x64_asm *a, int gpr, int xmm, uint8_t lane);
void x64_pextrq(x64_asm *a, int gpr, int xmm, uint8_t lane);
void x64_pextrb_m(x64_asm *a, x64_mem m, int xmm, uint8_t lane);
void x64_pextrw_m(x64_asm *a, x64_mem m, int xmm, uint8_t lane);
void x64_pextrd_m(x64_asm *a, x64_mem m, int xmm, uint8_t lane);
void x64_pextrq_m(x64_asm *a, x64_mem m, int xmm, uint8_t lane);
void x64_extractps(x64_asm *a, int gpr, int xmm, uint8_t lane);
/* Sign bits to a GPR: bytes (pmovmskb), floats, doubles. */
void x64_pmovmskb(x64_asm *a, int gpr, int xmm);
void x64_movmskps(x64_asm *a, int gpr, int xmm);
void x64_movmskpd(x64_asm *a, int gpr, int xmm);
/* Variable blends on the mask in xmm0 (legacy, SSE4.1) or in `mask` (VEX). */
void x64_pblendvb(x64_asm *a, int dst, int src);
void x64_blendvps(x64_asm *a, int dst, int src);
void x64_blendvpd(x64_asm *a, int dst, int src);
void x64_vpblendvb(x64_asm *a, int dst, int src1, int src2, int mask);
/* VEX broadcasts (AVX2 for the integer ones) and the AVX zeroing. */
void x64_vpbroadcastb(x64_asm *a, int dst, int src);
void x64_vpbroadcastw(x64_asm *a, int dst, int src);
void x64_vpbroadcastd(x64_asm *a, int dst, int src);
void x64_vpbroadcastq(x64_asm *a, int dst, int src);
void x64_vpbroadcastb_m(x64_asm *a, int dst, x64_mem m);   /* load8_splat */
void x64_vpbroadcastw_m(x64_asm *a, int dst, x64_mem m);
void x64_vpbroadcastd_m(x64_asm *a, int dst, x64_mem m);
void x64_vpbroadcastq_m(x64_asm *a, int dst, x64_mem m);
void x64_vbroadcastss_m(x64_asm *a, int dst, x64_mem m);
void x64_vzeroupper(x64_asm *a);

#endif
