/* compile_stack.c: the compiler's operand stack as a register cache, and
 * the frame it lives in.
 *
 * Each operand-stack entry is a constant, a general-purpose register, an
 * xmm register (floats being computed), a local not yet read (V_LOCAL: a
 * local.get costs nothing until used), or a value in its home slot. A
 * value may sit in either register class whatever its type (a float's
 * bits in a GPR after a move or a reinterpretation). Registers are taken lowest first; when none is free, the
 * deepest register value is spilled to its home slot (deep values are
 * used last). The top three entries are never chosen, so an instruction
 * may hold its operands in registers while it asks for one more.
 * The frame (docs/compiler.md): [rbp+16+8i] params, [rbp-8] vmctx,
 * declared locals, then the home slots; 16 bytes for a v128 in functions
 * that have any (cc_local, cc_slot). A v128 is only ever in an xmm
 * register, a local (its slot, or xmm12..15 when pinned) or a home slot,
 * and moves between memory operands through r11 (cc_copy16), so the xmm
 * registers an instruction holds survive a flush.
 */
#include "compile.h"
#include "../x64/xmm.h"

void cc_set_local(struct cc *c, const struct val *v, uint32_t local)
{
    int r = cc_pinned(c, local), x = cc_xpinned(c, local);
    if (v->kind == V_LOCAL && v->local == local)
        return;
    if (r >= 0)
        cc_load(c, v, r);
    else if (x >= 0)
        cc_xload(c, v, x);
    else
        cc_store_val(c, v, cc_local(c, local));
}

/* Stores an xmm register's low 4 or 8 bytes. */
static void xstore(struct cc *c, x64_sz sz, x64_mem m, int x)
{
    if (sz == X64_S32)
        x64_movss_store(&c->a, m, x);
    else
        x64_movsd_store(&c->a, m, x);
}

void cc_copy16(struct cc *c, x64_mem dst, x64_mem src)
{
    x64_load(&c->a, X64_S64, SCRATCH, src);
    x64_store(&c->a, X64_S64, dst, SCRATCH);
    src.disp += 8;
    dst.disp += 8;
    x64_load(&c->a, X64_S64, SCRATCH, src);
    x64_store(&c->a, X64_S64, dst, SCRATCH);
}

/* Where a v128 value that is not in a register lives (V_LOCAL: a local
 * not pinned in xmm12..15; callers check cc_xpinned first). */
static x64_mem vmem(const struct cc *c, const struct val *v)
{
    return v->kind == V_LOCAL ? cc_local(c, v->local) : cc_slot(c, (uint32_t)(v - c->vs));
}

int cc_vdst(struct cc *c, uint32_t n)
{
    for (uint32_t k = n; k-- > 0;) {
        struct val *v = cc_top(c, k);
        if (v->kind == V_XREG)
            return v->reg;
    }
    return cc_xalloc(c);
}

int cc_vex_bin(struct cc *c, uint32_t op, int imm, uint32_t left, uint32_t right)
{
    int s1 = cc_vsrc(c, left, 0);
    x64_mem m;
    bool mem = cc_vmem(c, right, &m);
    int s2 = mem ? -1 : cc_vsrc(c, right, 1);
    int d = cc_vdst(c, 2);              /* spills nothing of the top two */
    if (mem && imm < 0)
        x64_vex_rm(&c->a, op, false, d, s1, m);
    else if (mem)
        x64_vex_rmi(&c->a, op, false, d, s1, m, (uint8_t)imm);
    else if (imm < 0)
        x64_vex_rr(&c->a, op, false, d, s1, s2);
    else
        x64_vex_rri(&c->a, op, false, d, s1, s2, (uint8_t)imm);
    return d;
}

/* The xmm register a V_LOCAL v128 value is pinned in, or -1. */
static int vpin(const struct cc *c, const struct val *v)
{
    return v->kind == V_LOCAL ? cc_xpinned(c, v->local) : -1;
}

bool cc_vmem(struct cc *c, uint32_t depth, x64_mem *m)
{
    struct val *v = cc_top(c, depth);
    if (v->type != WASM_V128 || v->kind == V_XREG || vpin(c, v) >= 0)
        return false;
    *m = vmem(c, v);
    return true;
}

