/*
 * Components: the unit the scheduler runs (docs/design.md). A component is one
 * kernel thread with its own stack, one Wasm store holding its instances,
 * one handle space, and a queue of work: requests from other components
 * (add an instance, call an export) and events (timer ticks, keys). Its
 * thread does the work one item at a time, so Wasm code of a component is
 * never reentered by an event.
 *
 * A trap ends the component: it is reported on the log (component,
 * instance, function, trap kind), its thread exits, its handles are
 * dropped; every other component goes on. Objects others still hold (a
 * memory area on one of its memories) stay valid until they are dropped.
 */
#ifndef KERN_COMPONENT_H
#define KERN_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kern/handle.h"
#include "kern/kmodule.h"
#include "kern/object.h"
#include "base/spinlock.h"
#include "wasm/wasm.h"

#define COMPONENT_MAX_INSTANCES 32
#define COMPONENT_MAX_GRANTS    64
#define COMPONENT_MAX_HANDLES   4096
#define COMPONENT_NAME_MAX      64
#define COMPONENT_MAX_STARTED   256     /* started calls and adds queued */
/* Address space a component's subtree may reserve for memories by
 * default: 4 TiB, an eighth of the kernel's 32 TiB of regions (512
 * memories), so one tree cannot take the room others need. */
#define COMPONENT_SPACE_LIMIT   (4ull << 40)

/* Result codes (docs/design.md), and the extension calls' "it trapped":
 * CORAL_OK, CORAL_EINVAL, CORAL_EINTERNAL, CORAL_EUNKNOWN, CORAL_ETRAPPED,
 * numbered by abi/coral.def. */
enum {
#define CORAL_RESULT(name, value, doc) CORAL_##name = (value),
#include "abi/coral.def"
};

enum component_state {
    COMPONENT_IDLE,         /* waiting for work */
    COMPONENT_BUSY,         /* running a request or an event */
    COMPONENT_DEAD,         /* trapped or killed: does nothing more */
};

struct component_instance {
    wasm_instance *inst;
    struct kmodule *mod;                /* a reference */
    char name[COMPONENT_NAME_MAX];
    uint32_t name_len;                  /* 0: unnamed */
};

struct creq;
struct vma;

/*
 * Fields are grouped by what guards them (as xv6's proc.h does):
 *   [fixed]   set at creation, read anywhere, never changed
 *   [own]     the component's thread only (or its creator's request,
 *             served on that thread)
 *   [lock]    c->lock
 *   [list]    component_list_lock (kern/component_impl.h)
 *   [atomic]  read by others without a lock, written in the order
 *             component_status relies on (the trap, then the kill, then
 *             the count of started work)
 */
struct component {
    struct kobj k;
    /* [fixed] */
    uint64_t id;
    uint64_t creator;                   /* id of the component that made it, 0: the kernel */
    char name[32];
    struct thread *thread;
    wasm_store *store;
    wasm_extern *coral;                 /* the native functions, in its store
                                           (made by their module, freed with it) */
    struct account *areas;              /* bytes of the memory areas and
                                           modules it made (they may
                                           outlive it) */
    struct component *parent;           /* its creator (a reference; NULL:
                                           the kernel made it) */

    /* [lock] */
    spinlock_t lock;
    struct handle_space handles;
    handle_t grants[COMPONENT_MAX_GRANTS];
    uint32_t ngrants;
    struct creq *req_head, *req_tail;   /* requests (component_request.c) */

    /* [own] */
    struct component_instance inst[COMPONENT_MAX_INSTANCES];
    uint32_t ninst;
    uint32_t adding;                    /* instantiations under way (their
                                           start functions may add more) */
    wasm_extern on_tick, on_ready;
    bool has_tick, has_ready;
    struct waitset *event_ws;           /* events_watch's set (a reference),
                                           or NULL: ready() for its entries */
    bool reported;                      /* its end is on the log (once) */
    uint64_t calls;                     /* exports called (events included) */
    uint64_t stop_cpu_ns;               /* CPU time when its code stopped
                                           after a kill (0: not yet) */

