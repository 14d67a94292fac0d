/* compile_ctl.c: control flow: blocks, branches, br_table, select, drop.
 *
 * Merges are where values must agree on a place: the label of a block or
 * if that branches target, and a loop's start. Entering such a construct
 * spills the whole operand stack to home slots, so values below it stay
 * there until it ends; a branch copies its values to the target's slots
 * and jumps. The side table's branch counts let blocks nobody branches to
 * skip all of that. Branch copies change no compiler state (they use the
 * scratch register), so a br_if's fall-through keeps its cache.
 */
#include "compile.h"
#include "../host.h"
#include "../core/libc.h"
#include "../x64/xmm.h"

bool cc_push_ctl(struct cc *c, uint8_t kind, bool live, bool merge,
                     uint32_t np, const uint8_t *params,
                     uint32_t nr, const uint8_t *results)
{
    if (c->ncs == c->capcs)
        return cc_fail(c, "blocks nested deeper than validated");
    struct ctl *t = &c->cs[c->ncs++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->live = live;
    t->merge = merge;
    t->height = live ? c->nvs - np : c->nvs;
    t->np = np;
    t->params = params;
    t->nr = nr;
    t->results = results;
    return true;
}

static void blocktype(struct cc *c, uint32_t *np, const uint8_t **params,
                      uint32_t *nr, const uint8_t **results)
{
    uint8_t b = *c->p;
    *np = *nr = 0;
    *params = *results = NULL;
    if ((b & 0xc0) == 0x40) {        /* one negative byte: empty or a valtype */
        c->p++;
        if (b != 0x40) {
            *nr = 1;
            *results = c->p - 1;
        }
        return;
    }
    const struct wasm_functype *t = &c->m->types[(uint32_t)cc_s64(c)];
    *np = t->nparams;
    *params = t->params;
    *nr = t->nresults;
    *results = t->results;
}

static void set_dead(struct cc *c)
{
    cc_drop(c, c->nvs - c->cs[c->ncs - 1].height);
    c->dead = true;
}

/* Copies the top n values to the home slots from `height` on. */
static void transfer(struct cc *c, uint32_t n, uint32_t height)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t src = c->nvs - n + k;
        struct val *v = &c->vs[src];
        if (v->kind == V_MEM && src == height + k)
            continue;
        cc_store_val(c, v, cc_slot(c, height + k));
    }
}

static bool transfer_needed(struct cc *c, uint32_t n, uint32_t height)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t src = c->nvs - n + k;
        if (c->vs[src].kind != V_MEM || src != height + k)
            return true;
    }
    return false;
}

/* A branch to depth `depth` taken now: values moved, then the jump. */
static void branch(struct cc *c, uint32_t depth, uint32_t arity, uint32_t height)
{
    if (depth == c->ncs - 1) {
        cc_return(c);
        return;
    }
    transfer(c, arity, height);
    x64_jmp(&c->a, &c->cs[c->ncs - 1 - depth].label);
}

static bool br_table(struct cc *c)
{
    x64_asm *a = &c->a;
    uint32_t n = cc_u32(c);
    const uint8_t *depths = c->p;
    for (uint32_t i = 0; i <= n; i++)
        cc_u32(c);
    const struct wasm_side *head = cc_side(c);
    const struct wasm_side *tg = head;
    for (uint32_t i = 0; i <= n; i++)
        tg = cc_side(c);
    if (c->dead || c->failed)
        return !c->failed;
    tg = head + 1;
    uint32_t arity = head->a;

    int r = cc_in_reg(c, 0);
    cc_drop(c, 1);
    /* The index, clamped to n: the default is the table's last entry. */
    x64_mov_ri(a, X64_S32, SCRATCH2, n);
    x64_alu_ri(a, X64_CMP, X64_S32, r, (int32_t)n);
    x64_cmov_rr(a, X64_AE, X64_S32, r, SCRATCH2);
    x64_label table = { 0, 0 };
    x64_lea(a, X64_S64, SCRATCH, x64_mlabel(&table));
    x64_lea(a, X64_S64, SCRATCH, x64_mbi(SCRATCH, r, 4, 0));
    x64_loads(a, X64_S32, X64_S64, SCRATCH2, x64_mb(SCRATCH, 0));
    x64_alu_rr(a, X64_ADD, X64_S64, SCRATCH2, SCRATCH);
    x64_jmp_r(a, SCRATCH2);

    /* A stub per entry that moves values or returns; the others jump
     * straight to their label. */
    x64_label *stub = wasm_host_alloc((size_t)(n + 1) * sizeof *stub);
    if (!stub)
        return cc_fail(c, "out of memory");
    memset(stub, 0, (size_t)(n + 1) * sizeof *stub);
    const uint8_t *save = c->p;
    c->p = depths;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t depth = cc_u32(c);
        if (depth == c->ncs - 1 || transfer_needed(c, arity, tg[i].b)) {
            x64_bind(a, &stub[i]);
            branch(c, depth, arity, tg[i].b);
        }
    }
    x64_align(a, 4, false);
    x64_bind(a, &table);
    c->p = depths;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t depth = cc_u32(c);
        if (x64_is_bound(&stub[i]))
            x64_data_selfrel32(a, &stub[i]);
        else
            x64_data_selfrel32(a, &c->cs[c->ncs - 1 - depth].label);
    }
    c->p = save;
    wasm_host_free(stub, (size_t)(n + 1) * sizeof *stub);
    set_dead(c);
    return true;
}