static void spill(struct cc *c, struct val *v)
{
    x64_mem slot = cc_slot(c, (uint32_t)(v - c->vs));
    if (v->type == WASM_V128)
        x64_movdqu_store(&c->a, slot, v->reg);
    else if (v->kind == V_XREG)
        xstore(c, cc_sz(v->type), slot, v->reg);
    else
        x64_store(&c->a, cc_sz(v->type), slot, v->reg);
    v->kind = V_MEM;
}

int cc_xalloc(struct cc *c)
{
    if (c->xfree) {
        int x = x64_regset_first(c->xfree);
        c->xfree &= (x64_regset)~X64_BIT(x);
        return x;
    }
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < c->nvs; i++) {
            struct val *v = &c->vs[i];
            if (v->kind != V_XREG || (pass == 0 && i + 3 >= c->nvs))
                continue;
            spill(c, v);
            return v->reg;
        }
    cc_fail(c, "xmm register cache exhausted");
    return 1;
}

int cc_alloc_not(struct cc *c, x64_regset avoid)
{
    x64_regset f = c->free & ~avoid;
    if (f) {
        int r = x64_regset_first(f);
        c->free &= (x64_regset)~X64_BIT(r);
        return r;
    }
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < c->nvs; i++) {
            struct val *v = &c->vs[i];
            if (v->kind != V_REG || (avoid & X64_BIT(v->reg)) ||
                (pass == 0 && i + 3 >= c->nvs))
                continue;
            spill(c, v);
            return v->reg;   /* stays taken: now the caller's */
        }
    /* Ten registers and at most three operands: unreachable. */
    cc_fail(c, "register cache exhausted");
    return SCRATCH;
}

int cc_alloc(struct cc *c)
{
    return cc_alloc_not(c, 0);
}

void cc_evict(struct cc *c, int r)
{
    if (c->free & X64_BIT(r)) {
        c->free &= (x64_regset)~X64_BIT(r);
        return;
    }
    for (uint32_t i = 0; i < c->nvs; i++) {
        struct val *v = &c->vs[i];
        if (v->kind == V_REG && v->reg == r) {
            int n = cc_alloc_not(c, X64_BIT(r));
            x64_mov_rr(&c->a, X64_S64, n, r);
            v->reg = (uint8_t)n;
            return;
        }
    }
    /* Taken by the caller itself: nothing to move. */
}

void cc_load(struct cc *c, const struct val *v, int reg)
{
    /* Tests, not a switch: a jump table's indirect branch predicts worse
     * (locals and home slots are the usual sources). */
    x64_sz sz = cc_sz(v->type);
    if (v->kind == V_LOCAL) {
        int p = cc_pinned(c, v->local), x = cc_xpinned(c, v->local);
        if (x >= 0)
            x64_movd_rx(&c->a, sz, reg, x);
        else if (p < 0)
            x64_load(&c->a, sz, reg, cc_local(c, v->local));
        else if (p != reg)
            x64_mov_rr(&c->a, X64_S64, reg, p);
    } else if (v->kind == V_MEM) {
        x64_load(&c->a, sz, reg, cc_slot(c, (uint32_t)(v - c->vs)));
    } else if (v->kind == V_CONST) {
        x64_mov_ri(&c->a, sz, reg, sz == X64_S32 ? (int64_t)(uint32_t)v->imm
                                                 : (int64_t)v->imm);
    } else if (v->kind == V_REG) {
        if (v->reg != reg)
            x64_mov_rr(&c->a, X64_S64, reg, v->reg);
    } else {
        x64_movd_rx(&c->a, sz, reg, v->reg);            /* V_XREG */
    }
}

static bool fits32(uint64_t imm, x64_sz sz)
{
    return sz == X64_S32 || (int64_t)imm == (int32_t)imm;
}

void cc_store_val(struct cc *c, const struct val *v, x64_mem dst)
{
    x64_sz sz = cc_sz(v->type);
    if (__builtin_expect(v->type == WASM_V128, 0)) {
        int px = vpin(c, v);
        if (v->kind == V_XREG)
            x64_movdqu_store(&c->a, dst, v->reg);
        else if (px >= 0)
            x64_movdqu_store(&c->a, dst, px);
        else
            cc_copy16(c, dst, vmem(c, v));
    } else if (v->kind == V_CONST && fits32(v->imm, sz)) {
        x64_store_i(&c->a, sz, dst, (int32_t)v->imm);
    } else if (v->kind == V_REG) {
        x64_store(&c->a, sz, dst, v->reg);
    } else if (v->kind == V_XREG) {
        xstore(c, sz, dst, v->reg);
    } else {
        cc_load(c, v, SCRATCH);
        x64_store(&c->a, sz, dst, SCRATCH);
    }
}

