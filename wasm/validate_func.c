/* validate_func.c: checks one function body and builds its side table.
 *
 * The algorithm is the specification's (its appendix, "Validation
 * Algorithm"): an operand stack of value types and a control stack of
 * frames (validate_stack.c), one pass over the instructions, the side
 * entries a single-pass compiler wants (module.h, struct wasm_side)
 * recorded on the way. This file drives a body: a fast path checks the
 * most frequent instructions inline, and wasm_step() (validate_instr.c) does
 * the rest with the full rules.
 */
#include "host.h"
#include "libc.h"
#include "validate.h"

void wasm_vstate_free(struct vstate *vs)
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

/* Expands the local runs of f into the scratch array. */
static bool load_locals(V *v, const struct wasm_func *f)
{
    struct vstate *vs = v->vs;
    if (f->nlocals > vs->cap_locals)
        TRY(wasm_vgrow(v, (void **)&vs->locals, &vs->cap_locals, f->nlocals, 1));
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

bool wasm_validate_func(struct dec *d, struct wasm_func *f)
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
            return wasm_dec_invalid(d, d->p, "out of memory");
        memset(d->vs, 0, sizeof *d->vs);
    }
    V v = { .d = d, .vs = d->vs, .code = d->p, .at = d->p };
    const struct wasm_functype *ft = &d->m->types[f->type];
    TRY(load_locals(&v, f));
    TRY(wasm_push_ctrl(&v, WASM_K_BLOCK, NULL, 0, ft->results, ft->nresults, WASM_NONE));

    /* The loop keeps the hot state in locals and checks the most common
     * instructions (fixed-signature ones, local access, small constants,
     * loads and stores with one-byte immediates) inline, when their frame
     * is reachable; anything else, and any failure, goes through wasm_step(),
     * which has the full rules and the error messages. */
    const uint8_t *p = d->p, *end = d->end;
    struct vstate *vs = d->vs;
    const uint8_t *locals = vs->locals;
    uint32_t nlocals = f->nlocals;
    bool has_memory = d->m->nmemories != 0;
    const uint8_t *fast_end = d->lim->careful || end - p < 16 ? p : end - 16;
    uint8_t *vals = vs->vals;
    uint32_t nvals = v.nvals, max = v.max_vals;
    uint32_t cap_lim = vs->cap_vals > 16 ? vs->cap_vals - 16 : 0;
    struct ctrl *cur = top(&v);
    for (;;) {
        /* Near the end, let wasm_step() read carefully; the fast path
         * pushes at most 8 values, so keep 16 slots of room. */
        if (p >= fast_end || nvals >= cap_lim || cur->unreachable)
            goto slow;
        uint8_t b = *p;
        const struct wasm_opinfo *oi = &wasm_ops_base[b];
        uint32_t avail = nvals - cur->height, x, len;
        uint8_t kind = oi->kind;
        /* In order of frequency (the compiler may turn the tail of the
         * chain into a jump table). Each case decides before it changes
         * anything, so `goto slow` can redo the instruction. */
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
        TRY(wasm_step(&v));
        if (!v.nctrls)
            break;
        p = d->p;
        nvals = v.nvals;
        max = v.max_vals;
        vals = vs->vals;
        cap_lim = vs->cap_vals > 16 ? vs->cap_vals - 16 : 0;
        cur = top(&v);
    }

    f->max_stack = v.max_vals;
    f->max_depth = v.max_ctrls;
    f->nside = v.nside;
    if (v.nside) {
        struct wasm_side *s = wasm_arena_alloc(d->m, (size_t)v.nside * sizeof *s);
        if (!s)
            return wasm_dec_invalid(d, d->p, "out of memory");
        memcpy(s, d->vs->side, (size_t)v.nside * sizeof *s);
        f->side = s;
    }
    return true;
}