    /* [atomic] */
    volatile enum component_state state;
    volatile bool kill;
    int trap;                           /* what ended it, if it trapped */
    char why[128];                      /* the trap, or a failed add, in words */
    uint32_t started;                   /* started calls and adds not done */
    int64_t last_result;                /* of the last started work */
    bool add_failed;                    /* the last started work was an add
                                           that failed: why says why */
    volatile bool exited;               /* ended by its own exit call ... */
    int32_t exit_status;                /* ... with this status (written first) */
    volatile bool thread_gone;          /* exited: c->thread may be freed */
    uint64_t cpu_ns;                    /* the thread's CPU time, once gone */
    uint64_t kill_cpu_ns;               /* its CPU time when asked to end */
    bool kill_timed;                    /* kill_cpu_ns was taken (both with
                                           interrupts off, by the killer) */
    volatile uint32_t pending_ticks;
    bool events_on;                     /* deliver events (after init) */
    /* Limits its creator set (component_limit; under c->lock): defaults
     * keep the system alive with a few greedy components. */
    uint32_t max_instances;
    uint64_t page_limit;                /* Wasm memory pages, in all */
    uint32_t cpu_share;                 /* % of the CPU, 100: no limit */

    /* [list] */
    struct component *all_next;
    /* The components of its subtree alive now, all depths: a tree of
     * components making components is bounded by each ancestor's limit;
     * the kernel address space its memories and its subtree's reserve
     * (8 GiB and 64 KiB each), charged at every ancestor. */
    uint32_t tree, tree_limit;
    uint64_t space, space_limit;
    uint32_t gc_epoch;                  /* reached by the last collection */
    struct component *gc_next;          /* its work list */
};

/*
 * The native module every component's instances may import (the kernel's
 * system interface, kern/coral.c, which registers itself at boot with
 * coral_init): its name; making its functions in a new component's store
 * (false: out of memory); finding one by field name. Its `handles` table
 * is the component's grants, made here. Components know no more of it,
 * so calls run one way: coral decodes, then invokes components.
 */
struct component_natives {
    const char *module;
    bool (*make)(struct component *c);
    bool (*lookup)(struct component *c, const char *field, size_t len, wasm_extern *out);
};
void component_set_natives(const struct component_natives *n);

/*
 * A new, empty component named `name` (copied, truncated), with its thread
 * started and idle, made by component `parent` (NULL: the kernel): it ends
 * when its parent ends, or when the last handle to it goes. Returns it
 * with one reference for the caller and *status CORAL_OK; or NULL with
 * CORAL_EINVAL when the parent or one of its ancestors has as many
 * components in its subtree as its limit (COMPONENT_LIMIT_COMPONENTS), or
 * CORAL_EINTERNAL out of memory (a guest's component is held to the
 * kernel's reserve). Never blocks.
 */
struct component *component_create(const char *name, struct component *parent, int *status);

/*
 * Instantiates module m as the component's next instance, named name
 * (len bytes, 0 for none) for later instances' imports. Imports from
 * "coral" get the kernel's functions and a `handles` table of the granted
 * handles; other module names resolve to the most recent instance with
 * that name; types are checked by the engine. The first externref table
 * the module defines gets a handle to the instance's memory at index 0.
 * The start function runs. Runs on the component's thread (the caller
 * waits) unless the caller is that thread. Returns CORAL_OK and *index,
 * or CORAL_EINVAL (link error, start trapped, too many instances, dead
 * component) / CORAL_EINTERNAL (out of memory), with a reason in why.
 * May block.
 */
int component_add(struct component *c, struct kmodule *m, const char *name,
                  size_t len, uint32_t *index, char *why, size_t why_size);

/*
 * Calls export `name` of instance `index` on the component's thread and
 * waits for it. The export takes () or one i32/i64 (given arg) and returns
 * nothing or one i32/i64 (*result, sign-extended). CORAL_ETRAPPED when it
 * trapped (*result: the trap kind; the component is dead then).
 * May block.
 */
int component_call(struct component *c, uint32_t index, const char *name,
                   size_t len, uint64_t arg, int64_t *result);

/* Like component_call, without waiting: queues the call on the
 * component's thread and returns CORAL_OK, or CORAL_EINVAL (no such
 * instance or export, a type it cannot call, a name of 0 or more than
 * COMPONENT_NAME_MAX bytes, the component ended) / CORAL_EINTERNAL. Its
 * result shows in component_status. Never blocks. */
int component_start(struct component *c, uint32_t index, const char *name, size_t len,
                    uint64_t arg);

/* Like component_add, without waiting: queues the add on the component's
 * thread (after the work already queued there) and returns CORAL_OK, or
 * CORAL_EINVAL (a name of more than COMPONENT_NAME_MAX bytes, the
 * component ended) / CORAL_EINTERNAL (out of memory). Until it is done,
 * component_status says running; then idle, with the new instance's index
 * as its value, or -CORAL_EINVAL / -CORAL_EINTERNAL when the add failed
 * (component_describe then gives the reason, "add failed: ..."). A start
 * function that never returns keeps it running until a kill ends the
 * component. Never blocks. */