int cc_in_reg(struct cc *c, uint32_t depth)
{
    struct val *v = cc_top(c, depth);
    if (v->kind == V_REG)
        return v->reg;
    int r = cc_alloc(c);
    cc_load(c, v, r);
    if (v->kind == V_XREG)
        c->xfree |= X64_BIT(v->reg);
    v->kind = V_REG;
    v->reg = (uint8_t)r;
    return r;
}

void cc_xload(struct cc *c, const struct val *v, int x)
{
    x64_sz sz = cc_sz(v->type);
    if (__builtin_expect(v->type == WASM_V128, 0) && v->kind != V_XREG) {
        int px = vpin(c, v);
        if (px < 0)
            x64_movdqu_m(&c->a, x, vmem(c, v));
        else if (px != x)
            x64_sse_rr(&c->a, x64_op_movaps, x, px);
        return;
    }
    switch (v->kind) {
    case V_XREG:
        if (v->reg != x)
            x64_sse_rr(&c->a, x64_op_movaps, x, v->reg);
        break;
    case V_REG:
        x64_movd_xr(&c->a, sz, x, v->reg);
        break;
    case V_CONST:
        if (v->imm == 0) {
            x64_sse_rr(&c->a, x64_op_xorps, x, x);
            break;
        }
        cc_load(c, v, SCRATCH);
        x64_movd_xr(&c->a, sz, x, SCRATCH);
        break;
    default: {
        int p = v->kind == V_LOCAL ? cc_pinned(c, v->local) : -1;
        int px = v->kind == V_LOCAL ? cc_xpinned(c, v->local) : -1;
        if (p >= 0) {
            x64_movd_xr(&c->a, sz, x, p);
            break;
        }
        if (px >= 0) {
            if (px != x)
                x64_sse_rr(&c->a, x64_op_movaps, x, px);
            break;
        }
        x64_mem m = v->kind == V_LOCAL ? cc_local(c, v->local)
                                       : cc_slot(c, (uint32_t)(v - c->vs));
        if (sz == X64_S32)
            x64_movd_xm(&c->a, x, m);
        else
            x64_movq_x_m(&c->a, x, m);
    }
    }
}

int cc_in_xmm(struct cc *c, uint32_t depth)
{
    struct val *v = cc_top(c, depth);
    if (v->kind == V_XREG)
        return v->reg;
    int x = cc_xalloc(c);
    cc_xload(c, v, x);
    if (v->kind == V_REG)
        cc_free_reg(c, v->reg);
    v->kind = V_XREG;
    v->reg = (uint8_t)x;
    return x;
}

int cc_vsrc(struct cc *c, uint32_t depth, int scratch)
{
    struct val *v = cc_top(c, depth);
    if (v->kind == V_XREG)
        return v->reg;
    /* A pinned local is read where it lives: the caller only reads it. */
    int px = v->kind == V_LOCAL ? cc_xpinned(c, v->local) : -1;
    if (px >= 0)
        return px;
    cc_xload(c, v, scratch);
    return scratch;
}

void cc_vconst(struct cc *c, int x, uint64_t lo, uint64_t hi)
{
    if (lo == hi && (lo == 0 || lo == ~(uint64_t)0)) {
        x64_sse_rr(&c->a, lo ? x64_op_pcmpeqd : x64_op_pxor, x, x);
        return;
    }
    x64_mem m;
    if (cc_vpool(c, lo, hi, &m)) {
        x64_movdqa_m(&c->a, x, m);
        return;
    }
    if (lo == 0)
        x64_pxor(&c->a, x, x);
    else {
        x64_mov_ri(&c->a, X64_S64, SCRATCH, (int64_t)lo);
        x64_movd_xr(&c->a, X64_S64, x, SCRATCH);
    }
    if (hi != 0) {
        if (hi != lo)
            x64_mov_ri(&c->a, X64_S64, SCRATCH, (int64_t)hi);
        x64_pinsrq(&c->a, x, SCRATCH, 1);
    }
}

