/*
 * wait_one_locked (kern/wait.h promises what it does), inline: for
 * wait.c's wait_one and the channel's call path (kern/channel.c), which
 * waits inside the lock section of its write and read. Internal to
 * those two files.
 */
#ifndef KERN_WAIT_INLINE_H
#define KERN_WAIT_INLINE_H

#include "base/clock.h"
#include "kern/component.h"      /* CORAL_* results */
#include "kern/thread.h"
#include "kern/wait.h"

/* wait_one_locked, also ended (CORAL_OK) once *done is true: a wait for
 * what a waker hands over directly (kern/channel.c's call path), done
 * set and the thread woken under ipc_lock. done may be NULL. */
static inline __attribute__((always_inline)) int
wait_until_done_locked(struct kobj *o, uint32_t mask, uint64_t deadline, uint32_t *observed,
                       const bool *done)
{
    struct watch w = { .obj = o, .mask = mask, .thread = thread_current() };
    int status;
    /* Interrupts stay off from the look to the block (one CPU): a change
     * of signals cannot fall in between. */
    bool watching = false;
    for (;;) {
        if (done && *done) {
            status = CORAL_OK;
            break;
        }
        if (o->signals & SIGNAL_REVOKED) {
            status = CORAL_EREVOKED;
            break;
        }
        if (o->signals & mask) {
            status = CORAL_OK;
            break;
        }
        if (thread_should_stop()) {
            status = CORAL_EINTERNAL;
            break;
        }
        if (deadline != WAIT_FOREVER && clock_ns() >= deadline) {
            status = CORAL_ETIMEDOUT;
            break;
        }
        /* Watched only from the first block on: a signal already
         * asserted (a reply that came first) costs no watch. */
        if (!watching)
            watch_add_locked(&w);
        watching = true;
        spin_unlock_irqs_off(&ipc_lock);
        thread_block_until(deadline);
        spin_lock_irqs_off(&ipc_lock);
    }
    if (watching)
        watch_remove_locked(&w);
    *observed = o->signals;
    return status;
}

static inline __attribute__((always_inline)) int
wait_one_locked(struct kobj *o, uint32_t mask, uint64_t deadline, uint32_t *observed)
{
    return wait_until_done_locked(o, mask, deadline, observed, NULL);
}

#endif
