/* runtime_table.c: tables, and the helpers compiled code calls for
 * table.grow/fill/copy/init and elem.drop.
 *
 * Elements are 64-bit: a funcref is a struct wasm_funcinst pointer, an
 * externref the host's value; 0 is null. The element array may move when
 * the table grows: compiled code reloads it at every access.
 */
#include "../core/libc.h"
#include "../core/opcodes.h"
#include "../host.h"
#include "runtime.h"

/* Here rather than in instance.c: table.init evaluates element items at run
 * time, and instantiation already calls into this file, so the calls run one
 * way. */
void wasm_eval_init(struct wasm_vmctx *v, const struct wasm_layout *l,
                    const struct wasm_init *e, uint64_t out[2])
{
    out[0] = e->bits[0];
    out[1] = e->bits[1];
    if (e->op == WASM_OP_REF_FUNC)
        out[0] = (uint64_t)(uintptr_t)wasm_vm_funcs(v, l)[e->index];
    else if (e->op == WASM_OP_REF_NULL)
        out[0] = 0;
    else if (e->op == WASM_OP_GLOBAL_GET) {
        const struct wasm_global_inst *g = wasm_vm_globals(v, l)[e->index];
        out[0] = g->bits[0];
        out[1] = g->bits[1];
    }
}

static bool reserve(struct wasm_table_inst *t, uint32_t n)
{
    if (n <= t->cap)
        return true;
    uint32_t cap = t->cap ? t->cap : 8;
    while (cap < n)
        cap = cap > UINT32_MAX / 2 ? n : 2 * cap;
    uint64_t *e = wasm_host_alloc((size_t)cap * 8);
    if (!e)
        return false;
    if (t->size)
        memcpy(e, t->elems, (size_t)t->size * 8);
    wasm_host_free(t->elems, (size_t)t->cap * 8);
    t->elems = e;
    t->cap = cap;
    return true;
}

bool wasm_table_make(struct wasm_store *s, uint8_t elem, uint32_t min, uint32_t max,
                     struct wasm_table_inst **out)
{
    if (s->elem_limit && min > s->elem_limit - s->elems)
        return false;
    struct wasm_table_inst *t = wasm_store_obj(s, WASM_EXT_TABLE, sizeof *t);
    if (!t)
        return false;
    t->store = s;
    t->elem = elem;
    t->max = max;
    if (!reserve(t, min))
        return false;
    if (min)
        memset(t->elems, 0, (size_t)min * 8);
    t->size = min;
    s->elems += min;
    *out = t;
    return true;
}

void wasm_table_release(struct wasm_table_inst *t)
{
    wasm_host_free(t->elems, (size_t)t->cap * 8);
    t->elems = NULL;
}

static struct wasm_table_inst *table(struct wasm_vmctx *v, uint32_t t)
{
    return wasm_vm_tables(v, &v->inst->c->layout)[t];
}

uint32_t wasm_rt_table_grow(struct wasm_vmctx *v, uint32_t ti, uint64_t init, uint32_t delta)
{
    struct wasm_table_inst *t = table(v, ti);
    uint32_t old = t->size;
    /* An implementation limit of 10^7 elements keeps a hostile grow cheap. */
    uint32_t max = t->max < 10000000u ? t->max : 10000000u;
    if (delta > max - old || (old > max))
        return UINT32_MAX;
    struct wasm_store *s = t->store;
    if (s->elem_limit && delta > s->elem_limit - s->elems)
        return UINT32_MAX;
    if (!reserve(t, old + delta))
        return UINT32_MAX;
    for (uint32_t i = 0; i < delta; i++)
        t->elems[old + i] = init;
    t->size = old + delta;
    s->elems += delta;
    return old;
}

int wasm_rt_table_fill(struct wasm_vmctx *v, uint32_t ti, uint32_t i, uint64_t ref, uint32_t n)
{
    struct wasm_table_inst *t = table(v, ti);
    if ((uint64_t)i + n > t->size)
        return WASM_TRAP_TABLE_OOB;
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = ref;
    return 0;
}

int wasm_rt_table_copy(struct wasm_vmctx *v, uint32_t dti, uint32_t sti, uint32_t d,
                       uint32_t s, uint32_t n)
{
    struct wasm_table_inst *dt = table(v, dti), *st = table(v, sti);
    if ((uint64_t)d + n > dt->size || (uint64_t)s + n > st->size)
        return WASM_TRAP_TABLE_OOB;
    if (n)
        wasm_rt_copy(dt->elems + d, st->elems + s, (size_t)n * 8);
    return 0;
}

int wasm_rt_table_init(struct wasm_vmctx *v, uint32_t ti, uint32_t seg, uint32_t d,
                       uint32_t s, uint32_t n)
{
    struct wasm_table_inst *t = table(v, ti);
    const struct wasm_elem *e = &v->inst->m->elems[seg];
    uint32_t count = v->inst->elem_dropped[seg] ? 0 : e->count;
    if ((uint64_t)s + n > count || (uint64_t)d + n > t->size)
        return WASM_TRAP_TABLE_OOB;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t val[2];
        wasm_eval_init(v, &v->inst->c->layout, &e->items[s + k], val);
        t->elems[d + k] = val[0];
    }
    return 0;
}

int wasm_rt_elem_drop(struct wasm_vmctx *v, uint32_t seg)
{
    v->inst->elem_dropped[seg] = 1;
    return 0;
}

uint8_t wasm_table_elem(const wasm_extern *t)
{
    return ((const struct wasm_table_inst *)t->obj)->elem;
}

uint32_t wasm_table_size(const wasm_extern *t)
{
    return ((const struct wasm_table_inst *)t->obj)->size;
}

bool wasm_table_get(const wasm_extern *t, uint32_t i, uint64_t *val)
{
    const struct wasm_table_inst *ti = t->obj;
    if (i >= ti->size)
        return false;
    *val = ti->elems[i];
    return true;
}

bool wasm_table_set(const wasm_extern *t, uint32_t i, uint64_t val)
{
    struct wasm_table_inst *ti = t->obj;
    if (i >= ti->size || ti->elem != WASM_EXTERNREF)
        return false;
    ti->elems[i] = val;
    return true;
}
