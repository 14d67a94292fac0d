/*
 * The coral native module (see coral.h and docs/abi.md). Each function
 * decodes its arguments (handles resolved in the calling component's
 * space, with a reference held while used; offsets and lengths checked
 * without overflow), then acts. Results: CORAL_OK, CORAL_EINVAL (invalid
 * parameters), CORAL_EINTERNAL (out of memory, a limit of the kernel),
 * CORAL_ETRAPPED (extension calls: the called code trapped). The functions,
 * their types and every number guests see are listed in abi/coral.def.
 */
#include "kern/coral.h"

#include "base/clock.h"
#include "kern/component.h"
#include "kern/kmodule.h"
#include "base/log.h"
#include "kern/reserve.h"
#include "kern/thread.h"
#include "kern/vma.h"
#include "dev/serial.h"
#include "dev/timer.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/pmm.h"

/* Value types as abi/coral.def writes them: the engine's type bytes. */
#define I32  "\x7f"
#define I64  "\x7e"
#define EXT  "\x6f"
#define NONE ""

/* sys_info's keys (SYS_INFO_RAM_TOTAL...), numbered by abi/coral.def. */
enum {
#define CORAL_SYS_INFO(name, value, doc) SYS_INFO_##name = (value),
#include "abi/coral.def"
};

#define LOG_WRITE_MAX  65536
#define VMA_CREATE_MAX (64ull << 20)

static handle_t arg_handle(const uint64_t *vals, int i)
{
    return (handle_t)vals[i];
}

static struct vma *get_vma(struct component *c, handle_t h)
{
    return (struct vma *)component_handle_get(c, h, KOBJ_VMA);
}

static struct component *get_component(struct component *c, handle_t h)
{
    return (struct component *)component_handle_get(c, h, KOBJ_COMPONENT);
}

/* Puts a new object in c's space: status and handle into vals[0], [1].
 * The object's creation reference is given to the handle. */
static void give(struct component *c, struct kobj *o, uint64_t *vals)
{
    handle_t h = component_handle_make(c, o);
    kobj_put(o);
    vals[0] = h == HANDLE_NULL ? CORAL_EINTERNAL : CORAL_OK;
    vals[1] = h;
}

/* ---- Coral's functions ---- */

static int sys_handle_kind(void *env, uint64_t *vals)
{
    vals[0] = (uint32_t)component_handle_kind(env, arg_handle(vals, 0));
    return 0;
}

static int sys_vma_write(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct vma *src = get_vma(c, arg_handle(vals, 0));
    struct vma *dst = get_vma(c, arg_handle(vals, 1));
    int r = CORAL_EINVAL;
    if (src && dst)
        r = vma_copy(src, dst, (int64_t)vals[2], (int64_t)vals[3], (int64_t)vals[4]);
    kobj_put(src ? &src->k : NULL);
    kobj_put(dst ? &dst->k : NULL);
    vals[0] = (uint32_t)r;
    return 0;
}

/* Compiles bytes [off, off+len) of a memory area into a module. */
static int make_module(struct component *c, handle_t vh, int64_t off, int64_t len,
                       struct kmodule **out)
{
    struct vma *v = get_vma(c, vh);
    if (!v || !(v->access & VMA_READ) || len <= 0 || !vma_range_ok(vma_size(v), off, len)) {
        kobj_put(v ? &v->k : NULL);
        pr_debug("coral: module_create (component %llu): bad memory area or range\n",
                 (unsigned long long)c->id);
        return CORAL_EINVAL;
    }
    int status = CORAL_EINTERNAL;
    char why[160] = "out of memory (the kernel's reserve)";
    /* Decoding and compiling take a few times the module's size. */
    *out = reserve_guest_may_take(8 * (uint64_t)len)
               ? kmodule_create(vma_base(v) + off, (uint64_t)len, c->areas, &status, why,
                                sizeof why)
               : NULL;
    kobj_put(&v->k);
    if (!*out)
        pr_info("coral: module_create (component %llu): %s\n",
                (unsigned long long)c->id, why);
    return status;
}

