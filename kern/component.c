/*
 * Components (see component.h): a thread serving a queue of work over one
 * Wasm store.
 *
 * Locking, on one CPU: c->lock (an interrupt-masking spinlock) guards the
 * handle space, the grant list and the request queue, which the
 * component's own thread and other components' threads both touch; the
 * list of all components has its own lock, taken by the timer tick. The
 * store and the instance list are touched only by the component's thread
 * (or by its creator through a request served on that thread).
 */
#include "kern/component.h"

#include "arch/x86/cpu.h"
#include "dev/keyboard.h"
#include "kern/account.h"
#include "kern/clock.h"
#include "kern/coral.h"
#include "kern/log.h"
#include "kern/reserve.h"
#include "kern/thread.h"
#include "kern/vma.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/pmm.h"

/* The component's thread: its stack, and how much of it Wasm may use
 * (the rest is for host functions, the trap path and interrupts). */
#define COMPONENT_STACK      (1024 * 1024)
#define COMPONENT_WASM_STACK (COMPONENT_STACK - 192 * 1024)
#define MAX_PENDING_TICKS    4
/* How long a caller waits for a busy component to take its request (one
 * stuck in an endless loop never does) before it gets result 2. */
#define REQUEST_WAIT_NS      2000000000ull
#define COMPONENT_STACK_BACKED (32 * 1024)

/* REQ_ADD_START: an add nobody waits for (component_add_start), counted
 * in c->started as REQ_START is. */
enum creq_kind { REQ_ADD, REQ_CALL, REQ_START, REQ_ADD_START };

/* A request from another thread, on the heap: a caller that is killed
 * while it waits leaves, and the request must outlive its stack. It holds
 * copies of what it reads (the name) and room for what it writes (the
 * reason of a failed add). c->lock of the serving component guards
 * waiter, done and picked: the server frees a request nobody waits for
 * any more (waiter NULL), the waiter frees one that is done. */
struct creq {
    enum creq_kind kind;
    struct creq *next;
    struct thread *waiter;      /* NULL: nobody waits (a start, or abandoned) */
    bool done;
    bool picked;                /* taken off the queue by the component */
    uint64_t queued_at;         /* clock_ns */
    int status;
    uint32_t index;             /* instance: made (add) or called (call) */
    struct kmodule *mod;        /* add: a reference */
    size_t len;
    uint64_t arg;               /* call, start */
    int64_t result;
    char name[COMPONENT_NAME_MAX];
    char why[160];              /* add: why it failed */
};

static spinlock_t all_lock = SPINLOCK_INIT;
static struct component *all_components;
static uint64_t next_id = 1;
static uint64_t live_components;

static void collect_cycles(void);

/* Wakes c's thread unless it has exited (its struct may be freed then).
 * Interrupts are off across the check and the wake: on one CPU the
 * thread cannot exit in between. */
static void wake(struct component *c)
{
    uint64_t f = irq_save();
    if (!c->thread_gone)
        thread_wake(c->thread);
    irq_restore(f);
}

/* ---- handles ---- */

handle_t component_handle_make(struct component *c, struct kobj *obj)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    handle_t h = c->state == COMPONENT_DEAD ? HANDLE_NULL : handle_make(&c->handles, obj);
    spin_unlock_irqrestore(&c->lock, f);
    return h;
}

struct kobj *component_handle_get(struct component *c, handle_t h, enum kobj_kind kind)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, kind);
    if (o)
        kobj_get(o);
    spin_unlock_irqrestore(&c->lock, f);
    return o;
}

enum kobj_kind component_handle_kind(struct component *c, handle_t h)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    enum kobj_kind k = handle_kind(&c->handles, h);
    spin_unlock_irqrestore(&c->lock, f);
    return k;
}

bool component_handle_drop(struct component *c, handle_t h)
{
    /* The reference is put outside the lock: destroying an object may
     * free memory or take other locks. */
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, KOBJ_INVALID);
    if (o)
        kobj_get(o);
    bool ok = handle_drop(&c->handles, h);
    spin_unlock_irqrestore(&c->lock, f);
    kobj_put(o);
    collect_cycles();
    return ok;
}

