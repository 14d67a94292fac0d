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
#include "kern/kmodule.h"
#include "kern/vma.h"

#define CORAL_FUNC(origin, name, handler, params, param_names, results, doc) \
    int handler(void *env, uint64_t *vals);
#include "abi/coral.def"

static inline handle_t arg_handle(const uint64_t *vals, int i)
{
    return (handle_t)vals[i];
}

/* Every object a handle names starts with its struct kobj, so the typed
 * pointers below and struct kobj * convert both ways. */
_Static_assert(__builtin_offsetof(struct vma, k) == 0, "vma: kobj first");
_Static_assert(__builtin_offsetof(struct component, k) == 0, "component: kobj first");
_Static_assert(__builtin_offsetof(struct kmodule, k) == 0, "kmodule: kobj first");

/* Decodes handle argument h: *out the object (kind, unless KOBJ_INVALID)
 * with a reference, CORAL_OK; or CORAL_EINVAL / CORAL_ERIGHTS with *out
 * NULL. Written `st = st ? st : arg(...)` to decode a call's handles in
 * turn, the first failure kept; release() every out after. */
static inline int arg(struct component *c, handle_t h, enum kobj_kind kind, uint32_t need,
                      void *out)
{
    return component_handle_get(c, h, kind, need, (struct kobj **)out, NULL);
}

/* arg for the hot IPC calls: the object borrowed from the handle's
 * slot when that is safe (component_handle_borrow), *held telling
 * whether it carries a reference; give it back with arg_return. resolve
 * as component_handle_get (true) or component_handle_raw (false). */
static inline int arg_borrow(struct component *c, handle_t h, enum kobj_kind kind,
                             uint32_t need, bool resolve, void *out, bool *held)
{
    return component_handle_borrow(c, h, kind, need, resolve, (struct kobj **)out, held);
}

/* Two of them, as arg_borrow with resolve true, under one lock: a
 * channel and a memory area. The first failure is returned. */
static inline int arg_borrow2(struct component *c, handle_t h1, enum kobj_kind kind1,
                              uint32_t need1, void *out1, bool *held1, handle_t h2,
                              enum kobj_kind kind2, uint32_t need2, void *out2, bool *held2)
{
    int st2;
    int st = component_handle_borrow2(c, h1, kind1, need1, (struct kobj **)out1, held1, h2,
                                      kind2, need2, (struct kobj **)out2, held2, &st2);
    return st ? st : st2;
}

static inline void arg_return(void *obj, bool held)
{
    if (held)
        kobj_put((struct kobj *)obj);
}

static inline void release(void *obj)
{
    kobj_put((struct kobj *)obj);
}

/* Puts two new objects in c's space, both or neither (a with rights ra,
 * b with rb): status and handles into vals[0], [1], [2]. The objects'
 * creation references are given to the handles (or put). */
static inline void give2(struct component *c, struct kobj *a, uint32_t ra, struct kobj *b,
                         uint32_t rb, uint64_t *vals)
{
    handle_t ha = component_handle_make(c, a, ra);
    handle_t hb = ha == HANDLE_NULL ? HANDLE_NULL : component_handle_make(c, b, rb);
    if (hb == HANDLE_NULL && ha != HANDLE_NULL)
        component_handle_drop(c, ha);
    kobj_put(a);
    kobj_put(b);
    vals[0] = hb == HANDLE_NULL ? CORAL_EINTERNAL : CORAL_OK;
    vals[1] = hb == HANDLE_NULL ? HANDLE_NULL : ha;
    vals[2] = hb;
}

/* Puts a new object in c's space, with every right of its kind: status
 * and handle into vals[0], [1]. The object's creation reference is given
 * to the handle. */
static inline void give(struct component *c, struct kobj *o, uint64_t *vals)
{
    handle_t h = component_handle_make(c, o, RIGHTS_ALL);
    kobj_put(o);
    vals[0] = h == HANDLE_NULL ? CORAL_EINTERNAL : CORAL_OK;
    vals[1] = h;
}

#endif
