/*
 * Linking and grants (see component.h): a component's handle space and
 * grant list, the memory windows an instance's own-memory table holds, and
 * the making of an instance: its imports resolved against the coral
 * module and the instances added before it, its start function run.
 */
#include "kern/component_impl.h"

#include "base/log.h"
#include "kern/channel.h"
#include "kern/revoke.h"
#include "kern/vma.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"

/* ---- handles ---- */

handle_t component_handle_make(struct component *c, struct kobj *obj, uint32_t rights)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    handle_t h = c->state == COMPONENT_DEAD ? HANDLE_NULL
                                            : handle_make(&c->handles, obj, rights);
    spin_unlock_irqrestore(&c->lock, f);
    return h;
}

int component_handle_raw(struct component *c, handle_t h, enum kobj_kind kind, uint32_t need,
                         struct kobj **out, uint32_t *rights)
{
    uint32_t have = 0;
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, KOBJ_INVALID, &have);
    if (o)
        kobj_get(o);
    spin_unlock_irqrestore(&c->lock, f);
    *out = NULL;
    int status = !o || (kind != KOBJ_INVALID && revoke_kind(o) != kind) ? CORAL_EINVAL
                 : (have & need) != need ? CORAL_ERIGHTS
                 : revoke_is_cut(o) ? CORAL_EREVOKED : CORAL_OK;
    if (status) {
        kobj_put(o);
        return status;
    }
    *out = o;
    if (rights)
        *rights = have;
    return CORAL_OK;
}

int component_handle_get(struct component *c, handle_t h, enum kobj_kind kind, uint32_t need,
                         struct kobj **out, uint32_t *rights)
{
    struct kobj *o;
    int status = component_handle_raw(c, h, kind, need, &o, rights);
    if (status) {
        *out = NULL;
        return status;
    }
    /* Not a proxy: the reference raw took is the one the caller gets. */
    if (o->kind != KOBJ_PROXY) {
        *out = o;
        return CORAL_OK;
    }
    status = revoke_resolve(o, out);
    kobj_put(o);
    return status;
}

int component_handle_borrow_proxy(struct component *c, handle_t h, struct kobj *o,
                                  uint32_t have, enum kobj_kind kind, uint32_t need,
                                  bool resolve, struct kobj **out, bool *held)
{
    if (resolve) {
        /* What a proxy stands for is let go by a revocation, on any
         * thread, at any time: that needs a reference of its own. */
        int status = component_handle_get(c, h, kind, need, out, NULL);
        *held = status == CORAL_OK;
        return status;
    }
    /* The proxy itself is the slot's: borrowed like any object. */
    int status = kind != KOBJ_INVALID && revoke_kind(o) != kind ? CORAL_EINVAL
                 : (have & need) != need ? CORAL_ERIGHTS
                 : revoke_is_cut(o) ? CORAL_EREVOKED : CORAL_OK;
    if (!status)
        *out = o;
    return status;
}

enum kobj_kind component_handle_kind(struct component *c, handle_t h)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, KOBJ_INVALID, NULL);
    enum kobj_kind k = o ? revoke_kind(o) : KOBJ_INVALID;
    spin_unlock_irqrestore(&c->lock, f);
    return k;
}

bool component_handle_drop(struct component *c, handle_t h)
{
    /* The reference is put outside the lock: destroying an object may
     * free memory or take other locks. */
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, KOBJ_INVALID, NULL);
    if (o)
        kobj_get(o);
    bool ok = handle_drop(&c->handles, h);
    spin_unlock_irqrestore(&c->lock, f);
    kobj_put(o);
    component_collect_cycles();
    channel_reap();
    return ok;
}

int component_grant(struct component *c, struct kobj *obj, uint32_t rights, uint32_t *index)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    int status = CORAL_EINVAL;
    if (c->state != COMPONENT_DEAD && !c->kill && c->ngrants < COMPONENT_MAX_GRANTS) {
        handle_t h = handle_make(&c->handles, obj, rights);
        if (h == HANDLE_NULL) {
            status = CORAL_EINTERNAL;
        } else {
            *index = c->ngrants;
            c->grants[c->ngrants++] = h;
            status = CORAL_OK;
        }
    }
    spin_unlock_irqrestore(&c->lock, f);
    return status;
}

/* ---- memory areas on an instance's memory ---- */

