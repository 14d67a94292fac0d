/* compile_mem.c: linear memory, locals and globals, tables and references.
 *
 * A memory access is one instruction on [r14 + index + offset]: the
 * 8 GiB reservation holds any 32-bit index plus any 32-bit offset, so
 * there is no bounds check, only a trap-table entry for the instruction
 * (an offset of 2^31 or more, which no disp32 holds, is added in the
 * scratch register). Bulk memory and most table instructions call
 * runtime helpers; table.get/set/size and call_indirect are inline.
 */
#include "compile.h"
#include "../x64/xmm.h"

/* The operand for an access at (value at `depth`) + offset. */
static x64_mem address(struct cc *c, uint32_t depth, uint32_t offset)
{
    struct val *v = cc_top(c, depth);
    if (v->kind == V_CONST) {
        uint64_t ea = (uint32_t)v->imm + (uint64_t)offset;
        if (ea <= INT32_MAX)
            return x64_mb(MEMBASE, (int32_t)ea);
        x64_mov_ri(&c->a, X64_S64, SCRATCH, (int64_t)ea);
        return x64_mbi(MEMBASE, SCRATCH, 1, 0);
    }
    /* A local in a register indexes as it is (an i32 stays zero-extended). */
    int r = v->kind == V_LOCAL && cc_pinned(c, v->local) >= 0 ? cc_pinned(c, v->local)
                                                               : cc_in_reg(c, depth);
    if (offset <= INT32_MAX)
        return x64_mbi(MEMBASE, r, 1, (int32_t)offset);
    x64_mov_ri(&c->a, X64_S64, SCRATCH, offset);
    x64_alu_rr(&c->a, X64_ADD, X64_S64, SCRATCH, r);
    return x64_mbi(MEMBASE, SCRATCH, 1, 0);
}

x64_mem cc_address(struct cc *c, uint32_t depth, uint32_t offset)
{
    return address(c, depth, offset);
}

static bool load(struct cc *c, const struct wasm_opinfo *oi, uint32_t offset)
{
    x64_asm *a = &c->a;
    x64_mem m = address(c, 0, offset);
    struct val *v = cc_top(c, 0);
    uint8_t ty = oi->push;
    if (ty == WASM_F32 || ty == WASM_F64) {      /* straight into xmm */
        int x = cc_xalloc(c);
        cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
        if (ty == WASM_F32)
            x64_movd_xm(a, x, m);
        else
            x64_movq_x_m(a, x, m);
        return cc_xresult(c, 1, ty, x);
    }
    int r = v->kind == V_REG ? v->reg : cc_alloc(c);
    cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
    /* The integer loads are opcodes 0x28..0x35: the bytes read, and
     * whether they are sign-extended (-), from a table, not a switch. */
    static const int8_t bytes[14] = { 4, 8, 4, 8, -1, 1, -2, 2, -1, 1, -2, 2, -4, 4 };
    unsigned k = (unsigned)oi->code - 0x28;
    int n = oi->prefix == 0 && k < 14 ? bytes[k] : (int)cc_sz(ty);
    if (n > 0)
        x64_load(a, (x64_sz)n, r, m);
    else
        x64_loads(a, (x64_sz)-n, cc_sz(ty), r, m);
    return cc_result(c, 1, ty, r);
}

