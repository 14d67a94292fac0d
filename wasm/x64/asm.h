/* asm.h: Atoll's x86-64 machine-code encoder, the layer the single-pass
 * compiler emits through (issue 4; SSE/SIMD for issue 9 in xmm.h).
 *
 * It is a TinyCC-style emitter: each call appends one instruction to a code
 * buffer, choosing the shortest encoding the same way GNU as does (so the
 * test can compare bytes with `as` exactly). Nothing is allocated; the
 * caller owns the buffer and every label. docs/x64-encoder.md tells the
 * scheme; tests/x64/ checks every helper against binutils.
 *
 * Conventions for every function below:
 *  - registers are small integers: GPRs 0..15 (X64_RAX..X64_R15), XMM 0..15;
 *  - `sz` is the operand size in bytes, 1, 2, 4 or 8 (x64_sz); a 32-bit
 *    result written to a GPR zero-extends to 64 bits, as the CPU does;
 *  - a memory operand is an x64_mem built with x64_mb/x64_mbi/x64_mrip/
 *    x64_mlabel/x64_mabs;
 *  - arguments out of these ranges are compiler bugs, not checked here.
 *
 * Freestanding C11: this folder includes only <stddef.h>, <stdint.h>,
 * <stdbool.h> and the engine's libc.h, and uses no floating point.
 */
#ifndef ATOLL_X64_ASM_H
#define ATOLL_X64_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Registers and register sets ---- */

enum {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
};
#define X64_NOREG (-1)   /* no base or no index in an x64_mem */
#define X64_RIP   (-2)   /* base of a RIP-relative x64_mem */

/* A set of GPRs or of XMM registers: bit r stands for register r. The
 * register cache allocates with x64_regset_first (lowest free register). */
typedef uint16_t x64_regset;
#define X64_BIT(r) ((x64_regset)(1u << (r)))
#define X64_ALL    ((x64_regset)0xffff)
/* System V: registers a call may clobber (GPRs; all XMM are clobbered). */
#define X64_SYSV_CALLER_SAVED                                               \
    (X64_BIT(X64_RAX) | X64_BIT(X64_RCX) | X64_BIT(X64_RDX) |               \
     X64_BIT(X64_RSI) | X64_BIT(X64_RDI) | X64_BIT(X64_R8) |                \
     X64_BIT(X64_R9) | X64_BIT(X64_R10) | X64_BIT(X64_R11))
#define X64_SYSV_CALLEE_SAVED                                               \
    (X64_BIT(X64_RBX) | X64_BIT(X64_RBP) | X64_BIT(X64_R12) |               \
     X64_BIT(X64_R13) | X64_BIT(X64_R14) | X64_BIT(X64_R15))

/* Lowest register in a non-empty set. */
static inline int x64_regset_first(x64_regset s) { return __builtin_ctz(s); }
static inline int x64_regset_count(x64_regset s) { return __builtin_popcount(s); }

/* Operand sizes in bytes. */
typedef enum x64_sz { X64_S8 = 1, X64_S16 = 2, X64_S32 = 4, X64_S64 = 8 } x64_sz;

/* Condition codes, numbered as the hardware does: x64_cc_not flips one. */
typedef enum x64_cc {
    X64_O, X64_NO, X64_B, X64_AE, X64_E, X64_NE, X64_BE, X64_A,
    X64_S, X64_NS, X64_P, X64_NP, X64_L, X64_GE, X64_LE, X64_G,
} x64_cc;
static inline x64_cc x64_cc_not(x64_cc cc) { return (x64_cc)(cc ^ 1); }

/* ---- Labels ----
 * A label is a code position bound once. Until it is bound, every
 * instruction that refers to it links its own rel32 (or data) field into a
 * chain through the buffer: the field holds the distance back to the
 * previous use and how to patch it; x64_bind walks the chain and writes the
 * final values. A zero-initialised label is unbound and unused. */
typedef struct x64_label {
    uint32_t bound;  /* offset + 1 once bound, 0 before */
    uint32_t head;   /* offset + 1 of the last field in the chain, 0 = none */
} x64_label;

/* ---- Memory operands ---- */
typedef struct x64_mem {
    int32_t disp;
    int8_t base;         /* GPR, X64_NOREG or X64_RIP */
    int8_t index;        /* GPR other than rsp, or X64_NOREG */
    uint8_t scale;       /* log2 of the index scale: 0..3 */
    x64_label *label;    /* RIP-relative to this label (then disp is 0), or NULL */
} x64_mem;

