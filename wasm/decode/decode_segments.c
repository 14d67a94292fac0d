/* decode_segments.c: export, start, element, data-count and data sections.
 *
 * These refer to the index spaces the declaration sections built, and
 * check every index as they read it.
 */
#include "decode.h"
#include "../host.h"
#include "../core/libc.h"

static uint32_t name_hash(const struct wasm_name *n)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (uint32_t i = 0; i < n->len; i++)
        h = (h ^ (uint8_t)n->s[i]) * 16777619u;
    return h;
}

/* Export names must be unique: an open-addressing set of export indices,
 * sized to a power of two at least twice the count. */
static bool check_unique(struct dec *d, const uint8_t *at, uint32_t *set,
                         uint32_t mask, uint32_t i)
{
    const struct wasm_export *ex = d->m->exports;
    for (uint32_t h = name_hash(&ex[i].name) & mask;; h = (h + 1) & mask) {
        if (set[h] == WASM_NONE) {
            set[h] = i;
            return true;
        }
        const struct wasm_name *o = &ex[set[h]].name;
        if (o->len == ex[i].name.len && !memcmp(o->s, ex[i].name.s, o->len))
            return wasm_dec_invalid(d, at, "duplicate export name");
    }
}

bool wasm_dec_export_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    const uint8_t *at = d->p;
    TRY(wasm_rd_len(d, &n));
    if (n > d->lim->exports)
        return wasm_dec_malformed(d, at, "too many exports");
    uint32_t size = 2;
    while (size < 2 * n)
        size *= 2;
    m->exports = wasm_arena_alloc(m, (size_t)n * sizeof *m->exports);
    uint32_t *set = wasm_host_alloc((size_t)size * sizeof *set);
    if (!m->exports || !set) {
        wasm_host_free(set, (size_t)size * sizeof *set);
        return wasm_dec_invalid(d, at, "out of memory");
    }
    memset(set, 0xff, (size_t)size * sizeof *set);
    bool ok = wasm_dec_ensure_declared(d);
    for (uint32_t i = 0; ok && i < n; i++) {
        struct wasm_export *ex = &m->exports[i];
        static const char *const what[] = { "function", "table", "memory", "global" };
        at = d->p;
        ok = wasm_rd_name(d, &ex->name) && rd_byte(d, &ex->kind);
        if (ok && ex->kind > WASM_EXT_GLOBAL)
            ok = wasm_dec_malformed(d, d->p - 1, "malformed export kind");
        const uint8_t *iat = d->p;
        ok = ok && rd_u32(d, &ex->index);
        if (!ok)
            break;
        uint32_t count = ex->kind == WASM_EXT_FUNC ? m->nfuncs
                       : ex->kind == WASM_EXT_TABLE ? m->ntables
                       : ex->kind == WASM_EXT_MEMORY ? m->nmemories : m->nglobals;
        if (ex->index >= count) {
            ok = wasm_dec_invalid(d, iat, "unknown %s %u", what[ex->kind], ex->index);
            break;
        }
        if (ex->kind == WASM_EXT_FUNC)
            bit_set(d->declared, ex->index);
        m->nexports = i + 1;
        ok = check_unique(d, at, set, size - 1, i);
    }
    wasm_host_free(set, (size_t)size * sizeof *set);
    return ok;
}

bool wasm_dec_start_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    const uint8_t *at = d->p;
    TRY(rd_u32(d, &m->start));
    if (m->start >= m->nfuncs)
        return wasm_dec_invalid(d, at, "unknown function %u", m->start);
    const struct wasm_functype *ft = &m->types[m->funcs[m->start].type];
    if (ft->nparams || ft->nresults)
        return wasm_dec_invalid(d, at, "start function must have type [] -> []");
    m->has_start = true;
    return true;
}

static bool rd_func_item(struct dec *d, struct wasm_init *it)
{
    const uint8_t *at = d->p;
    TRY(rd_u32(d, &it->index));
    if (it->index >= d->m->nfuncs)
        return wasm_dec_invalid(d, at, "unknown function %u", it->index);
    bit_set(d->declared, it->index);
    it->op = WASM_OP_REF_FUNC;
    it->type = WASM_FUNCREF;
    return true;
}

