/* compile.h: the single-pass compiler's state, shared by compile*.c.
 *
 * Internal to wasm/. One `struct cc` compiles a whole module, one function
 * at a time (compile.c drives; compile_stack.c is the register cache and
 * frame; compile_ctl.c control flow and calls; compile_mem.c memory,
 * globals and tables; compile_int.c integers; compile_float.c floats;
 * compile_simd_mem.c, compile_simd_int.c and compile_simd_float.c the
 * 0xfd instructions).
 * docs/compiler.md describes the code it makes.
 */
#ifndef ATOLL_WASM_COMPILE_H
#define ATOLL_WASM_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/module.h"
#include "../core/opcodes.h"
#include "../runtime/runtime.h"
#include "../x64/asm.h"     /* the encoder; its frequent memory forms are inline */
#include "../x64/cpu.h"     /* which SIMD forms the CPU runs */

/* Where an operand-stack value is. */
enum { V_CONST, V_REG, V_LOCAL, V_MEM, V_XREG };

struct val {
    uint8_t kind;        /* V_* */
    uint8_t type;        /* valtype */
    uint8_t reg;         /* V_REG: a GPR; V_XREG: an xmm register */
    uint32_t local;      /* V_LOCAL: the local it reads (until written) */
    uint64_t imm;        /* V_CONST: bit pattern (i32 zero-extended) */
};

/* A block, loop or if being compiled. */
struct ctl {
    uint8_t kind;        /* WASM_K_BLOCK, _LOOP, _IF, _ELSE (an if past else) */
    bool live;           /* the code was reachable where it began */
    bool merge;          /* branches reach its label: values are in home
                            slots there (everything was spilled at entry) */
    uint32_t height;     /* operand stack height below its params */
    uint32_t np, nr;
    const uint8_t *params, *results;
    x64_label label;     /* end (block, if), or start (loop) */
    x64_label els;       /* if: the false path */
};

/* Registers of the cache (docs/compiler.md): everything but rsp, rbp, the
 * pinned r14/r15 and the scratch r10/r11. */
#define CC_XREGS ((x64_regset)0xfffc)   /* xmm2..xmm15; xmm0/1 are scratch */
#define CC_REGS (X64_BIT(X64_RAX) | X64_BIT(X64_RCX) | X64_BIT(X64_RDX) |   \
                 X64_BIT(X64_RBX) | X64_BIT(X64_RSI) | X64_BIT(X64_RDI) |   \
                 X64_BIT(X64_R8) | X64_BIT(X64_R9) | X64_BIT(X64_R12) |     \
                 X64_BIT(X64_R13))
/* Up to three integer locals of a function live in rbx, r12, r13, and up
 * to four f32/f64/v128 locals in xmm12..xmm15, which Wasm functions save
 * and restore (callee-saved; the host trampoline saves the xmm ones around
 * C, helper calls put those locals back in their slots around the call).
 * The xmm saves keep all 128 bits: a caller's v128 may live in the
 * register a callee pins an f64 in (and a movsd load zeroes the top). */
#define CC_NPIN_GPR WASM_HOT_INT
#define CC_NPIN_XMM WASM_HOT_FLOAT
#define CC_NPIN (CC_NPIN_GPR + CC_NPIN_XMM)
/* The save slots below [rbp - 8]: the GPRs' at [rbp - 16 - 8k], then 8
 * bytes of padding so that the xmm ones, [rbp - 48 - 16k], are 16-byte
 * aligned (rbp is: calls are made with an aligned rsp). */
#define SAVE_AREA 88
#define CC_GPR_SAVE(k) (-(int32_t)(16 + 8 * (k)))
#define CC_XMM_SAVE(k) (-(int32_t)(48 + 16 * (k)))
#define SCRATCH  X64_R11
#define SCRATCH2 X64_R10
#define VMCTX    X64_R15
#define MEMBASE  X64_R14

struct cc;
/* A handler compiles one instruction (its opcode already read; it reads
 * its immediates): false on error, with c->err set. */
typedef bool (*cc_handler)(struct cc *c, const struct wasm_opinfo *oi);

