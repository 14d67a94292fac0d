/* store.c: stores, the objects they own, canonical signatures, and the
 * host objects an embedder makes for imports (spectest, coral).
 *
 * A store owns everything made in it (instances, memories, tables,
 * globals, host functions) and frees it all at once: instances link to
 * each other's objects freely, so none is freed alone.
 */
#include "../core/libc.h"
#include "../host.h"
#include "runtime.h"

/* Every object is preceded by this much header, so that the object itself
 * stays 16-byte aligned (vmctx cells, v128-ready globals). */
#define OBJ_HDR 32
_Static_assert(sizeof(struct wasm_obj) <= OBJ_HDR, "object header");

void *wasm_store_obj(struct wasm_store *s, uint8_t kind, size_t size)
{
    struct wasm_obj *o = wasm_host_alloc(OBJ_HDR + size);
    if (!o)
        return NULL;
    memset(o, 0, OBJ_HDR + size);
    o->kind = kind;
    o->size = OBJ_HDR + size;
    o->next = s->objs;
    s->objs = o;
    return (uint8_t *)o + OBJ_HDR;
}

wasm_store *wasm_store_new(size_t stack_budget)
{
    struct wasm_store *s = wasm_host_alloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->stack_budget = stack_budget ? stack_budget : (size_t)4 << 20;
    if (!wasm_stubs_make(s)) {
        wasm_host_free(s, sizeof *s);
        return NULL;
    }
    return s;
}

void wasm_store_set_page_limit(wasm_store *s, uint64_t pages)
{
    s->page_limit = pages;
}

void wasm_store_set_elem_limit(wasm_store *s, uint64_t elems)
{
    s->elem_limit = elems;
}

uint64_t wasm_store_pages(const wasm_store *s)
{
    return s->pages;
}

void wasm_store_free(wasm_store *s)
{
    if (!s)
        return;
    for (struct wasm_obj *o = s->objs, *next; o; o = next) {
        next = o->next;
        void *obj = (uint8_t *)o + OBJ_HDR;
        if (o->kind == WASM_EXT_MEMORY)
            wasm_memory_release(obj);
        else if (o->kind == WASM_EXT_TABLE)
            wasm_table_release(obj);
        wasm_host_free(o, o->size);
    }
    wasm_host_free(s->sigs, s->capsigs * sizeof *s->sigs);
    wasm_host_code_free(s->stubs.base, s->stubs.size);
    wasm_host_free(s->stubs.traps, s->stubs.ntraps * sizeof *s->stubs.traps);
    wasm_host_free(s, sizeof *s);
}

static bool same_type(const struct wasm_functype *a, const struct wasm_functype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           !memcmp(a->params, b->params, a->nparams) &&
           !memcmp(a->results, b->results, a->nresults);
}

/* Linear search: a store sees tens of distinct signatures, and this runs
 * at instantiation only. */
bool wasm_store_sig(struct wasm_store *s, const struct wasm_functype *t, uint32_t *id)
{
    for (uint32_t i = 0; i < s->nsigs; i++)
        if (same_type(&s->sigs[i], t)) {
            *id = i;
            return true;
        }
    if (s->nsigs == s->capsigs) {
        uint32_t cap = s->capsigs ? 2 * s->capsigs : 16;
        struct wasm_functype *n = wasm_host_alloc(cap * sizeof *n);
        if (!n)
            return false;
        if (s->nsigs)
            memcpy(n, s->sigs, s->nsigs * sizeof *n);
        wasm_host_free(s->sigs, s->capsigs * sizeof *s->sigs);
        s->sigs = n;
        s->capsigs = cap;
    }
    uint8_t *bytes = wasm_store_obj(s, 5, t->nparams + t->nresults + 1);
    if (!bytes)
        return false;
    struct wasm_functype *c = &s->sigs[s->nsigs];
    if (t->nparams)
        memcpy(bytes, t->params, t->nparams);
    if (t->nresults)
        memcpy(bytes + t->nparams, t->results, t->nresults);
    c->nparams = t->nparams;
    c->nresults = t->nresults;
    c->params = bytes;
    c->results = bytes + t->nparams;
    *id = s->nsigs++;
    return true;
}

bool wasm_host_func_new(wasm_store *s, const uint8_t *params, uint32_t np,
                        const uint8_t *results, uint32_t nr,
                        wasm_host_fn fn, void *env, wasm_extern *out)
{
    struct wasm_hostfunc *h = wasm_store_obj(s, WASM_EXT_FUNC,
                                             sizeof *h + np + nr);
    struct wasm_funcinst *f = wasm_store_obj(s, WASM_EXT_FUNC, sizeof *f);
    if (!h || !f)
        return false;
    h->store = s;
    h->fn = fn;
    h->env = env;
    if (np)
        memcpy(h->types, params, np);
    if (nr)
        memcpy(h->types + np, results, nr);
    h->type = (struct wasm_functype){ np, nr, h->types, h->types + np };
    if (!wasm_store_sig(s, &h->type, &f->sig))
        return false;
    f->code = s->host_tramp;
    f->vmctx = h;
    f->index = WASM_NONE;
    f->type = &h->type;
    *out = (wasm_extern){ WASM_EXT_FUNC, f };
    return true;
}

bool wasm_global_new(wasm_store *s, uint8_t type, bool mut, uint64_t bits,
                     wasm_extern *out)
{
    struct wasm_global_inst *g = wasm_store_obj(s, WASM_EXT_GLOBAL, sizeof *g);
    if (!g)
        return false;
    g->bits[0] = bits;
    g->type = type;
    g->mut = mut;
    *out = (wasm_extern){ WASM_EXT_GLOBAL, g };
    return true;
}

bool wasm_memory_new(wasm_store *s, uint32_t min, uint32_t max, bool has_max,
                     wasm_extern *out)
{
    struct wasm_memory_inst *m;
    if (!wasm_memory_make(s, min, has_max ? max : WASM_PAGE_LIMIT, &m))
        return false;
    *out = (wasm_extern){ WASM_EXT_MEMORY, m };
    return true;
}

bool wasm_table_new(wasm_store *s, uint8_t elem, uint32_t min, uint32_t max,
                    bool has_max, wasm_extern *out)
{
    struct wasm_table_inst *t;
    if (!wasm_table_make(s, elem, min, has_max ? max : UINT32_MAX, &t))
        return false;
    *out = (wasm_extern){ WASM_EXT_TABLE, t };
    return true;
}

uint64_t wasm_global_value(const wasm_extern *g, uint8_t *type)
{
    const struct wasm_global_inst *gi = g->obj;
    if (type)
        *type = gi->type;
    return gi->bits[0];
}

void wasm_global_bits(const wasm_extern *g, uint64_t out[2])
{
    const struct wasm_global_inst *gi = g->obj;
    out[0] = gi->bits[0];
    out[1] = gi->bits[1];
}

void wasm_func_type(const wasm_extern *fn, uint32_t *np, const uint8_t **params,
                    uint32_t *nr, const uint8_t **results)
{
    const struct wasm_funcinst *f = fn->obj;
    *np = f->type->nparams;
    *params = f->type->params;
    *nr = f->type->nresults;
    *results = f->type->results;
}

uint8_t *wasm_memory_data(const wasm_extern *mem, uint64_t *size)
{
    const struct wasm_memory_inst *m = mem->obj;
    *size = (uint64_t)m->pages << 16;
    return m->base;
}