int component_grant(struct component *c, struct kobj *obj, uint32_t *index)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    int status = CORAL_EINVAL;
    if (c->state != COMPONENT_DEAD && !c->kill && c->ngrants < COMPONENT_MAX_GRANTS) {
        handle_t h = handle_make(&c->handles, obj);
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

static uint8_t *memwin_base(const struct vma *v)
{
    const struct memwin *w = v->ctx;
    uint64_t size;
    return wasm_memory_data(&w->mem, &size);
}

static uint64_t memwin_size(const struct vma *v)
{
    const struct memwin *w = v->ctx;
    uint64_t size;
    wasm_memory_data(&w->mem, &size);
    return size;
}

static void memwin_release(struct vma *v)
{
    struct memwin *w = v->ctx;
    kobj_put(&w->c->k);
    kfree(w);
}

static const struct vma_source memwin_src = { memwin_base, memwin_size, memwin_release };

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
        struct memwin *w = kzalloc(sizeof *w);
        if (!w)
            return false;
        w->c = c;
        w->mem = mem;
        kobj_get(&c->k);
        struct vma *v = vma_new_source("instance memory", &memwin_src, w,
                                       VMA_READ | VMA_WRITE);
        if (!v) {
            kobj_put(&c->k);
            kfree(w);
            return false;
        }
        handle_t h = component_handle_make(c, &v->k);
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
    if (name_eq(d->module, d->module_len, "coral", 5)) {
        if (name_eq(d->field, d->field_len, "handles", 7))
            return make_handles_table(c, d, out, why, ws);
        if (d->kind == 0 && coral_lookup(c, d->field, d->field_len, out))
            return CORAL_OK;
        fmt_snprintf(why, ws, "unknown import: coral has no %s \"%.*s\"",
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
    if (!c->has_key && wasm_instance_export(in, "press_key", 9, &fn) && fn.kind == 0) {
        if (type_is(&fn, "\x7f", "")) {
            c->on_key = fn;
            c->has_key = true;
        } else {
            pr_warn("component %llu (%s): export press_key is not (i32) -> (): no keys\n",
                    (unsigned long long)c->id, c->name);
        }
    }
}

static int do_add(struct component *c, struct kmodule *m, const char *name, size_t len,
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

/* ---- running Wasm on the component's thread ---- */

static const char *instance_of(struct component *c, const wasm_module *m, uint32_t *index)
{
    for (uint32_t i = 0; i < c->ninst; i++) {
        if (wasm_instance_module(c->inst[i].inst) == m) {
            *index = i;
            return c->inst[i].name_len ? c->inst[i].name : "";
        }
    }
    *index = UINT32_MAX;
    return NULL;
}

/* A trap ends the component; the report names where it happened. Only
 * the first is reported and kept: when Wasm code nested through host
 * calls (a start function adding to its own component, a call of its own
 * export) traps, every level above it ends as "interrupted" on the way
 * out, and those are the same event, not new ones. */
static void report_trap(struct component *c, int trap, const char *during)
{
    if (__atomic_load_n(&c->trap, __ATOMIC_RELAXED) ||
        (c->reported && __atomic_load_n(&c->kill, __ATOMIC_RELAXED)))
        return;
    c->reported = true;
    uint32_t fi = UINT32_MAX, ii;
    const char *fname = wasm_store_trap_func(c->store, &fi);
    const char *iname = instance_of(c, wasm_store_trap_module(c->store), &ii);
    if (trap == WASM_TRAP_INTERRUPTED && c->kill) {
        pr_info("atoll: component %llu (%s) killed during %s\n",
                (unsigned long long)c->id, c->name, during);
    } else {
        fmt_snprintf(c->why, sizeof c->why, "trapped in instance %d (%s), function %d (%s): %s",
                     ii == UINT32_MAX ? -1 : (int)ii, iname && *iname ? iname : "unnamed",
                     fi == UINT32_MAX ? -1 : (int)fi, fname ? fname : "unnamed",
                     wasm_trap_message(trap));
        pr_err("atoll: component %llu (%s) trapped: instance %d (%s), function %d (%s), "
               "during %s: %s\n", (unsigned long long)c->id, c->name,
               ii == UINT32_MAX ? -1 : (int)ii, iname && *iname ? iname : "unnamed",
               fi == UINT32_MAX ? -1 : (int)fi, fname ? fname : "unnamed", during,
               wasm_trap_message(trap));
        /* The trap before the kill: component_status reads them the other
         * way round, so whoever sees the kill also sees why. */
        __atomic_store_n(&c->trap, trap, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&c->kill, true, __ATOMIC_RELEASE);
}

static int run(struct component *c, const wasm_extern *fn, uint64_t *vals, const char *during)
{
    c->calls++;
    int t = wasm_call(c->store, fn, vals);
    /* Killed: its code has stopped here (the report below writes to a
     * serial port, whose pace is not the victim's doing). */
    if (t && c->kill && !c->stop_cpu_ns)
        c->stop_cpu_ns = thread_cpu_ns(thread_current());
    if (t)
        report_trap(c, t, during);
    return t;
}

/* The export `name` of instance `index`, if its type is one a call from
 * another component can make: () or (i32|i64) -> () or i32|i64. */
static bool callable(struct component *c, uint32_t index, const char *name, size_t len,
                     wasm_extern *fn)
{
    if (index >= c->ninst || !wasm_instance_export(c->inst[index].inst, name, len, fn) ||
        fn->kind != 0)
        return false;
    uint32_t np, nr;
    const uint8_t *p, *r;
    wasm_func_type(fn, &np, &p, &nr, &r);
    return np <= 1 && nr <= 1 && (!np || p[0] == 0x7f || p[0] == 0x7e) &&
           (!nr || r[0] == 0x7f || r[0] == 0x7e);
}

static int do_call(struct component *c, uint32_t index, const char *name, size_t len,
                   uint64_t arg, int64_t *result)
{
    *result = 0;
    wasm_extern fn;
    if (c->state == COMPONENT_DEAD || c->kill || !callable(c, index, name, len, &fn))
        return CORAL_EINVAL;
    uint32_t np, nr;
    const uint8_t *p, *r;
    wasm_func_type(&fn, &np, &p, &nr, &r);
    uint64_t vals[1] = { np && p[0] == 0x7f ? (uint32_t)arg : arg };
    char during[48];
    fmt_snprintf(during, sizeof during, "a call of %.*s", (int)(len > 32 ? 32 : len), name);
    int t = run(c, &fn, vals, during);
    if (t) {
        /* What ended it first (a nested level's trap), not how this
         * level unwound. */
        int first = __atomic_load_n(&c->trap, __ATOMIC_RELAXED);
        *result = first ? first : t;
        return CORAL_ETRAPPED;
    }
    if (nr)
        *result = r[0] == 0x7f ? (int64_t)(int32_t)vals[0] : (int64_t)vals[0];
    return CORAL_OK;
}

static struct creq *creq_new(enum creq_kind kind, const char *name, size_t len)
{
    if (len > COMPONENT_NAME_MAX)
        return NULL;
    struct creq *r = kzalloc(sizeof *r);
    if (!r)
        return NULL;
    r->kind = kind;
    if (len)
        memcpy(r->name, name, len);
    r->len = len;
    return r;
}

static void creq_free(struct creq *r)
{
    if (r->mod)
        kobj_put(&r->mod->k);
    kfree(r);
}

/* The server is done with r: tell its waiter, or free it when nobody
 * waits any more (the waiter was killed and left). */
static void finish(struct component *c, struct creq *r)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct thread *w = r->waiter;
    r->done = true;
    if (w)
        thread_wake(w);
    spin_unlock_irqrestore(&c->lock, f);
    if (!w)
        creq_free(r);
}

static void serve_add_start(struct component *c, struct creq *r);

static void serve(struct component *c, struct creq *r)
{
    if (r->kind == REQ_ADD_START) {
        serve_add_start(c, r);
        return;
    }
    if (r->kind == REQ_START) {
        int status = do_call(c, r->index, r->name, r->len, r->arg, &r->result);
        if (status == CORAL_OK)
            __atomic_store_n(&c->last_result, r->result, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, false, __ATOMIC_RELAXED);
        /* Last: component_status trusts what it sees once this drops. */
        __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
        creq_free(r);
        return;
    }
    if (r->kind == REQ_ADD)
        r->status = do_add(c, r->mod, r->name, r->len, &r->index, r->why, sizeof r->why);
    else
        r->status = do_call(c, r->index, r->name, r->len, r->arg, &r->result);
    finish(c, r);
}

/* Queues r for c's thread without waiting; false when c has ended. */
static bool enqueue(struct component *c, struct creq *r)
{
    r->next = NULL;
    uint64_t f = spin_lock_irqsave(&c->lock);
    if (c->state == COMPONENT_DEAD || c->kill) {
        spin_unlock_irqrestore(&c->lock, f);
        return false;
    }
    if (c->req_tail)
        c->req_tail->next = r;
    else
        c->req_head = r;
    c->req_tail = r;
    spin_unlock_irqrestore(&c->lock, f);
    wake(c);
    return true;
}

int component_tick(struct component *c)
{
    if (!c->has_tick || c->kill)
        return CORAL_EINVAL;
    uint64_t vals[1];
    return run(c, &c->on_tick, vals, "tick") ? CORAL_ETRAPPED : CORAL_OK;
}

int component_press_key(struct component *c, uint8_t code)
{
    if (!c->has_key || c->kill)
        return CORAL_EINVAL;
    uint64_t vals[1] = { code };
    return run(c, &c->on_key, vals, "press_key") ? CORAL_ETRAPPED : CORAL_OK;
}

/* Takes a request the component has not picked up back off its queue
 * (c->lock held); false when it is not there. */
static bool unqueue(struct component *c, struct creq *r)
{
    struct creq *prev = NULL;
    for (struct creq *q = c->req_head; q; prev = q, q = q->next) {
        if (q != r)
            continue;
        if (prev)
            prev->next = q->next;
        else
            c->req_head = q->next;
        if (c->req_tail == q)
            c->req_tail = prev;
        return true;
    }
    return false;
}

enum submit_result { SUBMIT_DONE, SUBMIT_ENDED, SUBMIT_BUSY, SUBMIT_KILLED };

/* Queues r for c's thread and waits for it; on SUBMIT_DONE r is the
 * caller's to read and free, otherwise it is gone. SUBMIT_ENDED when c has
 * ended, SUBMIT_BUSY when c did not take it within REQUEST_WAIT_NS (the
 * timer wakes us to look: component_tick_all), SUBMIT_KILLED when the
 * caller was asked to end while it waited: it leaves at once, and a
 * request c is already serving is freed by c when done. */
static enum submit_result submit(struct component *c, struct creq *r)
{
    r->waiter = thread_current();
    r->queued_at = clock_ns();
    if (!enqueue(c, r)) {
        creq_free(r);
        return SUBMIT_ENDED;
    }
    /* Interrupts stay off from the check to the block, so a wake cannot
     * fall in between (one CPU). */
    uint64_t irq = irq_save();
    enum submit_result res = SUBMIT_DONE;
    for (;;) {
        uint64_t f = spin_lock_irqsave(&c->lock);
        bool done = r->done, leave = false, drop = false;
        if (!done && thread_should_stop()) {
            res = SUBMIT_KILLED;
            leave = true;
        } else if (!done && !r->picked &&
                   clock_ns() - r->queued_at > REQUEST_WAIT_NS) {
            res = SUBMIT_BUSY;
            leave = true;
        }
        if (leave) {
            drop = unqueue(c, r);       /* never picked: ours to free */
            r->waiter = NULL;           /* else the server frees it */
        }
        spin_unlock_irqrestore(&c->lock, f);
        if (drop)
            creq_free(r);
        if (done || leave)
            break;
        thread_block();
    }
    irq_restore(irq);
    return res;
}

int component_add(struct component *c, struct kmodule *m, const char *name,
                  size_t len, uint32_t *index, char *why, size_t why_size)
{
    why[0] = 0;
    if (c->thread == thread_current())
        return do_add(c, m, name, len, index, why, why_size);
    if (c->ninst + c->adding >= c->max_instances) {
        fmt_snprintf(why, why_size, "the component has %u instances, its limit", c->ninst);
        return CORAL_EINVAL;
    }
    struct creq *r = creq_new(REQ_ADD, name, len);
    if (!r) {
        fmt_snprintf(why, why_size, len > COMPONENT_NAME_MAX ? "instance name too long"
                                                             : "out of memory");
        return len > COMPONENT_NAME_MAX ? CORAL_EINVAL : CORAL_EINTERNAL;
    }
    r->mod = (struct kmodule *)kobj_get(&m->k);
    switch (submit(c, r)) {
    case SUBMIT_ENDED:
        fmt_snprintf(why, why_size, "the component has ended");
        return CORAL_EINVAL;
    case SUBMIT_BUSY:
        fmt_snprintf(why, why_size, "the component is busy (it took no request for 2 s)");
        return CORAL_EINTERNAL;
    case SUBMIT_KILLED:
        fmt_snprintf(why, why_size, "the caller was killed while it waited");
        return CORAL_EINTERNAL;
    case SUBMIT_DONE:
        break;
    }
    *index = r->index;
    int status = r->status;
    fmt_snprintf(why, why_size, "%s", r->why);
    creq_free(r);
    return status;
}

int component_call(struct component *c, uint32_t index, const char *name,
                   size_t len, uint64_t arg, int64_t *result)
{
    *result = 0;
    if (c->thread == thread_current())
        return do_call(c, index, name, len, arg, result);
    struct creq *r = creq_new(REQ_CALL, name, len);
    if (!r)
        return len > COMPONENT_NAME_MAX ? CORAL_EINVAL : CORAL_EINTERNAL;
    r->index = index;
    r->arg = arg;
    switch (submit(c, r)) {
    case SUBMIT_ENDED:
        return CORAL_EINVAL;
    case SUBMIT_BUSY:
    case SUBMIT_KILLED:
        return CORAL_EINTERNAL;
    case SUBMIT_DONE:
        break;
    }
    *result = r->result;
    int status = r->status;
    creq_free(r);
    return status;
}

/* The limits kept at every ancestor, under all_lock (which is taken
 * before any component's lock, never after). */
static int set_tree_limit(struct component *c, int key, uint64_t value)
{
    int status = CORAL_EINVAL;
    uint64_t f = spin_lock_irqsave(&all_lock);
    if (key == COMPONENT_LIMIT_SPACE && value >= c->space && value <= c->space_limit) {
        c->space_limit = value;
        status = CORAL_OK;
    } else if (key == COMPONENT_LIMIT_COMPONENTS && value >= c->tree &&
               value <= c->tree_limit) {
        c->tree_limit = (uint32_t)value;
        status = CORAL_OK;
    }
    spin_unlock_irqrestore(&all_lock, f);
    return status;
}

int component_set_limit(struct component *c, int key, uint64_t value)
{
    if (key == COMPONENT_LIMIT_SPACE || key == COMPONENT_LIMIT_COMPONENTS)
        return set_tree_limit(c, key, value);
    int status = CORAL_EINVAL;
    uint64_t f = spin_lock_irqsave(&c->lock);
    switch (key) {
    case COMPONENT_LIMIT_PAGES: {
        if (value >= wasm_store_pages(c->store) && value <= c->page_limit) {
            c->page_limit = value;
            wasm_store_set_page_limit(c->store, value);
            status = CORAL_OK;
        }
        break;
    }
    case COMPONENT_LIMIT_HANDLES:
        if (value >= c->handles.used && value <= c->handles.limit) {
            c->handles.limit = (uint32_t)value;
            status = CORAL_OK;
        }
        break;
    case COMPONENT_LIMIT_INSTANCES:
        if (value >= c->ninst + c->adding && value <= c->max_instances) {
            c->max_instances = (uint32_t)value;
            status = CORAL_OK;
        }
        break;
    case COMPONENT_LIMIT_CPU:
        if (value >= 1 && value <= c->cpu_share) {
            c->cpu_share = (uint32_t)value;
            if (!c->thread_gone)
                thread_set_share(c->thread, value >= 100 ? 0 : (unsigned)value);
            status = CORAL_OK;
        }
        break;
    case COMPONENT_LIMIT_AREAS:
        status = account_lower(c->areas, value) ? CORAL_OK : CORAL_EINVAL;
        break;
    }
    spin_unlock_irqrestore(&c->lock, f);
    return status;
}

static int queue_started(struct component *c, struct creq *r);

int component_start(struct component *c, uint32_t index, const char *name, size_t len,
                    uint64_t arg)
{
    wasm_extern fn;
    /* Checked here too, so the caller learns of a bad name at once; the
     * instance list only grows, so it stays true when the call is served. */
    if (len == 0 || len > COMPONENT_NAME_MAX || c->state == COMPONENT_DEAD || c->kill ||
        !callable(c, index, name, len, &fn))
        return CORAL_EINVAL;
    struct creq *r = creq_new(REQ_START, name, len);
    if (!r)
        return CORAL_EINTERNAL;
    r->index = index;
    r->arg = arg;
    return queue_started(c, r);
}

/* Queues started work (a call or an add nobody waits for), at most
 * COMPONENT_MAX_STARTED at once: each is kernel heap a guest asks for. */
static int queue_started(struct component *c, struct creq *r)
{
    uint32_t before = __atomic_fetch_add(&c->started, 1, __ATOMIC_ACQUIRE);
    int status = before >= COMPONENT_MAX_STARTED ? CORAL_EINTERNAL
               : !enqueue(c, r)                  ? CORAL_EINVAL : CORAL_OK;
    if (status) {
        __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
        creq_free(r);
    }
    return status;
}

int component_add_start(struct component *c, struct kmodule *m, const char *name, size_t len)
{
    if (len > COMPONENT_NAME_MAX || c->state == COMPONENT_DEAD || c->kill)
        return CORAL_EINVAL;
    struct creq *r = creq_new(REQ_ADD_START, name, len);
    if (!r)
        return CORAL_EINTERNAL;
    r->mod = (struct kmodule *)kobj_get(&m->k);
    return queue_started(c, r);
}

/* On the component's thread. The outcome is published as a started
 * call's is: value and reason first, the count of started work last. */
static void serve_add_start(struct component *c, struct creq *r)
{
    uint32_t index = 0;
    int status = do_add(c, r->mod, r->name, r->len, &index, r->why, sizeof r->why);
    /* A kill lands in the start function as a trap of the instantiation:
     * its code has stopped here (kill latency, component_info key 8). */
    if (status && c->kill && !c->stop_cpu_ns)
        c->stop_cpu_ns = thread_cpu_ns(thread_current());
    if (status == CORAL_OK) {
        __atomic_store_n(&c->last_result, (int64_t)index, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, false, __ATOMIC_RELAXED);
    } else if (c->kill) {
        /* Its end is the kill, which component_status reports. */
        if (!c->reported)
            pr_info("atoll: component %llu (%s) killed during an add\n",
                    (unsigned long long)c->id, c->name);
        c->reported = true;
    } else {
        /* The component lives on (a start function's trap fails the add,
         * not the component): its describe says why until the next
         * started work is done. */
        fmt_snprintf(c->why, sizeof c->why, "add failed: %s", r->why);
        pr_info("atoll: component %llu (%s): add failed: %s\n",
                (unsigned long long)c->id, c->name, r->why);
        __atomic_store_n(&c->last_result, -(int64_t)status, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, true, __ATOMIC_RELAXED);
    }
    __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
    creq_free(r);
}

int component_status(struct component *c, int64_t *value)
{
    *value = 0;
    /* The component's thread may be ending a call right now (preemption
     * can fall between two reads). It writes the trap, then the kill, then
     * the count of started calls; read them the other way round, so a trap
     * is never seen as a kill or as a call that returned. */
    uint32_t started = __atomic_load_n(&c->started, __ATOMIC_ACQUIRE);
    bool ended = __atomic_load_n(&c->kill, __ATOMIC_ACQUIRE) || c->state == COMPONENT_DEAD;
    int trap = __atomic_load_n(&c->trap, __ATOMIC_RELAXED);
    if (trap && trap != WASM_TRAP_INTERRUPTED) {
        *value = trap;
        return COMPONENT_STATUS_TRAPPED;
    }
    if (ended)
        return COMPONENT_STATUS_KILLED;
    if (started)
        return COMPONENT_STATUS_RUNNING;
    *value = __atomic_load_n(&c->last_result, __ATOMIC_RELAXED);
    return COMPONENT_STATUS_IDLE;
}

int component_info(struct component *c, int key, int64_t *value)
{
    int64_t v = 0;
    switch (key) {
    case COMPONENT_INFO_ID: v = (int64_t)c->id; break;
    case COMPONENT_INFO_STATE: v = component_status(c, &v); break;
    case COMPONENT_INFO_CPU_NS: {
        uint64_t f = irq_save();
        v = (int64_t)(c->thread_gone ? c->cpu_ns : thread_cpu_ns(c->thread));
        irq_restore(f);
        break;
    }
    case COMPONENT_INFO_MEMORY:
        /* Each memory once: a C program's memory is its env instance's,
         * imported. */
        for (uint32_t i = 0; i < c->ninst; i++) {
            wasm_extern mem, other;
            uint64_t size = 0;
            if (!wasm_instance_memory(c->inst[i].inst, &mem))
                continue;
            bool seen = false;
            for (uint32_t j = 0; j < i && !seen; j++)
                seen = wasm_instance_memory(c->inst[j].inst, &other) && other.obj == mem.obj;
            if (!seen) {
                wasm_memory_data(&mem, &size);
                v += (int64_t)size;
            }
        }
        break;
    case COMPONENT_INFO_INSTANCES: v = c->ninst; break;
    case COMPONENT_INFO_CALLS: v = (int64_t)c->calls; break;
    case COMPONENT_INFO_AREAS: v = (int64_t)account_used(c->areas); break;
    case COMPONENT_INFO_SPACE: {
        uint64_t f = spin_lock_irqsave(&all_lock);
        v = (int64_t)c->space;
        spin_unlock_irqrestore(&all_lock, f);
        break;
    }
    case COMPONENT_INFO_COMPONENTS: {
        uint64_t f = spin_lock_irqsave(&all_lock);
        v = c->tree;
        spin_unlock_irqrestore(&all_lock, f);
        break;
    }
    case COMPONENT_INFO_ENDED: v = __atomic_load_n(&c->thread_gone, __ATOMIC_ACQUIRE); break;
    case COMPONENT_INFO_KILL_NS: {
        /* Asked to end by a kill (not by a trap of its own): the CPU time
         * it took to stop, its teardown excluded; -1 before that. */
        uint64_t f = irq_save();
        v = c->kill_timed && c->stop_cpu_ns && c->stop_cpu_ns >= c->kill_cpu_ns
                ? (int64_t)(c->stop_cpu_ns - c->kill_cpu_ns) : -1;
        irq_restore(f);
        break;
    }
    default: return CORAL_EINVAL;
    }
    *value = v;
    return CORAL_OK;
}

size_t component_describe(struct component *c, char *buf, size_t size)
{
    int64_t v;
    int st = component_status(c, &v);
    const char *text = st == COMPONENT_STATUS_TRAPPED ? c->why
                     : st == COMPONENT_STATUS_KILLED ? "killed"
                     : st == COMPONENT_STATUS_RUNNING ? "running"
                     : __atomic_load_n(&c->add_failed, __ATOMIC_RELAXED) ? c->why : "idle";
    size_t n = strnlen(text, sizeof c->why);
    if (n > size)
        n = size;
    memcpy(buf, text, n);
    return n;
}

/* The oldest queued request, taken off the queue (NULL: none). */
static struct creq *take_request(struct component *c)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct creq *r = c->req_head;
    if (r) {
        c->req_head = r->next;
        if (!c->req_head)
            c->req_tail = NULL;
        r->picked = true;
    }
    spin_unlock_irqrestore(&c->lock, f);
    return r;
}

void component_serve_queued(void)
{
    struct thread *t = thread_current();
    for (bool progress = true; progress;) {
        progress = false;
        for (struct component *c = all_components; c; c = c->all_next) {
            if (c->thread_gone || c->thread != t)
                continue;
            struct creq *r = take_request(c);
            if (r) {
                serve(c, r);
                progress = true;
            }
        }
    }
}

/* ---- the component's thread ---- */

/* Interrupts off (the thread cannot exit meanwhile on one CPU). Notes its
 * CPU time, for the kill latency (component_info key 8). */
static void ask_to_end(struct component *c)
{
    if (!c->thread_gone) {
        c->kill_cpu_ns = thread_cpu_ns(c->thread);
        c->kill_timed = true;
    }
    c->kill = true;
    if (!c->thread_gone)
        thread_kill(c->thread);
}

static bool has_work(struct component *c)
{
    if (c->req_head || c->kill)
        return true;
    if (!c->events_on)
        return false;
    return (c->has_tick && c->pending_ticks) ||
           (c->has_key && c->takes_keys && keyboard_pending());
}

static void die(struct component *c)
{
    pr_debug("component %llu (%s) ends\n", (unsigned long long)c->id, c->name);
    uint64_t f = spin_lock_irqsave(&c->lock);
    c->state = COMPONENT_DEAD;
    struct creq *r = c->req_head;
    c->req_head = c->req_tail = NULL;
    spin_unlock_irqrestore(&c->lock, f);
    while (r) {
        struct creq *next = r->next;
        if (r->kind == REQ_START || r->kind == REQ_ADD_START) {
            __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
            creq_free(r);
        } else {
            r->status = CORAL_EINVAL;
            if (r->kind == REQ_ADD)
                fmt_snprintf(r->why, sizeof r->why, "the component has ended");
            finish(c, r);
        }
        r = next;
    }
    /* The components it created end with it, whoever else holds them:
     * otherwise two that hold handles to each other (or one granted to
     * itself) would outlive everyone who could reach them. */
    f = spin_lock_irqsave(&all_lock);
    for (struct component *k = all_components; k; k = k->all_next)
        if (k->creator == c->id && !k->kill)
            ask_to_end(k);
    spin_unlock_irqrestore(&all_lock, f);
    /* Its own handles go now: that breaks the cycle through memory areas
     * on its own memories, which hold the component. */
    struct handle_space hs;
    f = spin_lock_irqsave(&c->lock);
    hs = c->handles;
    handle_space_init(&c->handles, 0);
    spin_unlock_irqrestore(&c->lock, f);
    handle_space_destroy(&hs);
    collect_cycles();
}

static int component_main(void *arg)
{
    struct component *c = arg;
    for (;;) {
        /* Kernel code below must not fault on its own stack while it
         * holds a lock: keep headroom backed (Wasm frames below grow it). */
        kstack_reserve(&thread_current()->stack, KSTACK_HEADROOM);
        irq_disable();
        while (!has_work(c)) {
            c->state = COMPONENT_IDLE;
            thread_block();
            irq_disable();
        }
        c->state = COMPONENT_BUSY;
        irq_enable();
        if (c->kill)
            break;
        struct creq *r = take_request(c);
        if (r) {
            serve(c, r);
            continue;
        }
        uint8_t code;
        if (c->has_key && c->takes_keys && keyboard_pop(&code)) {
            component_press_key(c, code);
            continue;
        }
        if (c->has_tick && c->pending_ticks) {
            __atomic_fetch_sub(&c->pending_ticks, 1, __ATOMIC_RELAXED);
            component_tick(c);
        }
    }
    if (!c->stop_cpu_ns)
        c->stop_cpu_ns = thread_cpu_ns(thread_current());
    die(c);
    uint64_t f = irq_save();
    c->cpu_ns = thread_cpu_ns(thread_current());
    c->thread_gone = true;      /* the reaper may free the thread from now */
    irq_restore(f);
    kobj_put(&c->k);            /* the thread's reference */
    return 0;
}

static void component_destroy(struct kobj *o)
{
    struct component *c = (struct component *)o;
    pr_debug("component %llu (%s) destroyed\n", (unsigned long long)c->id, c->name);
    uint64_t f = spin_lock_irqsave(&all_lock);
    for (struct component **p = &all_components; *p; p = &(*p)->all_next) {
        if (*p == c) {
            *p = c->all_next;
            break;
        }
    }
    live_components--;
    for (struct component *a = c->parent; a; a = a->parent)
        a->tree--;
    spin_unlock_irqrestore(&all_lock, f);
    handle_space_destroy(&c->handles);
    wasm_store_free(c->store);  /* credits its memories' address space */
    if (c->parent)              /* ... to its ancestors too: last */
        kobj_put(&c->parent->k);
    for (uint32_t i = 0; i < c->ninst; i++)
        kobj_put(&c->inst[i].mod->k);
    account_put(c->areas);      /* areas it made and handed on keep it */
    kfree(c->coral);
    kfree(c);
}

bool component_space_charge(struct component *c, uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&all_lock);
    bool ok = true;
    for (struct component *a = c; a && ok; a = a->parent)
        ok = a->space <= a->space_limit && a->space_limit - a->space >= bytes;
    for (struct component *a = c; a && ok; a = a->parent)
        a->space += bytes;
    spin_unlock_irqrestore(&all_lock, f);
    return ok;
}

void component_space_credit(struct component *c, uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&all_lock);
    for (struct component *a = c; a; a = a->parent)
        a->space -= bytes;
    spin_unlock_irqrestore(&all_lock, f);
}

