/*
 * The component calls of the coral module (see coral_impl.h): make a
 * component, add instances, grant, call and start exports, and watch,
 * limit and kill what one made. Each decodes every argument (handles in
 * the caller's space), then acts through kern/component.h.
 */
#include "kern/coral_impl.h"

#include "base/log.h"
#include "kern/kmodule.h"
#include "lib/fmt.h"
#include "lib/string.h"

int sys_component_create(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[32];
    fmt_snprintf(name, sizeof name, "child of %llu", (unsigned long long)c->id);
    int status;
    struct component *child = component_create(name, c, &status);
    if (!child) {
        vals[0] = (uint32_t)status;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    /* A child receives ticks from the start (there is no init to wait
     * for); keys stay with their one consumer. */
    component_start_events(child);
    handle_t h = component_handle_make(c, &child->k, RIGHTS_ALL);
    if (h == HANDLE_NULL)
        component_kill(child);      /* unreachable from its birth */
    kobj_put(&child->k);
    vals[0] = h == HANDLE_NULL ? CORAL_EINTERNAL : CORAL_OK;
    vals[1] = h;
    return 0;
}

/* Adds module mh to component ch under a name (len bytes; 0: none). */
static int add_instance(struct component *c, handle_t ch, handle_t mh, const char *name,
                        size_t len, uint64_t *vals)
{
    struct component *target;
    struct kmodule *m;
    int status = arg(c, ch, KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    int st2 = arg(c, mh, KOBJ_MODULE, RIGHT_READ, &m);
    status = status ? status : st2;
    uint32_t index = 0;
    if (!status) {
        char why[160];
        status = component_add(target, m, name, len, &index, why, sizeof why);
        if (status)
            pr_info("coral: component_add_instance (component %llu into %llu): %s\n",
                    (unsigned long long)c->id, (unsigned long long)target->id, why);
    }
    release(target);
    release(m);
    vals[0] = (uint32_t)status;
    vals[1] = status ? 0 : index;
    /* An inline add into our own component may have ended it. */
    return c->kill ? WASM_TRAP_INTERRUPTED : 0;
}

int sys_component_add_instance(void *env, uint64_t *vals)
{
    return add_instance(env, arg_handle(vals, 0), arg_handle(vals, 1), NULL, 0, vals);
}

int sys_component_grant(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target;
    struct kobj *o;
    uint32_t index = 0, rights = 0;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    int st2 = component_handle_raw(c, arg_handle(vals, 1), KOBJ_INVALID, RIGHT_TRANSFER, &o,
                                   &rights);
    status = status ? status : st2;
    if (!status)
        status = component_grant(target, o, rights, &index);
    release(target);
    release(o);
    vals[0] = (uint32_t)status;
    vals[1] = status ? 0 : index;
    return 0;
}

/* Copies a guest's name (at most max bytes) out of a memory area:
 * CORAL_OK, or the status that refuses it. */
static int read_name(struct component *c, handle_t vh, int64_t off, int64_t len,
                     char *buf, size_t max)
{
    if (len <= 0 || (uint64_t)len > max)
        return CORAL_EINVAL;
    struct vma *v;
    int st = arg(c, vh, KOBJ_VMA, RIGHT_READ, &v);
    if (!st && (!(v->access & VMA_READ) || !vma_range_ok(vma_size(v), off, len)))
        st = CORAL_EINVAL;
    if (!st)
        memcpy(buf, vma_base(v) + off, (size_t)len);
    release(v);
    return st;
}

int sys_component_add_named(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    int st = read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name);
    if (st) {
        vals[0] = (uint32_t)st;
        vals[1] = 0;
        return 0;
    }
    return add_instance(c, arg_handle(vals, 0), arg_handle(vals, 1), name, (size_t)len, vals);
}

int sys_component_call(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target;
    int64_t result = 0;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    if (!status)
        status = read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name);
    if (!status)
        status = component_call(target, (uint32_t)vals[1], name, (size_t)len, vals[5], &result);
    release(target);
    vals[0] = (uint32_t)status;
    vals[1] = (uint64_t)result;
    return c->kill ? WASM_TRAP_INTERRUPTED : 0;
}