struct cc {
    x64_asm a;
    cc_handler *hlive, *hdead;   /* per opcode byte (compile.c): in live
                                    and in dead code */
    const struct wasm_module *m;
    const struct wasm_layout *layout;
    wasm_error *err;
    bool failed;                 /* err is set */

    /* The function being compiled. */
    uint32_t fidx;               /* index, imports counted */
    const struct wasm_func *f;
    const struct wasm_functype *ft;
    const uint8_t *code, *p, *end;
    const struct wasm_side *side;    /* f's side table (module.h) */
    uint32_t nside;
    uint32_t si;                 /* side-table cursor */
    uint32_t ipc;                /* offset of the instruction being compiled */
    uint8_t *ltype;              /* type of each local */
    uint32_t nlocals, nparams;
    uint32_t out_slots;          /* outgoing argument area, in slots */
    uint32_t npin;               /* locals living in callee-saved registers */
    uint32_t pin_local[CC_NPIN];
    int pin_reg[CC_NPIN];
    bool pin_x[CC_NPIN];         /* an xmm register, else a GPR */
    uint8_t *lpin;               /* per local: 0, 1 + its GPR, or 17 + its
                                    xmm register (zero between functions) */
    /* A function with v128 values (any v128 local, param or result, any
     * 0xfd instruction, or a module with v128 types or globals) has the
     * 16-byte layout: a slot per local from loff, 16-byte home slots from
     * slot0 down. Other functions keep the 8-byte layout and its code. */
    bool v16;
    int32_t *loff;               /* v16: each local's rbp offset */
    int32_t slot0;               /* v16: rbp offset of home slot 0 */
    uint32_t lbytes;             /* v16: bytes of the declared locals */
    bool mod_v128;               /* the module has v128 types or globals */
    bool simd_ok;                /* the CPU was checked for SIMD */
    bool avx;                    /* and has AVX: VEX three-operand forms */
    cc_handler *hfd;             /* per 0xfd code, in live code (compile.c) */
    uint32_t ncand, cand[CC_NPIN];   /* the locals to pin: the function's
                                        hot locals (module.h) */
    uint32_t frame_patch;        /* imm32 of the prologue's sub rsp */
    uint32_t check_at, check_end;    /* the prologue's stack check */
    bool calls;                  /* the function calls Wasm functions */
    bool dead;                   /* the current code is unreachable */
    int fused;                   /* -1, or the condition a compare left in the
                                    flags for the br_if/if that follows it */
    x64_label trap[WASM_TRAP_COUNT];
    x64_label dyn_trap;          /* ud2 with the kind in eax */

    struct val *vs;              /* operand stack */
    uint32_t nvs, capvs;
    struct ctl *cs;              /* control stack */
    uint32_t ncs, capcs;
    x64_regset free;             /* free cache registers */
    x64_regset xfree;            /* free xmm registers (xmm2..15) */

    /* The function's 16-byte constants (masks, shuffle controls), emitted
     * 16-aligned after its code and read RIP-relative: one load, or an
     * SSE instruction's memory operand, instead of building each one in a
     * register through r11 every time it is used. */
    struct cc_vconst_entry {
        uint64_t lo, hi;
        x64_label at;
    } *vpool;
    uint32_t nvpool;

    /* Module-wide. */
    x64_label *funcs;            /* entry of each defined function */
    struct wasm_trap_site *traps;
    uint32_t ntraps, captraps;
};

/* compile.c. The small helpers every instruction calls are inline here
 * (the compiler's files are separate units: calls between them are not
 * inlined), with their rare paths out of line. */