/* Nobody can reach it any more (its creator dropped the last handle):
 * it ends, which drops its own handles and so may end its children. */
static void component_unreachable(struct kobj *o)
{
    component_kill((struct component *)o);
}

/* ---- components only a cycle of handles reaches ----
 *
 * Two components granted handles to each other keep each other's handle
 * count above zero after everyone else let go. A component is alive while
 * a path of handles leads to it from a root (a component the kernel made,
 * userboot): a collection marks from the roots through the handle spaces
 * of live components and ends every component it did not reach. It runs
 * after a component handle goes that was not the last one (only then can
 * a component be left with handles from a cycle alone), once the handle
 * space's lock is released: in handle_drop and after a component's own
 * handles go at its end. Cost: one pass over the live components and the
 * handle slots of those reached, with all_lock held (interrupts off). */
static volatile bool gc_pending;
static uint32_t gc_epoch;

static void component_handle_dropped(struct kobj *o)
{
    (void)o;
    __atomic_store_n(&gc_pending, true, __ATOMIC_RELEASE);
}

static void push_marked(struct component *x, struct component **work)
{
    if (x->gc_epoch == gc_epoch)
        return;
    x->gc_epoch = gc_epoch;
    if (x->kill || x->state == COMPONENT_DEAD)
        return;                 /* dying: what it holds goes anyway */
    x->gc_next = *work;
    *work = x;
}

