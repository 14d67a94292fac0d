/* decode_types.c: the declaration sections.
 *
 * Type, import, function, table, memory and global sections, with the
 * validation of what they declare. Imports come first in every index
 * space, so each defining section extends the space the imports began.
 */
#include "decode.h"
#include "../core/libc.h"

static void *dalloc(struct dec *d, size_t n)
{
    void *p = wasm_arena_alloc(d->m, n);
    if (!p)
        wasm_dec_invalid(d, d->p, "out of memory");
    return p;
}

/* A count of entries, against a named limit. */
static bool rd_count(struct dec *d, uint32_t limit, const char *what, uint32_t *n)
{
    const uint8_t *at = d->p;
    TRY(wasm_rd_len(d, n));
    if (*n > limit)
        return wasm_dec_malformed(d, at, "too many %s", what);
    return true;
}

bool wasm_rd_valtype(struct dec *d, uint8_t *out)
{
    uint8_t b;
    TRY(rd_byte(d, &b));
    switch (b) {
    case WASM_I32: case WASM_I64: case WASM_F32: case WASM_F64:
    case WASM_V128: case WASM_FUNCREF: case WASM_EXTERNREF:
        *out = b;
        return true;
    }
    /* The reference reads a value type as a 7-bit signed LEB128. */
    if (b & 0x80)
        return wasm_dec_malformed(d, d->p, "integer representation too long");
    return wasm_dec_malformed(d, d->p - 1, "malformed value type");
}

bool wasm_rd_reftype(struct dec *d, uint8_t *out)
{
    uint8_t b;
    TRY(rd_byte(d, &b));
    if (b != WASM_FUNCREF && b != WASM_EXTERNREF)
        return wasm_dec_malformed(d, d->p - 1, "malformed reference type");
    *out = b;
    return true;
}

static bool rd_bounds(struct dec *d, struct wasm_bounds *b)
{
    uint32_t flag;
    TRY(wasm_leb_u1(d, &flag));
    TRY(rd_u32(d, &b->min));
    b->has_max = flag;
    b->max = 0;
    if (flag)
        TRY(rd_u32(d, &b->max));
    return true;
}

static bool rd_table_type(struct dec *d, struct wasm_table *t)
{
    const uint8_t *at = d->p;
    TRY(wasm_rd_reftype(d, &t->elem));
    TRY(rd_bounds(d, &t->lim));
    if (t->lim.has_max && t->lim.min > t->lim.max)
        return wasm_dec_invalid(d, at, "size minimum must not be greater than maximum");
    return true;
}

static bool rd_memory_type(struct dec *d, struct wasm_memory *mem)
{
    const uint8_t *at = d->p;
    TRY(rd_bounds(d, &mem->lim));
    if (mem->lim.min > WASM_PAGE_LIMIT ||
        (mem->lim.has_max && mem->lim.max > WASM_PAGE_LIMIT))
        return wasm_dec_invalid(d, at, "memory size must be at most 65536 pages (4GiB)");
    if (mem->lim.has_max && mem->lim.min > mem->lim.max)
        return wasm_dec_invalid(d, at, "size minimum must not be greater than maximum");
    return true;
}

static bool rd_global_type(struct dec *d, struct wasm_global *g)
{
    uint8_t mut;
    TRY(wasm_rd_valtype(d, &g->type));
    TRY(rd_byte(d, &mut));
    if (mut > 1)
        return wasm_dec_malformed(d, d->p - 1, "malformed mutability");
    g->mut = mut;
    return true;
}

bool wasm_dec_type_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, d->lim->types, "types", &n));
    m->types = dalloc(d, (size_t)n * sizeof *m->types);
    if (!m->types)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_functype *ft = &m->types[i];
        uint8_t form, t;
        TRY(rd_byte(d, &form));
        if (form & 0x80)
            return wasm_dec_malformed(d, d->p, "integer representation too long");
        if (form != 0x60)
            return wasm_dec_malformed(d, d->p - 1, "malformed function type");
        /* Value types are single bytes: the lists stay in our copy. */
        TRY(rd_count(d, d->lim->type_arity, "params", &ft->nparams));
        ft->params = d->p;
        for (uint32_t k = 0; k < ft->nparams; k++)
            TRY(wasm_rd_valtype(d, &t));
        TRY(rd_count(d, d->lim->type_arity, "results", &ft->nresults));
        ft->results = d->p;
        for (uint32_t k = 0; k < ft->nresults; k++)
            TRY(wasm_rd_valtype(d, &t));
        m->ntypes = i + 1;
    }
    return true;
}