struct memwin {
    struct component *c;        /* a reference: keeps the store alive */
    wasm_extern mem;
};

static uint8_t *memwin_window(const struct vma *v, uint64_t *size)
{
    const struct memwin *w = v->ctx;
    return wasm_memory_data(&w->mem, size);
}

static void memwin_release(struct vma *v)
{
    struct memwin *w = v->ctx;
    kobj_put(&w->c->k);
    kfree(w);
}

static const struct vma_source memwin_src = { memwin_window, memwin_release };

/* A memory area on mem, a memory of c's store, holding a reference to
 * c; NULL when out of memory. */
static struct vma *memwin_new(struct component *c, wasm_extern mem)
{
    struct memwin *w = kzalloc(sizeof *w);
    if (!w)
        return NULL;
    w->c = c;
    w->mem = mem;
    kobj_get(&c->k);
    struct vma *v = vma_new_source("instance memory", &memwin_src, w, VMA_READ | VMA_WRITE);
    if (!v) {
        kobj_put(&c->k);
        kfree(w);
    }
    return v;
}

int component_memory(struct component *c, uint32_t index, struct vma **out)
{
    wasm_extern mem;
    *out = NULL;
    uint32_t n = __atomic_load_n(&c->ninst, __ATOMIC_ACQUIRE);
    if (index >= n || c->state == COMPONENT_DEAD ||
        !wasm_instance_memory(c->inst[index].inst, &mem))
        return CORAL_EINVAL;
    *out = memwin_new(c, mem);
    return *out ? CORAL_OK : CORAL_EINTERNAL;
}

/* Before the start function: the first externref table the module
 * defines gets, at index 0, a handle to the instance's memory. */
static bool fill_self(void *ctx, wasm_instance *in)
{
    struct component *c = ctx;
    wasm_extern mem, t;
    if (!wasm_instance_memory(in, &mem))
        return true;
    for (uint32_t i = 0; i < wasm_instance_num_tables(in); i++) {
        bool imported;
        if (!wasm_instance_table(in, i, &t, &imported) || imported ||
            wasm_table_elem(&t) != 0x6f)
            continue;
        if (wasm_table_size(&t) == 0)
            return true;
        struct vma *v = memwin_new(c, mem);
        if (!v)
            return false;
        handle_t h = component_handle_make(c, &v->k, RIGHTS_ALL);
        kobj_put(&v->k);            /* the handle holds it now */
        return h != HANDLE_NULL && wasm_table_set(&t, 0, h);
    }
    return true;
}

/* ---- instances ---- */

static bool name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

static int make_handles_table(struct component *c, const wasm_import_desc *d,
                              wasm_extern *out, char *why, size_t ws)
{
    if (d->kind != 1 || d->elem != 0x6f) {
        fmt_snprintf(why, ws, "coral.handles is a table of externref");
        return CORAL_EINVAL;
    }
    if (d->min > 65536) {
        fmt_snprintf(why, ws, "coral.handles: minimum size %u is too large", d->min);
        return CORAL_EINVAL;
    }
    uint32_t n = c->ngrants;
    uint32_t size = d->min > n ? d->min : n;
    if (d->has_max && size > d->max)
        size = d->max;
    if (!wasm_table_new(c->store, 0x6f, size, d->max, d->has_max, out)) {
        fmt_snprintf(why, ws, "out of memory");
        return CORAL_EINTERNAL;
    }
    for (uint32_t i = 0; i < n && i < size; i++)
        wasm_table_set(out, i, c->grants[i]);
    return CORAL_OK;
}

static int resolve(struct component *c, const wasm_import_desc *d, wasm_extern *out,
                   char *why, size_t ws)
{
    const struct component_natives *nat = component_natives;
    if (nat && name_eq(d->module, d->module_len, nat->module, strlen(nat->module))) {
        if (name_eq(d->field, d->field_len, "handles", 7))
            return make_handles_table(c, d, out, why, ws);
        if (d->kind == 0 && nat->lookup(c, d->field, d->field_len, out))
            return CORAL_OK;
        fmt_snprintf(why, ws, "unknown import: %s has no %s \"%.*s\"", nat->module,
                     d->kind == 0 ? "function" : "such item", (int)d->field_len, d->field);
        return CORAL_EINVAL;
    }
    for (uint32_t i = c->ninst; i-- > 0;) {
        const struct component_instance *ci = &c->inst[i];
        if (!name_eq(d->module, d->module_len, ci->name, ci->name_len))
            continue;
        if (wasm_instance_export(ci->inst, d->field, d->field_len, out))
            return CORAL_OK;
        fmt_snprintf(why, ws, "unknown import: instance \"%.*s\" exports no \"%.*s\"",
                     (int)d->module_len, d->module, (int)d->field_len, d->field);
        return CORAL_EINVAL;
    }
    fmt_snprintf(why, ws, "unknown import: no module \"%.*s\" (for \"%.*s\")",
                 (int)d->module_len, d->module, (int)d->field_len, d->field);
    return CORAL_EINVAL;
}