/* The segment's flags: bit 0 passive or declarative, bit 1 explicit table
 * (active) or declarative (bit 0 set), bit 2 items are expressions. */
static bool rd_elem(struct dec *d, struct wasm_elem *e)
{
    struct wasm_module *m = d->m;
    uint32_t flags, n;
    const uint8_t *at = d->p;
    TRY(rd_u32(d, &flags));
    if (flags > 7)
        return wasm_dec_malformed(d, at, "malformed elements segment kind");
    e->mode = !(flags & 1) ? WASM_SEG_ACTIVE
            : (flags & 2) ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE;
    e->type = WASM_FUNCREF;
    if (e->mode == WASM_SEG_ACTIVE) {
        const uint8_t *tat = d->p;
        if (flags & 2)
            TRY(rd_u32(d, &e->table));
        if (e->table >= m->ntables)
            return wasm_dec_invalid(d, tat, "unknown table %u", e->table);
        TRY(wasm_rd_const_expr(d, WASM_I32, m->nglobal_imports, &e->offset));
    }
    if (flags & 3) {
        if (flags & 4) {
            TRY(wasm_rd_reftype(d, &e->type));
        } else {
            uint8_t kind;
            TRY(rd_byte(d, &kind));
            if (kind != 0)
                return wasm_dec_malformed(d, d->p - 1, "malformed element kind");
        }
    }
    at = d->p;
    TRY(wasm_rd_len(d, &n));
    if (n > d->lim->elem_items)
        return wasm_dec_malformed(d, at, "too many elements");
    struct wasm_init *items = wasm_arena_alloc(m, (size_t)n * sizeof *items);
    if (!items)
        return wasm_dec_invalid(d, at, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (flags & 4)
            TRY(wasm_rd_const_expr(d, e->type, m->nglobal_imports, &items[i]));
        else
            TRY(rd_func_item(d, &items[i]));
    }
    e->items = items;
    e->count = n;
    if (e->mode == WASM_SEG_ACTIVE && m->tables[e->table].elem != e->type)
        return wasm_dec_invalid(d, at, "type mismatch: %s segment for a table of %s",
                           wasm_valtype_name(e->type),
                           wasm_valtype_name(m->tables[e->table].elem));
    return true;
}

bool wasm_dec_elem_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    const uint8_t *at = d->p;
    TRY(wasm_rd_len(d, &n));
    if (n > d->lim->elem_segments)
        return wasm_dec_malformed(d, at, "too many element segments");
    m->elems = wasm_arena_alloc(m, (size_t)n * sizeof *m->elems);
    if (!m->elems)
        return wasm_dec_invalid(d, at, "out of memory");
    TRY(wasm_dec_ensure_declared(d));
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_elem(d, &m->elems[i]));
        m->nelems = i + 1;
    }
    return true;
}

bool wasm_dec_datacount_section(struct dec *d)
{
    TRY(rd_u32(d, &d->m->datacount));
    d->m->has_datacount = true;
    return true;
}

bool wasm_dec_data_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    const uint8_t *at = d->p;
    TRY(wasm_rd_len(d, &n));
    if (n > d->lim->data_segments)
        return wasm_dec_malformed(d, at, "too many data segments");
    if (m->has_datacount && n != m->datacount)
        return wasm_dec_malformed(d, at, "data count and data section have inconsistent lengths");
    m->datas = wasm_arena_alloc(m, (size_t)n * sizeof *m->datas);
    if (!m->datas)
        return wasm_dec_invalid(d, at, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_data *s = &m->datas[i];
        uint32_t flags;
        at = d->p;
        TRY(rd_u32(d, &flags));
        if (flags > 2)
            return wasm_dec_malformed(d, at, "malformed data segment kind");
        s->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
        if (s->mode == WASM_SEG_ACTIVE) {
            const uint8_t *mat = d->p;
            if (flags == 2)
                TRY(rd_u32(d, &s->memory));
            if (s->memory >= m->nmemories)
                return wasm_dec_invalid(d, mat, "unknown memory %u", s->memory);
            TRY(wasm_rd_const_expr(d, WASM_I32, m->nglobal_imports, &s->offset));
        }
        TRY(wasm_rd_len(d, &s->len));
        TRY(rd_bytes(d, s->len, &s->bytes));
        m->ndatas = i + 1;
    }
    return true;
}