static bool end(struct cc *c)
{
    struct ctl *t = &c->cs[c->ncs - 1];
    if (c->ncs == 1) {                       /* the function's end */
        if (!c->dead)
            cc_return(c);
        c->ncs = 0;
        return true;
    }
    bool was_dead = c->dead;
    if (t->live && t->merge && t->kind != WASM_K_LOOP) {
        if (!c->dead)
            transfer(c, t->nr, t->height);
        x64_bind(&c->a, &t->label);
        if (t->kind == WASM_K_IF)
            x64_bind(&c->a, &t->els);
        /* Reached by the fall-through, or (merge) maybe by a branch or an
         * if's false path: the code after is compiled as live. */
        bool reached = !was_dead || t->merge;
        cc_drop(c, c->nvs - t->height);
        c->dead = !reached;
        if (reached)
            for (uint32_t k = 0; k < t->nr; k++)
                if (!cc_push_mem(c, t->results[k]))
                    return false;
    }
    c->ncs--;
    return true;
}

/* Pops the condition of an if or br_if: the condition code under which
 * it is true (the flags are set; nothing after may change them). */
static x64_cc cond(struct cc *c)
{
    x64_cc cc = X64_NE;
    if (c->fused >= 0) {
        cc = (x64_cc)c->fused;
        c->fused = -1;
    } else {
        int r = cc_in_reg(c, 0);
        x64_test_rr(&c->a, X64_S32, r, r);
    }
    cc_drop(c, 1);
    return cc;
}

/* One handler per control kind (compile.c dispatches on the kind); they
 * run in dead code too, where they only consume immediates and side
 * entries and keep the control stack. */
bool cc_k_unreachable(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    if (c->dead)
        return true;
    cc_trap_site(c, WASM_TRAP_UNREACHABLE);
    x64_ud2(&c->a);
    set_dead(c);
    return true;
}

bool cc_k_nop(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)c, (void)oi;
    return true;
}

/* block and loop. */
bool cc_k_block(struct cc *c, const struct wasm_opinfo *oi)
{
    uint32_t np, nr;
    const uint8_t *params, *results;
    const struct wasm_side *s = cc_side(c);
    blocktype(c, &np, &params, &nr, &results);
    if (c->dead)
        return cc_push_ctl(c, oi->kind, false, false, np, params, nr, results);
    if (s->c > 0)
        cc_flush(c);
    if (!cc_push_ctl(c, oi->kind, true, s->c > 0, np, params, nr, results))
        return false;
    if (oi->kind == WASM_K_LOOP && s->c > 0)
        x64_bind(&c->a, &c->cs[c->ncs - 1].label);
    return true;
}

bool cc_k_if(struct cc *c, const struct wasm_opinfo *oi)
{
    uint32_t np, nr;
    const uint8_t *params, *results;
    cc_side(c);
    blocktype(c, &np, &params, &nr, &results);
    if (c->dead)
        return cc_push_ctl(c, oi->kind, false, false, np, params, nr, results);
    x64_cc cc = cond(c);
    cc_flush(c);                   /* moves only: the flags survive */
    if (!cc_push_ctl(c, WASM_K_IF, true, true, np, params, nr, results))
        return false;
    x64_jcc(&c->a, x64_cc_not(cc), &c->cs[c->ncs - 1].els);
    return true;
}