/* Whether fn has exactly the type params -> results. */
static bool type_is(const wasm_extern *fn, const char *params, const char *results)
{
    uint32_t np, nr;
    const uint8_t *p, *r;
    wasm_func_type(fn, &np, &p, &nr, &r);
    return np == strlen(params) && nr == strlen(results) &&
           memcmp(p, params, np) == 0 && memcmp(r, results, nr) == 0;
}

static void find_events(struct component *c, wasm_instance *in)
{
    wasm_extern fn;
    if (!c->has_tick && wasm_instance_export(in, "tick", 4, &fn) && fn.kind == 0) {
        if (type_is(&fn, "", "")) {
            c->on_tick = fn;
            c->has_tick = true;
        } else {
            pr_warn("component %llu (%s): export tick is not () -> (): no ticks\n",
                    (unsigned long long)c->id, c->name);
        }
    }
    if (!c->has_ready && wasm_instance_export(in, "ready", 5, &fn) && fn.kind == 0) {
        if (type_is(&fn, "\x7e\x7f", "")) {
            c->on_ready = fn;
            c->has_ready = true;
        } else {
            pr_warn("component %llu (%s): export ready is not (i64, i32) -> (): "
                    "events_watch refused\n", (unsigned long long)c->id, c->name);
        }
    }
}

int component_do_add(struct component *c, struct kmodule *m, const char *name, size_t len,
                  uint32_t *index, char *why, size_t ws)
{
    if (c->state == COMPONENT_DEAD || c->kill) {
        fmt_snprintf(why, ws, "the component has ended");
        return CORAL_EINVAL;
    }
    /* Instances being made count: a start function may add to its own
     * component (inline, on this thread) before its own add is done. */
    if (c->ninst + c->adding >= c->max_instances) {
        fmt_snprintf(why, ws, "the component has %u instances, its limit",
                     c->ninst + c->adding);
        return CORAL_EINVAL;
    }
    if (len > COMPONENT_NAME_MAX) {
        fmt_snprintf(why, ws, "instance name longer than %u bytes", COMPONENT_NAME_MAX);
        return CORAL_EINVAL;
    }
    uint32_t n = wasm_module_num_imports(m->m);
    wasm_extern *imports = n ? kmalloc(n * sizeof *imports) : NULL;
    if (n && !imports) {
        fmt_snprintf(why, ws, "out of memory");
        return CORAL_EINTERNAL;
    }
    int status = CORAL_OK;
    for (uint32_t i = 0; i < n && status == CORAL_OK; i++) {
        wasm_import_desc d;
        wasm_module_import(m->m, i, &d);
        status = resolve(c, &d, &imports[i], why, ws);
    }
    wasm_instance *in = NULL;
    if (status == CORAL_OK) {
        wasm_error err;
        int trap = 0;
        c->adding++;
        in = wasm_instantiate_with(c->store, m->c, imports, n, fill_self, c, &err, &trap);
        c->adding--;
        if (!in) {
            status = CORAL_EINVAL;
            if (trap) {
                uint32_t fi;
                const char *fname = wasm_store_trap_func(c->store, &fi);
                fmt_snprintf(why, ws, "start function trapped in function %u (%s): %s",
                             fi, fname ? fname : "unnamed", wasm_trap_message(trap));
            } else {
                wasm_error_format(&err, m->m, why, ws);
            }
        }
    }
    kfree(imports);
    if (!in)
        return status;
    struct component_instance *ci = &c->inst[c->ninst];
    ci->inst = in;
    ci->mod = (struct kmodule *)kobj_get(&m->k);
    if (len)
        memcpy(ci->name, name, len);
    ci->name_len = (uint32_t)len;
    *index = c->ninst++;
    find_events(c, in);
    return CORAL_OK;
}

