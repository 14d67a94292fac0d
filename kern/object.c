/* Reference counting for kernel objects (see object.h). */
#include "kern/object.h"

#include "base/panic.h"

static uint64_t live[KOBJ_KIND_COUNT];

static const char *const kind_names[KOBJ_KIND_COUNT] = {
    [KOBJ_INVALID] = "invalid",     [KOBJ_VMA] = "memory area", [KOBJ_MODULE] = "module",
    [KOBJ_COMPONENT] = "component", [KOBJ_CHANNEL] = "channel endpoint",
    [KOBJ_WAITSET] = "wait set", [KOBJ_REVOKER] = "revoker",
    [KOBJ_IOPORTS] = "I/O port range", [KOBJ_IRQ] = "interrupt lines",
    [KOBJ_INSTANCE] = "instance", [KOBJ_PROXY] = "revocable handle",
};

/* A wait set cannot be sent or granted: it holds references to what it
 * watches, and keeping it out of messages keeps the cycles messages can
 * make to channels alone (kern/channel.c collects those). */
static const uint32_t kind_rights[KOBJ_KIND_COUNT] = {
    [KOBJ_VMA] = RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE,
    [KOBJ_MODULE] = RIGHT_READ | RIGHT_TRANSFER | RIGHT_DUPLICATE,
    [KOBJ_COMPONENT] = RIGHT_READ | RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_WAIT |
                       RIGHT_CONTROL,
    [KOBJ_CHANNEL] = RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_WAIT,
    [KOBJ_WAITSET] = RIGHT_WRITE | RIGHT_DUPLICATE | RIGHT_WAIT,
    [KOBJ_REVOKER] = RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_CONTROL,
    /* Device capabilities (kern/devcap.h): read and write reach the
     * ports, control derives a smaller range; wait waits for and
     * acknowledges a line's interrupt, control claims a line of a set. */
    [KOBJ_IOPORTS] = RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_CONTROL,
    [KOBJ_IRQ] = RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_WAIT | RIGHT_CONTROL,
    /* A proxy's handles carry the rights its maker chose, within those of
     * the object it stands for (kern/revoke.c checks them). */
    [KOBJ_PROXY] = RIGHTS_ALL,
};

uint32_t kobj_rights(enum kobj_kind kind)
{
    return kind < KOBJ_KIND_COUNT ? kind_rights[kind] : 0;
}

void kobj_init(struct kobj *o, enum kobj_kind kind, const struct kobj_ops *ops)
{
    ASSERT(kind > KOBJ_INVALID && kind < KOBJ_KIND_COUNT);
    o->kind = kind;
    o->refs = 1;
    o->handles = 0;
    o->ops = ops;
    o->signals = 0;
    o->watchers = NULL;
    o->derived = NULL;
    __atomic_add_fetch(&live[kind], 1, __ATOMIC_RELAXED);
}

struct kobj *kobj_get(struct kobj *o)
{
    uint32_t old = __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
    if (old == 0 || old == UINT32_MAX)
        panic("kobj_get: %s object %p has %u references", kobj_kind_name(o->kind), (void *)o, old);
    return o;
}

void kobj_put(struct kobj *o)
{
    if (!o)
        return;
    uint32_t old = __atomic_fetch_sub(&o->refs, 1, __ATOMIC_ACQ_REL);
    if (old == 0)
        panic("kobj_put: %s object %p released more often than taken", kobj_kind_name(o->kind),
              (void *)o);
    if (old == 1) {
        enum kobj_kind kind = o->kind;
        o->ops->destroy(o);
        __atomic_sub_fetch(&live[kind], 1, __ATOMIC_RELAXED);
    }
}

void kobj_handle_add(struct kobj *o)
{
    __atomic_add_fetch(&o->handles, 1, __ATOMIC_RELAXED);
}

void kobj_handle_remove(struct kobj *o)
{
    uint32_t old = __atomic_fetch_sub(&o->handles, 1, __ATOMIC_ACQ_REL);
    if (old == 0)
        panic("kobj_handle_remove: %s object %p has no handles", kobj_kind_name(o->kind),
              (void *)o);
    if (old == 1 && o->ops->unreachable)
        o->ops->unreachable(o);
    else if (old > 1 && o->ops->handle_dropped)
        o->ops->handle_dropped(o);
}

uint64_t kobj_live(enum kobj_kind kind)
{
    return kind < KOBJ_KIND_COUNT ? __atomic_load_n(&live[kind], __ATOMIC_RELAXED) : 0;
}

const char *kobj_kind_name(enum kobj_kind kind)
{
    return kind < KOBJ_KIND_COUNT ? kind_names[kind] : "unknown";
}
