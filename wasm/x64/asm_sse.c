/* asm_sse.c: legacy-encoded SSE..SSE4.1 instructions: the generic
 * helpers behind xmm.def's named ones, stores, and the instructions that
 * mix GPRs and XMM registers. Encodings are those of GNU as.
 */
#include "emit.h"
#include "xmm.h"

_Static_assert(X64_XOP(3, 3, 0xFF) == OP(3, 3, 0xFF) && X64_XOP_W == OP_W,
               "xmm.h and emit.h agree on the opcode word");

void x64_sse_rr(x64_asm *a, x64_xop op, int reg, int rm)
{
    emit_rr(a, op, (unsigned)reg, (unsigned)rm);
}

void x64_sse_rm(x64_asm *a, x64_xop op, int reg, x64_mem m)
{
    emit_rm(a, op, (unsigned)reg, m);
}

void x64_sse_rri(x64_asm *a, x64_xop op, int reg, int rm, uint8_t imm)
{
    emit_rri(a, op, (unsigned)reg, (unsigned)rm, 1, imm);
}

void x64_sse_rmi(x64_asm *a, x64_xop op, int reg, x64_mem m, uint8_t imm)
{
    emit_rmi(a, op, (unsigned)reg, m, 1, imm);
}

/* ---- Stores ---- */

void x64_movaps_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(0, 1, 0x29), (unsigned)src, m); }
void x64_movapd_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(1, 1, 0x29), (unsigned)src, m); }
void x64_movups_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(0, 1, 0x11), (unsigned)src, m); }
void x64_movupd_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(1, 1, 0x11), (unsigned)src, m); }
void x64_movdqa_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(1, 1, 0x7F), (unsigned)src, m); }
void x64_movdqu_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(2, 1, 0x7F), (unsigned)src, m); }
void x64_movss_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(2, 1, 0x11), (unsigned)src, m); }
void x64_movsd_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(3, 1, 0x11), (unsigned)src, m); }
void x64_movq_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(1, 1, 0xD6), (unsigned)src, m); }
void x64_movd_store(x64_asm *a, x64_mem m, int src) { emit_rm(a, OP(1, 1, 0x7E), (unsigned)src, m); }

void x64_movhlps(x64_asm *a, int d, int s) { emit_rr(a, OP(0, 1, 0x12), (unsigned)d, (unsigned)s); }
void x64_movlhps(x64_asm *a, int d, int s) { emit_rr(a, OP(0, 1, 0x16), (unsigned)d, (unsigned)s); }
void x64_movlps_m(x64_asm *a, int d, x64_mem m) { emit_rm(a, OP(0, 1, 0x12), (unsigned)d, m); }
void x64_movhps_m(x64_asm *a, int d, x64_mem m) { emit_rm(a, OP(0, 1, 0x16), (unsigned)d, m); }
void x64_movlps_store(x64_asm *a, x64_mem m, int s) { emit_rm(a, OP(0, 1, 0x13), (unsigned)s, m); }
void x64_movhps_store(x64_asm *a, x64_mem m, int s) { emit_rm(a, OP(0, 1, 0x17), (unsigned)s, m); }

/* ---- GPR <-> XMM ---- */

static inline uint32_t w(x64_sz sz) { return sz == X64_S64 ? OP_W : 0; }

void x64_movd_xr(x64_asm *a, x64_sz sz, int xmm, int gpr)
{
    emit_rr(a, OP(1, 1, 0x6E) | w(sz), (unsigned)xmm, (unsigned)gpr);
}

void x64_movd_rx(x64_asm *a, x64_sz sz, int gpr, int xmm)
{
    emit_rr(a, OP(1, 1, 0x7E) | w(sz), (unsigned)xmm, (unsigned)gpr);
}

void x64_movd_xm(x64_asm *a, int xmm, x64_mem m) { emit_rm(a, OP(1, 1, 0x6E), (unsigned)xmm, m); }

void x64_cvtsi2ss(x64_asm *a, x64_sz sz, int xmm, int gpr)
{
    emit_rr(a, OP(2, 1, 0x2A) | w(sz), (unsigned)xmm, (unsigned)gpr);
}
void x64_cvtsi2sd(x64_asm *a, x64_sz sz, int xmm, int gpr)
{
    emit_rr(a, OP(3, 1, 0x2A) | w(sz), (unsigned)xmm, (unsigned)gpr);
}
void x64_cvtsi2ss_m(x64_asm *a, x64_sz sz, int xmm, x64_mem m)
{
    emit_rm(a, OP(2, 1, 0x2A) | w(sz), (unsigned)xmm, m);
}
void x64_cvtsi2sd_m(x64_asm *a, x64_sz sz, int xmm, x64_mem m)
{
    emit_rm(a, OP(3, 1, 0x2A) | w(sz), (unsigned)xmm, m);
}
void x64_cvttss2si(x64_asm *a, x64_sz sz, int gpr, int xmm)
{
    emit_rr(a, OP(2, 1, 0x2C) | w(sz), (unsigned)gpr, (unsigned)xmm);
}
void x64_cvttsd2si(x64_asm *a, x64_sz sz, int gpr, int xmm)
{
    emit_rr(a, OP(3, 1, 0x2C) | w(sz), (unsigned)gpr, (unsigned)xmm);
}
void x64_cvtss2si(x64_asm *a, x64_sz sz, int gpr, int xmm)
{
    emit_rr(a, OP(2, 1, 0x2D) | w(sz), (unsigned)gpr, (unsigned)xmm);
}
void x64_cvtsd2si(x64_asm *a, x64_sz sz, int gpr, int xmm)
{
    emit_rr(a, OP(3, 1, 0x2D) | w(sz), (unsigned)gpr, (unsigned)xmm);
}