int sys_component_start(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    if (!status)
        status = read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name);
    if (!status)
        status = component_start(target, (uint32_t)vals[1], name, (size_t)len, vals[5]);
    release(target);
    vals[0] = (uint32_t)status;
    return 0;
}

/* Queues an add of module mh to component ch, named by bytes of a memory
 * area (len 0: unnamed, the area unread); its outcome shows in
 * component_status. */
int sys_component_add_start(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target;
    struct kmodule *m;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    int st2 = arg(c, arg_handle(vals, 1), KOBJ_MODULE, RIGHT_READ, &m);
    status = status ? status : st2;
    if (!status && len != 0)
        status = read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name);
    if (!status)
        status = component_add_start(target, m, name, (size_t)len);
    release(target);
    release(m);
    vals[0] = (uint32_t)status;
    return 0;
}

int sys_component_status(void *env, uint64_t *vals)
{
    struct component *target;
    int64_t value = 0;
    int state = arg(env, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_READ, &target)
                    ? -1 : component_status(target, &value);
    release(target);
    vals[0] = (uint32_t)state;
    vals[1] = (uint64_t)value;
    return 0;
}

int sys_component_kill(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    if (!status)
        component_kill(target);
    release(target);
    vals[0] = (uint32_t)status;
    /* Killing ourselves: leave compiled code now. */
    return target == c ? WASM_TRAP_INTERRUPTED : 0;
}

int sys_component_info(void *env, uint64_t *vals)
{
    struct component *target;
    int64_t value = 0;
    int status = arg(env, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_READ, &target);
    if (!status)
        status = component_info(target, (int32_t)vals[1], &value);
    release(target);
    vals[0] = (uint32_t)status;
    vals[1] = (uint64_t)value;
    return 0;
}

int sys_component_describe(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target;
    struct vma *v;
    int64_t off = (int64_t)vals[2], len = (int64_t)vals[3];
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_READ, &target);
    int st2 = arg(c, arg_handle(vals, 1), KOBJ_VMA, RIGHT_WRITE, &v);
    status = status ? status : st2;
    vals[0] = status ? (uint32_t)status : CORAL_EINVAL;
    vals[1] = 0;
    if (!status && (v->access & VMA_WRITE) && vma_range_ok(vma_size(v), off, len)) {
        char text[sizeof target->why];
        size_t n = component_describe(target, text, sizeof text);
        if ((uint64_t)len < n)
            n = (size_t)len;
        memcpy(vma_base(v) + off, text, n);
        vals[0] = CORAL_OK;
        vals[1] = n;
    }
    release(target);
    release(v);
    return 0;
}

int sys_component_limit(void *env, uint64_t *vals)
{
    struct component *target;
    int64_t value = (int64_t)vals[2];
    int status = arg(env, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    if (!status)
        status = value >= 0 ? component_set_limit(target, (int32_t)vals[1], (uint64_t)value)
                            : CORAL_EINVAL;
    release(target);
    vals[0] = (uint32_t)status;
    return 0;
}


int sys_component_memory(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target;
    struct vma *v = NULL;
    int status = arg(c, arg_handle(vals, 0), KOBJ_COMPONENT, RIGHT_CONTROL, &target);
    if (!status)
        status = component_memory(target, (uint32_t)vals[1], &v);
    release(target);
    if (status) {
        vals[0] = (uint32_t)status;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(c, &v->k, vals);
    return 0;
}

/* proc_exit for the layers above: the component ends as a kill would end
 * it (its thread unwinds from here, its objects go), but its state reads
 * exited, with the status. A kill that came first wins. */
int sys_exit(void *env, uint64_t *vals)
{
    struct component *c = env;
    uint64_t f = irq_save();
    if (!__atomic_load_n(&c->kill, __ATOMIC_ACQUIRE)) {
        c->exit_status = (int32_t)vals[0];
        __atomic_store_n(&c->exited, true, __ATOMIC_RELEASE);
    }
    irq_restore(f);
    component_kill(c);
    return WASM_TRAP_INTERRUPTED;
}
