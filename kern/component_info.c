/*
 * Limits and figures (see component.h): what a creator may lower, and
 * what component_status, component_info and component_describe report.
 * The limits kept at every ancestor (components below, address space)
 * are counted under the component list's lock, the others under the
 * component's own.
 */
#include "kern/component_impl.h"

#include "kern/account.h"
#include "kern/thread.h"
#include "lib/string.h"

/* The limits kept at every ancestor, under component_list_lock (which is taken
 * before any component's lock, never after). */
static int set_tree_limit(struct component *c, int key, uint64_t value)
{
    int status = CORAL_EINVAL;
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    if (key == COMPONENT_LIMIT_SPACE && value >= c->space && value <= c->space_limit) {
        c->space_limit = value;
        status = CORAL_OK;
    } else if (key == COMPONENT_LIMIT_COMPONENTS && value >= c->tree &&
               value <= c->tree_limit) {
        c->tree_limit = (uint32_t)value;
        status = CORAL_OK;
    }
    spin_unlock_irqrestore(&component_list_lock, f);
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
    if (ended && __atomic_load_n(&c->exited, __ATOMIC_RELAXED)) {
        *value = c->exit_status;
        return COMPONENT_STATUS_EXITED;
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
        uint64_t f = spin_lock_irqsave(&component_list_lock);
        v = (int64_t)c->space;
        spin_unlock_irqrestore(&component_list_lock, f);
        break;
    }
    case COMPONENT_INFO_COMPONENTS: {
        uint64_t f = spin_lock_irqsave(&component_list_lock);
        v = c->tree;
        spin_unlock_irqrestore(&component_list_lock, f);
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

bool component_space_charge(struct component *c, uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    bool ok = true;
    for (struct component *a = c; a && ok; a = a->parent)
        ok = a->space <= a->space_limit && a->space_limit - a->space >= bytes;
    for (struct component *a = c; a && ok; a = a->parent)
        a->space += bytes;
    spin_unlock_irqrestore(&component_list_lock, f);
    return ok;
}

void component_space_credit(struct component *c, uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    for (struct component *a = c; a; a = a->parent)
        a->space -= bytes;
    spin_unlock_irqrestore(&component_list_lock, f);
}