bool cc_fail(struct cc *c, const char *msg);
void cc_trap_site_grow(struct cc *c, uint8_t kind);
static inline void cc_trap_site(struct cc *c, uint8_t kind)  /* at the current position */
{
    if (__builtin_expect(c->ntraps == c->captraps, 0)) {
        cc_trap_site_grow(c, kind);
        return;
    }
    c->traps[c->ntraps++] = (struct wasm_trap_site){ x64_pos(&c->a), kind };
}
uint32_t cc_u32_long(struct cc *c);                /* LEB128 immediates */
static inline uint32_t cc_u32(struct cc *c)
{
    uint8_t b = *c->p;
    if (b < 0x80) {                    /* most indices fit in one byte */
        c->p++;
        return b;
    }
    return cc_u32_long(c);
}
int64_t cc_s64(struct cc *c);
static inline int32_t cc_s32(struct cc *c)
{
    uint8_t b = *c->p;
    if (b < 0x80) {                    /* -64..63: one byte */
        c->p++;
        return b & 0x40 ? (int32_t)b - 128 : (int32_t)b;
    }
    return (int32_t)cc_s64(c);
}
/* The side entry of the instruction being compiled: they come in code
 * order, and each names its instruction's pc, which is checked, so a
 * compiler and validator out of step fail loudly instead of miscompiling. */
const struct wasm_side *cc_side_out_of_step(struct cc *c);
static inline const struct wasm_side *cc_side(struct cc *c)
{
    if (__builtin_expect(c->si >= c->nside || c->side[c->si].pc != c->ipc, 0))
        return cc_side_out_of_step(c);
    return &c->side[c->si++];
}

/* compile_stack.c: the register cache and the frame. */
static inline x64_sz cc_sz(uint8_t type)
{
    return type == WASM_I32 || type == WASM_F32 ? X64_S32 : X64_S64;
}
/* A local's stack slot; the home slot of operand-stack position pos. */
static inline x64_mem cc_local(const struct cc *c, uint32_t local)
{
    if (__builtin_expect(c->v16, 0))
        return x64_mb(X64_RBP, c->loff[local]);
    if (local < c->nparams)
        return x64_mb(X64_RBP, (int32_t)(16 + 8 * local));
    return x64_mb(X64_RBP, -(int32_t)(16 + SAVE_AREA + 8 * (local - c->nparams)));
}
static inline x64_mem cc_slot(const struct cc *c, uint32_t pos)
{
    if (__builtin_expect(c->v16, 0))
        return x64_mb(X64_RBP, c->slot0 - 16 * (int32_t)pos);
    return x64_mb(X64_RBP, -(int32_t)(16 + SAVE_AREA + 8 * (c->nlocals - c->nparams) +
                                      8 * pos));
}
/* The register a local lives in, or -1 (then it lives in its slot). */
static inline int cc_pin(const struct cc *c, uint32_t local, bool x)
{
    unsigned v = c->lpin[local];
    if (!v)
        return -1;
    return (v > 16) == x ? (int)((v - 1) & 15) : -1;
}
static inline int cc_pinned(const struct cc *c, uint32_t local) { return cc_pin(c, local, false); }
static inline int cc_xpinned(const struct cc *c, uint32_t local) { return cc_pin(c, local, true); }
/* The local lives in its stack slot (no register of either class). */
static inline bool cc_local_mem(const struct cc *c, uint32_t local)
{
    return cc_pinned(c, local) < 0 && cc_xpinned(c, local) < 0;
}
void cc_set_local(struct cc *c, const struct val *v, uint32_t local);
bool cc_push_overflow(struct cc *c);
static inline bool cc_push(struct cc *c, struct val v)
{
    if (__builtin_expect(c->nvs == c->capvs, 0))
        return cc_push_overflow(c);
    c->vs[c->nvs++] = v;
    return true;
}
static inline bool cc_push_const(struct cc *c, uint8_t type, uint64_t imm)
{
    if (cc_sz(type) == X64_S32)
        imm = (uint32_t)imm;
    return cc_push(c, (struct val){ .kind = V_CONST, .type = type, .imm = imm });
}
static inline bool cc_push_reg(struct cc *c, uint8_t type, int reg)
{
    return cc_push(c, (struct val){ .kind = V_REG, .type = type, .reg = (uint8_t)reg });
}
static inline bool cc_push_local(struct cc *c, uint32_t local)
{
    return cc_push(c, (struct val){ .kind = V_LOCAL, .type = c->ltype[local], .local = local });
}
static inline bool cc_push_mem(struct cc *c, uint8_t type)
{
    return cc_push(c, (struct val){ .kind = V_MEM, .type = type });
}
static inline struct val *cc_top(struct cc *c, uint32_t depth)  /* 0 = top */
{
    return &c->vs[c->nvs - 1 - depth];
}
/* Pops n values, freeing their registers. */
static inline void cc_drop(struct cc *c, uint32_t n)
{
    while (n--) {
        struct val *v = &c->vs[--c->nvs];
        if (v->kind == V_REG)
            c->free |= X64_BIT(v->reg);
        else if (v->kind == V_XREG)
            c->xfree |= X64_BIT(v->reg);
    }
}
int cc_alloc(struct cc *c);                        /* a free register, spilling */
int cc_alloc_not(struct cc *c, x64_regset avoid);
static inline void cc_free_reg(struct cc *c, int r)
{
    c->free |= X64_BIT(r);
}
void cc_evict(struct cc *c, int r);                /* r made free */
int cc_in_reg(struct cc *c, uint32_t depth);       /* value into some GPR */
/* The xmm side, for floats and v128 (a v128 value is always V_XREG,
 * V_LOCAL or V_MEM, never V_REG or V_CONST; xmm0 and xmm1 are scratch,
 * never cached, never pinned):
 * cc_in_xmm: the value at depth (0 = top) into an xmm register the caller
 *   may overwrite, which the stack position then owns (all 16 bytes of a
 *   v128); pair it with cc_xresult.
 * cc_xalloc: a free cache register (xmm2..15), spilling the deepest xmm
 *   value if none is free (never one of the top three entries).
 * cc_xload: copies a value into xmm x (16 bytes for v128), changing no
 *   compiler state.
 * cc_vsrc: an xmm register holding the value at depth that the caller
 *   must NOT overwrite: its own register if V_XREG, a pinned local's
 *   xmm12..15, else a copy loaded into `scratch` (0 or 1). For a
 *   read-only second operand.
 * cc_vconst: the 128-bit constant (lo, hi) into xmm x (may clobber r11).
 * cc_vpool: the constant (lo, hi) as a 16-byte aligned memory operand
 *   (the function's constant pool) for any SSE instruction to read;
 *   false when the pool is full (then build it with cc_vconst). */
