/* Signals and waiting (see wait.h). */
#include "kern/wait.h"
#include "kern/wait_inline.h"

#include "base/clock.h"
#include "kern/component.h"
#include "kern/revoke.h"
#include "kern/thread.h"
#include "kern/waitset.h"

spinlock_t ipc_lock = SPINLOCK_INIT;

void watch_add_locked(struct watch *w)
{
    w->next = w->obj->watchers;
    w->obj->watchers = w;
}

void watch_remove_locked(struct watch *w)
{
    for (struct watch **p = &w->obj->watchers; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    w->next = NULL;
}

void kobj_signal_changed_locked(struct kobj *o, uint32_t now, uint32_t clear, uint32_t set)
{
    o->signals = now;
    for (struct watch *w = o->watchers; w; w = w->next) {
        if (!((w->mask | SIGNAL_REVOKED) & now))
            continue;               /* revocation wakes every waiter */
        if (w->thread)
            thread_wake_irqs_off(w->thread);
        else
            waitset_ready_locked(w->ws, w);
    }
    if (o->derived)
        revoke_signal_derived_locked(o, clear, set);
}

void kobj_signal(struct kobj *o, uint32_t clear, uint32_t set)
{
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    kobj_signal_locked(o, clear, set);
    spin_unlock_irqrestore(&ipc_lock, f);
}

int wait_one(struct kobj *o, uint32_t mask, uint64_t deadline, uint32_t *observed)
{
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    int status = wait_one_locked(o, mask, deadline, observed);
    spin_unlock_irqrestore(&ipc_lock, f);
    return status;
}

int wait_sleep_until(uint64_t deadline)
{
    uint64_t f = irq_save();
    while (!thread_should_stop() && (deadline == WAIT_FOREVER || clock_ns() < deadline))
        thread_block_until(deadline);
    irq_restore(f);
    return thread_should_stop() ? CORAL_EINTERNAL : CORAL_OK;
}
