/* validate_stack.c: the validator's operand and control stacks, and the
 * side table it fills.
 *
 * Operand types are bytes, 0 standing for "unknown" (values of
 * unreachable code, which match anything), as in the specification's
 * validation algorithm. Frames remember where their operands begin and
 * whether the rest of the frame is unreachable.
 */
#include "../host.h"
#include "../core/libc.h"
#include "validate.h"

/* Grows a scratch array to hold at least `need` elements of `elem` bytes. */
bool wasm_vgrow(V *v, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    uint32_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *p = wasm_host_alloc((size_t)n * elem);
    if (!p)
        return wasm_dec_invalid(v->d, v->at, "out of memory");
    if (*cap)
        memcpy(p, *arr, (size_t)*cap * elem);
    wasm_host_free(*arr, (size_t)*cap * elem);
    *arr = p;
    *cap = n;
    return true;
}


bool wasm_mismatch(V *v, uint8_t want, uint8_t got)
{
    return wasm_dec_invalid(v->d, v->at, "type mismatch: expected %s, got %s",
                       wasm_valtype_name(want), wasm_valtype_name(got));
}

bool wasm_grow_vals(V *v)
{
    struct vstate *vs = v->vs;
    /* Capacity never passes the limit, so reaching it is the error. */
    uint32_t limit = v->d->lim->stack;
    if (v->nvals >= limit)
        return wasm_dec_invalid(v->d, v->at, "operand stack deeper than the limit");
    uint32_t n = vs->cap_vals ? vs->cap_vals * 2 : 256;
    if (n > limit)
        n = limit;
    uint8_t *p = wasm_host_alloc((size_t)n + VALS_HEADROOM);
    if (!p)
        return wasm_dec_invalid(v->d, v->at, "out of memory");
    memset(p, 0, VALS_HEADROOM);
    if (vs->vals) {
        memcpy(p + VALS_HEADROOM, vs->vals, vs->cap_vals);
        wasm_host_free(vs->vals - VALS_HEADROOM, vs->cap_vals + VALS_HEADROOM);
    }
    vs->vals = p + VALS_HEADROOM;
    vs->cap_vals = n;
    return true;
}

/* The first operand stack of a module: 256 slots or the limit, and the
 * headroom below, so that vals is never NULL. */
bool wasm_vals_init(V *v)
{
    struct vstate *vs = v->vs;
    uint32_t n = v->d->lim->stack < 256 ? v->d->lim->stack : 256;
    uint8_t *p = wasm_host_alloc((size_t)n + VALS_HEADROOM);
    if (!p)
        return wasm_dec_invalid(v->d, v->at, "out of memory");
    memset(p, 0, VALS_HEADROOM);
    vs->vals = p + VALS_HEADROOM;
    vs->cap_vals = n;
    return true;
}

bool wasm_pop_vals(V *v, const uint8_t *ts, uint32_t n)
{
    while (n--)
        TRY(pop(v, ts[n]));
    return true;
}

bool wasm_push_vals(V *v, const uint8_t *ts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        TRY(push(v, ts[i]));
    return true;
}

/* Are the top n operands of types ts, without popping them? */
bool wasm_check_top(V *v, const uint8_t *ts, uint32_t n)
{
    struct ctrl *c = top(v);
    uint32_t avail = v->nvals - c->height;
    for (uint32_t j = 0; j < n; j++) {
        uint8_t want = ts[n - 1 - j];
        if (j >= avail) {
            if (c->unreachable)
                return true;
            return wasm_mismatch(v, want, 0);
        }
        uint8_t t = v->vs->vals[v->nvals - 1 - j];
        if (t != want && t && want)
            return wasm_mismatch(v, want, t);
    }
    return true;
}

void wasm_set_unreachable(V *v)
{
    struct ctrl *c = top(v);
    v->nvals = c->height;
    c->unreachable = true;
}

bool wasm_push_ctrl(V *v, uint8_t kind, const uint8_t *params, uint32_t np,
                      const uint8_t *results, uint32_t nr, uint32_t side)
{
    if (v->nctrls >= v->d->lim->depth)
        return wasm_dec_invalid(v->d, v->at, "blocks nested deeper than the limit");
    if (v->nctrls == v->vs->cap_ctrls) {
        TRY(wasm_vgrow(v, (void **)&v->vs->ctrls, &v->vs->cap_ctrls, v->nctrls + 1,
                 sizeof(struct ctrl)));
    }
    struct ctrl *c = &v->vs->ctrls[v->nctrls++];
    c->weight = v->nctrls == 1 ? 1 : frame_weight(c[-1].weight, kind, v->nctrls - 2);
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
    return wasm_push_vals(v, params, np);
}

/* Checks the frame's results are on the stack and nothing else. */
bool wasm_close_frame(V *v)
{
    struct ctrl *c = top(v);
    TRY(wasm_pop_vals(v, c->results, c->nresults));
    if (v->nvals != c->height)
        return wasm_dec_invalid(v->d, v->at, "type mismatch: %u values left in block",
                           v->nvals - c->height);
    return true;
}

bool wasm_side_add(V *v, uint32_t a, uint32_t b, uint32_t c, uint32_t *idx)
{
    if (v->nside == v->vs->cap_side)
        TRY(wasm_vgrow(v, (void **)&v->vs->side, &v->vs->cap_side, v->nside + 1,
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

bool wasm_label_of(V *v, uint32_t depth, struct ctrl **out)
{
    if (depth >= v->nctrls)
        return wasm_dec_invalid(v->d, v->at, "unknown label %u", depth);
    *out = &v->vs->ctrls[v->nctrls - 1 - depth];
    return true;
}

/* Records a branch to frame t: its side entry, and one more use of it. */
bool wasm_branch(V *v, struct ctrl *t)
{
    TRY(wasm_side_add(v, label_arity(t), t->height, t->side, NULL));
    if (t->side != WASM_NONE)
        v->vs->side[t->side].c++;
    return true;
}

