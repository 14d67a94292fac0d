/* instance.c: instantiation per WebAssembly 2.0, and exports.
 *
 * wasm_instantiate checks every import before it makes anything, then
 * builds the vmctx (functions, tables, memories, globals), applies the
 * element segments then the data segments in order (a trap stops there,
 * effects on imported objects staying, as the specification says), and
 * runs the start function. Everything made belongs to the store.
 */
#include "../core/libc.h"
#include "../host.h"
#include "../core/opcodes.h"
#include "runtime.h"

void wasm_layout_init(struct wasm_layout *l, const struct wasm_module *m)
{
    uint32_t off = sizeof(struct wasm_vmctx);
    l->funcs = off;
    off += 8 * m->nfuncs;
    l->globals = off;
    off += 8 * m->nglobals;
    l->tables = off;
    off += 8 * m->ntables;
    l->sigs = off;
    off += 4 * m->ntypes;
    l->size = (off + 15) & ~15u;
}

static bool fail(wasm_error *err, const char *msg, uint32_t import)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->func = WASM_NO_FUNC;
        size_t n = 0;
        while (msg[n] && n + 1 < sizeof err->msg) {
            err->msg[n] = msg[n];
            n++;
        }
        err->msg[n] = 0;
        err->offset = import;
    }
    return false;
}

static bool limits_fit(uint32_t have_min, uint32_t have_max, bool have_has_max,
                       const struct wasm_bounds *want)
{
    if (have_min < want->min)
        return false;
    if (want->has_max && (!have_has_max || have_max > want->max))
        return false;
    return true;
}

/* Checks import i against the extern given for it. */
static bool check_import(struct wasm_store *s, const struct wasm_module *m,
                         uint32_t i, const wasm_extern *x)
{
    const struct wasm_import *im = &m->imports[i];
    if (!x->obj || x->kind != im->kind)
        return false;
    switch (im->kind) {
    case WASM_EXT_FUNC: {
        const struct wasm_funcinst *f = x->obj;
        uint32_t want;
        if (!wasm_store_sig(s, &m->types[m->funcs[im->index].type], &want))
            return false;
        return f->sig == want;
    }
    case WASM_EXT_TABLE: {
        const struct wasm_table_inst *t = x->obj;
        const struct wasm_table *w = &m->tables[im->index];
        return t->elem == w->elem &&
               limits_fit(t->size, t->max, t->max != UINT32_MAX, &w->lim);
    }
    case WASM_EXT_MEMORY: {
        const struct wasm_memory_inst *mem = x->obj;
        const struct wasm_memory *w = &m->memories[im->index];
        /* A memory made without a maximum has max = WASM_PAGE_LIMIT. */
        return limits_fit(mem->pages, mem->max, mem->max < WASM_PAGE_LIMIT, &w->lim) ||
               (w->lim.has_max && w->lim.max == WASM_PAGE_LIMIT &&
                mem->pages >= w->lim.min);
    }
    case WASM_EXT_GLOBAL: {
        const struct wasm_global_inst *g = x->obj;
        const struct wasm_global *w = &m->globals[im->index];
        return g->type == w->type && g->mut == w->mut;
    }
    }
    return false;
}

/* Segments in order: elements (active: table.init, then dropped;
 * declarative: dropped), then data. Returns a trap kind or 0. */
static int apply_segments(struct wasm_instance *in)
{
    const struct wasm_module *m = in->m;
    struct wasm_vmctx *v = in->vmctx;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const struct wasm_elem *e = &m->elems[i];
        if (e->mode == WASM_SEG_ACTIVE) {
            uint64_t off[2];
            wasm_eval_init(v, &in->c->layout, &e->offset, off);
            int t = wasm_rt_table_init(v, e->table, i, (uint32_t)off[0], 0, e->count);
            if (t)
                return t;
        }
        if (e->mode != WASM_SEG_PASSIVE)
            in->elem_dropped[i] = 1;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const struct wasm_data *d = &m->datas[i];
        if (d->mode != WASM_SEG_ACTIVE)
            continue;
        uint64_t off[2];
        wasm_eval_init(v, &in->c->layout, &d->offset, off);
        int t = wasm_rt_memory_init(v, i, (uint32_t)off[0], 0, d->len);
        if (t)
            return t;
        in->data_dropped[i] = 1;
    }
    return 0;
}

