/* compile_call.c: the function's frame (prologue, returns) and calls.
 *
 * docs/compiler.md fixes the convention: arguments and results in the
 * caller's outgoing area ([rsp + 8i], the callee's [rbp + 16 + 8i]), r15
 * and r14 the callee's, rbx/r12/r13 and xmm12..15 preserved (they hold the
 * function's first locals), everything else clobbered. A call to an
 * import or through a table loads the callee's vmctx from its funcinst
 * and restores ours after. call_indirect checks the index against the
 * table, the element against null, and the canonical signature ids.
 */
#include "compile.h"
#include "../x64/xmm.h"

/* Results go where the params came: a result may read a param the
 * results before it overwrite, so such reads go through its own slot. */
void cc_return(struct cc *c)
{
    uint32_t n = c->ft->nresults;
    /* The results' bytes, [rbp + 16, rbp + 16 + 8 * slots): a param there
     * may be overwritten before it is read. */
    int32_t end = 16 + 8 * (int32_t)(c->v16 ? cc_nslots(c->ft->results, n) : n);
    for (uint32_t k = 0; k < n; k++) {
        struct val *v = &c->vs[c->nvs - n + k];
        if (v->kind == V_LOCAL && v->local < c->nparams && cc_local(c, v->local).disp < end)
            cc_store_val(c, v, cc_slot(c, c->nvs - n + k));
    }
    int32_t off = 16;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t pos = c->nvs - n + k;
        struct val *v = &c->vs[pos];
        x64_mem dst = x64_mb(X64_RBP, off);
        off += v->type == WASM_V128 ? 16 : 8;
        if (v->kind == V_LOCAL && v->local < c->nparams && cc_local(c, v->local).disp < end) {
            if (v->type == WASM_V128) {
                cc_copy16(c, dst, cc_slot(c, pos));
                continue;
            }
            x64_load(&c->a, cc_sz(v->type), SCRATCH, cc_slot(c, pos));
            x64_store(&c->a, cc_sz(v->type), dst, SCRATCH);
        } else {
            cc_store_val(c, v, dst);
        }
    }
    uint32_t ng = 0, nx = 0;
    for (uint32_t k = 0; k < c->npin; k++) {
        if (c->pin_x[k])
            x64_movdqu_m(&c->a, c->pin_reg[k], x64_mb(X64_RBP, CC_XMM_SAVE(nx++)));
        else
            x64_load(&c->a, X64_S64, c->pin_reg[k], x64_mb(X64_RBP, CC_GPR_SAVE(ng++)));
    }
    x64_mov_rr(&c->a, X64_S64, X64_RSP, X64_RBP);
    x64_pop_r(&c->a, X64_RBP);
    x64_ret(&c->a);
}

