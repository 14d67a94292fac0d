/* validate_func.c: checks one function body and builds its side table.
 *
 * The algorithm is the specification's (its appendix, "Validation
 * Algorithm"): an operand stack of value types, where 0 stands for an
 * unknown type in unreachable code, and a control stack of frames. One
 * pass reads and checks each instruction; the side entries a single-pass
 * compiler wants (module.h, struct wasm_side) are recorded on the way.
 *
 * The instruction's row in opcodes.def gives its fixed operands: they are
 * popped before the kind-specific work and its result pushed after it.
 */
#include "decode.h"
#include "host.h"
#include "libc.h"

struct ctrl {
    uint8_t kind;              /* WASM_K_BLOCK, LOOP, IF or ELSE */
    bool unreachable;          /* rest of the frame is dead code */
    uint32_t height;           /* operand-stack height below the frame */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t side;             /* side entry of the opener; WASM_NONE: body */
};

/* The operand stack has this many readable bytes below its bottom, so the
 * fast path can load the top four types at once even when fewer are on
 * the stack (the mask then ignores the extra bytes). */
#define VALS_HEADROOM 4

/* Scratch arrays, kept across the bodies of one module. */
struct vstate {
    uint8_t *vals;
    uint32_t cap_vals;
    struct ctrl *ctrls;
    uint32_t cap_ctrls;
    struct wasm_side *side;
    uint32_t cap_side;
    uint8_t *locals;
    uint32_t cap_locals;
};

typedef struct {
    struct dec *d;
    struct vstate *vs;
    uint32_t nvals, nctrls, nside;
    uint32_t max_vals, max_ctrls;
    const uint8_t *code;       /* first instruction: pcs count from here */
    const uint8_t *at;         /* the instruction being checked */
} V;

void vstate_free(struct vstate *vs)
{
    if (!vs)
        return;
    if (vs->vals)
        wasm_host_free(vs->vals - VALS_HEADROOM, vs->cap_vals + VALS_HEADROOM);
    wasm_host_free(vs->ctrls, vs->cap_ctrls * sizeof *vs->ctrls);
    wasm_host_free(vs->side, vs->cap_side * sizeof *vs->side);
    wasm_host_free(vs->locals, vs->cap_locals);
    wasm_host_free(vs, sizeof *vs);
}

/* Grows a scratch array to hold at least `need` elements of `elem` bytes. */
static bool grow(V *v, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    uint32_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *p = wasm_host_alloc((size_t)n * elem);
    if (!p)
        return dec_invalid(v->d, v->at, "out of memory");
    if (*cap)
        memcpy(p, *arr, (size_t)*cap * elem);
    wasm_host_free(*arr, (size_t)*cap * elem);
    *arr = p;
    *cap = n;
    return true;
}

const char *valtype_name(uint8_t t)
{
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "nothing";
    }
}

static bool mismatch(V *v, uint8_t want, uint8_t got)
{
    return dec_invalid(v->d, v->at, "type mismatch: expected %s, got %s",
                       valtype_name(want), valtype_name(got));
}

static inline struct ctrl *top(V *v)
{
    return &v->vs->ctrls[v->nctrls - 1];
}

static bool grow_vals(V *v)
{
    struct vstate *vs = v->vs;
    /* Capacity never passes the limit, so reaching it is the error. */
    uint32_t limit = v->d->lim->stack;
    if (v->nvals >= limit)
        return dec_invalid(v->d, v->at, "operand stack deeper than the limit");
    uint32_t n = vs->cap_vals ? vs->cap_vals * 2 : 256;
    if (n > limit)
        n = limit;
    uint8_t *p = wasm_host_alloc((size_t)n + VALS_HEADROOM);
    if (!p)
        return dec_invalid(v->d, v->at, "out of memory");
    memset(p, 0, VALS_HEADROOM);
    if (vs->vals) {
        memcpy(p + VALS_HEADROOM, vs->vals, vs->cap_vals);
        wasm_host_free(vs->vals - VALS_HEADROOM, vs->cap_vals + VALS_HEADROOM);
    }
    vs->vals = p + VALS_HEADROOM;
    vs->cap_vals = n;
    return true;
}

static inline bool push(V *v, uint8_t t)
{
    if (v->nvals == v->vs->cap_vals)
        TRY(grow_vals(v));
    v->vs->vals[v->nvals++] = t;
    if (v->nvals > v->max_vals)
        v->max_vals = v->nvals;
    return true;
}