static void collect_cycles(void)
{
    if (!__atomic_exchange_n(&gc_pending, false, __ATOMIC_ACQ_REL))
        return;
    uint64_t f = spin_lock_irqsave(&all_lock);
    gc_epoch++;
    struct component *work = NULL;
    for (struct component *c = all_components; c; c = c->all_next)
        if (!c->parent)
            push_marked(c, &work);
    while (work) {
        struct component *r = work;
        work = r->gc_next;
        uint64_t g = spin_lock_irqsave(&r->lock);
        for (uint32_t i = 0; i < r->handles.cap; i++) {
            struct kobj *o = r->handles.slots[i].obj;
            if (o && o->kind == KOBJ_COMPONENT)
                push_marked((struct component *)o, &work);
        }
        spin_unlock_irqrestore(&r->lock, g);
    }
    for (struct component *c = all_components; c; c = c->all_next) {
        /* No handle yet: being made, its creator's handle still to come
         * (the last handle's drop ends one, without a collection). */
        if (c->gc_epoch == gc_epoch || c->kill || c->thread_gone ||
            !__atomic_load_n(&c->k.handles, __ATOMIC_ACQUIRE))
            continue;
        pr_info("atoll: component %llu (%s) ends: only a cycle of handles reaches it\n",
                (unsigned long long)c->id, c->name);
        ask_to_end(c);
    }
    spin_unlock_irqrestore(&all_lock, f);
}