bool cc_k_else(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    struct ctl *t = &c->cs[c->ncs - 1];
    if (t->live) {
        if (!c->dead) {
            transfer(c, t->nr, t->height);
            x64_jmp(&c->a, &t->label);
        }
        x64_bind(&c->a, &t->els);
    }
    cc_drop(c, c->nvs - t->height);
    t->kind = WASM_K_ELSE;
    c->dead = !t->live;
    if (t->live)
        for (uint32_t k = 0; k < t->np; k++)
            if (!cc_push_mem(c, t->params[k]))
                return false;
    return true;
}

bool cc_k_end(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    return end(c);
}

bool cc_k_br(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    uint32_t x = cc_u32(c);
    const struct wasm_side *s = cc_side(c);
    if (c->dead)
        return true;
    branch(c, x, s->a, s->b);
    set_dead(c);
    return true;
}

bool cc_k_br_if(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    uint32_t x = cc_u32(c);
    const struct wasm_side *s = cc_side(c);
    if (c->dead)
        return true;
    x64_cc cc = cond(c);
    if (x != c->ncs - 1 && !transfer_needed(c, s->a, s->b)) {
        x64_jcc(&c->a, cc, &c->cs[c->ncs - 1 - x].label);
    } else {
        x64_label skip = { 0, 0 };
        x64_jcc(&c->a, x64_cc_not(cc), &skip);
        branch(c, x, s->a, s->b);
        x64_bind(&c->a, &skip);
    }
    return true;
}

bool cc_k_br_table(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    return br_table(c);
}

bool cc_k_return(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    if (c->dead)
        return true;
    cc_return(c);
    set_dead(c);
    return true;
}

bool cc_k_call(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    uint32_t x = cc_u32(c);
    return c->dead || cc_call(c, x);
}

bool cc_k_call_indirect(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    uint32_t x = cc_u32(c);
    uint32_t y = cc_u32(c);
    return c->dead || cc_call_indirect(c, x, y);
}

bool cc_k_drop(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    cc_side(c);
    if (!c->dead)
        cc_drop(c, 1);
    return true;
}

/* select of v128 values: no cmov for xmm registers, a branch. */
static bool select_v128(struct cc *c)
{
    int rc = cc_in_reg(c, 0);
    int xa = cc_in_xmm(c, 2);
    int xb = cc_vsrc(c, 1, 0);
    x64_label keep = { 0, 0 };
    x64_test_rr(&c->a, X64_S32, rc, rc);
    x64_jcc(&c->a, X64_NE, &keep);
    x64_sse_rr(&c->a, x64_op_movaps, xa, xb);
    x64_bind(&c->a, &keep);
    return cc_xresult(c, 3, WASM_V128, xa);
}

/* select and select t. */
bool cc_k_select(struct cc *c, const struct wasm_opinfo *oi)
{
    x64_asm *a = &c->a;
    if (oi->kind == WASM_K_SELECT_T)
        c->p += cc_u32(c);
    const struct wasm_side *s = cc_side(c);
    if (c->dead)
        return true;
    uint8_t ty = (uint8_t)s->a;
    if (ty == WASM_V128)
        return select_v128(c);
    x64_sz sz = cc_sz(ty);
    int rc = cc_in_reg(c, 0);
    int ra = cc_own(c, 2);
    struct val *b = cc_top(c, 1);
    x64_test_rr(a, X64_S32, rc, rc);
    if (b->kind == V_REG)
        x64_cmov_rr(a, X64_E, sz, ra, b->reg);
    else if (b->kind == V_LOCAL && cc_pinned(c, b->local) >= 0)
        x64_cmov_rr(a, X64_E, sz, ra, cc_pinned(c, b->local));
    else if (b->kind == V_LOCAL && cc_local_mem(c, b->local))
        x64_cmov_rm(a, X64_E, sz, ra, cc_local(c, b->local));
    else if (b->kind == V_MEM)
        x64_cmov_rm(a, X64_E, sz, ra, cc_slot(c, c->nvs - 2));
    else {
        cc_load(c, b, SCRATCH);
        x64_cmov_rr(a, X64_E, sz, ra, SCRATCH);
    }
    cc_top(c, 2)->kind = V_CONST;    /* ra is the result's now */
    cc_drop(c, 3);
    return cc_push_reg(c, ty, ra);
}