/* [base + disp] */
static inline x64_mem x64_mb(int base, int32_t disp)
{
    return (x64_mem){ disp, (int8_t)base, X64_NOREG, 0, NULL };
}
/* [base + index*scale + disp], scale 1, 2, 4 or 8; base may be X64_NOREG. */
static inline x64_mem x64_mbi(int base, int index, int scale, int32_t disp)
{
    return (x64_mem){ disp, (int8_t)base, (int8_t)index,
                      (uint8_t)(scale == 8 ? 3 : scale == 4 ? 2 : scale == 2), NULL };
}
/* [rip + disp]: disp counts from the end of the instruction. */
static inline x64_mem x64_mrip(int32_t disp)
{
    return (x64_mem){ disp, X64_RIP, X64_NOREG, 0, NULL };
}
/* [rip + label]: the label's position (bound now or later). */
static inline x64_mem x64_mlabel(x64_label *l)
{
    return (x64_mem){ 0, X64_RIP, X64_NOREG, 0, l };
}
/* [disp32]: an absolute, sign-extended address (kernel-space data). */
static inline x64_mem x64_mabs(int32_t addr)
{
    return (x64_mem){ addr, X64_NOREG, X64_NOREG, 0, NULL };
}

/* ---- The code buffer ----
 * Memory comes from the caller, in one of two ways:
 *  - a fixed buffer: writes stop at its end and X64_ERR_SPACE is set;
 *  - a buffer plus a grow callback, asked for more room whenever fewer
 *    than X64_MAX_INSN bytes are left; it returns the new buffer (contents
 *    moved, as realloc does) and its capacity, or NULL to refuse.
 * Nothing is ever written past the capacity. After an overflow, emission
 * goes on into a scratch area and `pos` keeps counting, so once a function
 * is done x64_pos() tells the size it needed: the compiler checks
 * x64_failed() once per function, and on X64_ERR_SPACE makes room and
 * compiles the function again (restoring the labels it used: see
 * docs/x64-encoder.md). All positions are offsets from the buffer
 * start, so a grown or copied buffer stays valid. */
#define X64_MAX_INSN 16          /* longest emission of one helper, bytes */
#define X64_MAX_CODE (1u << 28)  /* largest buffer (limit of patch chains) */

typedef void *(*x64_grow_fn)(void *ctx, void *old, size_t used, size_t *cap);

enum {
    X64_ERR_SPACE = 1,  /* the buffer was full */
    X64_ERR_RANGE = 2,  /* a short (rel8) jump's target was out of reach */
    X64_ERR_LABEL = 4,  /* x64_data_rel32 with a label not yet bound */
};

typedef struct x64_asm {
    uint8_t *buf;           /* caller's memory */
    uint32_t cap;           /* its size */
    uint32_t pos;           /* next byte: offset from buf */
    uint32_t err;           /* X64_ERR_* bits, sticky */
    uint32_t reloc_head;    /* chain of absolute 8-byte slots (offset + 1) */
    x64_grow_fn grow;       /* NULL for a fixed buffer */
    void *grow_ctx;
    /* Set while emitting an instruction with a [rip + label] operand. */
    x64_label *fix_label;
    uint32_t fix_field;     /* offset of its disp32 within the instruction */
    uint8_t scratch[2 * X64_MAX_INSN];  /* sink for bytes after an overflow */
} x64_asm;

/* Starts emitting into buf[0..cap) (cap <= X64_MAX_CODE); `grow` may be NULL. */
void x64_init(x64_asm *a, void *buf, size_t cap, x64_grow_fn grow, void *ctx);
static inline uint32_t x64_pos(const x64_asm *a) { return a->pos; }
/* X64_ERR_* bits, 0 when the code in the buffer is complete and right. */
static inline uint32_t x64_failed(const x64_asm *a) { return a->err; }

/* ---- Fast path of the frequent memory forms ----
 * A 32- or 64-bit operation with a one-byte opcode between a register (or
 * /digit) and [base + index*scale + disp], maybe an imm32 after (ilen 0 or
 * 4): the loads, stores and ALU forms compiled code is made of (frame
 * slots, vmctx fields, linear memory). Inline, so that an operand known
 * where it is made (a frame slot: rbp, no index) folds at compile time;
 * true when emitted, false (nothing emitted) for a RIP-relative or
 * base-less operand or a nearly full buffer, which take the general path.
 * The bytes are those the general path writes (test-x64 checks both). */