static bool store(struct cc *c, const struct wasm_opinfo *oi, uint32_t offset)
{
    /* The stores are opcodes 0x36..0x3e: the bytes written, from a
     * table, not a switch. */
    static const uint8_t bytes[9] = { 4, 8, 4, 8, 1, 2, 1, 2, 4 };
    unsigned k = (unsigned)oi->code - 0x36;
    x64_sz sz = oi->prefix == 0 && k < 9 ? (x64_sz)bytes[k] : cc_sz(oi->pop[1]);
    struct val *v = cc_top(c, 0);
    bool imm = v->kind == V_CONST && (sz < X64_S64 || (int64_t)v->imm == (int32_t)v->imm);
    int rv = -1;
    if (v->kind == V_REG || v->kind == V_XREG)
        rv = v->reg;
    else if (v->kind == V_LOCAL && cc_pinned(c, v->local) >= 0)
        rv = cc_pinned(c, v->local);
    else if (!imm) {
        cc_load(c, v, SCRATCH2);
        rv = SCRATCH2;
    }
    bool xmm = v->kind == V_XREG;
    if (xmm && sz < X64_S32) {
        /* A reinterpreted float stored narrow: movss/movsd would write 4
         * or 8 bytes; go through a general register for 1 and 2. */
        x64_movd_rx(&c->a, X64_S32, SCRATCH2, rv);
        rv = SCRATCH2;
        xmm = false;
    }
    x64_mem m = address(c, 1, offset);
    cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
    if (imm)
        x64_store_i(&c->a, sz, m, (int32_t)v->imm);
    else if (xmm && sz == X64_S32)
        x64_movss_store(&c->a, m, rv);
    else if (xmm)
        x64_movsd_store(&c->a, m, rv);
    else
        x64_store(&c->a, sz, m, rv);
    cc_drop(c, 2);
    return true;
}

/* A load or a store (class MEM). */
bool cc_k_mem(struct cc *c, const struct wasm_opinfo *oi)
{
    cc_u32(c);                              /* alignment: a hint */
    uint32_t offset = cc_u32(c);
    return oi->push ? load(c, oi, offset) : store(c, oi, offset);
}

/* The other memory instructions (class MEMORY). */
bool cc_memory(struct cc *c, const struct wasm_opinfo *oi)
{
    uint32_t imm[2];
    switch (oi->kind) {
    case WASM_K_MEMORY_SIZE: {
        c->p++;
        int r = cc_alloc(c);
        x64_load(&c->a, X64_S64, r, x64_mb(VMCTX, VMCTX_MEM0));
        x64_load(&c->a, X64_S32, r, x64_mb(r, MEMORY_PAGES));
        return cc_push_reg(c, WASM_I32, r);
    }
    case WASM_K_MEMORY_GROW:
        c->p++;
        return cc_helper(c, WASM_HELPER_MEMORY_GROW, 0, NULL, 1, WASM_I32, false);
    case WASM_K_MEMORY_FILL:
        c->p++;
        return cc_helper(c, WASM_HELPER_MEMORY_FILL, 0, NULL, 3, 0, true);
    case WASM_K_MEMORY_COPY:
        c->p += 2;
        return cc_helper(c, WASM_HELPER_MEMORY_COPY, 0, NULL, 3, 0, true);
    case WASM_K_MEMORY_INIT:
        imm[0] = cc_u32(c);
        c->p++;
        return cc_helper(c, WASM_HELPER_MEMORY_INIT, 1, imm, 3, 0, true);
    case WASM_K_DATA_DROP:
        imm[0] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_DATA_DROP, 1, imm, 0, 0, false);
    default:
        return cc_fail(c, "not a memory instruction");
    }
}

/* local.set and local.tee (class SET). */
bool cc_k_local_set(struct cc *c, const struct wasm_opinfo *oi)
{
    uint32_t idx = cc_u32(c);
    cc_local_written(c, idx);
    cc_set_local(c, cc_top(c, 0), idx);
    if (oi->kind == WASM_K_LOCAL_SET)
        cc_drop(c, 1);
    return true;
}

/* The globals and local.get (class VAR); the driver loop pushes a
 * local.get of live code itself, without coming here. */