static int sys_module_create(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kmodule *m;
    int status = make_module(c, arg_handle(vals, 0), (int64_t)vals[1], (int64_t)vals[2], &m);
    if (status) {
        vals[0] = (uint32_t)status;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(c, &m->k, vals);
    return 0;
}

static int sys_component_create(void *env, uint64_t *vals)
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
    component_start_events(child, false);
    handle_t h = component_handle_make(c, &child->k);
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
    struct component *target = get_component(c, ch);
    struct kmodule *m = (struct kmodule *)component_handle_get(c, mh, KOBJ_MODULE);
    int status = CORAL_EINVAL;
    uint32_t index = 0;
    if (target && m) {
        char why[160];
        status = component_add(target, m, name, len, &index, why, sizeof why);
        if (status)
            pr_info("coral: component_add_instance (component %llu into %llu): %s\n",
                    (unsigned long long)c->id, (unsigned long long)target->id, why);
    }
    kobj_put(target ? &target->k : NULL);
    kobj_put(m ? &m->k : NULL);
    vals[0] = (uint32_t)status;
    vals[1] = status ? 0 : index;
    /* An inline add into our own component may have ended it. */
    return c->kill ? WASM_TRAP_INTERRUPTED : 0;
}

static int sys_component_add_instance(void *env, uint64_t *vals)
{
    return add_instance(env, arg_handle(vals, 0), arg_handle(vals, 1), NULL, 0, vals);
}

/* ---- extensions ---- */

static int sys_handle_drop(void *env, uint64_t *vals)
{
    vals[0] = component_handle_drop(env, arg_handle(vals, 0)) ? CORAL_OK : CORAL_EINVAL;
    return 0;
}

static int sys_vma_create(void *env, uint64_t *vals)
{
    int64_t size = (int64_t)vals[0];
    if (size <= 0 || (uint64_t)size > VMA_CREATE_MAX) {
        vals[0] = CORAL_EINVAL;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    struct component *c = env;
    struct vma *v = NULL;
    if (reserve_guest_claim((uint64_t)size)) {
        v = vma_new_buffer("buffer", (uint64_t)size, c->areas);
        reserve_guest_done((uint64_t)size);
    }
    if (!v) {
        vals[0] = CORAL_EINTERNAL;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(env, &v->k, vals);
    return 0;
}

static int sys_vma_size(void *env, uint64_t *vals)
{
    struct vma *v = get_vma(env, arg_handle(vals, 0));
    vals[0] = v ? CORAL_OK : CORAL_EINVAL;
    vals[1] = v ? vma_size(v) : 0;
    kobj_put(v ? &v->k : NULL);
    return 0;
}

static int sys_clock_ns(void *env, uint64_t *vals)
{
    (void)env;
    vals[0] = clock_ns();
    return 0;
}

static int sys_log_write(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct vma *v = get_vma(c, arg_handle(vals, 0));
    int64_t off = (int64_t)vals[1], len = (int64_t)vals[2];
    if (!v || !(v->access & VMA_READ) || len > LOG_WRITE_MAX ||
        !vma_range_ok(vma_size(v), off, len)) {
        kobj_put(v ? &v->k : NULL);
        vals[0] = CORAL_EINVAL;
        return 0;
    }
    /* Straight to the serial log, in one piece: a program's output is its
     * own, not the kernel's, so it carries no log level or prefix. */
    serial_write((const char *)vma_base(v) + off, (size_t)len);
    kobj_put(&v->k);
    vals[0] = CORAL_OK;
    return 0;
}

static int sys_sys_info(void *env, uint64_t *vals)
{
    struct component *self = env;
    struct pmm_stats ps;
    struct heap_stats hs;
    int64_t r = -1;
    switch ((int32_t)vals[0]) {
    case SYS_INFO_RAM_TOTAL: pmm_get_stats(&ps); r = (int64_t)ps.total_frames * 4096; break;
    case SYS_INFO_RAM_FREE: pmm_get_stats(&ps); r = (int64_t)ps.free_frames * 4096; break;
    case SYS_INFO_HEAP_USED: heap_get_stats(&hs); r = (int64_t)hs.live_bytes; break;
    case SYS_INFO_COMPONENTS: r = (int64_t)component_count(); break;
    case SYS_INFO_TICK_HZ: r = timer_hz(); break;
    case SYS_INFO_LAST_TICK_NS: r = (int64_t)component_last_tick_ns(); break;
    case SYS_INFO_SELF_CPU_NS: component_info(self, COMPONENT_INFO_CPU_NS, &r); break;
    case SYS_INFO_SELF_ID: r = (int64_t)self->id; break;
    case SYS_INFO_RESERVE: r = (int64_t)reserve_bytes(); break;
    case SYS_INFO_RESERVE_LOW: r = (int64_t)reserve_low_water(); break;
    }
    vals[0] = (uint64_t)r;
    return 0;
}

static int sys_component_grant(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target = get_component(c, arg_handle(vals, 0));
    struct kobj *o = component_handle_get(c, arg_handle(vals, 1), KOBJ_INVALID);
    uint32_t index = 0;
    int status = CORAL_EINVAL;
    if (target && o)
        status = component_grant(target, o, &index);
    kobj_put(target ? &target->k : NULL);
    kobj_put(o);
    vals[0] = (uint32_t)status;
    vals[1] = status ? 0 : index;
    return 0;
}

/* Copies a guest's name (at most max bytes) out of a memory area. */
static bool read_name(struct component *c, handle_t vh, int64_t off, int64_t len,
                      char *buf, size_t max)
{
    if (len <= 0 || (uint64_t)len > max)
        return false;
    struct vma *v = get_vma(c, vh);
    bool ok = v && (v->access & VMA_READ) && vma_range_ok(vma_size(v), off, len);
    if (ok)
        memcpy(buf, vma_base(v) + off, (size_t)len);
    kobj_put(v ? &v->k : NULL);
    return ok;
}

static int sys_component_add_named(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    if (!read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name)) {
        vals[0] = CORAL_EINVAL;
        vals[1] = 0;
        return 0;
    }
    return add_instance(c, arg_handle(vals, 0), arg_handle(vals, 1), name, (size_t)len, vals);
}

static int sys_component_call(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target = get_component(c, arg_handle(vals, 0));
    int64_t result = 0;
    int status = CORAL_EINVAL;
    if (target && read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name))
        status = component_call(target, (uint32_t)vals[1], name, (size_t)len, vals[5], &result);
    kobj_put(target ? &target->k : NULL);
    vals[0] = (uint32_t)status;
    vals[1] = (uint64_t)result;
    return c->kill ? WASM_TRAP_INTERRUPTED : 0;
}