static inline bool x64__rm_fast(x64_asm *a, uint8_t opc, bool w, unsigned reg,
                                x64_mem m, unsigned ilen, int32_t imm)
{
    if (m.base < 0 || a->pos + X64_MAX_INSN > a->cap)
        return false;
    uint8_t *s = a->buf + a->pos, *p = s;
    unsigned b = (unsigned)m.base;
    unsigned x = m.index == X64_NOREG ? 4u : (unsigned)m.index;   /* 4: none */
    unsigned rex = (w ? 8u : 0u) | (reg & 8) >> 1 | (x & 8) >> 2 | (b & 8) >> 3;
    *p = (uint8_t)(0x40 | rex);
    p += rex != 0;
    *p++ = opc;
    b &= 7;
    /* rm 100 (rsp, r12 as base, or any index) means a SIB byte; base 101
     * (rbp, r13) has no mod-00 form. */
    bool sib = x != 4 || b == 4;
    unsigned mod = (m.disp == 0 && b != 5) ? 0 : (m.disp >= -128 && m.disp <= 127) ? 1 : 2;
    p[0] = (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : b));
    p[1] = (uint8_t)(m.scale << 6 | (x & 7) << 3 | b);
    p += 1 + sib;
    uint32_t d = (uint32_t)m.disp, i = (uint32_t)imm;
    p[0] = (uint8_t)d; p[1] = (uint8_t)(d >> 8); p[2] = (uint8_t)(d >> 16); p[3] = (uint8_t)(d >> 24);
    p += mod == 2 ? 4 : mod;
    p[0] = (uint8_t)i; p[1] = (uint8_t)(i >> 8); p[2] = (uint8_t)(i >> 16); p[3] = (uint8_t)(i >> 24);
    a->pos += (uint32_t)(p + ilen - s);
    return true;
}
static inline bool x64__wide(x64_sz sz) { return sz == X64_S32 || sz == X64_S64; }
/* The same between two registers (ModRM mod 11), maybe an immediate of
 * ilen (0, 1 or 4) bytes after; false only when the buffer is nearly full. */
static inline bool x64__rr_fast(x64_asm *a, uint8_t opc, bool w, unsigned reg,
                                unsigned rm, unsigned ilen, int32_t imm)
{
    if (a->pos + X64_MAX_INSN > a->cap)
        return false;
    uint8_t *s = a->buf + a->pos, *p = s;
    unsigned rex = (w ? 8u : 0u) | (reg & 8) >> 1 | (rm & 8) >> 3;
    *p = (uint8_t)(0x40 | rex);
    p += rex != 0;
    p[0] = opc;
    p[1] = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
    p += 2;
    uint32_t i = (uint32_t)imm;
    p[0] = (uint8_t)i; p[1] = (uint8_t)(i >> 8); p[2] = (uint8_t)(i >> 16); p[3] = (uint8_t)(i >> 24);
    a->pos += (uint32_t)(p + ilen - s);
    return true;
}

/* ---- Labels, jumps and calls (asm_ctl.c) ---- */

/* Binds `l` at the current position and patches every use chained so far.
 * A label is bound once. */
void x64_bind(x64_asm *a, x64_label *l);
static inline bool x64_is_bound(const x64_label *l) { return l->bound != 0; }
static inline uint32_t x64_label_pos(const x64_label *l) { return l->bound - 1; }

/* jmp/jcc/call to a label: rel8 when the label is bound and close enough,
 * otherwise rel32 (forward uses always rel32, chained). */
void x64_jmp(x64_asm *a, x64_label *l);
void x64_jcc(x64_asm *a, x64_cc cc, x64_label *l);
void x64_call(x64_asm *a, x64_label *l);
/* Jump threading for the end of a block: if the last instruction emitted
 * is a forward `jmp l` (rel32, unbound l), removes it and returns true, so
 * that binding l right after falls through. Only when nothing recorded a
 * position after that jmp (a trap site, a short skip over it). */
bool x64_drop_jmp(x64_asm *a, x64_label *l);
/* To a known buffer offset (always rel32 for call; shortest for jumps). */
void x64_jmp_to(x64_asm *a, uint32_t target);
void x64_call_to(x64_asm *a, uint32_t target);
/* call rel32 with the displacement given (e.g. to code outside the buffer,
 * computed by the caller); returns the offset of the rel32 field. */