static const struct kobj_ops component_ops = { "component", component_destroy,
                                                component_unreachable,
                                                component_handle_dropped };

/* What an idle component costs the kernel (its structure, store, coral
 * functions and the backed top of its stack), claimed against the reserve
 * when a guest makes one. */
#define COMPONENT_COST (64 * 1024)

/* Counts a new member of every subtree it joins (all_lock held): false,
 * counting nothing, when one of its ancestors is at its limit. */
static bool join_tree(struct component *parent)
{
    for (struct component *a = parent; a; a = a->parent)
        if (a->tree >= a->tree_limit)
            return false;
    for (struct component *a = parent; a; a = a->parent)
        a->tree++;
    return true;
}

static void leave_tree(struct component *parent)
{
    uint64_t f = spin_lock_irqsave(&all_lock);
    for (struct component *a = parent; a; a = a->parent)
        a->tree--;
    spin_unlock_irqrestore(&all_lock, f);
}

static void free_parts(struct component *c)
{
    wasm_store_free(c->store);
    account_put(c->areas);
    kfree(c->coral);
    kfree(c);
}

struct component *component_create(const char *name, struct component *parent, int *status)
{
    *status = CORAL_EINTERNAL;
    if (parent && !reserve_guest_claim(COMPONENT_COST))
        return NULL;
    struct component *c = kzalloc(sizeof *c);
    struct pmm_stats ps;
    pmm_get_stats(&ps);
    if (c) {
        /* Half of RAM, as for pages: bounds what one component can pin
         * in areas and modules it hands on (the reserve is kept anyway). */
        c->areas = account_new(ps.total_frames * 4096 / 2);
        c->store = wasm_store_new(COMPONENT_WASM_STACK);
    }
    if (c && (!c->areas || !c->store || !coral_make(c))) {
        free_parts(c);
        c = NULL;
    }
    if (!c)
        goto out;
    kobj_init(&c->k, KOBJ_COMPONENT, &component_ops);
    handle_space_init(&c->handles, COMPONENT_MAX_HANDLES);
    c->max_instances = COMPONENT_MAX_INSTANCES;
    c->cpu_share = 100;
    /* Half of RAM in Wasm pages at most: two greedy components cannot
     * take it all (and the kernel's reserve is kept anyway). */
    c->page_limit = ps.total_frames * 4096 / 2 / 65536;
    wasm_store_set_page_limit(c->store, c->page_limit);
    /* Table elements are kernel heap (8 bytes each): 1 M of them, 8 MiB. */
    wasm_store_set_elem_limit(c->store, 1u << 20);
    /* Its subtree: as many idle components as a quarter of RAM holds. */
    c->tree_limit = (uint32_t)(ps.total_frames * 4096 / 4 / COMPONENT_COST);
    c->space_limit = COMPONENT_SPACE_LIMIT;
    size_t n = strnlen(name, sizeof c->name - 1);
    memcpy(c->name, name, n);
    uint64_t f = spin_lock_irqsave(&all_lock);
    bool joined = join_tree(parent);
    if (joined) {
        c->id = next_id++;
        c->creator = parent ? parent->id : 0;
        c->parent = parent ? (struct component *)kobj_get(&parent->k) : NULL;
    }
    spin_unlock_irqrestore(&all_lock, f);
    if (!joined) {
        *status = CORAL_EINVAL;
        free_parts(c);
        c = NULL;
        goto out;
    }
    /* 1 MiB of stack costs what its Wasm code uses: backed as touched. */
    c->thread = thread_create_lazy(c->name, component_main, c, COMPONENT_STACK,
                                   COMPONENT_STACK_BACKED, false);
    if (!c->thread) {
        leave_tree(parent);
        if (parent)
            kobj_put(&parent->k);
        free_parts(c);
        c = NULL;
        goto out;
    }
    c->thread->guest = true;
    c->thread->owner = c;
    kobj_get(&c->k);            /* the thread's reference */
    f = spin_lock_irqsave(&all_lock);
    c->all_next = all_components;
    all_components = c;
    live_components++;
    spin_unlock_irqrestore(&all_lock, f);
    thread_start(c->thread);
    *status = CORAL_OK;
out:
    if (parent)
        reserve_guest_done(COMPONENT_COST);
    return c;
}

