/*
 * Internal to the component files (kern/component*.c), which share the
 * list of components and hand one another the steps of a component's
 * life:
 *
 *   component.c       registry and lifecycle: create, the thread's loop,
 *                     kill, end, destroy; the tree of creators; events
 *   component_link.c  handles and grants, memory windows, making an
 *                     instance (linking its imports)
 *   component_request.c  requests (add, call, started work): queues,
 *                     waits, serving them
 *   component_run.c   running Wasm for requests and events; traps
 *   component_info.c  limits, status, info, describe
 *   component_gc.c    ending components only a cycle of handles reaches
 *
 * Lock order: component_list_lock before any component's c->lock, never
 * the other way round.
 */
#ifndef KERN_COMPONENT_IMPL_H
#define KERN_COMPONENT_IMPL_H

#include "kern/component.h"

/* Every live component (not yet destroyed), newest first: component.c
 * links and unlinks, the lock also guards the tree counts and address
 * space of every component (tree, space, their limits, gc_epoch). */
extern spinlock_t component_list_lock;
extern struct component *component_list;

/* The native module (component_set_natives), NULL until registered. */
extern const struct component_natives *component_natives;

/* Wakes c's thread unless it has exited. */
void component_wake(struct component *c);

/* Asks c to end (interrupts off or component_list_lock held): notes its
 * CPU time for the kill latency, marks it killed, kills its thread. */
void component_ask_to_end(struct component *c);

/* Makes module m c's next instance, on c's thread (component_link.c);
 * the contract of component_add. */
int component_do_add(struct component *c, struct kmodule *m, const char *name, size_t len,
                     uint32_t *index, char *why, size_t ws);

/* Whether instance index of c exports name as a function a call from
 * another component can make: () or (i32|i64) -> () or i32|i64; *fn is
 * it. Calls it on c's thread: CORAL_OK with *result, CORAL_EINVAL
 * (ended, not callable), CORAL_ETRAPPED with the first trap's kind
 * (component_run.c). */
bool component_callable(struct component *c, uint32_t index, const char *name, size_t len,
                        wasm_extern *fn);
int component_do_call(struct component *c, uint32_t index, const char *name, size_t len,
                      uint64_t arg, int64_t *result);

/* On c's thread (component_request.c): serves the oldest queued request
 * (false: none); fails every queued request once c has ended; at a tick,
 * wakes callers waiting too long on a busy c. */
bool component_serve_next(struct component *c);
void component_fail_requests(struct component *c);
void component_requests_tick(struct component *c, uint64_t now);

/* The collection of cycles (component_gc.c): a component handle that was
 * not the last went (kobj hook, any context: only notes it), and the
 * collection itself, run where no handle space's lock is held. */
void component_handle_dropped(struct kobj *o);
void component_collect_cycles(void);

#endif