uint32_t x64_call_rel32(x64_asm *a, int32_t rel);
/* Short forward jumps for tiny skips: returns a handle (the offset of the
 * rel8) to pass to x64_patch8 where the target is; X64_ERR_RANGE is set if
 * it lies more than 127 bytes on. */
uint32_t x64_jmp8_fwd(x64_asm *a);
uint32_t x64_jcc8_fwd(x64_asm *a, x64_cc cc);
void x64_patch8(x64_asm *a, uint32_t handle);
/* Indirect: through a register or memory. */
void x64_jmp_r(x64_asm *a, int r);
void x64_jmp_m(x64_asm *a, x64_mem m);
void x64_call_r(x64_asm *a, int r);
void x64_call_m(x64_asm *a, x64_mem m);
void x64_ret(x64_asm *a);

/* ---- Data: constant pools, jump tables, absolute slots (asm.c) ---- */

/* Pads to a multiple of `align` (a power of two): with multi-byte
 * nops inside code, with zeros in a data area (`code` false). */
void x64_align(x64_asm *a, unsigned align, bool code);
void x64_data8(x64_asm *a, uint8_t v);
void x64_data16(x64_asm *a, uint16_t v);
void x64_data32(x64_asm *a, uint32_t v);
void x64_data64(x64_asm *a, uint64_t v);   /* e.g. an f64's bit pattern */
void x64_data128(x64_asm *a, uint64_t lo, uint64_t hi);
void x64_bytes(x64_asm *a, const void *p, size_t n);
/* A 32-bit jump-table entry: label minus the entry's own position. A
 * br_table dispatches with (table bound at T, index in rax):
 *   lea r11,[rip+T]; lea r11,[r11+rax*4]; movsxd rax,[r11]; add rax,r11; jmp rax */
void x64_data_selfrel32(x64_asm *a, x64_label *l);
/* A 32-bit entry relative to the table's start: label minus anchor, both
 * already bound (true at a function's end, where jump tables go), else
 * X64_ERR_LABEL. One instruction shorter to dispatch (index in rax):
 *   lea r11,[rip+T]; movsxd rax,[r11+rax*4]; add rax,r11; jmp rax */
void x64_data_rel32(x64_asm *a, const x64_label *l, const x64_label *anchor);
/* An 8-byte absolute address of a label, filled by x64_relocate once the
 * code's final address is known (the label may be bound later). */
void x64_data_abs64(x64_asm *a, x64_label *l);
/* Writes every x64_data_abs64 slot into `code` (the buffer, or the copy of
 * it that will run), as `base` + label offset. All their labels must be
 * bound and no error set; call before the code is made executable. */
void x64_relocate(const x64_asm *a, void *code, uint64_t base);

/* ---- Integer instructions (asm_int.c) ---- */

/* The classic ALU group; the value is the /digit of opcodes 80..83. */
typedef enum x64_alu {
    X64_ADD, X64_OR, X64_ADC, X64_SBB, X64_AND, X64_SUB, X64_XOR, X64_CMP,
} x64_alu;
void x64__alu_rr(x64_asm *a, x64_alu op, x64_sz sz, int dst, int src);
static inline void x64_alu_rr(x64_asm *a, x64_alu op, x64_sz sz, int dst, int src)
{
    if (!x64__wide(sz) ||
        !x64__rr_fast(a, (uint8_t)(op << 3 | 1), sz == X64_S64, (unsigned)src, (unsigned)dst, 0, 0))
        x64__alu_rr(a, op, sz, dst, src);
}
void x64__alu_ri(x64_asm *a, x64_alu op, x64_sz sz, int dst, int32_t imm);
static inline void x64_alu_ri(x64_asm *a, x64_alu op, x64_sz sz, int dst, int32_t imm)
{
    /* imm8 (83 /op ib), or imm32 (81 /op id) but for the accumulator's
     * shorter form, which the general path picks. */
    bool i8 = imm >= -128 && imm <= 127;
    if (!x64__wide(sz) || (!i8 && dst == X64_RAX) ||
        !x64__rr_fast(a, i8 ? 0x83 : 0x81, sz == X64_S64, (unsigned)op, (unsigned)dst,
                      i8 ? 1 : 4, imm))
        x64__alu_ri(a, op, sz, dst, imm);
}
void x64__alu_rm(x64_asm *a, x64_alu op, x64_sz sz, int dst, x64_mem m);
void x64__alu_mr(x64_asm *a, x64_alu op, x64_sz sz, x64_mem m, int src);
static inline void x64_alu_rm(x64_asm *a, x64_alu op, x64_sz sz, int dst, x64_mem m)
{
    if (!x64__wide(sz) ||
        !x64__rm_fast(a, (uint8_t)(op << 3 | 3), sz == X64_S64, (unsigned)dst, m, 0, 0))
        x64__alu_rm(a, op, sz, dst, m);
}
static inline void x64_alu_mr(x64_asm *a, x64_alu op, x64_sz sz, x64_mem m, int src)
{
    if (!x64__wide(sz) ||
        !x64__rm_fast(a, (uint8_t)(op << 3 | 1), sz == X64_S64, (unsigned)src, m, 0, 0))
        x64__alu_mr(a, op, sz, m, src);
}
void x64_alu_mi(x64_asm *a, x64_alu op, x64_sz sz, x64_mem m, int32_t imm);
/* Always the imm32 form (81 /op id, never the accumulator form), for a
 * value known later, such as the frame size in a prologue: returns the
 * offset of the imm32, to fill with x64_patch32. */
