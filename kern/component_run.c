/*
 * Running Wasm on a component's thread (see component_impl.h): calls of
 * exports for requests and events, and the report of the trap that ends a
 * component, once, naming where it happened.
 */
#include "kern/component_impl.h"

#include "base/log.h"
#include "kern/thread.h"
#include "lib/fmt.h"
#include "lib/string.h"

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
    if (trap == WASM_TRAP_INTERRUPTED && __atomic_load_n(&c->exited, __ATOMIC_RELAXED)) {
        pr_info("atoll: component %llu (%s) exited with status %d during %s\n",
                (unsigned long long)c->id, c->name, (int)c->exit_status, during);
    } else if (trap == WASM_TRAP_INTERRUPTED && c->kill) {
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
bool component_callable(struct component *c, uint32_t index, const char *name, size_t len,
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

int component_do_call(struct component *c, uint32_t index, const char *name, size_t len,
                   uint64_t arg, int64_t *result)
{
    *result = 0;
    wasm_extern fn;
    if (c->state == COMPONENT_DEAD || c->kill || !component_callable(c, index, name, len, &fn))
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

int component_tick(struct component *c)
{
    if (!c->has_tick || c->kill)
        return CORAL_EINVAL;
    uint64_t vals[1];
    return run(c, &c->on_tick, vals, "tick") ? CORAL_ETRAPPED : CORAL_OK;
}

int component_ready(struct component *c, uint64_t key, uint32_t signals)
{
    if (!c->has_ready || c->kill)
        return CORAL_EINVAL;
    uint64_t vals[2] = { key, signals };
    return run(c, &c->on_ready, vals, "ready") ? CORAL_ETRAPPED : CORAL_OK;
}