static void wake_key_consumer(void)
{
    for (struct component *c = all_components; c; c = c->all_next)
        if (c->takes_keys && c->state != COMPONENT_DEAD && !c->thread_gone)
            thread_wake(c->thread);
}

void component_start_events(struct component *c, bool takes_keys)
{
    uint64_t f = irq_save();
    c->takes_keys = takes_keys;
    c->events_on = true;
    irq_restore(f);
    if (takes_keys)
        keyboard_set_notify(wake_key_consumer);
    wake(c);
}

void component_kill(struct component *c)
{
    uint64_t f = irq_save();
    if (!c->kill)
        ask_to_end(c);
    irq_restore(f);
}

struct component *component_current(void)
{
    struct thread *t = thread_current();
    uint64_t f = spin_lock_irqsave(&all_lock);
    struct component *c = all_components;
    while (c && (c->thread_gone || c->thread != t))
        c = c->all_next;
    spin_unlock_irqrestore(&all_lock, f);
    return c;
}

static uint64_t last_tick_ns;

uint64_t component_last_tick_ns(void)
{
    return __atomic_load_n(&last_tick_ns, __ATOMIC_RELAXED);
}

void component_tick_all(void)
{
    __atomic_store_n(&last_tick_ns, clock_ns(), __ATOMIC_RELAXED);
    /* Interrupt context, interrupts off: the list cannot change under
     * us on this CPU, and all_lock is never held with interrupts on. */
    for (struct component *c = all_components; c; c = c->all_next) {
        if (!c->events_on || !c->has_tick || c->state == COMPONENT_DEAD || c->thread_gone)
            continue;
        if (c->pending_ticks < MAX_PENDING_TICKS)
            c->pending_ticks++;
        if (c->state == COMPONENT_IDLE)
            thread_wake(c->thread);
    }
    /* Callers waiting too long on a busy component: let them look. */
    uint64_t now = last_tick_ns;
    for (struct component *c = all_components; c; c = c->all_next)
        for (struct creq *r = c->req_head; r; r = r->next)
            if (r->waiter && !r->picked && now - r->queued_at > REQUEST_WAIT_NS)
                thread_wake(r->waiter);
}

uint64_t component_count(void)
{
    return live_components;
}