uint32_t x64_alu_ri32(x64_asm *a, x64_alu op, x64_sz sz, int dst, int32_t imm);
/* Overwrites 4 bytes at `off` (an offset returned above, or any field the
 * caller knows); nothing is written once X64_ERR_SPACE is set. */
void x64_patch32(x64_asm *a, uint32_t off, uint32_t v);
void x64__test_rr(x64_asm *a, x64_sz sz, int r1, int r2);
static inline void x64_test_rr(x64_asm *a, x64_sz sz, int r1, int r2)
{
    if (!x64__wide(sz) || !x64__rr_fast(a, 0x85, sz == X64_S64, (unsigned)r2, (unsigned)r1, 0, 0))
        x64__test_rr(a, sz, r1, r2);
}
void x64_test_ri(x64_asm *a, x64_sz sz, int r, int32_t imm);
void x64_test_mr(x64_asm *a, x64_sz sz, x64_mem m, int r);
void x64_test_mi(x64_asm *a, x64_sz sz, x64_mem m, int32_t imm);

/* Named forms of the groups, for readable hand-written sequences:
 * x64_add_rr(a, sz, dst, src), x64_add_ri, x64_add_rm, x64_add_mr,
 * x64_add_mi, and likewise or, adc, sbb, and, sub, xor, cmp. */
#define X64_ALU_NAMED(n, op)                                                \
    static inline void x64_##n##_rr(x64_asm *a, x64_sz sz, int d, int s)    \
    { x64_alu_rr(a, op, sz, d, s); }                                        \
    static inline void x64_##n##_ri(x64_asm *a, x64_sz sz, int d, int32_t i) \
    { x64_alu_ri(a, op, sz, d, i); }                                        \
    static inline void x64_##n##_rm(x64_asm *a, x64_sz sz, int d, x64_mem m) \
    { x64_alu_rm(a, op, sz, d, m); }                                        \
    static inline void x64_##n##_mr(x64_asm *a, x64_sz sz, x64_mem m, int s) \
    { x64_alu_mr(a, op, sz, m, s); }                                        \
    static inline void x64_##n##_mi(x64_asm *a, x64_sz sz, x64_mem m, int32_t i) \
    { x64_alu_mi(a, op, sz, m, i); }
X64_ALU_NAMED(add, X64_ADD)
X64_ALU_NAMED(or, X64_OR)
X64_ALU_NAMED(adc, X64_ADC)
X64_ALU_NAMED(sbb, X64_SBB)
X64_ALU_NAMED(and, X64_AND)
X64_ALU_NAMED(sub, X64_SUB)
X64_ALU_NAMED(xor, X64_XOR)
X64_ALU_NAMED(cmp, X64_CMP)
#undef X64_ALU_NAMED

/* Moves. x64_mov_ri picks the shortest of: mov r32,imm32 (zero-extends),
 * mov r64,simm32, movabs; it never touches the flags (x64_zero does). */
