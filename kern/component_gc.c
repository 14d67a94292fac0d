/* Components only a cycle of handles reaches (see component_impl.h). */
#include "kern/component_impl.h"

#include "base/log.h"

/* ---- components only a cycle of handles reaches ----
 *
 * Two components granted handles to each other keep each other's handle
 * count above zero after everyone else let go. A component is alive while
 * a path of handles leads to it from a root (a component the kernel made,
 * userboot): a collection marks from the roots through the handle spaces
 * of live components and ends every component it did not reach. It runs
 * after a component handle goes that was not the last one (only then can
 * a component be left with handles from a cycle alone), once the handle
 * space's lock is released: in handle_drop and after a component's own
 * handles go at its end. Cost: one pass over the live components and the
 * handle slots of those reached, with component_list_lock held (interrupts off). */
static volatile bool gc_pending;
static uint32_t gc_epoch;

void component_handle_dropped(struct kobj *o)
{
    (void)o;
    __atomic_store_n(&gc_pending, true, __ATOMIC_RELEASE);
}

static void push_marked(struct component *x, struct component **work)
{
    if (x->gc_epoch == gc_epoch)
        return;
    x->gc_epoch = gc_epoch;
    if (x->kill || x->state == COMPONENT_DEAD)
        return;                 /* dying: what it holds goes anyway */
    x->gc_next = *work;
    *work = x;
}

void component_collect_cycles(void)
{
    if (!__atomic_exchange_n(&gc_pending, false, __ATOMIC_ACQ_REL))
        return;
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    gc_epoch++;
    struct component *work = NULL;
    for (struct component *c = component_list; c; c = c->all_next)
        if (!c->parent)
            push_marked(c, &work);
    while (work) {
        struct component *r = work;
        work = r->gc_next;
        uint64_t g = spin_lock_irqsave(&r->lock);
        for (uint32_t i = 0; i < r->handles.cap; i++) {
            struct kobj *o = r->handles.slots[i].obj;
            if (o && o->kind == KOBJ_COMPONENT)
                push_marked((struct component *)o, &work);
        }
        spin_unlock_irqrestore(&r->lock, g);
    }
    for (struct component *c = component_list; c; c = c->all_next) {
        /* No handle yet: being made, its creator's handle still to come
         * (the last handle's drop ends one, without a collection). */
        if (c->gc_epoch == gc_epoch || c->kill || c->thread_gone ||
            !__atomic_load_n(&c->k.handles, __ATOMIC_ACQUIRE))
            continue;
        pr_info("atoll: component %llu (%s) ends: only a cycle of handles reaches it\n",
                (unsigned long long)c->id, c->name);
        component_ask_to_end(c);
    }
    spin_unlock_irqrestore(&component_list_lock, f);
}
