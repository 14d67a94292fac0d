/* validate_instr.c: the full rule of every kind of instruction.
 *
 * wasm_step() reads one instruction and checks it as the specification says:
 * the fixed operands from its opcodes.def row are popped first, then the
 * kind's own immediates and rules apply, then its result is pushed. The
 * fast path in validate_func.c sends here everything it does not handle,
 * and every error, so the messages are all made here.
 */
#include "../core/libc.h"
#include "validate.h"

static bool rd_blocktype(V *v, const uint8_t **params, uint32_t *np,
                         const uint8_t **results, uint32_t *nr)
{
    struct dec *d = v->d;
    if (d->p >= d->end)
        return wasm_dec_eof(d);
    uint8_t b = *d->p;
    *np = *nr = 0;
    *params = *results = NULL;
    if (b == 0x40) {
        d->p++;
        return true;
    }
    if ((b & 0xc0) == 0x40) {
        /* A single value type: the byte in our copy of the module is the
         * result list itself. */
        uint8_t t;
        TRY(wasm_rd_valtype(d, &t));
        *results = d->p - 1;
        *nr = 1;
        return true;
    }
    const uint8_t *at = d->p;
    int64_t idx;
    TRY(wasm_leb_s33(d, &idx));
    if (idx < 0 || (uint64_t)idx >= d->m->ntypes)
        return wasm_dec_invalid(d, at, "unknown type %u", (uint32_t)idx);
    const struct wasm_functype *ft = &d->m->types[idx];
    *params = ft->params;
    *np = ft->nparams;
    *results = ft->results;
    *nr = ft->nresults;
    return true;
}

static bool memarg(V *v, uint32_t natural)
{
    struct dec *d = v->d;
    uint32_t align, offset;
    const uint8_t *at = d->p;
    TRY(rd_u32(d, &align));
    if (align >= 32)
        return wasm_dec_malformed(d, at, "malformed memop flags");
    TRY(rd_u32(d, &offset));
    if (d->m->nmemories == 0)
        return wasm_dec_invalid(d, v->at, "unknown memory 0");
    if (align > natural)
        return wasm_dec_invalid(d, at, "alignment must not be larger than natural");
    return true;
}

static bool zero_byte(struct dec *d)
{
    uint8_t b;
    TRY(rd_byte(d, &b));
    if (b != 0)
        return wasm_dec_malformed(d, d->p - 1, "zero byte expected");
    return true;
}

static bool need_memory(V *v)
{
    if (v->d->m->nmemories == 0)
        return wasm_dec_invalid(v->d, v->at, "unknown memory 0");
    return true;
}

static bool rd_table(V *v, uint32_t *idx)
{
    const uint8_t *at = v->d->p;
    TRY(rd_u32(v->d, idx));
    if (*idx >= v->d->m->ntables)
        return wasm_dec_invalid(v->d, at, "unknown table %u", *idx);
    return true;
}

static bool rd_elem_seg(V *v, uint32_t *idx)
{
    const uint8_t *at = v->d->p;
    TRY(rd_u32(v->d, idx));
    if (*idx >= v->d->m->nelems)
        return wasm_dec_invalid(v->d, at, "unknown elem segment %u", *idx);
    return true;
}

/* Data segments come after the code, so an index is checked against the
 * data count section; without one, the check waits for the module's end. */
static bool check_data_seg(V *v, const uint8_t *at, uint32_t idx)
{
    struct dec *d = v->d;
    if (!d->m->has_datacount) {
        if (!d->data_use) {
            d->data_use = at;
            d->data_use_func = d->func;
            d->data_use_idx = idx;
        }
        return true;
    }
    if (idx >= d->m->datacount)
        return wasm_dec_invalid(d, at, "unknown data segment %u", idx);
    return true;
}

static bool rd_lane(V *v, uint32_t lanes)
{
    uint8_t lane;
    TRY(rd_byte(v->d, &lane));
    if (lane >= lanes)
        return wasm_dec_invalid(v->d, v->d->p - 1, "invalid lane index");
    return true;
}