int component_add_start(struct component *c, struct kmodule *m, const char *name, size_t len);

/* How the component stands (ABI: docs/abi.md, component_status):
 * COMPONENT_STATUS_IDLE (*value: result of the last started call or add),
 * _RUNNING (a started call or add is queued or running), _TRAPPED (*value:
 * the trap kind), _KILLED; numbered by abi/coral.def. */
enum {
#define CORAL_STATUS(name, value, doc) COMPONENT_STATUS_##name = (value),
#include "abi/coral.def"
};
int component_status(struct component *c, int64_t *value);

/* Figures for listings (ABI: component_info keys, COMPONENT_INFO_*, as
 * abi/coral.def names and numbers them). CORAL_EINVAL for an unknown key. */
enum {
#define CORAL_INFO(name, value, doc) COMPONENT_INFO_##name = (value),
#include "abi/coral.def"
};
int component_info(struct component *c, int key, int64_t *value);

/* One line (no newline, not NUL-terminated) saying how the component
 * stands or how it ended: "trapped in instance 2 (hello), function 5
 * (main): integer divide by zero", "killed", "running", "idle", or, idle
 * after a started add failed, "add failed: " and the reason. Writes
 * at most size bytes; returns how many. */
size_t component_describe(struct component *c, char *buf, size_t size);

/* Limits (ABI: component_limit keys, COMPONENT_LIMIT_*, as abi/coral.def
 * names and numbers them). A limit can only be lowered, and never below
 * what the component already holds. */
enum {
#define CORAL_LIMIT(name, value, doc) COMPONENT_LIMIT_##name = (value),
#include "abi/coral.def"
};
int component_set_limit(struct component *c, int key, uint64_t value);

/* Adds obj to the grant list, as a handle with `rights`: instances added
 * afterwards find it at *index of their `handles` table. CORAL_EINVAL
 * when the list is full or the component is dead, CORAL_EINTERNAL out of
 * memory. */
int component_grant(struct component *c, struct kobj *obj, uint32_t rights, uint32_t *index);

/* A memory area (read and write) on the memory of c's instance `index`
 * (its first, defined or imported), with a reference, in *out: it keeps
 * c's store alive. CORAL_EINVAL when there is no such instance, or it has
 * no memory; CORAL_EINTERNAL out of memory. On one CPU, from any thread:
 * instances are only ever added, never taken away before c is destroyed. */
int component_memory(struct component *c, uint32_t index, struct vma **out);

/* Makes the component's `tick` export receive events. (Its `ready`
 * export gets them once it names a wait set: events_watch.) */
void component_start_events(struct component *c);

/* Ends c's events_watch (component.c); only on c's own thread. */
void component_unwatch(struct component *c);

/* Delivers one event now, on the calling thread, which must be the
 * component's own (its loop does this; the hosted tool, where everything
 * runs on one thread, calls them directly). CORAL_EINVAL when the
 * component has no such export or has ended, CORAL_ETRAPPED when the call
 * trapped (the component has ended then). */
int component_tick(struct component *c);
int component_ready(struct component *c, uint64_t key, uint32_t signals);

/* Address space for one of c's memories (kern/wasm_host.c): charged to c
 * and to every ancestor, or refused (false, nothing charged) when one of
 * them would pass its limit (COMPONENT_LIMIT_SPACE). Never blocks. */
bool component_space_charge(struct component *c, uint64_t bytes);
void component_space_credit(struct component *c, uint64_t bytes);

/* Asks the component to end: compiled code is interrupted at the next
 * timer tick, queued work is refused. Does not wait. */
void component_kill(struct component *c);

/* Handle operations in the component's space, under its lock. */
/* A new handle carrying rights (RIGHTS_ALL: every right of obj's kind),
 * or HANDLE_NULL (the space is full, out of memory, the component dead). */
handle_t component_handle_make(struct component *c, struct kobj *obj, uint32_t rights);
/* Decodes a handle argument: the object behind h, of kind (unless
 * KOBJ_INVALID), with a new reference in *out, and its rights in *rights
 * (may be NULL): CORAL_OK. CORAL_EINVAL when h is not a live handle of
 * that kind, CORAL_ERIGHTS when it lacks one of the rights `need`,
 * CORAL_EREVOKED when it is a revoked handle (kern/revoke.h); *out is
 * NULL then. A revocable handle is resolved to its object: this is the
 * decode of a call that uses the object. */
int component_handle_get(struct component *c, handle_t h, enum kobj_kind kind, uint32_t need,
                         struct kobj **out, uint32_t *rights);
