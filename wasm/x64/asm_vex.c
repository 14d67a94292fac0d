/* asm_vex.c: the VEX (AVX) encoder: a 2-byte C5 prefix when the
 * instruction needs neither REX.X, REX.B, VEX.W nor a map other than 0F,
 * else the 3-byte C4 form; register fields are stored inverted.
 */
#include "emit.h"
#include "xmm.h"

/* Writes the VEX prefix and opcode; `xb` holds the REX.X/B bits the rm
 * operand needs. */
static uint8_t *vex(uint8_t *p, uint32_t op, bool l256, unsigned reg, unsigned vvvv,
                    unsigned xb)
{
    unsigned r = reg & 8 ? 0 : 0x80;
    unsigned tail = (~vvvv & 15) << 3 | (l256 ? 4u : 0u) | OP_PP(op);
    if (OP_MAP(op) == 1 && !(op & OP_W) && !xb) {
        *p++ = 0xC5;
        *p++ = (uint8_t)(r | tail);
    } else {
        *p++ = 0xC4;
        *p++ = (uint8_t)(r | (xb & 2 ? 0 : 0x40) | (xb & 1 ? 0 : 0x20) | OP_MAP(op));
        *p++ = (uint8_t)((op & OP_W ? 0x80 : 0) | tail);
    }
    *p++ = (uint8_t)op;
    return p;
}

static uint8_t *vex_rr(uint8_t *p, uint32_t op, bool l, unsigned reg, unsigned vvvv,
                       unsigned rm)
{
    p = vex(p, op, l, reg, vvvv, rm >> 3 & 1);
    *p++ = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
    return p;
}

static uint8_t *vex_rm(x64_asm *a, uint8_t *s, uint32_t op, bool l, unsigned reg,
                       unsigned vvvv, x64_mem m)
{
    uint8_t *p = vex(s, op, l, reg, vvvv, mem_rex_xb(m));
    return x64__modrm_mem(a, s, p, reg, m);
}

/* The load opcode of a plain register move that has a store twin
 * (vmovaps/apd/ups/upd 28/10 -> 29/11, vmovdqa/dqu 6F -> 7F, vmovq), or 0. */
static uint32_t store_twin(uint32_t op)
{
    uint32_t opc = op & 0xFF, pp = OP_PP(op);
    if (OP_MAP(op) != 1 || (op & OP_W))
        return 0;
    if ((opc == 0x28 || opc == 0x10) && pp <= 1)
        return op + 1;
    if (opc == 0x6F && (pp == 1 || pp == 2))
        return op + 0x10;
    if (opc == 0x7E && pp == 2)          /* vmovq xmm, xmm -> 66 0F D6 */
        return OP(1, 1, 0xD6);
    return 0;
}

void x64_vex_rr(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, int rm)
{
    /* A source in xmm8..15 needs VEX.B, hence the 3-byte prefix; a move
     * can name it in ModRM.reg instead through its store form, and keep
     * the 2-byte prefix (what GNU as does). */
    uint32_t twin = rm >= 8 && reg < 8 ? store_twin(op) : 0;
    if (twin) {
        int t = reg;
        op = twin;
        reg = rm;
        rm = t;
    }
    uint8_t *s = x64__begin(a);
    x64__end(a, s, vex_rr(s, op, l256, (unsigned)reg, (unsigned)vvvv, (unsigned)rm));
}

void x64_vex_rm(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, x64_mem m)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, vex_rm(a, s, op, l256, (unsigned)reg, (unsigned)vvvv, m));
}

void x64_vex_rri(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, int rm,
                 uint8_t imm)
{
    uint8_t *s = x64__begin(a);
    uint8_t *p = vex_rr(s, op, l256, (unsigned)reg, (unsigned)vvvv, (unsigned)rm);
    *p++ = imm;
    x64__end(a, s, p);
}

void x64_vex_rmi(x64_asm *a, x64_xop op, bool l256, int reg, int vvvv, x64_mem m,
                 uint8_t imm)
{
    uint8_t *s = x64__begin(a);
    uint8_t *p = vex_rm(a, s, op, l256, (unsigned)reg, (unsigned)vvvv, m);
    *p++ = imm;
    x64__end(a, s, p);
}

void x64_vmovdqu_store(x64_asm *a, x64_mem m, int src)
{
    x64_vex_rm(a, OP(2, 1, 0x7F), false, src, 0, m);
}

void x64_vmovups_store(x64_asm *a, x64_mem m, int src)
{
    x64_vex_rm(a, OP(0, 1, 0x11), false, src, 0, m);
}

/* The mask register goes in imm8[7:4] (the "is4" operand). */
void x64_vpblendvb(x64_asm *a, int dst, int src1, int src2, int mask)
{
    x64_vex_rri(a, OP(1, 3, 0x4C), false, dst, src1, src2, (uint8_t)(mask << 4));
}

void x64_vpbroadcastb(x64_asm *a, int d, int s) { x64_vex_rr(a, OP(1, 2, 0x78), false, d, 0, s); }
void x64_vpbroadcastw(x64_asm *a, int d, int s) { x64_vex_rr(a, OP(1, 2, 0x79), false, d, 0, s); }
void x64_vpbroadcastd(x64_asm *a, int d, int s) { x64_vex_rr(a, OP(1, 2, 0x58), false, d, 0, s); }
void x64_vpbroadcastq(x64_asm *a, int d, int s) { x64_vex_rr(a, OP(1, 2, 0x59), false, d, 0, s); }
void x64_vpbroadcastb_m(x64_asm *a, int d, x64_mem m) { x64_vex_rm(a, OP(1, 2, 0x78), false, d, 0, m); }
void x64_vpbroadcastw_m(x64_asm *a, int d, x64_mem m) { x64_vex_rm(a, OP(1, 2, 0x79), false, d, 0, m); }
void x64_vpbroadcastd_m(x64_asm *a, int d, x64_mem m) { x64_vex_rm(a, OP(1, 2, 0x58), false, d, 0, m); }
void x64_vpbroadcastq_m(x64_asm *a, int d, x64_mem m) { x64_vex_rm(a, OP(1, 2, 0x59), false, d, 0, m); }
void x64_vbroadcastss_m(x64_asm *a, int d, x64_mem m) { x64_vex_rm(a, OP(1, 2, 0x18), false, d, 0, m); }

void x64_vzeroupper(x64_asm *a)
{
    static const uint8_t b[3] = { 0xC5, 0xF8, 0x77 };
    x64__raw(a, b, 3);
}