static inline bool pop_any(V *v, uint8_t *t)
{
    struct ctrl *c = top(v);
    if (v->nvals == c->height) {
        if (c->unreachable) {
            *t = 0;
            return true;
        }
        return dec_invalid(v->d, v->at, "type mismatch: operand stack empty");
    }
    *t = v->vs->vals[--v->nvals];
    return true;
}

static inline bool pop(V *v, uint8_t want)
{
    struct ctrl *c = top(v);
    if (v->nvals > c->height) {
        uint8_t t = v->vs->vals[--v->nvals];
        if (t != want && t && want)
            return mismatch(v, want, t);
        return true;
    }
    if (c->unreachable)
        return true;
    return mismatch(v, want, 0);
}

static bool pop_vals(V *v, const uint8_t *ts, uint32_t n)
{
    while (n--)
        TRY(pop(v, ts[n]));
    return true;
}

static bool push_vals(V *v, const uint8_t *ts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        TRY(push(v, ts[i]));
    return true;
}

/* Are the top n operands of types ts, without popping them? */
static bool check_top(V *v, const uint8_t *ts, uint32_t n)
{
    struct ctrl *c = top(v);
    uint32_t avail = v->nvals - c->height;
    for (uint32_t j = 0; j < n; j++) {
        uint8_t want = ts[n - 1 - j];
        if (j >= avail) {
            if (c->unreachable)
                return true;
            return mismatch(v, want, 0);
        }
        uint8_t t = v->vs->vals[v->nvals - 1 - j];
        if (t != want && t && want)
            return mismatch(v, want, t);
    }
    return true;
}

static void set_unreachable(V *v)
{
    struct ctrl *c = top(v);
    v->nvals = c->height;
    c->unreachable = true;
}

static bool push_ctrl(V *v, uint8_t kind, const uint8_t *params, uint32_t np,
                      const uint8_t *results, uint32_t nr, uint32_t side)
{
    if (v->nctrls >= v->d->lim->depth)
        return dec_invalid(v->d, v->at, "blocks nested deeper than the limit");
    if (v->nctrls == v->vs->cap_ctrls) {
        TRY(grow(v, (void **)&v->vs->ctrls, &v->vs->cap_ctrls, v->nctrls + 1,
                 sizeof(struct ctrl)));
    }
    struct ctrl *c = &v->vs->ctrls[v->nctrls++];
    c->kind = kind;
    c->unreachable = false;
    c->height = v->nvals;
    c->nparams = np;
    c->params = params;
    c->nresults = nr;
    c->results = results;
    c->side = side;
    if (v->nctrls > v->max_ctrls)
        v->max_ctrls = v->nctrls;
    return push_vals(v, params, np);
}

/* Checks the frame's results are on the stack and nothing else. */
static bool close_frame(V *v)
{
    struct ctrl *c = top(v);
    TRY(pop_vals(v, c->results, c->nresults));
    if (v->nvals != c->height)
        return dec_invalid(v->d, v->at, "type mismatch: %u values left in block",
                           v->nvals - c->height);
    return true;
}

static bool side_add(V *v, uint32_t a, uint32_t b, uint32_t c, uint32_t *idx)
{
    if (v->nside == v->vs->cap_side)
        TRY(grow(v, (void **)&v->vs->side, &v->vs->cap_side, v->nside + 1,
                 sizeof(struct wasm_side)));
    struct wasm_side *s = &v->vs->side[v->nside];
    s->pc = (uint32_t)(v->at - v->code);
    s->a = a;
    s->b = b;
    s->c = c;
    if (idx)
        *idx = v->nside;
    v->nside++;
    return true;
}

static inline bool label_of(V *v, uint32_t depth, struct ctrl **out)
{
    if (depth >= v->nctrls)
        return dec_invalid(v->d, v->at, "unknown label %u", depth);
    *out = &v->vs->ctrls[v->nctrls - 1 - depth];
    return true;
}

static inline uint32_t label_arity(const struct ctrl *c)
{
    return c->kind == WASM_K_LOOP ? c->nparams : c->nresults;
}

static inline const uint8_t *label_types(const struct ctrl *c)
{
    return c->kind == WASM_K_LOOP ? c->params : c->results;
}

/* Records a branch to frame t: its side entry, and one more use of it. */
static bool branch(V *v, struct ctrl *t)
{
    TRY(side_add(v, label_arity(t), t->height, t->side, NULL));
    if (t->side != WASM_NONE)
        v->vs->side[t->side].c++;
    return true;
}