bool cc_vpool(struct cc *c, uint64_t lo, uint64_t hi, x64_mem *m)
{
    uint32_t k = 0;
    while (k < c->nvpool && (c->vpool[k].lo != lo || c->vpool[k].hi != hi))
        k++;
    if (k == c->nvpool) {
        if (k == CC_VPOOL)
            return false;
        c->vpool[k] = (struct cc_vconst_entry){ lo, hi, { 0, 0 } };
        c->nvpool++;
    }
    *m = x64_mlabel(&c->vpool[k].at);
    return true;
}

void cc_vpool_emit(struct cc *c)
{
    if (!c->nvpool)
        return;
    x64_align(&c->a, 16, false);
    for (uint32_t k = 0; k < c->nvpool; k++) {
        x64_bind(&c->a, &c->vpool[k].at);
        x64_data128(&c->a, c->vpool[k].lo, c->vpool[k].hi);
    }
    c->nvpool = 0;
}

int cc_own(struct cc *c, uint32_t depth)
{
    return cc_in_reg(c, depth);
}

void cc_spill_regs(struct cc *c)
{
    for (uint32_t i = 0; i < c->nvs; i++) {
        struct val *v = &c->vs[i];
        if (v->kind == V_REG) {
            spill(c, v);
            cc_free_reg(c, v->reg);
        } else if (v->kind == V_XREG) {
            spill(c, v);
            c->xfree |= X64_BIT(v->reg);
        }
    }
}

void cc_flush(struct cc *c)
{
    for (uint32_t i = 0; i < c->nvs; i++) {
        struct val *v = &c->vs[i];
        if (v->kind == V_MEM)
            continue;
        cc_store_val(c, v, cc_slot(c, i));
        if (v->kind == V_REG)
            cc_free_reg(c, v->reg);
        else if (v->kind == V_XREG)
            c->xfree |= X64_BIT(v->reg);
        v->kind = V_MEM;
    }
}

void cc_local_written(struct cc *c, uint32_t local)
{
    for (uint32_t i = 0; i < c->nvs; i++) {
        struct val *v = &c->vs[i];
        if (v->kind == V_LOCAL && v->local == local) {
            cc_store_val(c, v, cc_slot(c, i));
            v->kind = V_MEM;
        }
    }
}

bool cc_push_overflow(struct cc *c)
{
    return cc_fail(c, "operand stack deeper than validated");
}

bool cc_xresult(struct cc *c, uint32_t n, uint8_t type, int x)
{
    for (uint32_t k = 0; k < n; k++) {
        struct val *v = cc_top(c, k);
        if (v->kind == V_XREG && v->reg == x)
            v->kind = V_CONST;
    }
    cc_drop(c, n);
    if (c->nvs == c->capvs)
        return cc_fail(c, "operand stack deeper than validated");
    c->xfree &= (x64_regset)~X64_BIT(x);
    c->vs[c->nvs++] = (struct val){ .kind = V_XREG, .type = type, .reg = (uint8_t)x };
    return true;
}

/* Applies `op` with the value at the top as its source operand. */
void cc_alu_top(struct cc *c, x64_alu op, x64_sz sz, int dst)
{
    struct val *b = cc_top(c, 0);
    switch (b->kind) {
    case V_CONST:
        if (sz == X64_S32 || (int64_t)b->imm == (int32_t)b->imm) {
            x64_alu_ri(&c->a, op, sz, dst, (int32_t)b->imm);
            return;
        }
        cc_load(c, b, SCRATCH);
        x64_alu_rr(&c->a, op, sz, dst, SCRATCH);
        return;
    case V_REG:
        x64_alu_rr(&c->a, op, sz, dst, b->reg);
        return;
    case V_XREG:
        cc_load(c, b, SCRATCH);
        x64_alu_rr(&c->a, op, sz, dst, SCRATCH);
        return;
    case V_LOCAL:
        if (cc_pinned(c, b->local) >= 0) {
            x64_alu_rr(&c->a, op, sz, dst, cc_pinned(c, b->local));
        } else if (cc_local_mem(c, b->local)) {
            x64_alu_rm(&c->a, op, sz, dst, cc_local(c, b->local));
        } else {
            cc_load(c, b, SCRATCH);
            x64_alu_rr(&c->a, op, sz, dst, SCRATCH);
        }
        return;
    default:
        x64_alu_rm(&c->a, op, sz, dst, cc_slot(c, c->nvs - 1));
        return;
    }
}
