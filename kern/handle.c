/*
 * Handle spaces (see handle.h). A value is (generation << 32) | (slot + 1):
 * slot + 1 keeps every value away from the null reference, and the
 * generation, bumped at every drop, makes a stale value miss.
 *
 * Not locked: a space is used by its component's own thread, or by its
 * creator while the component is not running yet or any more.
 */
#include "kern/handle.h"

#include "lib/string.h"
#include "mm/heap.h"

#define FIRST_CAP 16

void handle_space_init(struct handle_space *s, uint32_t limit)
{
    memset(s, 0, sizeof *s);
    s->limit = limit;
}

void handle_space_destroy(struct handle_space *s)
{
    for (uint32_t i = 0; i < s->cap; i++) {
        struct kobj *o = s->slots[i].obj;
        s->slots[i].obj = NULL;
        if (o)
            kobj_handle_remove(o);
        kobj_put(o);
    }
    kfree(s->slots);
    uint32_t limit = s->limit;
    handle_space_init(s, limit);
}

static bool grow(struct handle_space *s)
{
    uint32_t ncap = s->cap ? s->cap * 2 : FIRST_CAP;
    if (ncap > s->limit)
        ncap = s->limit;
    if (ncap <= s->cap)
        return false;
    struct handle_slot *n = kcalloc(ncap, sizeof *n);
    if (!n)
        return false;
    if (s->cap)
        memcpy(n, s->slots, s->cap * sizeof *n);
    /* New slots start at generation 1 and join the free list in order. */
    for (uint32_t i = s->cap; i < ncap; i++) {
        n[i].gen = 1;
        n[i].next_free = i + 1 < ncap ? i + 2 : s->free_head;
    }
    s->free_head = s->cap + 1;
    kfree(s->slots);
    s->slots = n;
    s->cap = ncap;
    return true;
}

bool handle_room(struct handle_space *s, uint32_t n)
{
    if (n > s->limit - s->used)
        return false;
    while (s->cap - s->used < n)
        if (!grow(s))
            return false;
    return true;
}

handle_t handle_make(struct handle_space *s, struct kobj *obj, uint32_t rights)
{
    if (!obj || s->used >= s->limit)
        return HANDLE_NULL;
    if (!s->free_head && !grow(s))
        return HANDLE_NULL;
    uint32_t i = s->free_head - 1;
    struct handle_slot *slot = &s->slots[i];
    s->free_head = slot->next_free;
    slot->next_free = 0;
    slot->obj = kobj_get(obj);
    slot->rights = rights & kobj_rights(obj->kind);
    kobj_handle_add(obj);
    s->used++;
    return ((uint64_t)slot->gen << 32) | (uint64_t)(i + 1);
}

enum kobj_kind handle_kind(const struct handle_space *s, handle_t h)
{
    struct handle_slot *slot = handle_slot_of(s, h);
    return slot ? slot->obj->kind : KOBJ_INVALID;
}

bool handle_drop(struct handle_space *s, handle_t h)
{
    struct handle_slot *slot = handle_slot_of(s, h);
    if (!slot)
        return false;
    struct kobj *o = slot->obj;
    slot->obj = NULL;
    /* Generation 0 is skipped so that no live value has a zero top half
     * that a guest-visible integer might accidentally match. */
    if (++slot->gen == 0)
        slot->gen = 1;
    slot->next_free = s->free_head;
    s->free_head = (uint32_t)(slot - s->slots) + 1;
    s->used--;
    kobj_handle_remove(o);
    kobj_put(o);
    return true;
}