bool cc_prologue(struct cc *c)
{
    x64_asm *a = &c->a;
    x64_push_r(a, X64_RBP);
    x64_mov_rr(a, X64_S64, X64_RBP, X64_RSP);
    c->frame_patch = x64_alu_ri32(a, X64_SUB, X64_S64, X64_RSP, 0);
    /* The stack check; compile.c jumps over it in a function that calls
     * no Wasm function (its frame fits in the limit's slack). */
    c->check_at = x64_pos(a);
    x64_load(a, X64_S64, SCRATCH, x64_mb(VMCTX, VMCTX_STORE));
    x64_alu_rm(a, X64_CMP, X64_S64, X64_RSP, x64_mb(SCRATCH, STORE_STACK_LIMIT));
    x64_jcc(a, X64_B, &c->trap[WASM_TRAP_STACK]);
    c->check_end = x64_pos(a);
    c->calls = false;
    /* The busiest locals (the validator counted them) go to callee-saved
     * registers: saved here, restored by every return; a trap's landing
     * restores the embedder's. */
    static const int pins[CC_NPIN_GPR] = { X64_RBX, X64_R12, X64_R13 };
    uint32_t ng = 0, nx = 0;
    c->npin = 0;
    for (uint32_t i = 0; i < c->ncand; i++) {
        uint32_t j = c->cand[i];
        uint8_t t = c->ltype[j];
        bool x = t == WASM_F32 || t == WASM_F64 || t == WASM_V128;
        int r = x ? 12 + (int)nx : pins[ng];
        x64_mem save = x64_mb(X64_RBP, x ? CC_XMM_SAVE(nx) : CC_GPR_SAVE(ng));
        c->pin_local[c->npin] = j;
        c->pin_reg[c->npin] = r;
        c->pin_x[c->npin++] = x;
        c->lpin[j] = (uint8_t)(x ? 17 + r : 1 + r);
        if (x) {
            x64_movdqu_store(a, save, r);        /* all 128 bits: see compile.h */
            if (j >= c->nparams)
                x64_sse_rr(a, x64_op_xorps, r, r);
            else if (t == WASM_V128)
                x64_movdqu_m(a, r, cc_local(c, j));
            else if (t == WASM_F32)
                x64_movd_xm(a, r, cc_local(c, j));
            else
                x64_movq_x_m(a, r, cc_local(c, j));
            c->xfree &= (x64_regset)~X64_BIT(r);
            nx++;
        } else {
            x64_store(a, X64_S64, save, r);
            if (j < c->nparams)
                x64_load(a, cc_sz(t), r, cc_local(c, j));
            else
                x64_zero(a, r);
            c->free &= (x64_regset)~X64_BIT(r);
            ng++;
        }
    }
    /* Callee-saved registers that no local of ours holds are not scratch
     * either: a caller's pinned locals live in them across this call, and
     * only what we pinned is saved and restored. */
    for (uint32_t k = ng; k < CC_NPIN_GPR; k++)
        c->free &= (x64_regset)~X64_BIT(pins[k]);
    for (uint32_t k = nx; k < 4; k++)
        c->xfree &= (x64_regset)~X64_BIT(12 + k);
    uint32_t n = c->v16 ? c->lbytes / 8 : c->nlocals - c->nparams;  /* qwords */
    if (n <= 8) {
        for (uint32_t j = c->nparams; j < c->nlocals; j++)
            if (cc_pinned(c, j) < 0 && cc_xpinned(c, j) < 0) {
                x64_store_i(a, X64_S64, cc_local(c, j), 0);
                if (c->ltype[j] == WASM_V128)
                    x64_store_i(a, X64_S64, x64_mb(X64_RBP, c->loff[j] + 8), 0);
            }
    } else {
        static const uint8_t rep_stosq[] = { 0xf3, 0x48, 0xab };
        x64_zero(a, X64_RAX);
        x64_lea(a, X64_S64, X64_RDI, cc_local(c, c->nlocals - 1));
        x64_mov_ri(a, X64_S32, X64_RCX, n);
        x64_bytes(a, rep_stosq, sizeof rep_stosq);
    }
    return cc_push_ctl(c, WASM_K_BLOCK, true, false, 0, NULL,
                       c->ft->nresults, c->ft->results);
}

/* After a call: results from the outgoing area onto the stack. */
static bool push_results(struct cc *c, const struct wasm_functype *t)
{
    int32_t off = 0;
    for (uint32_t k = 0; k < t->nresults; k++) {
        uint8_t ty = t->results[k];
        x64_mem src = x64_mb(X64_RSP, off);
        off += ty == WASM_V128 ? 16 : 8;
        if (k < 4 && (ty == WASM_F32 || ty == WASM_F64 || ty == WASM_V128)) {
            int x = cc_xalloc(c);
            if (ty == WASM_F32)
                x64_movd_xm(&c->a, x, src);
            else if (ty == WASM_F64)
                x64_movq_x_m(&c->a, x, src);
            else
                x64_movdqu_m(&c->a, x, src);
            if (!cc_xresult(c, 0, ty, x))
                return false;
        } else if (k < 4) {
            int r = cc_alloc(c);
            x64_load(&c->a, cc_sz(ty), r, src);
            if (!cc_push_reg(c, ty, r))
                return false;
        } else {
            if (ty == WASM_V128) {
                cc_copy16(c, cc_slot(c, c->nvs), src);
            } else {
                x64_load(&c->a, cc_sz(ty), SCRATCH, src);
                x64_store(&c->a, cc_sz(ty), cc_slot(c, c->nvs), SCRATCH);
            }
            if (!cc_push_mem(c, ty))
                return false;
        }
    }
    return true;
}