static bool rd_blocktype(V *v, const uint8_t **params, uint32_t *np,
                         const uint8_t **results, uint32_t *nr)
{
    struct dec *d = v->d;
    if (d->p >= d->end)
        return dec_eof(d);
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
        TRY(rd_valtype(d, &t));
        *results = d->p - 1;
        *nr = 1;
        return true;
    }
    const uint8_t *at = d->p;
    int64_t idx;
    TRY(leb_s33(d, &idx));
    if (idx < 0 || (uint64_t)idx >= d->m->ntypes)
        return dec_invalid(d, at, "unknown type %u", (uint32_t)idx);
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
        return dec_malformed(d, at, "malformed memop flags");
    TRY(rd_u32(d, &offset));
    if (d->m->nmemories == 0)
        return dec_invalid(d, v->at, "unknown memory 0");
    if (align > natural)
        return dec_invalid(d, at, "alignment must not be larger than natural");
    return true;
}

static bool zero_byte(struct dec *d)
{
    uint8_t b;
    TRY(rd_byte(d, &b));
    if (b != 0)
        return dec_malformed(d, d->p - 1, "zero byte expected");
    return true;
}

static bool need_memory(V *v)
{
    if (v->d->m->nmemories == 0)
        return dec_invalid(v->d, v->at, "unknown memory 0");
    return true;
}

static bool rd_table(V *v, uint32_t *idx)
{
    const uint8_t *at = v->d->p;
    TRY(rd_u32(v->d, idx));
    if (*idx >= v->d->m->ntables)
        return dec_invalid(v->d, at, "unknown table %u", *idx);
    return true;
}

static bool rd_elem_seg(V *v, uint32_t *idx)
{
    const uint8_t *at = v->d->p;
    TRY(rd_u32(v->d, idx));
    if (*idx >= v->d->m->nelems)
        return dec_invalid(v->d, at, "unknown elem segment %u", *idx);
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
        return dec_invalid(d, at, "unknown data segment %u", idx);
    return true;
}

static bool rd_lane(V *v, uint32_t lanes)
{
    uint8_t lane;
    TRY(rd_byte(v->d, &lane));
    if (lane >= lanes)
        return dec_invalid(v->d, v->d->p - 1, "invalid lane index");
    return true;
}

static bool call_type(V *v, const struct wasm_functype *ft)
{
    TRY(pop_vals(v, ft->params, ft->nparams));
    return push_vals(v, ft->results, ft->nresults);
}