bool wasm_dec_import_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(rd_count(d, d->lim->imports, "imports", &n));
    m->imports = dalloc(d, (size_t)n * sizeof *m->imports);
    /* Each index space gets room for every import; counts say how many. */
    m->funcs = dalloc(d, (size_t)n * sizeof *m->funcs);
    m->tables = dalloc(d, (size_t)n * sizeof *m->tables);
    m->memories = dalloc(d, (size_t)n * sizeof *m->memories);
    m->globals = dalloc(d, (size_t)n * sizeof *m->globals);
    if (!m->imports || !m->funcs || !m->tables || !m->memories || !m->globals)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_import *im = &m->imports[i];
        uint32_t idx;
        const uint8_t *at;
        TRY(wasm_rd_name(d, &im->module));
        TRY(wasm_rd_name(d, &im->field));
        TRY(rd_byte(d, &im->kind));
        at = d->p;
        switch (im->kind) {
        case WASM_EXT_FUNC:
            TRY(rd_u32(d, &idx));
            if (idx >= m->ntypes)
                return wasm_dec_invalid(d, at, "unknown type %u", idx);
            im->index = m->nfuncs++;
            m->funcs[im->index].type = idx;
            m->funcs[im->index].import = i;
            break;
        case WASM_EXT_TABLE:
            im->index = m->ntables++;
            TRY(rd_table_type(d, &m->tables[im->index]));
            m->tables[im->index].import = i;
            break;
        case WASM_EXT_MEMORY:
            im->index = m->nmemories++;
            TRY(rd_memory_type(d, &m->memories[im->index]));
            m->memories[im->index].import = i;
            if (m->nmemories > 1)
                return wasm_dec_invalid(d, at, "multiple memories");
            break;
        case WASM_EXT_GLOBAL:
            im->index = m->nglobals++;
            TRY(rd_global_type(d, &m->globals[im->index]));
            m->globals[im->index].import = i;
            break;
        default:
            return wasm_dec_malformed(d, d->p - 1, "malformed import kind");
        }
        m->nimports = i + 1;
    }
    m->nfunc_imports = m->nfuncs;
    m->ntable_imports = m->ntables;
    m->nmemory_imports = m->nmemories;
    m->nglobal_imports = m->nglobals;
    return true;
}

/* Makes room for n more entries after the imports of an index space. */
static void *extend(struct dec *d, void *old, uint32_t nold, uint32_t n,
                    size_t elem, uint32_t limit, const char *what)
{
    if (n > limit || nold > limit - n) {
        wasm_dec_malformed(d, d->p, "too many %s", what);
        return NULL;
    }
    void *p = dalloc(d, (size_t)(nold + n) * elem);
    if (p && nold)
        memcpy(p, old, (size_t)nold * elem);
    return p;
}

bool wasm_dec_func_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    struct wasm_func *f = extend(d, m->funcs, m->nfuncs, n, sizeof *f,
                                 d->lim->funcs, "functions");
    if (!f)
        return false;
    m->funcs = f;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = d->p;
        uint32_t t;
        TRY(rd_u32(d, &t));
        if (t >= m->ntypes)
            return wasm_dec_invalid(d, at, "unknown type %u", t);
        f[m->nfuncs].type = t;
        f[m->nfuncs].import = WASM_NONE;
        m->nfuncs++;
    }
    d->nfunc_decls = n;
    return true;
}

bool wasm_dec_table_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    struct wasm_table *t = extend(d, m->tables, m->ntables, n, sizeof *t,
                                  d->lim->tables, "tables");
    if (!t)
        return false;
    m->tables = t;
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_table_type(d, &t[m->ntables]));
        t[m->ntables++].import = WASM_NONE;
    }
    return true;
}

bool wasm_dec_memory_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    struct wasm_memory *mem = extend(d, m->memories, m->nmemories, n,
                                     sizeof *mem, 2, "memories");
    if (!mem)
        return false;
    m->memories = mem;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = d->p;
        TRY(rd_memory_type(d, &mem[m->nmemories]));
        mem[m->nmemories++].import = WASM_NONE;
        if (m->nmemories > 1)
            return wasm_dec_invalid(d, at, "multiple memories");
    }
    return true;
}

bool wasm_dec_global_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    struct wasm_global *g = extend(d, m->globals, m->nglobals, n, sizeof *g,
                                   d->lim->globals, "globals");
    if (!g)
        return false;
    m->globals = g;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_global *gl = &g[m->nglobals];
        TRY(rd_global_type(d, gl));
        gl->import = WASM_NONE;
        /* In 2.0 an initializer may read imported globals only. */
        TRY(wasm_rd_const_expr(d, gl->type, m->nglobal_imports, &gl->init));
        m->nglobals++;
    }
    return true;
}