bool cc_variable(struct cc *c, const struct wasm_opinfo *oi)
{
    uint32_t idx = cc_u32(c);
    switch (oi->kind) {
    case WASM_K_LOCAL_GET:
        return cc_push_local(c, idx);
    case WASM_K_GLOBAL_GET: {
        uint8_t ty = c->m->globals[idx].type;
        x64_load(&c->a, X64_S64, SCRATCH,
                 x64_mb(VMCTX, (int32_t)(c->layout->globals + 8 * idx)));
        if (ty == WASM_F32 || ty == WASM_F64 || ty == WASM_V128) {
            int x = cc_xalloc(c);
            if (ty == WASM_V128)
                x64_movdqu_m(&c->a, x, x64_mb(SCRATCH, 0));
            else if (ty == WASM_F32)
                x64_movd_xm(&c->a, x, x64_mb(SCRATCH, 0));
            else
                x64_movq_x_m(&c->a, x, x64_mb(SCRATCH, 0));
            return cc_xresult(c, 0, ty, x);
        }
        int r = cc_alloc(c);
        x64_load(&c->a, cc_sz(ty), r, x64_mb(SCRATCH, 0));
        return cc_push_reg(c, ty, r);
    }
    case WASM_K_GLOBAL_SET: {
        struct val *v = cc_top(c, 0);
        if (v->type == WASM_V128) {
            int xv = cc_vsrc(c, 0, 0);
            x64_load(&c->a, X64_S64, SCRATCH,
                     x64_mb(VMCTX, (int32_t)(c->layout->globals + 8 * idx)));
            x64_movdqu_store(&c->a, x64_mb(SCRATCH, 0), xv);
            cc_drop(c, 1);
            return true;
        }
        x64_sz sz = cc_sz(v->type);
        bool imm = v->kind == V_CONST && (sz == X64_S32 || (int64_t)v->imm == (int32_t)v->imm);
        int rv = -1;
        if (v->kind == V_REG)
            rv = v->reg;
        else if (!imm) {
            cc_load(c, v, SCRATCH2);
            rv = SCRATCH2;
        }
        x64_load(&c->a, X64_S64, SCRATCH,
                 x64_mb(VMCTX, (int32_t)(c->layout->globals + 8 * idx)));
        if (imm)
            x64_store_i(&c->a, sz, x64_mb(SCRATCH, 0), (int32_t)v->imm);
        else
            x64_store(&c->a, sz, x64_mb(SCRATCH, 0), rv);
        cc_drop(c, 1);
        return true;
    }
    default:
        return cc_fail(c, "not a variable instruction");
    }
}

/* r11 = the table, and a trap unless index register ri < its size. */
static void table_check(struct cc *c, uint32_t t, int ri)
{
    x64_load(&c->a, X64_S64, SCRATCH, x64_mb(VMCTX, (int32_t)(c->layout->tables + 8 * t)));
    x64_alu_rm(&c->a, X64_CMP, X64_S32, ri, x64_mb(SCRATCH, TABLE_SIZE));
    x64_jcc(&c->a, X64_AE, &c->trap[WASM_TRAP_TABLE_OOB]);
    x64_load(&c->a, X64_S64, SCRATCH, x64_mb(SCRATCH, TABLE_ELEMS));
}