static int sys_component_start(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target = get_component(c, arg_handle(vals, 0));
    int status = CORAL_EINVAL;
    if (target && read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name))
        status = component_start(target, (uint32_t)vals[1], name, (size_t)len, vals[5]);
    kobj_put(target ? &target->k : NULL);
    vals[0] = (uint32_t)status;
    return 0;
}

/* Queues an add of module mh to component ch, named by bytes of a memory
 * area (len 0: unnamed, the area unread); its outcome shows in
 * component_status. */
static int sys_component_add_start(void *env, uint64_t *vals)
{
    struct component *c = env;
    char name[COMPONENT_NAME_MAX];
    int64_t len = (int64_t)vals[4];
    struct component *target = get_component(c, arg_handle(vals, 0));
    struct kmodule *m = (struct kmodule *)component_handle_get(c, arg_handle(vals, 1),
                                                               KOBJ_MODULE);
    int status = CORAL_EINVAL;
    if (target && m &&
        (len == 0 ||
         read_name(c, arg_handle(vals, 2), (int64_t)vals[3], len, name, sizeof name)))
        status = component_add_start(target, m, name, (size_t)len);
    kobj_put(target ? &target->k : NULL);
    kobj_put(m ? &m->k : NULL);
    vals[0] = (uint32_t)status;
    return 0;
}

static int sys_component_status(void *env, uint64_t *vals)
{
    struct component *target = get_component(env, arg_handle(vals, 0));
    int64_t value = 0;
    int state = target ? component_status(target, &value) : -1;
    kobj_put(target ? &target->k : NULL);
    vals[0] = (uint32_t)state;
    vals[1] = (uint64_t)value;
    return 0;
}

static int sys_component_kill(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target = get_component(c, arg_handle(vals, 0));
    if (target)
        component_kill(target);
    kobj_put(target ? &target->k : NULL);
    vals[0] = target ? CORAL_OK : CORAL_EINVAL;
    /* Killing ourselves: leave compiled code now. */
    return target == c ? WASM_TRAP_INTERRUPTED : 0;
}