bool rd_opinfo(struct dec *d, uint8_t b, const struct wasm_opinfo **out)
{
    const uint8_t *at = d->p - 1;
    const struct wasm_opinfo *oi = &wasm_ops_base[b];
    if (b == 0xfc || b == 0xfd) {
        uint32_t code;
        TRY(rd_u32(d, &code));
        if (b == 0xfc)
            oi = code < WASM_FC_CODES ? &wasm_ops_fc[code] : NULL;
        else
            oi = code < 256 ? &wasm_ops_fd[code] : NULL;
        if (!oi || !oi->kind)
            return dec_malformed(d, at, "illegal opcode %02x %x", b, code);
    } else if (!oi->kind) {
        return dec_malformed(d, at, "illegal opcode %02x", b);
    }
    *out = oi;
    return true;
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
        return leb_s32(d, &x);
    }
    case WASM_K_I64_CONST: {
        int64_t x;
        return leb_s64(d, &x);
    }
    case WASM_K_F32_CONST:
        return rd_bytes(d, 4, &at);
    case WASM_K_F64_CONST:
        return rd_bytes(d, 8, &at);
    case WASM_K_V128_CONST:
        return rd_bytes(d, 16, &at);

    case WASM_K_UNREACHABLE:
        set_unreachable(v);
        return true;
    case WASM_K_BLOCK:
    case WASM_K_LOOP:
    case WASM_K_IF:
        TRY(rd_blocktype(v, &params, &np, &results, &nr));
        TRY(pop_vals(v, params, np));
        TRY(side_add(v, 0, 0, 0, &side));
        return push_ctrl(v, oi->kind, params, np, results, nr, side);
    case WASM_K_ELSE:
        c = top(v);
        if (c->kind != WASM_K_IF)
            return dec_malformed(d, v->at, "END opcode expected");   /* else outside an if: the enclosing block lacks its end */
        TRY(close_frame(v));
        v->vs->side[c->side].b = (uint32_t)(v->at - v->code);
        c->kind = WASM_K_ELSE;
        c->unreachable = false;
        return push_vals(v, c->params, c->nparams);
    case WASM_K_END:
        c = top(v);
        if (c->kind == WASM_K_IF &&
            (c->nparams != c->nresults ||
             (c->nparams && memcmp(c->params, c->results, c->nparams))))
            return dec_invalid(d, v->at, "type mismatch: if without else");
        TRY(close_frame(v));
        if (c->side != WASM_NONE)
            v->vs->side[c->side].a = (uint32_t)(v->at - v->code);
        v->nctrls--;
        if (v->nctrls)
            TRY(push_vals(v, c->results, c->nresults));
        return true;
    case WASM_K_BR:
        TRY(rd_u32(d, &idx));
        TRY(label_of(v, idx, &c));
        TRY(pop_vals(v, label_types(c), label_arity(c)));
        TRY(branch(v, c));
        set_unreachable(v);
        return true;
    case WASM_K_BR_IF:
        TRY(rd_u32(d, &idx));
        TRY(label_of(v, idx, &c));
        TRY(pop_vals(v, label_types(c), label_arity(c)));
        TRY(branch(v, c));
        return push_vals(v, label_types(c), label_arity(c));
    case WASM_K_BR_TABLE: {
        uint32_t n, head;
        TRY(rd_len(d, &n));
        if (n >= d->lim->br_table)
            return dec_invalid(d, at, "br_table larger than the limit");
        TRY(side_add(v, 0, n + 1, 0, &head));
        /* Read every depth first: all are checked against the default's
         * arity, which comes last. */
        for (uint32_t i = 0; i <= n; i++) {
            TRY(rd_u32(d, &idx));
            TRY(side_add(v, idx, 0, 0, NULL));
        }
        TRY(label_of(v, v->vs->side[head + n + 1].a, &c));
        uint32_t arity = label_arity(c);
        for (uint32_t i = 0; i <= n; i++) {
            struct wasm_side *s = &v->vs->side[head + 1 + i];
            struct ctrl *t = NULL;
            TRY(label_of(v, s->a, &t));
            if (label_arity(t) != arity)
                return dec_invalid(d, v->at, "type mismatch: br_table arity");
            TRY(check_top(v, label_types(t), arity));
            s->a = arity;
            s->b = t->height;
            s->c = t->side;
            if (t->side != WASM_NONE)
                v->vs->side[t->side].c++;
        }
        v->vs->side[head].a = arity;
        TRY(pop_vals(v, label_types(c), arity));
        set_unreachable(v);
        return true;
    }
    case WASM_K_RETURN:
        c = &v->vs->ctrls[0];
        TRY(pop_vals(v, c->results, c->nresults));
        set_unreachable(v);
        return true;
    case WASM_K_CALL:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nfuncs)
            return dec_invalid(d, at, "unknown function %u", idx);
        return call_type(v, &m->types[m->funcs[idx].type]);
    case WASM_K_CALL_INDIRECT:
        TRY(rd_u32(d, &idx));
        if (idx >= m->ntypes)
            return dec_invalid(d, at, "unknown type %u", idx);
        TRY(rd_table(v, &idx2));
        if (m->tables[idx2].elem != WASM_FUNCREF)
            return dec_invalid(d, at, "type mismatch: call_indirect on a table of externref");
        return call_type(v, &m->types[idx]);

    case WASM_K_DROP:
        TRY(pop_any(v, &t));
        return side_add(v, t, 0, 0, NULL);
    case WASM_K_SELECT:
        TRY(pop(v, WASM_I32));
        TRY(pop_any(v, &t));
        TRY(pop_any(v, &t2));
        if ((t && !is_numvec(t)) || (t2 && !is_numvec(t2)))
            return dec_invalid(d, v->at, "type mismatch: select needs a type for references");
        if (t && t2 && t != t2)
            return mismatch(v, t2, t);
        if (!t)
            t = t2;
        TRY(side_add(v, t, 0, 0, NULL));
        return push(v, t);
    case WASM_K_SELECT_T:
        TRY(rd_len(d, &np));
        if (np != 1)
            return dec_invalid(d, at, "invalid result arity");
        TRY(rd_valtype(d, &t));
        TRY(pop(v, WASM_I32));
        TRY(pop(v, t));
        TRY(pop(v, t));
        TRY(side_add(v, t, 0, 0, NULL));
        return push(v, t);

    case WASM_K_LOCAL_GET:
    case WASM_K_LOCAL_SET:
    case WASM_K_LOCAL_TEE:
        TRY(rd_u32(d, &idx));
        if (idx >= d->vs_nlocals)
            return dec_invalid(d, at, "unknown local %u", idx);
        t = v->vs->locals[idx];
        if (oi->kind != WASM_K_LOCAL_GET)
            TRY(pop(v, t));
        if (oi->kind != WASM_K_LOCAL_SET)
            TRY(push(v, t));
        return true;
    case WASM_K_GLOBAL_GET:
    case WASM_K_GLOBAL_SET:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nglobals)
            return dec_invalid(d, at, "unknown global %u", idx);
        if (oi->kind == WASM_K_GLOBAL_GET)
            return push(v, m->globals[idx].type);
        if (!m->globals[idx].mut)
            return dec_invalid(d, at, "global is immutable");
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
            return dec_invalid(d, at, "type mismatch: table.copy between types");
        return true;
    case WASM_K_TABLE_INIT:
        /* elem then table in the binary; table checked first, as the
         * reference interpreter does. */
        TRY(rd_u32(d, &idx2));
        TRY(rd_table(v, &idx));
        if (idx2 >= m->nelems)
            return dec_invalid(d, at, "unknown elem segment %u", idx2);
        if (m->tables[idx].elem != m->elems[idx2].type)
            return dec_invalid(d, at, "type mismatch: table.init between types");
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
        TRY(rd_reftype(d, &t));
        return push(v, t);
    case WASM_K_REF_IS_NULL:
        TRY(pop_any(v, &t));
        if (t && !is_ref(t))
            return dec_invalid(d, v->at, "type mismatch: ref.is_null on %s",
                               valtype_name(t));
        return push(v, WASM_I32);
    case WASM_K_REF_FUNC:
        TRY(rd_u32(d, &idx));
        if (idx >= m->nfuncs)
            return dec_invalid(d, at, "unknown function %u", idx);
        if (!bit_get(d->declared, idx))
            return dec_invalid(d, at, "undeclared function reference");
        return push(v, WASM_FUNCREF);
    }
    return dec_malformed(d, v->at, "illegal opcode");
}