void x64__mov_rr(x64_asm *a, x64_sz sz, int dst, int src);
static inline void x64_mov_rr(x64_asm *a, x64_sz sz, int dst, int src)
{
    if (!x64__wide(sz) || !x64__rr_fast(a, 0x89, sz == X64_S64, (unsigned)src, (unsigned)dst, 0, 0))
        x64__mov_rr(a, sz, dst, src);
}
void x64_mov_ri(x64_asm *a, x64_sz sz, int dst, int64_t imm);
/* Always the 10-byte movabs; returns the offset of the imm64 (to patch). */
uint32_t x64_movabs(x64_asm *a, int dst, uint64_t imm);
void x64_zero(x64_asm *a, int r);   /* xor r32,r32: clobbers flags */
/* Loads: sz 1/2 zero-extend (movzx), 4 zero-extends, 8 plain. */
void x64__load(x64_asm *a, x64_sz sz, int dst, x64_mem m);
static inline void x64_load(x64_asm *a, x64_sz sz, int dst, x64_mem m)
{
    if (!x64__wide(sz) || !x64__rm_fast(a, 0x8B, sz == X64_S64, (unsigned)dst, m, 0, 0))
        x64__load(a, sz, dst, m);
}
/* Sign-extending loads: from 1/2/4 bytes into a `to`-sized register (4 or 8). */
void x64_loads(x64_asm *a, x64_sz from, x64_sz to, int dst, x64_mem m);
void x64__store(x64_asm *a, x64_sz sz, x64_mem m, int src);
static inline void x64_store(x64_asm *a, x64_sz sz, x64_mem m, int src)
{
    if (!x64__wide(sz) || !x64__rm_fast(a, 0x89, sz == X64_S64, (unsigned)src, m, 0, 0))
        x64__store(a, sz, m, src);
}
void x64__store_i(x64_asm *a, x64_sz sz, x64_mem m, int32_t imm);
static inline void x64_store_i(x64_asm *a, x64_sz sz, x64_mem m, int32_t imm)
{
    if (!x64__wide(sz) || !x64__rm_fast(a, 0xC7, sz == X64_S64, 0, m, 4, imm))
        x64__store_i(a, sz, m, imm);
}
/* Register extensions: movzx from 1/2 bytes (to 32 bits, which clears
 * the top), movsx from 1/2/4 into `to` (4 or 8; 4->8 is movsxd). */
void x64_movzx(x64_asm *a, x64_sz from, int dst, int src);
void x64_movsx(x64_asm *a, x64_sz from, x64_sz to, int dst, int src);
void x64_lea(x64_asm *a, x64_sz sz, int dst, x64_mem m);
void x64_xchg_rr(x64_asm *a, x64_sz sz, int r1, int r2);
void x64_xchg_mr(x64_asm *a, x64_sz sz, x64_mem m, int r);  /* implicitly locked */

/* One-operand group F7: not, neg, mul/imul (rdx:rax = rax * r), div/idiv. */
typedef enum x64_unop {
    X64_NOT = 2, X64_NEG = 3, X64_MUL = 4, X64_IMUL1 = 5, X64_DIV = 6, X64_IDIV = 7,
} x64_unop;
void x64_unary_r(x64_asm *a, x64_unop op, x64_sz sz, int r);
void x64_unary_m(x64_asm *a, x64_unop op, x64_sz sz, x64_mem m);
static inline void x64_not_r(x64_asm *a, x64_sz sz, int r) { x64_unary_r(a, X64_NOT, sz, r); }
static inline void x64_neg_r(x64_asm *a, x64_sz sz, int r) { x64_unary_r(a, X64_NEG, sz, r); }
static inline void x64_mul_r(x64_asm *a, x64_sz sz, int r) { x64_unary_r(a, X64_MUL, sz, r); }
static inline void x64_div_r(x64_asm *a, x64_sz sz, int r) { x64_unary_r(a, X64_DIV, sz, r); }
static inline void x64_idiv_r(x64_asm *a, x64_sz sz, int r) { x64_unary_r(a, X64_IDIV, sz, r); }
void x64_inc_r(x64_asm *a, x64_sz sz, int r);
void x64_dec_r(x64_asm *a, x64_sz sz, int r);
void x64_inc_m(x64_asm *a, x64_sz sz, x64_mem m);
void x64_dec_m(x64_asm *a, x64_sz sz, x64_mem m);
void x64_imul_rr(x64_asm *a, x64_sz sz, int dst, int src);
void x64_imul_rm(x64_asm *a, x64_sz sz, int dst, x64_mem m);
void x64_imul_rri(x64_asm *a, x64_sz sz, int dst, int src, int32_t imm);
/* Sign-extends rax into rdx before idiv: cdq (sz 4) or cqo (sz 8). */
void x64_cdq(x64_asm *a, x64_sz sz);

