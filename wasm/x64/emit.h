/* emit.h: the encoder's internal byte helpers (wasm/x64/ only).
 *
 * An emission is: p = x64__begin(a); write at most X64_MAX_INSN bytes
 * through p; x64__end(a, start, p). begin guarantees the room (or hands out
 * the scratch area once the buffer is full), so the writers in between
 * never check bounds. Opcodes are packed in a uint32_t (OP()) so that one
 * prefix/REX/map/ModRM writer serves every legacy-encoded instruction.
 */
#ifndef ATOLL_X64_EMIT_H
#define ATOLL_X64_EMIT_H

#include "asm.h"

/* The writers below are forced inline so that each helper, whose opcode
 * word is a constant, compiles to straight-line stores. */
#define X64_INLINE static inline __attribute__((always_inline))

/* Opcode word: opcode byte, map (0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A),
 * mandatory prefix pp (0: none, 1: 66, 2: F3, 3: F2, VEX's numbering). */
#define OP(pp, map, opc) ((uint32_t)(opc) | (uint32_t)(map) << 8 | (uint32_t)(pp) << 10)
#define OP_W    (1u << 12)  /* REX.W (VEX.W) */
#define OP_BREG (1u << 13)  /* reg field is a byte register: spl..dil need a REX */
#define OP_66   (1u << 14)  /* 16-bit operand size, before any pp prefix */
#define OP_BRM  (1u << 15)  /* register rm is a byte register */
#define OP_LOCK (1u << 16)  /* lock prefix (after 66, where as puts it) */
#define OP_MAP(op) (((op) >> 8) & 3)
#define OP_PP(op)  (((op) >> 10) & 3)

/* Size bits of the integer forms with two register operands: 66 for 16,
 * W for 64, byte registers for 8 (the caller adjusts the opcode). */
static inline uint32_t op_sz(x64_sz sz)
{
    return sz == X64_S64 ? OP_W : sz == X64_S16 ? OP_66
         : sz == X64_S8 ? OP_BREG | OP_BRM : 0;
}
/* The same for /digit forms, whose reg field is not a register. */
static inline uint32_t op_szd(x64_sz sz) { return op_sz(sz) & ~OP_BREG; }

uint8_t *x64__slow_begin(x64_asm *a);
void x64__fix(x64_asm *a, uint8_t *start, uint8_t *end);

X64_INLINE uint8_t *x64__begin(x64_asm *a)
{
    /* pos stays far below 2^32 (it counts on past an overflow, but only
     * as far as one function), so the sum cannot wrap. */
    if (__builtin_expect(a->pos + X64_MAX_INSN > a->cap, 0))
        return x64__slow_begin(a);
    return a->buf + a->pos;
}

X64_INLINE void x64__end(x64_asm *a, uint8_t *start, uint8_t *p)
{
    if (a->fix_label)
        x64__fix(a, start, p);
    a->pos += (uint32_t)(p - start);
}

X64_INLINE uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
    return p + 4;
}
static inline uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
X64_INLINE uint8_t *put_imm(uint8_t *p, unsigned len, int64_t v)
{
    for (unsigned i = 0; i < len; i++)
        p[i] = (uint8_t)((uint64_t)v >> (8 * i));
    return p + len;
}
static inline bool fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* Prefixes, REX (rex: its WRXB bits), map escape and opcode. The
 * optional bytes are written unconditionally and kept or not by advancing
 * p: begin() guaranteed the room, and this is the hottest code of the
 * compiler, where unpredictable branches cost more than stores. */
X64_INLINE uint8_t *x64__opcode(uint8_t *p, uint32_t op, unsigned rex, bool force_rex)
{
    /* Most integer instructions: no prefix but REX, one-byte map. */
    if (__builtin_expect(!(op & (OP_66 | OP_LOCK | 0xF00u)), 1)) {
        *p = (uint8_t)(0x40 | rex);
        p += (rex | force_rex) != 0;
        *p++ = (uint8_t)op;
        return p;
    }
    unsigned pp = OP_PP(op), map = OP_MAP(op);
    *p = 0x66;
    p += (op >> 14) & 1;                                  /* OP_66 */
    *p = 0xF0;
    p += (op >> 16) & 1;                                  /* OP_LOCK */
    *p = (uint8_t)(0xF2F36600u >> (8 * pp));              /* none, 66, F3, F2 */
    p += pp != 0;
    *p = (uint8_t)(0x40 | rex);
    p += (rex | force_rex) != 0;
    p[0] = 0x0F;
    p[1] = map == 2 ? 0x38 : 0x3A;
    p += (map != 0) + (map >= 2);
    *p++ = (uint8_t)op;
    return p;
}

/* spl, bpl, sil, dil exist only with a REX prefix (without one, 4..7 name
 * ah, ch, dh, bh, which the compiler never uses). */
static inline bool byte_needs_rex(unsigned r) { return r - 4 < 4; }

/* Writes prefixes, REX, map and opcode of `op` with reg field `reg`,
 * register rm `rm`, and ModRM: returns the pointer after it. */