/* Equal type lists? Short lists: a loop beats a call to memcmp. */
static inline bool types_eq(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* A LEB128 u32 of at most 4 bytes (28 bits: no range check needed) at p,
 * which has at least 4 readable bytes. Returns its length, or 0 for
 * anything longer, which the careful path then reads. */
static inline uint32_t uleb_short(const uint8_t *p, uint32_t *out)
{
    if (p[0] < 0x80) {
        *out = p[0];
        return 1;
    }
    if (p[1] < 0x80) {
        *out = (p[0] & 0x7fu) | (uint32_t)p[1] << 7;
        return 2;
    }
    if (p[2] < 0x80) {
        *out = (p[0] & 0x7fu) | (p[1] & 0x7fu) << 7 | (uint32_t)p[2] << 14;
        return 3;
    }
    if (p[3] < 0x80) {
        *out = (p[0] & 0x7fu) | (p[1] & 0x7fu) << 7 | (p[2] & 0x7fu) << 14 |
               (uint32_t)p[3] << 21;
        return 4;
    }
    return 0;
}

/* The length of a LEB128 number of at most 4 bytes at p (4 readable), 0
 * if longer; without branches, since lengths of constants and offsets
 * vary too much to predict. */
static inline uint32_t leb_len4(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    uint32_t ends = ~w & 0x80808080u;   /* bytes without a continuation bit */
    if (!ends)
        return 0;
    return ((uint32_t)__builtin_ctz(ends) >> 3) + 1;
}

/* Reads and checks one instruction with the full rules. */
static bool step(V *v)
{
    struct dec *d = v->d;
    if (d->p >= d->end)
        return dec_eof(d);
    v->at = d->insn = d->p;
    uint8_t b = *d->p++;
    const struct wasm_opinfo *oi = &wasm_ops_base[b];
    if (!oi->kind || b >= 0xfc)
        TRY(rd_opinfo(d, b, &oi));
    for (uint32_t i = oi->npop; i--;)
        TRY(pop(v, oi->pop[i]));
    TRY(check_instr(v, oi));
    if (oi->push)
        TRY(push(v, oi->push));
    return true;
}

/* Expands the local runs of f into the scratch array. */
static bool load_locals(V *v, const struct wasm_func *f)
{
    struct vstate *vs = v->vs;
    if (f->nlocals > vs->cap_locals)
        TRY(grow(v, (void **)&vs->locals, &vs->cap_locals, f->nlocals, 1));
    for (uint32_t i = 0; i < f->nlocal_runs; i++)
        memset(vs->locals + f->locals[i].first, f->locals[i].type,
               f->locals[i].count);
    v->d->vs_nlocals = f->nlocals;
    return true;
}

static bool validate_body(struct dec *d, struct wasm_func *f);

/* Appends " (at <instruction>)" to a body's error, so a report shows what
 * was being checked. */
static void annotate(struct dec *d)
{
    wasm_error *e = d->err;
    const uint8_t *at = d->insn;
    if (e->func != d->func || !at || at >= d->end)
        return;
    char insn[64];
    if (!wasm_disasm(at, d->end, insn, sizeof insn))
        return;
    size_t n = 0;
    while (e->msg[n])
        n++;
    const char *parts[] = { " (at ", insn, ")" };
    for (int k = 0; k < 3; k++)
        for (const char *s = parts[k]; *s && n + 1 < sizeof e->msg; s++)
            e->msg[n++] = *s;
    e->msg[n] = 0;
}

bool validate_func(struct dec *d, struct wasm_func *f)
{
    d->insn = NULL;
    if (validate_body(d, f))
        return true;
    annotate(d);
    return false;
}

static bool validate_body(struct dec *d, struct wasm_func *f)
{
    if (!d->vs) {
        d->vs = wasm_host_alloc(sizeof *d->vs);
        if (!d->vs)
            return dec_invalid(d, d->p, "out of memory");
        memset(d->vs, 0, sizeof *d->vs);
    }
    V v = { .d = d, .vs = d->vs, .code = d->p, .at = d->p };
    const struct wasm_functype *ft = &d->m->types[f->type];
    TRY(load_locals(&v, f));
    TRY(push_ctrl(&v, WASM_K_BLOCK, NULL, 0, ft->results, ft->nresults, WASM_NONE));

    /* The loop keeps the hot state in locals and checks the most common
     * instructions (fixed-signature ones, local access, small constants,
     * loads and stores with one-byte immediates) inline, when their frame
     * is reachable; anything else, and any failure, goes through step(),
     * which has the full rules and the error messages. */
    const uint8_t *p = d->p, *end = d->end;
    struct vstate *vs = d->vs;
    const uint8_t *locals = vs->locals;
    uint32_t nlocals = f->nlocals;
    bool has_memory = d->m->nmemories != 0;
    uint8_t *vals = vs->vals;
    uint32_t nvals = v.nvals, cap = vs->cap_vals, max = v.max_vals;
    struct ctrl *cur = top(&v);
    for (;;) {
        if (end - p < 16)
            goto slow;   /* near the end: let step() read carefully */
        uint8_t b = *p;
        const struct wasm_opinfo *oi = &wasm_ops_base[b];
        if (cur->unreachable || nvals + 16 >= cap)
            goto slow;
        uint32_t avail = nvals - cur->height, x, len;
        uint8_t kind = oi->kind;
        /* An if-chain in order of frequency: measured, it predicts better
         * than a switch's single indirect jump. Each case decides before
         * it changes anything, so `goto slow` can redo the instruction. */
        if (kind == WASM_K_LOCAL_GET) {
            if ((len = uleb_short(p + 1, &x)) == 0 || x >= nlocals)
                goto slow;
            vals[nvals++] = locals[x];
            p += 1 + len;
        } else if (kind == WASM_K_SIMPLE || kind == WASM_K_MEM) {
            uint32_t n = oi->npop;
            len = 1;
            if (kind == WASM_K_MEM) {
                if (!has_memory || p[1] > oi->arg || (len = leb_len4(p + 2)) == 0)
                    goto slow;
                len += 2;
            }
            uint32_t top4;
            memcpy(&top4, vals + nvals - 4, 4);   /* see VALS_HEADROOM */
            if (avail < n || (top4 & oi->pop_mask) != oi->pop_sig)
                goto slow;
            nvals -= n;
            if (oi->push)
                vals[nvals++] = oi->push;
            p += len;
        } else if (kind == WASM_K_I32_CONST || kind == WASM_K_I64_CONST) {
            /* Up to 4 LEB bytes hold 28 bits: always a valid s32 or s64. */
            if ((len = leb_len4(p + 1)) == 0)
                goto slow;
            vals[nvals++] = oi->push;
            p += 1 + len;
        } else if (kind == WASM_K_END) {
            uint32_t n = cur->nresults;
            if (v.nctrls < 2 || (cur->kind == WASM_K_IF && (n || cur->nparams)) ||
                avail != n || !types_eq(vals + cur->height, cur->results, n))
                goto slow;
            /* The results stay where they are, now in the outer frame. */
            vs->side[cur->side].a = (uint32_t)(p - v.code);
            v.nctrls--;
            cur = top(&v);
            p++;
        } else if (kind == WASM_K_LOCAL_SET || kind == WASM_K_LOCAL_TEE) {
            if ((len = uleb_short(p + 1, &x)) == 0 || x >= nlocals || !avail ||
                vals[nvals - 1] != locals[x])
                goto slow;
            if (kind == WASM_K_LOCAL_SET)
                nvals--;
            p += 1 + len;
        } else if (kind == WASM_K_BR_IF) {
            if ((len = uleb_short(p + 1, &x)) == 0 || x >= v.nctrls ||
                v.nside >= vs->cap_side || !avail || vals[nvals - 1] != WASM_I32)
                goto slow;
            struct ctrl *t = &vs->ctrls[v.nctrls - 1 - x];
            uint32_t n = label_arity(t);
            if (avail < n + 1 ||
                !types_eq(vals + nvals - 1 - n, label_types(t), n))
                goto slow;
            nvals--;
            vs->side[v.nside++] = (struct wasm_side){
                (uint32_t)(p - v.code), n, t->height, t->side };
            if (t->side != WASM_NONE)
                vs->side[t->side].c++;
            p += 1 + len;
        } else if (kind == WASM_K_BLOCK || kind == WASM_K_LOOP ||
                   kind == WASM_K_IF) {
            /* Empty or single-value block types only. */
            uint8_t bt = p[1];
            uint32_t need = kind == WASM_K_IF;
            if (v.nside >= vs->cap_side || v.nctrls >= vs->cap_ctrls ||
                v.nctrls >= d->lim->depth ||
                avail < need || (need && vals[nvals - 1] != WASM_I32) ||
                (bt != 0x40 && !is_numvec(bt) && !is_ref(bt)))
                goto slow;
            nvals -= need;
            vs->side[v.nside] = (struct wasm_side){ (uint32_t)(p - v.code), 0, 0, 0 };
            struct ctrl *c = &vs->ctrls[v.nctrls++];
            *c = (struct ctrl){ kind, false, nvals, 0, bt != 0x40, NULL,
                                bt != 0x40 ? p + 1 : NULL, v.nside++ };
            if (v.nctrls > v.max_ctrls)
                v.max_ctrls = v.nctrls;
            cur = c;
            p += 2;
        } else if (kind == WASM_K_CALL) {
            if ((len = uleb_short(p + 1, &x)) == 0 || x >= d->m->nfuncs)
                goto slow;
            const struct wasm_functype *ft = &d->m->types[d->m->funcs[x].type];
            uint32_t n = ft->nparams;
            if (avail < n || ft->nresults > 8 ||
                !types_eq(vals + nvals - n, ft->params, n))
                goto slow;
            nvals -= n;
            memcpy(vals + nvals, ft->results, ft->nresults);
            nvals += ft->nresults;
            p += 1 + len;
        } else {
            goto slow;
        }
        if (nvals > max)
            max = nvals;
        continue;
    slow:
        v.nvals = nvals;
        v.max_vals = max;
        d->p = p;
        TRY(step(&v));
        if (!v.nctrls)
            break;
        p = d->p;
        nvals = v.nvals;
        max = v.max_vals;
        vals = vs->vals;
        cap = vs->cap_vals;
        cur = top(&v);
    }

    f->max_stack = v.max_vals;
    f->max_depth = v.max_ctrls;
    f->nside = v.nside;
    if (v.nside) {
        struct wasm_side *s = arena_alloc(d->m, (size_t)v.nside * sizeof *s);
        if (!s)
            return dec_invalid(d, d->p, "out of memory");
        memcpy(s, d->vs->side, (size_t)v.nside * sizeof *s);
        f->side = s;
    }
    return true;
}
