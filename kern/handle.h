/*
 * Handles: how guests name kernel objects. A handle reaches Wasm as an
 * externref, a value Wasm code can pass around and store in tables but can
 * neither create nor alter: that is what makes it unforgeable. Its value
 * encodes a slot in the owner's handle space and the slot's generation, so
 * a handle whose slot was dropped (and perhaps reused) reads as invalid,
 * never as another object or a dangling pointer.
 *
 * A handle space belongs to one component; every handle value a guest holds
 * is resolved in the space of the component that runs it. Each live slot
 * holds one reference to its object and the rights this handle grants on
 * it (abi/coral.def, CORAL_RIGHT): two handles to one object may permit
 * different things.
 */
#ifndef KERN_HANDLE_H
#define KERN_HANDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kern/object.h"

/* The externref value of a handle: never 0 (0 is the null reference). */
typedef uint64_t handle_t;
#define HANDLE_NULL ((handle_t)0)

struct handle_slot {
    struct kobj *obj;           /* NULL when free */
    uint32_t gen;               /* bumped when the slot is freed */
    uint32_t next_free;         /* free list, index + 1 (0: end) */
    uint32_t rights;            /* RIGHT_* bits */
};

struct handle_space {
    struct handle_slot *slots;
    uint32_t cap;               /* slots allocated */
    uint32_t used;              /* live handles */
    uint32_t limit;             /* most live handles allowed */
    uint32_t free_head;         /* index + 1 of the first free slot, 0: none */
};

/* A space allowing up to `limit` live handles; no memory until the first. */
void handle_space_init(struct handle_space *s, uint32_t limit);

/* Drops every handle (and so the references they hold) and frees the space's
 * memory. The space may be reused after handle_space_init. */
void handle_space_destroy(struct handle_space *s);

/*
 * Makes a handle for obj carrying `rights` (masked to what the object's
 * kind can have), taking a new reference. Returns HANDLE_NULL when the
 * space is at its limit or memory is exhausted (nothing changes then).
 */
handle_t handle_make(struct handle_space *s, struct kobj *obj, uint32_t rights);

/* Whether n more handles can be made now (the limit and memory allow):
 * a message's handles are placed all or none. May allocate. */
bool handle_room(struct handle_space *s, uint32_t n);

/* The object a handle names, if it is live and (unless kind is
 * KOBJ_INVALID) of that kind; NULL otherwise. *rights (may be NULL) gets
 * the handle's rights. The reference is borrowed: valid while the handle
 * lives, i.e. until the space's owner drops it. */
static inline struct kobj *handle_get(const struct handle_space *s, handle_t h,
                                      enum kobj_kind kind, uint32_t *rights);

/* The kind of the object behind a handle, KOBJ_INVALID for anything not
 * live (null, dropped, never made, from another space's numbering). */
enum kobj_kind handle_kind(const struct handle_space *s, handle_t h);

/* Drops a handle: its slot is freed and its reference put. Returns false
 * (and does nothing) for a handle that is not live. */
bool handle_drop(struct handle_space *s, handle_t h);

/* The live slot a value names, or NULL. Inline: every handle argument of
 * every call comes here. */
static inline struct handle_slot *handle_slot_of(const struct handle_space *s, handle_t h)
{
    uint32_t idx = (uint32_t)h, gen = (uint32_t)(h >> 32);
    if (idx == 0 || idx > s->cap)
        return NULL;
    struct handle_slot *slot = &s->slots[idx - 1];
    if (!slot->obj || slot->gen != gen)
        return NULL;
    return slot;
}

static inline struct kobj *handle_get(const struct handle_space *s, handle_t h,
                                      enum kobj_kind kind, uint32_t *rights)
{
    struct handle_slot *slot = handle_slot_of(s, h);
    if (!slot || (kind != KOBJ_INVALID && slot->obj->kind != kind))
        return NULL;
    if (rights)
        *rights = slot->rights;
    return slot->obj;
}

#endif