int cc_in_xmm(struct cc *c, uint32_t depth);
int cc_xalloc(struct cc *c);
void cc_xload(struct cc *c, const struct val *v, int x);
int cc_vsrc(struct cc *c, uint32_t depth, int scratch);
void cc_vconst(struct cc *c, int x, uint64_t lo, uint64_t hi);
#define CC_VPOOL 128             /* constants per function */
bool cc_vpool(struct cc *c, uint64_t lo, uint64_t hi, x64_mem *m);
/* With AVX (c->avx), where the three-operand forms save a copy:
 * cc_vmem: true, with *m, when the value at depth is a v128 in memory (a
 *   local in its slot, a home slot): a VEX instruction reads it there
 *   (no alignment needed, unlike the legacy forms).
 * cc_vdst: the register for the result of an instruction that pops the
 *   top n values: the first of them (deepest first) that is in a cache
 *   register of its own, else a free one (cc_xalloc). */
bool cc_vmem(struct cc *c, uint32_t depth, x64_mem *m);
int cc_vdst(struct cc *c, uint32_t n);
/* cc_vex_bin: dst = (value at depth `left`) op (value at depth `right`),
 *   the two top values, in one VEX instruction (imm8 unless imm < 0):
 *   neither operand is copied first. Returns dst for cc_xresult(c, 2). */
int cc_vex_bin(struct cc *c, uint32_t op, int imm, uint32_t left, uint32_t right);  /* op: x64_xop */
void cc_vpool_emit(struct cc *c);                  /* after the function */
/* 16 bytes from src to dst, both frame or memory operands (through r11,
 * so the xmm registers and the compiler state are untouched). */