/* Shifts and rotates; the value is the /digit of C1/D1/D3. */
typedef enum x64_shift {
    X64_ROL = 0, X64_ROR = 1, X64_SHL = 4, X64_SHR = 5, X64_SAR = 7,
} x64_shift;
void x64_shift_ri(x64_asm *a, x64_shift op, x64_sz sz, int r, uint8_t imm);
void x64_shift_rcl(x64_asm *a, x64_shift op, x64_sz sz, int r);  /* by cl */
#define X64_SHIFT_NAMED(n, op)                                              \
    static inline void x64_##n##_ri(x64_asm *a, x64_sz sz, int r, uint8_t i) \
    { x64_shift_ri(a, op, sz, r, i); }                                      \
    static inline void x64_##n##_rcl(x64_asm *a, x64_sz sz, int r)          \
    { x64_shift_rcl(a, op, sz, r); }
X64_SHIFT_NAMED(rol, X64_ROL)
X64_SHIFT_NAMED(ror, X64_ROR)
X64_SHIFT_NAMED(shl, X64_SHL)
X64_SHIFT_NAMED(shr, X64_SHR)
X64_SHIFT_NAMED(sar, X64_SAR)
#undef X64_SHIFT_NAMED

/* Bit scans and counts (sz 2, 4 or 8): bsf/bsr leave dst undefined on a
 * zero source; lzcnt/tzcnt/popcnt need the CPU features (ABM/BMI1/POPCNT). */
typedef enum x64_bitop { X64_BSF, X64_BSR, X64_LZCNT, X64_TZCNT, X64_POPCNT } x64_bitop;
void x64_bitop_rr(x64_asm *a, x64_bitop op, x64_sz sz, int dst, int src);
void x64_bitop_rm(x64_asm *a, x64_bitop op, x64_sz sz, int dst, x64_mem m);
void x64_bswap(x64_asm *a, x64_sz sz, int r);   /* sz 4 or 8 */

/* setcc writes the low byte only; x64_setcc_zx then zero-extends it into
 * the whole register (movzx r32, r8). */
void x64_setcc(x64_asm *a, x64_cc cc, int r);
void x64_setcc_zx(x64_asm *a, x64_cc cc, int r);
void x64_cmov_rr(x64_asm *a, x64_cc cc, x64_sz sz, int dst, int src);
void x64_cmov_rm(x64_asm *a, x64_cc cc, x64_sz sz, int dst, x64_mem m);

void x64_push_r(x64_asm *a, int r);
void x64_pop_r(x64_asm *a, int r);
void x64_push_i(x64_asm *a, int32_t imm);
void x64_push_m(x64_asm *a, x64_mem m);

/* Atomics: x64_lock emits a lock prefix for the next instruction (e.g.
 * x64_alu_mr for an atomic add without result; for 16-bit operands it
 * lands before the 66 prefix, which the CPU accepts in any order).
 * cmpxchg compares with rax, xadd returns the old value in r. */
void x64_lock(x64_asm *a);
void x64_cmpxchg(x64_asm *a, x64_sz sz, x64_mem m, int r, bool lock);
void x64_xadd(x64_asm *a, x64_sz sz, x64_mem m, int r, bool lock);
void x64_cmpxchg16b(x64_asm *a, x64_mem m, bool lock);
/* Bulk memory: copy rcx bytes from [rsi] to [rdi] (rep movsb), fill rcx
 * bytes at [rdi] with al (rep stosb); the direction flag must be clear,
 * as the System V ABI keeps it. */
void x64_rep_movsb(x64_asm *a);
void x64_rep_stosb(x64_asm *a);
void x64_mfence(x64_asm *a);
void x64_lfence(x64_asm *a);
void x64_sfence(x64_asm *a);
void x64_pause(x64_asm *a);
void x64_rdtsc(x64_asm *a);
void x64_cpuid(x64_asm *a);
void x64_ud2(x64_asm *a);
void x64_int3(x64_asm *a);
void x64_hlt(x64_asm *a);
/* `n` bytes of nops, in recommended multi-byte forms (as `.nops n,9`). */
void x64_nop(x64_asm *a, unsigned n);

#endif