wasm_instance *wasm_instantiate(wasm_store *s, wasm_compiled *c,
                                const wasm_extern *imports, uint32_t nimports,
                                wasm_error *err, int *trap)
{
    return wasm_instantiate_with(s, c, imports, nimports, NULL, NULL, err, trap);
}

wasm_instance *wasm_instantiate_with(wasm_store *s, wasm_compiled *c,
                                     const wasm_extern *imports, uint32_t nimports,
                                     wasm_prestart_fn prestart, void *ctx,
                                     wasm_error *err, int *trap)
{
    const struct wasm_module *m = c->m;
    const struct wasm_layout *l = &c->layout;
    if (trap)
        *trap = 0;
    if (nimports != m->nimports)
        return fail(err, "unknown import", 0), NULL;
    for (uint32_t i = 0; i < nimports; i++)
        if (!check_import(s, m, i, &imports[i]))
            return fail(err, "incompatible import type", i), NULL;

    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    size_t size = sizeof(struct wasm_instance) + 15;
    size_t vm_at = size & ~(size_t)15;
    size_t funcs_at = vm_at + l->size;
    size_t elem_at = funcs_at + ndef * sizeof(struct wasm_funcinst);
    size_t data_at = elem_at + m->nelems;
    struct wasm_instance *in = wasm_store_obj(s, 4, data_at + m->ndatas);
    if (!in)
        return fail(err, "out of memory", 0), NULL;
    uint8_t *base = (uint8_t *)in;
    in->store = s;
    in->c = c;
    in->m = m;
    in->vmctx = (struct wasm_vmctx *)(base + vm_at);
    in->funcs = (struct wasm_funcinst *)(base + funcs_at);
    in->elem_dropped = base + elem_at;
    in->data_dropped = base + data_at;

    struct wasm_vmctx *v = in->vmctx;
    v->store = s;
    v->inst = in;
    memcpy(v->helpers, wasm_helpers, sizeof v->helpers);
    uint32_t *sigs = wasm_vm_sigs(v, l);
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (!wasm_store_sig(s, &m->types[i], &sigs[i]))
            return fail(err, "out of memory", 0), NULL;

    /* Imports fill their index spaces first. */
    for (uint32_t i = 0; i < nimports; i++) {
        const struct wasm_import *im = &m->imports[i];
        void *o = imports[i].obj;
        switch (im->kind) {
        case WASM_EXT_FUNC: wasm_vm_funcs(v, l)[im->index] = o; break;
        case WASM_EXT_TABLE: wasm_vm_tables(v, l)[im->index] = o; break;
        case WASM_EXT_GLOBAL: wasm_vm_globals(v, l)[im->index] = o; break;
        case WASM_EXT_MEMORY: v->mem0 = o; break;
        }
    }
    for (uint32_t i = 0; i < ndef; i++) {
        uint32_t fi = m->nfunc_imports + i;
        struct wasm_funcinst *f = &in->funcs[i];
        f->code = c->code.base + c->code.func_off[i];
        f->vmctx = v;
        f->sig = sigs[m->funcs[fi].type];
        f->index = fi;
        f->type = &m->types[m->funcs[fi].type];
        f->inst = in;
        wasm_vm_funcs(v, l)[fi] = f;
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const struct wasm_table *t = &m->tables[i];
        if (!wasm_table_make(s, t->elem, t->lim.min,
                             t->lim.has_max ? t->lim.max : UINT32_MAX,
                             &wasm_vm_tables(v, l)[i]))
            return fail(err, "out of memory", 0), NULL;
    }
    if (m->nmemories > m->nmemory_imports) {
        const struct wasm_memory *mm = &m->memories[0];
        if (!wasm_memory_make(s, mm->lim.min,
                              mm->lim.has_max ? mm->lim.max : WASM_PAGE_LIMIT, &v->mem0))
            return fail(err, "out of memory", 0), NULL;
    }
    if (v->mem0)
        v->mem0_base = v->mem0->base;
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        const struct wasm_global *g = &m->globals[i];
        struct wasm_global_inst *gi = wasm_store_obj(s, WASM_EXT_GLOBAL, sizeof *gi);
        if (!gi)
            return fail(err, "out of memory", 0), NULL;
        gi->type = g->type;
        gi->mut = g->mut;
        wasm_eval_init(v, l, &g->init, gi->bits);
        wasm_vm_globals(v, l)[i] = gi;
    }

    int t = apply_segments(in);
    if (!t && prestart && !prestart(ctx, in))
        return fail(err, "instantiation refused by the host", 0), NULL;
    if (!t && m->has_start) {
        uint64_t none[1];
        t = wasm_run(s, wasm_vm_funcs(v, l)[m->start], none);
    }
    if (t) {
        if (trap)
            *trap = t;
        return fail(err, wasm_trap_message(t), 0), NULL;
    }
    return in;
}