void cc_copy16(struct cc *c, x64_mem dst, x64_mem src);
/* Argument and result slots (8 bytes each, two for a v128) of n types. */
static inline uint32_t cc_nslots(const uint8_t *types, uint32_t n)
{
    uint32_t s = n;
    for (uint32_t k = 0; k < n; k++)
        s += types[k] == WASM_V128;
    return s;
}
int cc_own(struct cc *c, uint32_t depth);          /* ... one it may overwrite */
void cc_load(struct cc *c, const struct val *v, int reg); /* copy into reg */
void cc_store_val(struct cc *c, const struct val *v, x64_mem dst);
void cc_spill_regs(struct cc *c);                  /* before calls */
void cc_flush(struct cc *c);                       /* before merges: all in slots */
void cc_local_written(struct cc *c, uint32_t local);
/* Pops n values and pushes `r` (which one of them may own) as the result. */
static inline bool cc_result(struct cc *c, uint32_t n, uint8_t type, int r)
{
    for (uint32_t k = 0; k < n; k++) {
        struct val *v = cc_top(c, k);
        if (v->kind == V_REG && v->reg == r)
            v->kind = V_CONST;          /* r passes to the result */
    }
    cc_drop(c, n);
    return cc_push_reg(c, type, r);
}
/* Pops n values and pushes xmm x as the result (any xmm type, v128
 * included; x may be one of the popped values' registers, or one from
 * cc_xalloc). */
bool cc_xresult(struct cc *c, uint32_t n, uint8_t type, int x);
/* dst = dst op top-of-stack value (immediate, register or memory form). */
void cc_alu_top(struct cc *c, x64_alu op, x64_sz sz, int dst);

/* The instruction classes; each returns false on error (c->err set).
 * compile_ctl.c: a handler per control kind, run in dead code too. */
bool cc_k_unreachable(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_nop(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_block(struct cc *c, const struct wasm_opinfo *oi);     /* and loop */
bool cc_k_if(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_else(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_end(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_br(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_br_if(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_br_table(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_return(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_call(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_call_indirect(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_drop(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_select(struct cc *c, const struct wasm_opinfo *oi);   /* both forms */
bool cc_push_ctl(struct cc *c, uint8_t kind, bool live, bool merge,
                 uint32_t np, const uint8_t *params,
                 uint32_t nr, const uint8_t *results);
/* compile_call.c */
bool cc_prologue(struct cc *c);                    /* pushes the body's ctl */
void cc_return(struct cc *c);                      /* results, epilogue, ret */
bool cc_call(struct cc *c, uint32_t func);
bool cc_call_indirect(struct cc *c, uint32_t type, uint32_t table);
/* compile_mem.c: a handler per class of opcodes.def: MEM (loads and
 * stores), MEMORY, SET (local.set and local.tee), VAR and TAB. */
bool cc_k_mem(struct cc *c, const struct wasm_opinfo *oi);
/* The operand of an access at (the i32 at depth) + offset: uses GPRs
 * (cc_in_reg) and r11, never an xmm register. */
x64_mem cc_address(struct cc *c, uint32_t depth, uint32_t offset);
bool cc_memory(struct cc *c, const struct wasm_opinfo *oi);
bool cc_k_local_set(struct cc *c, const struct wasm_opinfo *oi);   /* and tee */
bool cc_variable(struct cc *c, const struct wasm_opinfo *oi);
bool cc_table(struct cc *c, const struct wasm_opinfo *oi);
bool cc_int(struct cc *c, const struct wasm_opinfo *oi);
/* The handler of one frequent integer instruction, or NULL (cc_int). */
cc_handler cc_int_handler(uint16_t op);
bool cc_float(struct cc *c, const struct wasm_opinfo *oi);
/* 0xfd (SIMD) instructions of classes VINT (compile_simd_int.c) and
 * VFLT (compile_simd_float.c: f32x4.*, f64x2.* and i32x4.trunc_sat_f*). */
bool cc_simd_int(struct cc *c, const struct wasm_opinfo *oi);
bool cc_simd_float(struct cc *c, const struct wasm_opinfo *oi);
/* compile_simd_mem.c: class VMEM, v128 loads and stores (WASM_K_MEM,
 * WASM_K_MEM_LANE) and v128.const. */
bool cc_simd_mem(struct cc *c, const struct wasm_opinfo *oi);
/* A call to runtime helper h with the top `nargs` values after `nimm`
 * immediates; `result`: push eax (i32) or not; `traps`: eax is a trap. */
bool cc_helper(struct cc *c, int h, uint32_t nimm, const uint32_t *imm,
               uint32_t nargs, uint8_t result, bool traps);

#endif