bool cc_table(struct cc *c, const struct wasm_opinfo *oi)
{
    x64_asm *a = &c->a;
    uint32_t imm[2];
    switch (oi->kind) {
    case WASM_K_REF_NULL: {
        uint8_t ty = *c->p++;
        return cc_push_const(c, ty, 0);
    }
    case WASM_K_REF_IS_NULL: {
        int r = cc_own(c, 0);
        x64_test_rr(a, X64_S64, r, r);
        x64_setcc_zx(a, X64_E, r);
        return cc_result(c, 1, WASM_I32, r);
    }
    case WASM_K_REF_FUNC: {
        uint32_t f = cc_u32(c);
        int r = cc_alloc(c);
        x64_load(a, X64_S64, r, x64_mb(VMCTX, (int32_t)(c->layout->funcs + 8 * f)));
        return cc_push_reg(c, WASM_FUNCREF, r);
    }
    case WASM_K_TABLE_GET: {
        uint32_t t = cc_u32(c);
        int r = cc_own(c, 0);
        table_check(c, t, r);
        x64_load(a, X64_S64, r, x64_mbi(SCRATCH, r, 8, 0));
        return cc_result(c, 1, c->m->tables[t].elem, r);
    }
    case WASM_K_TABLE_SET: {
        uint32_t t = cc_u32(c);
        int rv = cc_in_reg(c, 0);
        int ri = cc_in_reg(c, 1);
        table_check(c, t, ri);
        x64_store(a, X64_S64, x64_mbi(SCRATCH, ri, 8, 0), rv);
        cc_drop(c, 2);
        return true;
    }
    case WASM_K_TABLE_SIZE: {
        uint32_t t = cc_u32(c);
        int r = cc_alloc(c);
        x64_load(a, X64_S64, r, x64_mb(VMCTX, (int32_t)(c->layout->tables + 8 * t)));
        x64_load(a, X64_S32, r, x64_mb(r, TABLE_SIZE));
        return cc_push_reg(c, WASM_I32, r);
    }
    case WASM_K_TABLE_GROW:
        imm[0] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_TABLE_GROW, 1, imm, 2, WASM_I32, false);
    case WASM_K_TABLE_FILL:
        imm[0] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_TABLE_FILL, 1, imm, 3, 0, true);
    case WASM_K_TABLE_COPY:
        imm[0] = cc_u32(c);
        imm[1] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_TABLE_COPY, 2, imm, 3, 0, true);
    case WASM_K_TABLE_INIT:
        imm[1] = cc_u32(c);                 /* element segment, then table */
        imm[0] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_TABLE_INIT, 2, imm, 3, 0, true);
    case WASM_K_ELEM_DROP:
        imm[0] = cc_u32(c);
        return cc_helper(c, WASM_HELPER_ELEM_DROP, 1, imm, 0, 0, false);
    default:
        return cc_fail(c, "not a table instruction");
    }
}

bool cc_helper(struct cc *c, int h, uint32_t nimm, const uint32_t *imm,
               uint32_t nargs, uint8_t result, bool traps)
{
    static const int arg[] = { X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8, X64_R9 };
    x64_asm *a = &c->a;
    cc_spill_regs(c);
    x64_mov_rr(a, X64_S64, X64_RDI, VMCTX);
    for (uint32_t i = 0; i < nimm; i++)
        x64_mov_ri(a, X64_S32, arg[1 + i], imm[i]);
    for (uint32_t k = 0; k < nargs; k++)
        cc_load(c, &c->vs[c->nvs - nargs + k], arg[1 + nimm + k]);
    /* C clobbers every xmm register: float and v128 locals wait in their
     * slots (a v128's is 16 bytes, an f32/f64's 8). */
    for (uint32_t k = 0; k < c->npin; k++)
        if (c->pin_x[k]) {
            x64_mem m = cc_local(c, c->pin_local[k]);
            if (c->ltype[c->pin_local[k]] == WASM_V128)
                x64_movdqu_store(a, m, c->pin_reg[k]);
            else
                x64_movsd_store(a, m, c->pin_reg[k]);
        }
    x64_call_m(a, x64_mb(VMCTX, (int32_t)(VMCTX_HELPERS + 8 * h)));
    for (uint32_t k = 0; k < c->npin; k++)
        if (c->pin_x[k]) {
            x64_mem m = cc_local(c, c->pin_local[k]);
            if (c->ltype[c->pin_local[k]] == WASM_V128)
                x64_movdqu_m(a, c->pin_reg[k], m);
            else
                x64_movq_x_m(a, c->pin_reg[k], m);
        }
    cc_drop(c, nargs);
    if (traps) {
        x64_test_rr(a, X64_S32, X64_RAX, X64_RAX);
        x64_jcc(a, X64_NE, &c->dyn_trap);
    }
    if (!result)
        return true;
    cc_evict(c, X64_RAX);
    x64_mov_rr(a, X64_S32, X64_RAX, X64_RAX);   /* C leaves the top undefined */
    return cc_push_reg(c, result, X64_RAX);
}
