/*
 * Internal to the coral files: kern/coral.c (the table, the entry every
 * call goes through, memory areas, modules, the log and the clock) and
 * kern/coral_component.c (the component calls). Handlers are declared
 * from abi/coral.def; the small decoding helpers are here, shared.
 */
#ifndef KERN_CORAL_IMPL_H
#define KERN_CORAL_IMPL_H

#include "kern/component.h"
#include "kern/coral.h"
#include "kern/vma.h"

#define CORAL_FUNC(origin, name, handler, params, param_names, results, doc) \
    int handler(void *env, uint64_t *vals);
#include "abi/coral.def"

static inline handle_t arg_handle(const uint64_t *vals, int i)
{
    return (handle_t)vals[i];
}

static inline struct vma *get_vma(struct component *c, handle_t h)
{
    return (struct vma *)component_handle_get(c, h, KOBJ_VMA);
}

static inline struct component *get_component(struct component *c, handle_t h)
{
    return (struct component *)component_handle_get(c, h, KOBJ_COMPONENT);
}

/* Puts a new object in c's space: status and handle into vals[0], [1].
 * The object's creation reference is given to the handle. */
static inline void give(struct component *c, struct kobj *o, uint64_t *vals)
{
    handle_t h = component_handle_make(c, o);
    kobj_put(o);
    vals[0] = h == HANDLE_NULL ? CORAL_EINTERNAL : CORAL_OK;
    vals[1] = h;
}

#endif