static bool call_type(V *v, const struct wasm_functype *ft)
{
    TRY(wasm_pop_vals(v, ft->params, ft->nparams));
    return wasm_push_vals(v, ft->results, ft->nresults);
}

/* The per-kind work of one instruction; its fixed operands are already
 * popped. Returns false on error. */
static bool check_instr(V *v, const struct wasm_opinfo *oi)
{
    struct dec *d = v->d;
    struct wasm_module *m = d->m;
    const uint8_t *at = d->p;
    const uint8_t *params, *results;
    uint32_t np, nr, idx, idx2, side;
    struct ctrl *c = NULL;
    uint8_t t = 0, t2 = 0;

    switch (oi->kind) {
    case WASM_K_SIMPLE:
    case WASM_K_NOP:
        return true;
    case WASM_K_MEM:
        return memarg(v, oi->arg);
    case WASM_K_MEM_LANE:
        TRY(memarg(v, oi->arg));
        return rd_lane(v, 16u >> oi->arg);
    case WASM_K_LANE:
        return rd_lane(v, oi->arg);
    case WASM_K_SHUFFLE:
        for (int i = 0; i < 16; i++)
            TRY(rd_lane(v, 32));
        return true;
    case WASM_K_I32_CONST: {
        int32_t x;
        return wasm_leb_s32(d, &x);
    }
    case WASM_K_I64_CONST: {
        int64_t x;
        return wasm_leb_s64(d, &x);
    }
    case WASM_K_F32_CONST:
        return rd_bytes(d, 4, &at);
    case WASM_K_F64_CONST:
        return rd_bytes(d, 8, &at);
    case WASM_K_V128_CONST:
        return rd_bytes(d, 16, &at);

    case WASM_K_UNREACHABLE:
        wasm_set_unreachable(v);
        return true;
    case WASM_K_BLOCK:
    case WASM_K_LOOP:
    case WASM_K_IF:
        TRY(rd_blocktype(v, &params, &np, &results, &nr));
        TRY(wasm_pop_vals(v, params, np));
        TRY(wasm_side_add(v, 0, 0, 0, &side));
        return wasm_push_ctrl(v, oi->kind, params, np, results, nr, side);
    case WASM_K_ELSE:
        c = top(v);
        if (c->kind != WASM_K_IF)
            return wasm_dec_malformed(d, v->at, "END opcode expected");   /* else outside an if: the enclosing block lacks its end */
        TRY(wasm_close_frame(v));
        v->vs->side[c->side].b = (uint32_t)(v->at - v->code);
        c->kind = WASM_K_ELSE;
        c->unreachable = false;
        return wasm_push_vals(v, c->params, c->nparams);
    case WASM_K_END:
        c = top(v);
        if (c->kind == WASM_K_IF &&
            (c->nparams != c->nresults ||
             (c->nparams && memcmp(c->params, c->results, c->nparams))))
            return wasm_dec_invalid(d, v->at, "type mismatch: if without else");
        TRY(wasm_close_frame(v));
        if (c->side != WASM_NONE)
            v->vs->side[c->side].a = (uint32_t)(v->at - v->code);
        v->nctrls--;
        if (v->nctrls)
            TRY(wasm_push_vals(v, c->results, c->nresults));
        return true;
    case WASM_K_BR:
        TRY(rd_u32(d, &idx));
        TRY(wasm_label_of(v, idx, &c));
        TRY(wasm_pop_vals(v, label_types(c), label_arity(c)));
        TRY(wasm_branch(v, c));
        wasm_set_unreachable(v);
        return true;
    case WASM_K_BR_IF:
        TRY(rd_u32(d, &idx));
        TRY(wasm_label_of(v, idx, &c));
        TRY(wasm_pop_vals(v, label_types(c), label_arity(c)));
        TRY(wasm_branch(v, c));
        return wasm_push_vals(v, label_types(c), label_arity(c));
    case WASM_K_BR_TABLE: {
        uint32_t n, head;
        TRY(wasm_rd_len(d, &n));
        if (n >= d->lim->br_table)
            return wasm_dec_invalid(d, at, "br_table larger than the limit");
        TRY(wasm_side_add(v, 0, n + 1, 0, &head));
        /* Read every depth first: all are checked against the default's
         * arity, which comes last. */
        for (uint32_t i = 0; i <= n; i++) {
            TRY(rd_u32(d, &idx));
            TRY(wasm_side_add(v, idx, 0, 0, NULL));
        }
        TRY(wasm_label_of(v, v->vs->side[head + n + 1].a, &c));
        uint32_t arity = label_arity(c);
        for (uint32_t i = 0; i <= n; i++) {
            struct wasm_side *s = &v->vs->side[head + 1 + i];
            struct ctrl *t = NULL;
            TRY(wasm_label_of(v, s->a, &t));
            if (label_arity(t) != arity)
                return wasm_dec_invalid(d, v->at, "type mismatch: br_table arity");
            TRY(wasm_check_top(v, label_types(t), arity));
            s->a = arity;
            s->b = t->height;
            s->c = t->side;
            if (t->side != WASM_NONE)
                v->vs->side[t->side].c++;
        }
        v->vs->side[head].a = arity;
        TRY(wasm_pop_vals(v, label_types(c), arity));
        wasm_set_unreachable(v);
        return true;
    }
    case WASM_K_RETURN:
        c = &v->vs->ctrls[0];
        TRY(wasm_pop_vals(v, c->results, c->nresults));
        wasm_set_unreachable(v);
        return true;
    case WASM_K_CALL:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nfuncs)
            return wasm_dec_invalid(d, at, "unknown function %u", idx);
        return call_type(v, &m->types[m->funcs[idx].type]);
    case WASM_K_CALL_INDIRECT:
        TRY(rd_u32(d, &idx));
        if (idx >= m->ntypes)
            return wasm_dec_invalid(d, at, "unknown type %u", idx);
        TRY(rd_table(v, &idx2));
        if (m->tables[idx2].elem != WASM_FUNCREF)
            return wasm_dec_invalid(d, at, "type mismatch: call_indirect on a table of externref");
        return call_type(v, &m->types[idx]);

    case WASM_K_DROP:
        TRY(pop_any(v, &t));
        return wasm_side_add(v, t, 0, 0, NULL);
    case WASM_K_SELECT:
        TRY(pop(v, WASM_I32));
        TRY(pop_any(v, &t));
        TRY(pop_any(v, &t2));
        if ((t && !is_numvec(t)) || (t2 && !is_numvec(t2)))
            return wasm_dec_invalid(d, v->at, "type mismatch: select needs a type for references");
        if (t && t2 && t != t2)
            return wasm_mismatch(v, t2, t);
        if (!t)
            t = t2;
        TRY(wasm_side_add(v, t, 0, 0, NULL));
        return push(v, t);
    case WASM_K_SELECT_T:
        TRY(wasm_rd_len(d, &np));
        if (np != 1)
            return wasm_dec_invalid(d, at, "invalid result arity");
        TRY(wasm_rd_valtype(d, &t));
        TRY(pop(v, WASM_I32));
        TRY(pop(v, t));
        TRY(pop(v, t));
        TRY(wasm_side_add(v, t, 0, 0, NULL));
        return push(v, t);

    case WASM_K_LOCAL_GET:
    case WASM_K_LOCAL_SET:
    case WASM_K_LOCAL_TEE:
        TRY(rd_u32(d, &idx));
        if (idx >= d->vs_nlocals)
            return wasm_dec_invalid(d, at, "unknown local %u", idx);
        t = v->vs->locals[idx];
        v->vs->weight[idx] += top(v)->weight;
        if (oi->kind != WASM_K_LOCAL_GET)
            TRY(pop(v, t));
        if (oi->kind != WASM_K_LOCAL_SET)
            TRY(push(v, t));
        return true;
    case WASM_K_GLOBAL_GET:
    case WASM_K_GLOBAL_SET:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nglobals)
            return wasm_dec_invalid(d, at, "unknown global %u", idx);
        if (oi->kind == WASM_K_GLOBAL_GET)
            return push(v, m->globals[idx].type);
        if (!m->globals[idx].mut)
            return wasm_dec_invalid(d, at, "global is immutable");
        return pop(v, m->globals[idx].type);

    case WASM_K_TABLE_GET:
        TRY(rd_table(v, &idx));
        return push(v, m->tables[idx].elem);
    case WASM_K_TABLE_SET:
        TRY(rd_table(v, &idx));
        TRY(pop(v, m->tables[idx].elem));
        return pop(v, WASM_I32);
    case WASM_K_TABLE_SIZE:
        return rd_table(v, &idx);
    case WASM_K_TABLE_GROW:
        TRY(rd_table(v, &idx));
        return pop(v, m->tables[idx].elem);
    case WASM_K_TABLE_FILL:
        TRY(rd_table(v, &idx));
        TRY(pop(v, WASM_I32));
        TRY(pop(v, m->tables[idx].elem));
        return pop(v, WASM_I32);
    case WASM_K_TABLE_COPY:
        TRY(rd_table(v, &idx));
        TRY(rd_table(v, &idx2));
        if (m->tables[idx].elem != m->tables[idx2].elem)
            return wasm_dec_invalid(d, at, "type mismatch: table.copy between types");
        return true;
    case WASM_K_TABLE_INIT:
        /* elem then table in the binary; table checked first, as the
         * reference interpreter does. */
        TRY(rd_u32(d, &idx2));
        TRY(rd_table(v, &idx));
        if (idx2 >= m->nelems)
            return wasm_dec_invalid(d, at, "unknown elem segment %u", idx2);
        if (m->tables[idx].elem != m->elems[idx2].type)
            return wasm_dec_invalid(d, at, "type mismatch: table.init between types");
        return true;
    case WASM_K_ELEM_DROP:
        return rd_elem_seg(v, &idx);

    case WASM_K_MEMORY_SIZE:
    case WASM_K_MEMORY_GROW:
    case WASM_K_MEMORY_FILL:
        TRY(zero_byte(d));
        return need_memory(v);
    case WASM_K_MEMORY_COPY:
        TRY(zero_byte(d));
        TRY(zero_byte(d));
        return need_memory(v);
    case WASM_K_MEMORY_INIT:
        TRY(rd_u32(d, &idx));
        TRY(zero_byte(d));
        TRY(need_memory(v));
        return check_data_seg(v, at, idx);
    case WASM_K_DATA_DROP:
        TRY(rd_u32(d, &idx));
        return check_data_seg(v, at, idx);

    case WASM_K_REF_NULL:
        TRY(wasm_rd_reftype(d, &t));
        return push(v, t);
    case WASM_K_REF_IS_NULL:
        TRY(pop_any(v, &t));
        if (t && !is_ref(t))
            return wasm_dec_invalid(d, v->at, "type mismatch: ref.is_null on %s",
                               wasm_valtype_name(t));
        return push(v, WASM_I32);
    case WASM_K_REF_FUNC:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nfuncs)
            return wasm_dec_invalid(d, at, "unknown function %u", idx);
        if (!bit_get(d->declared, idx))
            return wasm_dec_invalid(d, at, "undeclared function reference");
        return push(v, WASM_FUNCREF);
    }
    return wasm_dec_malformed(d, v->at, "illegal opcode");
}

/* Reads and checks one instruction with the full rules. */
bool wasm_step(V *v)
{
    struct dec *d = v->d;
    if (d->p >= d->end)
        return wasm_dec_eof(d);
    v->at = d->insn = d->p;
    uint8_t b = *d->p++;
    const struct wasm_opinfo *oi = &wasm_ops_base[b];
    if (!oi->kind || b >= 0xfc)
        TRY(wasm_rd_opinfo(d, b, &oi));
    for (uint32_t i = oi->npop; i--;)
        TRY(pop(v, oi->pop[i]));
    TRY(check_instr(v, oi));
    if (oi->push)
        TRY(push(v, oi->push));
    return true;
}