void x64_pinsrb(x64_asm *a, int x, int g, uint8_t l) { emit_rri(a, OP(1, 3, 0x20), (unsigned)x, (unsigned)g, 1, l); }
void x64_pinsrw(x64_asm *a, int x, int g, uint8_t l) { emit_rri(a, OP(1, 1, 0xC4), (unsigned)x, (unsigned)g, 1, l); }
void x64_pinsrd(x64_asm *a, int x, int g, uint8_t l) { emit_rri(a, OP(1, 3, 0x22), (unsigned)x, (unsigned)g, 1, l); }
void x64_pinsrq(x64_asm *a, int x, int g, uint8_t l) { emit_rri(a, OP(1, 3, 0x22) | OP_W, (unsigned)x, (unsigned)g, 1, l); }
void x64_pinsrb_m(x64_asm *a, int x, x64_mem m, uint8_t l) { emit_rmi(a, OP(1, 3, 0x20), (unsigned)x, m, 1, l); }
void x64_pinsrw_m(x64_asm *a, int x, x64_mem m, uint8_t l) { emit_rmi(a, OP(1, 1, 0xC4), (unsigned)x, m, 1, l); }
void x64_pinsrd_m(x64_asm *a, int x, x64_mem m, uint8_t l) { emit_rmi(a, OP(1, 3, 0x22), (unsigned)x, m, 1, l); }
void x64_pinsrq_m(x64_asm *a, int x, x64_mem m, uint8_t l) { emit_rmi(a, OP(1, 3, 0x22) | OP_W, (unsigned)x, m, 1, l); }

/* pextrw to a register has the older SSE2 form (reg is the GPR), which
 * as prefers; the SSE4.1 forms put the XMM register in ModRM.reg. */
void x64_pextrb(x64_asm *a, int g, int x, uint8_t l) { emit_rri(a, OP(1, 3, 0x14), (unsigned)x, (unsigned)g, 1, l); }
void x64_pextrw(x64_asm *a, int g, int x, uint8_t l) { emit_rri(a, OP(1, 1, 0xC5), (unsigned)g, (unsigned)x, 1, l); }
void x64_pextrd(x64_asm *a, int g, int x, uint8_t l) { emit_rri(a, OP(1, 3, 0x16), (unsigned)x, (unsigned)g, 1, l); }
void x64_pextrq(x64_asm *a, int g, int x, uint8_t l) { emit_rri(a, OP(1, 3, 0x16) | OP_W, (unsigned)x, (unsigned)g, 1, l); }
void x64_pextrb_m(x64_asm *a, x64_mem m, int x, uint8_t l) { emit_rmi(a, OP(1, 3, 0x14), (unsigned)x, m, 1, l); }
void x64_pextrw_m(x64_asm *a, x64_mem m, int x, uint8_t l) { emit_rmi(a, OP(1, 3, 0x15), (unsigned)x, m, 1, l); }
void x64_pextrd_m(x64_asm *a, x64_mem m, int x, uint8_t l) { emit_rmi(a, OP(1, 3, 0x16), (unsigned)x, m, 1, l); }
void x64_pextrq_m(x64_asm *a, x64_mem m, int x, uint8_t l) { emit_rmi(a, OP(1, 3, 0x16) | OP_W, (unsigned)x, m, 1, l); }
void x64_extractps(x64_asm *a, int g, int x, uint8_t l) { emit_rri(a, OP(1, 3, 0x17), (unsigned)x, (unsigned)g, 1, l); }

void x64_pmovmskb(x64_asm *a, int g, int x) { emit_rr(a, OP(1, 1, 0xD7), (unsigned)g, (unsigned)x); }
void x64_movmskps(x64_asm *a, int g, int x) { emit_rr(a, OP(0, 1, 0x50), (unsigned)g, (unsigned)x); }
void x64_movmskpd(x64_asm *a, int g, int x) { emit_rr(a, OP(1, 1, 0x50), (unsigned)g, (unsigned)x); }

void x64_pblendvb(x64_asm *a, int d, int s) { emit_rr(a, OP(1, 2, 0x10), (unsigned)d, (unsigned)s); }
void x64_blendvps(x64_asm *a, int d, int s) { emit_rr(a, OP(1, 2, 0x14), (unsigned)d, (unsigned)s); }
void x64_blendvpd(x64_asm *a, int d, int s) { emit_rr(a, OP(1, 2, 0x15), (unsigned)d, (unsigned)s); }