bool wasm_instance_export(const wasm_instance *in, const char *name, size_t len,
                          wasm_extern *out)
{
    const struct wasm_module *m = in->m;
    const struct wasm_layout *l = &in->c->layout;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const struct wasm_export *e = &m->exports[i];
        if (e->name.len != len || memcmp(e->name.s, name, len))
            continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXT_FUNC: out->obj = wasm_vm_funcs(in->vmctx, l)[e->index]; break;
        case WASM_EXT_TABLE: out->obj = wasm_vm_tables(in->vmctx, l)[e->index]; break;
        case WASM_EXT_MEMORY: out->obj = in->vmctx->mem0; break;
        case WASM_EXT_GLOBAL: out->obj = wasm_vm_globals(in->vmctx, l)[e->index]; break;
        }
        return true;
    }
    return false;
}

uint32_t wasm_module_num_imports(const wasm_module *m)
{
    return m->nimports;
}

bool wasm_module_import(const wasm_module *m, uint32_t i, wasm_import_desc *out)
{
    if (i >= m->nimports)
        return false;
    const struct wasm_import *im = &m->imports[i];
    *out = (wasm_import_desc){ im->module.s, im->field.s, im->module.len,
                               im->field.len, im->kind, 0, false, 0, 0 };
    const struct wasm_bounds *lim = NULL;
    if (im->kind == WASM_EXT_TABLE) {
        out->elem = m->tables[im->index].elem;
        lim = &m->tables[im->index].lim;
    } else if (im->kind == WASM_EXT_MEMORY) {
        lim = &m->memories[im->index].lim;
    }
    if (lim) {
        out->min = lim->min;
        out->max = lim->max;
        out->has_max = lim->has_max;
    }
    return true;
}

bool wasm_module_import_func_type(const wasm_module *m, uint32_t i, uint32_t *np,
                                  const uint8_t **params, uint32_t *nr,
                                  const uint8_t **results)
{
    if (i >= m->nimports || m->imports[i].kind != WASM_EXT_FUNC)
        return false;
    const struct wasm_functype *t = &m->types[m->funcs[m->imports[i].index].type];
    *np = t->nparams;
    *params = t->params;
    *nr = t->nresults;
    *results = t->results;
    return true;
}

bool wasm_instance_memory(const wasm_instance *in, wasm_extern *out)
{
    if (!in->vmctx->mem0)
        return false;
    *out = (wasm_extern){ WASM_EXT_MEMORY, in->vmctx->mem0 };
    return true;
}

uint32_t wasm_instance_num_tables(const wasm_instance *in)
{
    return in->m->ntables;
}

bool wasm_instance_table(const wasm_instance *in, uint32_t i, wasm_extern *out,
                         bool *imported)
{
    if (i >= in->m->ntables)
        return false;
    *out = (wasm_extern){ WASM_EXT_TABLE,
                          wasm_vm_tables(in->vmctx, &in->c->layout)[i] };
    if (imported)
        *imported = i < in->m->ntable_imports;
    return true;
}

const wasm_module *wasm_instance_module(const wasm_instance *in)
{
    return in->m;
}

uint32_t wasm_module_num_exports(const wasm_module *m)
{
    return m->nexports;
}

bool wasm_module_export(const wasm_module *m, uint32_t i, const char **name,
                        uint32_t *len, uint8_t *kind)
{
    if (i >= m->nexports)
        return false;
    *name = m->exports[i].name.s;
    *len = m->exports[i].name.len;
    *kind = m->exports[i].kind;
    return true;
}