/* Arguments below the top `skip` values go to the outgoing area, from
 * wherever they are; the caller then drops them and spills the rest. */
static void store_args(struct cc *c, const struct wasm_functype *t, uint32_t skip)
{
    uint32_t np = t->nparams;
    int32_t off = 0;
    for (uint32_t k = 0; k < np; k++) {
        cc_store_val(c, &c->vs[c->nvs - skip - np + k], x64_mb(X64_RSP, off));
        off += t->params[k] == WASM_V128 ? 16 : 8;
    }
    uint32_t sp = (uint32_t)off / 8, sr = cc_nslots(t->results, t->nresults);
    uint32_t slots = sp > sr ? sp : sr;
    if (slots > c->out_slots)
        c->out_slots = slots;
}

/* Calls the funcinst in r11: its vmctx and memory, then ours back. */
static void call_funcinst(struct cc *c)
{
    x64_asm *a = &c->a;
    x64_store(a, X64_S64, x64_mb(X64_RBP, -8), VMCTX);
    x64_load(a, X64_S64, VMCTX, x64_mb(SCRATCH, FUNCINST_VMCTX));
    x64_load(a, X64_S64, MEMBASE, x64_mb(VMCTX, VMCTX_MEM0_BASE));
    x64_call_m(a, x64_mb(SCRATCH, FUNCINST_CODE));
    x64_load(a, X64_S64, VMCTX, x64_mb(X64_RBP, -8));
    x64_load(a, X64_S64, MEMBASE, x64_mb(VMCTX, VMCTX_MEM0_BASE));
}

bool cc_call(struct cc *c, uint32_t fi)
{
    c->calls = true;
    const struct wasm_functype *t = &c->m->types[c->m->funcs[fi].type];
    store_args(c, t, 0);
    cc_drop(c, t->nparams);
    cc_spill_regs(c);
    if (fi < c->m->nfunc_imports) {
        x64_load(&c->a, X64_S64, SCRATCH,
                 x64_mb(VMCTX, (int32_t)(c->layout->funcs + 8 * fi)));
        call_funcinst(c);
    } else {
        x64_call(&c->a, &c->funcs[fi - c->m->nfunc_imports]);
    }
    return push_results(c, t);
}

bool cc_call_indirect(struct cc *c, uint32_t ti, uint32_t table)
{
    c->calls = true;
    x64_asm *a = &c->a;
    const struct wasm_functype *t = &c->m->types[ti];
    store_args(c, t, 1);
    cc_load(c, cc_top(c, 0), SCRATCH2);
    cc_drop(c, t->nparams + 1);
    cc_spill_regs(c);
    x64_load(a, X64_S64, SCRATCH, x64_mb(VMCTX, (int32_t)(c->layout->tables + 8 * table)));
    x64_alu_rm(a, X64_CMP, X64_S32, SCRATCH2, x64_mb(SCRATCH, TABLE_SIZE));
    x64_jcc(a, X64_AE, &c->trap[WASM_TRAP_UNDEF_ELEM]);
    x64_load(a, X64_S64, SCRATCH, x64_mb(SCRATCH, TABLE_ELEMS));
    x64_load(a, X64_S64, SCRATCH, x64_mbi(SCRATCH, SCRATCH2, 8, 0));
    x64_test_rr(a, X64_S64, SCRATCH, SCRATCH);
    x64_jcc(a, X64_E, &c->trap[WASM_TRAP_UNINIT_ELEM]);
    x64_load(a, X64_S32, SCRATCH2, x64_mb(VMCTX, (int32_t)(c->layout->sigs + 4 * ti)));
    x64_alu_rm(a, X64_CMP, X64_S32, SCRATCH2, x64_mb(SCRATCH, FUNCINST_SIG));
    x64_jcc(a, X64_NE, &c->trap[WASM_TRAP_SIG_MISMATCH]);
    call_funcinst(c);
    return push_results(c, t);
}

