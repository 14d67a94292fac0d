/*
 * Wait sets: a component's list of (object, signals, key) to wait on at
 * once, as epoll's interest list: an entry watches its object from when it
 * is added until it is removed, so a wait costs nothing per entry until
 * one's signals change. Level-triggered: waitset_wait reports an entry as
 * long as its signals are asserted, taking entries in turn so that a busy
 * one cannot hide the others.
 *
 * A wait set is used by the one component that holds it (it cannot be sent
 * or granted: kern/object.c), on that component's thread.
 */
#ifndef KERN_WAITSET_H
#define KERN_WAITSET_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/object.h"
#include "kern/wait.h"

#define WAITSET_MAX_ENTRIES 1024

struct account;
struct waitset;

/* A new, empty wait set whose entries are charged to acct (may be NULL),
 * with one reference; NULL when out of memory or the charge is refused. */
struct waitset *waitset_new(struct account *acct);

/* Watches the signals in mask on o (a reference is taken), reported under
 * key: CORAL_OK; CORAL_EINVAL when key is in use, mask is 0, o is a wait
 * set (it has no signals, and a set in a set would never be freed) or the
 * set has WAITSET_MAX_ENTRIES; CORAL_EINTERNAL out of memory or over the
 * account's limit. Never blocks. */
int waitset_add(struct waitset *ws, struct kobj *o, uint32_t mask, uint64_t key);

/* Removes the entry with key: CORAL_OK, or CORAL_EINVAL when none has it. */
int waitset_remove(struct waitset *ws, uint64_t key);

/* Blocks until an entry's object asserts one of its signals, or is a
 * revoked handle's proxy (SIGNAL_REVOKED, whatever the mask): CORAL_OK
 * with its key and the object's signals; CORAL_ETIMEDOUT at deadline (clock_ns;
 * WAIT_FOREVER: none; past: poll); CORAL_EINVAL when another thread
 * already waits on the set; CORAL_EINTERNAL when the caller is asked to
 * end. Uses no CPU while blocked. */
int waitset_wait(struct waitset *ws, uint64_t deadline, uint64_t *key, uint32_t *observed);

/* Names a thread woken, besides a waiter, whenever an entry may have
 * become ready (NULL: none): the component loop of events_watch, which
 * does not sit in waitset_wait. Never blocks. */
struct thread;
void waitset_set_notify(struct waitset *ws, struct thread *t);

/* Whether an entry's signals are asserted now (what waitset_wait with a
 * passed deadline would report). Never blocks. */
bool waitset_any_ready(struct waitset *ws);

/* kobj_signal's side: entry w of ws may be ready. ipc_lock held. */
void waitset_ready_locked(struct waitset *ws, struct watch *w);

#endif