X64_INLINE uint8_t *x64__rr(uint8_t *p, uint32_t op, unsigned reg, unsigned rm)
{
    unsigned rex = (op & OP_W ? 8u : 0u) | (reg & 8) >> 1 | (rm & 8) >> 3;
    bool force = ((op & OP_BREG) && byte_needs_rex(reg)) ||
                 ((op & OP_BRM) && byte_needs_rex(rm));
    p = x64__opcode(p, op, rex, force);
    *p++ = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
    return p;
}

/* REX.X and REX.B bits a memory operand needs. */
static inline unsigned mem_rex_xb(x64_mem m)
{
    return (m.index >= 8 ? 2u : 0u) | (m.base >= 8 ? 1u : 0u);
}

/* ModRM/SIB/displacement of a memory operand, after whatever opcode bytes
 * the caller wrote (shared with the VEX writer). A [rip+label] operand is
 * remembered in `a` and patched by x64__end, after any immediate (so the
 * rel32 counts from the end of the instruction). */
X64_INLINE uint8_t *x64__modrm_mem(x64_asm *a, uint8_t *start, uint8_t *p,
                                      unsigned reg, x64_mem m)
{
    reg = (reg & 7) << 3;
    /* [base + disp], nearly every operand the compiler makes (frame slots,
     * vmctx fields): straight-line, the displacement stored whole and
     * kept for as many bytes as mod says (begin() guaranteed the room). */
    if (__builtin_expect(m.index == X64_NOREG && m.base >= 0, 1)) {
        unsigned b = (unsigned)m.base & 7;
        unsigned mod = (m.disp == 0 && b != 5) ? 0 : fits8(m.disp) ? 1 : 2;
        p[0] = (uint8_t)(mod << 6 | reg | b);
        p[1] = 0x24;                    /* rsp, r12: SIB, no index */
        p += 1 + (b == 4);
        put32(p, (uint32_t)m.disp);
        return p + (mod == 2 ? 4 : mod);
    }
    if (m.base == X64_RIP) {
        *p++ = (uint8_t)(0x05 | reg);
        if (m.label) {
            a->fix_label = m.label;
            a->fix_field = (uint32_t)(p - start);
        }
        return put32(p, (uint32_t)m.disp);
    }
    /* An index field of 100 (rsp) means "no index". */
    unsigned idx = m.index == X64_NOREG ? 4u : (unsigned)(m.index & 7);
    if (m.base == X64_NOREG) {
        /* mod 00 with SIB base 101: disp32, no base (rm 101 alone is RIP). */
        *p++ = (uint8_t)(0x04 | reg);
        *p++ = (uint8_t)(m.scale << 6 | idx << 3 | 5);
        return put32(p, (uint32_t)m.disp);
    }
    unsigned b = (unsigned)m.base & 7;
    /* Base 101 (rbp, r13) with mod 00 would mean RIP/no base: use disp8 0. */
    unsigned mod = (m.disp == 0 && b != 5) ? 0 : fits8(m.disp) ? 1 : 2;
    if (m.index == X64_NOREG && b != 4) {
        *p++ = (uint8_t)(mod << 6 | reg | b);
    } else {
        /* rm 100 (rsp, r12) always introduces a SIB byte. */
        *p++ = (uint8_t)(mod << 6 | reg | 4);
        *p++ = (uint8_t)(m.scale << 6 | idx << 3 | b);
    }
    if (mod == 1)
        *p++ = (uint8_t)m.disp;
    else if (mod == 2)
        p = put32(p, (uint32_t)m.disp);
    return p;
}

/* Same as x64__rr with a memory rm. */
X64_INLINE uint8_t *x64__rm(x64_asm *a, uint8_t *start, uint8_t *p, uint32_t op,
                               unsigned reg, x64_mem m)
{
    unsigned rex = (op & OP_W ? 8u : 0u) | (reg & 8) >> 1 | mem_rex_xb(m);
    p = x64__opcode(p, op, rex, (op & OP_BREG) && byte_needs_rex(reg));
    return x64__modrm_mem(a, start, p, reg, m);
}

/* Whole emissions for the common shapes. */
X64_INLINE void emit_rr(x64_asm *a, uint32_t op, unsigned reg, unsigned rm)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, x64__rr(s, op, reg, rm));
}
X64_INLINE void emit_rm(x64_asm *a, uint32_t op, unsigned reg, x64_mem m)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, x64__rm(a, s, s, op, reg, m));
}
X64_INLINE void emit_rri(x64_asm *a, uint32_t op, unsigned reg, unsigned rm,
                         unsigned ilen, int64_t imm)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, put_imm(x64__rr(s, op, reg, rm), ilen, imm));
}
X64_INLINE void emit_rmi(x64_asm *a, uint32_t op, unsigned reg, x64_mem m,
                         unsigned ilen, int64_t imm)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, put_imm(x64__rm(a, s, s, op, reg, m), ilen, imm));
}
/* Raw bytes (n <= X64_MAX_INSN). */
void x64__raw(x64_asm *a, const uint8_t *b, unsigned n);

/* Label plumbing for asm_ctl.c and the data helpers: links the 4-byte
 * field at `field` (already emitted) into l's chain, or patches it at once
 * if l is bound. Kinds 0..4: rel32 from the field's end plus `kind` bytes
 * of immediate; then: */
enum { FIX_SELFREL = 5, FIX_ABS64 = 6 };
void x64__use(x64_asm *a, x64_label *l, uint32_t field, unsigned kind);

#endif
