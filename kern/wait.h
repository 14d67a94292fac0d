/*
 * Signals and waiting. Every object carries a word of signals (SIGNAL_*,
 * abi/coral.def: a channel endpoint is readable, its peer closed, a
 * component has ended...) and a list of watches: threads blocked in
 * wait_one, and wait-set entries (kern/waitset.h). Whoever changes an
 * object's signals calls kobj_signal, which wakes the watches whose mask
 * now meets them. A waiter looks at the signals, and blocks, under one
 * lock, so no change falls between the look and the block.
 *
 * Locking: ipc_lock guards every object's signals and watch list, and
 * the channels' queues (kern/channel.c). One lock for all of IPC is what
 * one CPU needs (it masks interrupts, and it is held for short, bounded
 * work: no allocation, and no copying of guest bytes but a small
 * message's, at most MSG_SMALL of them, kern/channel.c); SMP will split
 * it per object.
 */
#ifndef KERN_WAIT_H
#define KERN_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/spinlock.h"
#include "kern/object.h"

extern spinlock_t ipc_lock;

struct thread;
struct waitset;

/* One watcher of one object's signals: a thread in wait_one (thread set)
 * or an entry of a wait set (ws set). */
struct watch {
    struct watch *next;             /* in obj->watchers */
    struct kobj *obj;
    uint32_t mask;
    struct thread *thread;
    struct waitset *ws;
};

/* Clears then sets signal bits of o and wakes its watchers whose mask
 * meets the new signals. kobj_signal takes ipc_lock; the _locked form is
 * for callers holding it. Never blocks. */
void kobj_signal(struct kobj *o, uint32_t clear, uint32_t set);
static inline __attribute__((always_inline)) void kobj_signal_locked(struct kobj *o,
                                                                     uint32_t clear,
                                                                     uint32_t set);

/* kobj_signal_locked's work once the signals change to now. */
void kobj_signal_changed_locked(struct kobj *o, uint32_t now, uint32_t clear, uint32_t set);

/* Inline: most calls change nothing (a queue's writable signal, a
 * readable one set again), and then there is nobody to wake. A watcher
 * blocks only while o's signals miss its mask, looked at under
 * ipc_lock, and the change that made them meet it woke it; o's uncut
 * proxies carry o's signals (set from them when made, every change
 * passed on), so they are unchanged too. */
static inline __attribute__((always_inline)) void kobj_signal_locked(struct kobj *o,
                                                                     uint32_t clear,
                                                                     uint32_t set)
{
    uint32_t now = (o->signals & ~clear) | set;
    if (now == o->signals)
        return;
    if (!o->watchers && !o->derived)
        o->signals = now;           /* nobody to tell (a reader's own queue emptied) */
    else
        kobj_signal_changed_locked(o, now, clear, set);
}

/* Adds / removes a watch on w->obj. ipc_lock held. */
void watch_add_locked(struct watch *w);
void watch_remove_locked(struct watch *w);

/* Deadlines are clock_ns() values; WAIT_FOREVER never passes. */
#define WAIT_FOREVER UINT64_MAX

/*
 * Blocks the calling thread until one of the signals in mask is asserted
 * on o (CORAL_OK), or o is a revoked handle's proxy (CORAL_EREVOKED:
 * kern/revoke.h), or deadline passes (CORAL_ETIMEDOUT), or the thread is
 * asked to end (CORAL_EINTERNAL: the caller is being killed; its coral
 * entry turns that into the kill). *observed gets o's signals at the end.
 * Uses no CPU while blocked. A deadline already passed polls.
 */
int wait_one(struct kobj *o, uint32_t mask, uint64_t deadline, uint32_t *observed);

/* wait_one with ipc_lock held (interrupts off): released while blocked,
 * held again on return. For a call that acts on o just before or after
 * the wait in the same lock section (channel_call). Inline, in
 * kern/wait_inline.h. */

/* Blocks until deadline or a kill; CORAL_OK or CORAL_EINTERNAL (killed). */
int wait_sleep_until(uint64_t deadline);

#endif