/* For a coral call of c's, on c's own thread: the decode of
 * component_handle_get (resolve true) or component_handle_raw (false),
 * without a reference when none is needed. *held false: *out is borrowed
 * from h's slot, valid until this thread drops h. Slots of a space are
 * dropped only by its component's thread (handle_drop in its calls,
 * die() at its end, which runs after its last call) or when the
 * component is destroyed (its thread holds a reference while it runs);
 * component_grant, from other threads, only adds slots. So a borrowed
 * object outlives the call, a blocking one too, unless the call itself
 * drops h (channel_write drops the handles it sends: it uses nothing it
 * sends after). *held true (a resolved proxy, whose object a revocation
 * may let go on any thread): *out carries a reference, to put. *out is
 * NULL on failure. */
static inline int component_handle_borrow(struct component *c, handle_t h,
                                          enum kobj_kind kind, uint32_t need, bool resolve,
                                          struct kobj **out, bool *held);
/* component_handle_borrow's case of a proxy (o, found at h with rights
 * have), out of line. */
int component_handle_borrow_proxy(struct component *c, handle_t h, struct kobj *o,
                                  uint32_t have, enum kobj_kind kind, uint32_t need,
                                  bool resolve, struct kobj **out, bool *held);
/* The same, but *out is what the handle itself names (a revocable
 * handle's proxy, unresolved): for calls that pass the handle on
 * (duplicate, grant, send) or wait on it, so that revocation reaches what
 * they made of it. */
int component_handle_raw(struct component *c, handle_t h, enum kobj_kind kind, uint32_t need,
                         struct kobj **out, uint32_t *rights);
enum kobj_kind component_handle_kind(struct component *c, handle_t h);
bool component_handle_drop(struct component *c, handle_t h);

/* The component whose thread is running, or NULL. */
struct component *component_current(void);

/* Called by the timer on every tick (interrupt context). */
void component_tick_all(void);

/* clock_ns() at the latest tick's interrupt (sys_info key 5: a program
 * measures event delivery latency against it). */
uint64_t component_last_tick_ns(void);

/* Live components (not yet destroyed), for sys_info and tests. */
uint64_t component_count(void);

/* component_handle_borrow's checks of what it found at h: o (NULL when
 * h is not live) with the handle's rights have. */
static inline int component_handle_borrow_check(struct component *c, handle_t h,
                                                struct kobj *o, uint32_t have,
                                                enum kobj_kind kind, uint32_t need,
                                                bool resolve, struct kobj **out, bool *held)
{
    *out = NULL;
    *held = false;
    if (!o)
        return CORAL_EINVAL;
    if (o->kind == KOBJ_PROXY)
        return component_handle_borrow_proxy(c, h, o, have, kind, need, resolve, out, held);
    /* The slot's own reference: o outlives the call (above). The checks
     * are component_handle_raw's for an object that is not a proxy. */
    int status = kind != KOBJ_INVALID && o->kind != kind ? CORAL_EINVAL
                 : (have & need) != need ? CORAL_ERIGHTS : CORAL_OK;
    if (!status)
        *out = o;
    return status;
}

/* Inline: every handle argument of the IPC calls comes here. */
static inline int component_handle_borrow(struct component *c, handle_t h,
                                          enum kobj_kind kind, uint32_t need, bool resolve,
                                          struct kobj **out, bool *held)
{
    uint32_t have = 0;
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o = handle_get(&c->handles, h, KOBJ_INVALID, &have);
    spin_unlock_irqrestore(&c->lock, f);
    return component_handle_borrow_check(c, h, o, have, kind, need, resolve, out, held);
}

/* Two handle arguments of one call (a channel and a memory area), each as
 * component_handle_borrow with resolve true, found under one lock: the
 * first's status is returned, the second's goes to *status2. */
static inline int component_handle_borrow2(struct component *c, handle_t h1,
                                           enum kobj_kind kind1, uint32_t need1,
                                           struct kobj **out1, bool *held1, handle_t h2,
                                           enum kobj_kind kind2, uint32_t need2,
                                           struct kobj **out2, bool *held2, int *status2)
{
    uint32_t have1 = 0, have2 = 0;
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct kobj *o1 = handle_get(&c->handles, h1, KOBJ_INVALID, &have1);
    struct kobj *o2 = handle_get(&c->handles, h2, KOBJ_INVALID, &have2);
    spin_unlock_irqrestore(&c->lock, f);
    *status2 = component_handle_borrow_check(c, h2, o2, have2, kind2, need2, true, out2, held2);
    return component_handle_borrow_check(c, h1, o1, have1, kind1, need1, true, out1, held1);
}

#endif
