/*
 * Kernel objects: what guests name through handles (memory areas, modules,
 * components, instances; later channels, IRQs, I/O ports). Each object is
 * reference-counted; it is destroyed when the last reference goes, which
 * may be long after a guest dropped its handle (another handle, or the
 * kernel itself, may still hold one).
 */
#ifndef KERN_OBJECT_H
#define KERN_OBJECT_H

#include <stdint.h>

/* The kinds. Those guests see (KOBJ_INVALID, KOBJ_VMA, KOBJ_MODULE,
 * KOBJ_COMPONENT) carry the numbers handle_kind() reports, from
 * abi/coral.def; those after them are the kernel's own, never reported,
 * so their numbers promise nothing. */
enum kobj_kind {
#define CORAL_KIND(name, value, doc) KOBJ_##name = (value),
#include "abi/coral.def"
    KOBJ_INSTANCE,
    KOBJ_PROXY,             /* a revocable handle's object (kern/revoke.h) */
    KOBJ_KIND_COUNT,
};

/* Rights a handle carries and signals an object asserts, numbered by
 * abi/coral.def (RIGHT_READ..., SIGNAL_READABLE...). */
enum {
#define CORAL_RIGHT(name, bit, doc) RIGHT_##name = (bit),
#include "abi/coral.def"
};
enum {
#define CORAL_SIGNAL(name, bit, doc) SIGNAL_##name = (bit),
#include "abi/coral.def"
};

#define RIGHTS_ALL 0xffffffffu

/* Every right a handle to an object of this kind can carry: a new
 * object's first handle has them all. */
uint32_t kobj_rights(enum kobj_kind kind);

struct kobj;

struct kobj_ops {
    const char *name;               /* "memory area", for reports */
    void (*destroy)(struct kobj *o); /* frees the object; called once */
    /* Optional: called when the last guest handle to the object goes
     * (kernel references may keep it alive). A component ends then: no
     * one can reach it any more. Called with a handle space's lock held:
     * must not block or take that lock. */
    void (*unreachable)(struct kobj *o);
    /* Optional: called when a guest handle to the object goes and others
     * remain (a component may now be reachable only through a cycle).
     * Same constraints as unreachable. */
    void (*handle_dropped)(struct kobj *o);
};

struct watch;
struct proxy;

struct kobj {
    enum kobj_kind kind;
    uint32_t refs;                  /* atomic */
    uint32_t handles;               /* atomic: guest handles naming it,
                                       those in messages in flight too */
    const struct kobj_ops *ops;
    /* Under ipc_lock (kern/wait.h): */
    uint32_t signals;               /* SIGNAL_* asserted now */
    struct watch *watchers;         /* waiting on them */
    struct proxy *derived;          /* revocable handles made of it */
};

/* Initializes an embedded header with one reference (the creator's). */
void kobj_init(struct kobj *o, enum kobj_kind kind, const struct kobj_ops *ops);

/* Takes another reference. */
struct kobj *kobj_get(struct kobj *o);

/* Drops a reference; the last one destroys the object. NULL is allowed. */
void kobj_put(struct kobj *o);

/* Handle accounting, for kern/handle.c: a handle naming o was made or
 * dropped (the last drop calls ops->unreachable). */
void kobj_handle_add(struct kobj *o);
void kobj_handle_remove(struct kobj *o);

/* Live objects per kind (leak accounting for tests). */
uint64_t kobj_live(enum kobj_kind kind);

const char *kobj_kind_name(enum kobj_kind kind);

#endif