static int sys_component_info(void *env, uint64_t *vals)
{
    struct component *target = get_component(env, arg_handle(vals, 0));
    int64_t value = 0;
    int status = target ? component_info(target, (int32_t)vals[1], &value) : CORAL_EINVAL;
    kobj_put(target ? &target->k : NULL);
    vals[0] = (uint32_t)status;
    vals[1] = (uint64_t)value;
    return 0;
}

static int sys_component_describe(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct component *target = get_component(c, arg_handle(vals, 0));
    struct vma *v = get_vma(c, arg_handle(vals, 1));
    int64_t off = (int64_t)vals[2], len = (int64_t)vals[3];
    vals[0] = CORAL_EINVAL;
    vals[1] = 0;
    if (target && v && (v->access & VMA_WRITE) && vma_range_ok(vma_size(v), off, len)) {
        char text[sizeof target->why];
        size_t n = component_describe(target, text, sizeof text);
        if ((uint64_t)len < n)
            n = (size_t)len;
        memcpy(vma_base(v) + off, text, n);
        vals[0] = CORAL_OK;
        vals[1] = n;
    }
    kobj_put(target ? &target->k : NULL);
    kobj_put(v ? &v->k : NULL);
    return 0;
}

static int sys_component_limit(void *env, uint64_t *vals)
{
    struct component *target = get_component(env, arg_handle(vals, 0));
    int64_t value = (int64_t)vals[2];
    int status = target && value >= 0
                     ? component_set_limit(target, (int32_t)vals[1], (uint64_t)value)
                     : CORAL_EINVAL;
    kobj_put(target ? &target->k : NULL);
    vals[0] = (uint32_t)status;
    return 0;
}

/* ---- the table ---- */

struct coral_func {
    const char *name;
    const char *params, *results;
    wasm_host_fn fn;
};

/* Coral's interface first, exactly (docs/design.md), then Atoll's
 * extensions (docs/abi.md): abi/coral.def lists them. */
static const struct coral_func funcs[] = {
#define CORAL_FUNC(origin, name, handler, params, param_names, results, doc) \
    { #name, params, results, handler },
#include "abi/coral.def"
};
#define NFUNCS (sizeof funcs / sizeof funcs[0])

/* What a coral function's environment is: its component and its body. */
struct coral_slot {
    struct component *c;
    wasm_host_fn fn;
};

/* Every coral function enters here. A component's stack is backed as it
 * grows (mm/kstack.h): before kernel code that takes locks runs, make sure
 * it cannot fault on its own stack, however deep the Wasm code called.
 * A kill asked for before or during the call ends the caller on the way
 * out, as a trap the tick would have made in compiled code: host calls
 * are where a program that calls the kernel in a loop spends its time. */
static int coral_entry(void *env, uint64_t *vals)
{
    struct coral_slot *slot = env;
    if (thread_should_stop())
        return WASM_TRAP_INTERRUPTED;
    if (!kstack_reserve(&thread_current()->stack, KSTACK_HEADROOM))
        return WASM_TRAP_STACK;
    int t = slot->fn(slot->c, vals);
    return t ? t : thread_should_stop() ? WASM_TRAP_INTERRUPTED : 0;
}

bool coral_make(struct component *c)
{
    /* One block: the externs, then their environments (freed with it). */
    c->coral = kzalloc(NFUNCS * (sizeof *c->coral + sizeof(struct coral_slot)));
    if (!c->coral)
        return false;
    struct coral_slot *slots = (struct coral_slot *)(c->coral + NFUNCS);
    for (unsigned i = 0; i < NFUNCS; i++) {
        const struct coral_func *f = &funcs[i];
        slots[i] = (struct coral_slot){ c, f->fn };
        if (!wasm_host_func_new(c->store, (const uint8_t *)f->params,
                                (uint32_t)strlen(f->params), (const uint8_t *)f->results,
                                (uint32_t)strlen(f->results), coral_entry, &slots[i],
                                &c->coral[i]))
            return false;
    }
    return true;
}

bool coral_lookup(struct component *c, const char *name, size_t len, wasm_extern *out)
{
    for (unsigned i = 0; i < NFUNCS; i++) {
        if (strlen(funcs[i].name) == len && memcmp(funcs[i].name, name, len) == 0) {
            *out = c->coral[i];
            return true;
        }
    }
    return false;
}

unsigned coral_num_funcs(void)
{
    return NFUNCS;
}

const char *coral_func_name(unsigned i)
{
    return i < NFUNCS ? funcs[i].name : NULL;
}
