/*
 * Components, registry and lifecycle (see component.h and, for how the
 * component files divide the work, component_impl.h): making one, the
 * thread that serves its work, its end (trap, kill, creator's end, last
 * handle dropped) and its destruction; the tree of creators; the events
 * the timer and its events_watch give it.
 *
 * Locking, on one CPU: c->lock (an interrupt-masking spinlock) guards the
 * handle space, the grant list and the request queue, which the
 * component's own thread and other components' threads both touch; the
 * list of all components has its own lock, taken by the timer tick. The
 * store and the instance list are touched only by the component's thread
 * (or by its creator through a request served on that thread).
 */
#include "kern/component_impl.h"

#include "arch/x86/cpu.h"
#include "kern/account.h"
#include "kern/channel.h"
#include "kern/wait.h"
#include "kern/waitset.h"
#include "base/clock.h"
#include "base/log.h"
#include "kern/reserve.h"
#include "kern/thread.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/pmm.h"

/* The component's thread: its stack, and how much of it Wasm may use
 * (the rest is for host functions, the trap path and interrupts). */
#define COMPONENT_STACK      (1024 * 1024)
#define COMPONENT_WASM_STACK (COMPONENT_STACK - 192 * 1024)
#define MAX_PENDING_TICKS    4
#define COMPONENT_STACK_BACKED (32 * 1024)

const struct component_natives *component_natives;

void component_set_natives(const struct component_natives *n)
{
    component_natives = n;
}

spinlock_t component_list_lock = SPINLOCK_INIT;
struct component *component_list;
static uint64_t next_id = 1;
static uint64_t live_components;

/* Wakes c's thread unless it has exited (its struct may be freed then).
 * Interrupts are off across the check and the wake: on one CPU the
 * thread cannot exit in between. */
void component_wake(struct component *c)
{
    uint64_t f = irq_save();
    if (!c->thread_gone)
        thread_wake(c->thread);
    irq_restore(f);
}

/* ---- the component's thread ---- */

/* Interrupts off (the thread cannot exit meanwhile on one CPU). Notes its
 * CPU time, for the kill latency (component_info key 8). */
void component_ask_to_end(struct component *c)
{
    if (!c->thread_gone) {
        c->kill_cpu_ns = thread_cpu_ns(c->thread);
        c->kill_timed = true;
    }
    c->kill = true;
    if (!c->thread_gone)
        thread_kill(c->thread);
}

static bool has_work(struct component *c)
{
    if (c->req_head || c->kill)
        return true;
    /* Its own events_watch: not gated by events_on, which is userboot's
     * (after init) and a started child's. */
    if (c->event_ws && waitset_any_ready(c->event_ws))
        return true;
    return c->events_on && c->has_tick && c->pending_ticks;
}

/* Stops c's events_watch, if any: the set's reference goes, and with it
 * the wake-ups of c's thread. Only on c's own thread. */
void component_unwatch(struct component *c)
{
    struct waitset *ws = c->event_ws;
    if (!ws)
        return;
    waitset_set_notify(ws, NULL);
    c->event_ws = NULL;
    kobj_put((struct kobj *)ws);     /* its first member */
}

static void die(struct component *c)
{
    pr_debug("component %llu (%s) ends\n", (unsigned long long)c->id, c->name);
    component_unwatch(c);
    /* Dead first, under the lock enqueue checks: nothing is queued after
     * the queue is failed. */
    uint64_t f = spin_lock_irqsave(&c->lock);
    c->state = COMPONENT_DEAD;
    spin_unlock_irqrestore(&c->lock, f);
    component_fail_requests(c);
    /* The components it created end with it, whoever else holds them:
     * otherwise two that hold handles to each other (or one granted to
     * itself) would outlive everyone who could reach them. */
    f = spin_lock_irqsave(&component_list_lock);
    for (struct component *k = component_list; k; k = k->all_next)
        if (k->creator == c->id && !k->kill)
            component_ask_to_end(k);
    spin_unlock_irqrestore(&component_list_lock, f);
    /* Its own handles go now: that breaks the cycle through memory areas
     * on its own memories, which hold the component. */
    struct handle_space hs;
    f = spin_lock_irqsave(&c->lock);
    hs = c->handles;
    handle_space_init(&c->handles, 0);
    spin_unlock_irqrestore(&c->lock, f);
    handle_space_destroy(&hs);
    component_collect_cycles();
    channel_reap();
}

static int component_main(void *arg)
{
    struct component *c = arg;
    for (;;) {
        /* Kernel code below must not fault on its own stack while it
         * holds a lock: keep headroom backed (Wasm frames below grow it). */
        kstack_reserve(&thread_current()->stack, KSTACK_HEADROOM);
        irq_disable();
        while (!has_work(c)) {
            c->state = COMPONENT_IDLE;
            thread_block();
            irq_disable();
        }
        c->state = COMPONENT_BUSY;
        irq_enable();
        if (c->kill)
            break;
        if (component_serve_next(c))
            continue;
        /* One ready entry, then a tick if one is pending: an entry that
         * stays ready (its reader does not drain it) cannot starve the
         * ticks, nor requests, looked at first on every round. */
        uint64_t key;
        uint32_t seen;
        if (c->event_ws && waitset_wait(c->event_ws, 0, &key, &seen) == CORAL_OK)
            component_ready(c, key, seen);
        if (c->events_on && c->has_tick && c->pending_ticks) {
            __atomic_fetch_sub(&c->pending_ticks, 1, __ATOMIC_RELAXED);
            component_tick(c);
        }
    }
    if (!c->stop_cpu_ns)
        c->stop_cpu_ns = thread_cpu_ns(thread_current());
    die(c);
    uint64_t f = irq_save();
    c->cpu_ns = thread_cpu_ns(thread_current());
    c->thread_gone = true;      /* the reaper may free the thread from now */
    irq_restore(f);
    kobj_signal(&c->k, 0, SIGNAL_ENDED);
    kobj_put(&c->k);            /* the thread's reference */
    return 0;
}

static void component_destroy(struct kobj *o)
{
    struct component *c = (struct component *)o;
    pr_debug("component %llu (%s) destroyed\n", (unsigned long long)c->id, c->name);
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    for (struct component **p = &component_list; *p; p = &(*p)->all_next) {
        if (*p == c) {
            *p = c->all_next;
            break;
        }
    }
    live_components--;
    for (struct component *a = c->parent; a; a = a->parent)
        a->tree--;
    spin_unlock_irqrestore(&component_list_lock, f);
    handle_space_destroy(&c->handles);
    channel_reap();
    wasm_store_free(c->store);  /* credits its memories' address space */
    if (c->parent)              /* ... to its ancestors too: last */
        kobj_put(&c->parent->k);
    for (uint32_t i = 0; i < c->ninst; i++)
        kobj_put(&c->inst[i].mod->k);
    account_put(c->areas);      /* areas it made and handed on keep it */
    kfree(c->coral);
    kfree(c);
}

/* Nobody can reach it any more (its creator dropped the last handle):
 * it ends, which drops its own handles and so may end its children. */
static void component_unreachable(struct kobj *o)
{
    component_kill((struct component *)o);
}

static const struct kobj_ops component_ops = { "component", component_destroy,
                                                component_unreachable,
                                                component_handle_dropped };

/* What an idle component costs the kernel (its structure, store, coral
 * functions and the backed top of its stack), claimed against the reserve
 * when a guest makes one. */
#define COMPONENT_COST (64 * 1024)

/* Counts a new member of every subtree it joins (component_list_lock held): false,
 * counting nothing, when one of its ancestors is at its limit. */
static bool join_tree(struct component *parent)
{
    for (struct component *a = parent; a; a = a->parent)
        if (a->tree >= a->tree_limit)
            return false;
    for (struct component *a = parent; a; a = a->parent)
        a->tree++;
    return true;
}

static void leave_tree(struct component *parent)
{
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    for (struct component *a = parent; a; a = a->parent)
        a->tree--;
    spin_unlock_irqrestore(&component_list_lock, f);
}

static void free_parts(struct component *c)
{
    wasm_store_free(c->store);
    account_put(c->areas);
    kfree(c->coral);
    kfree(c);
}

struct component *component_create(const char *name, struct component *parent, int *status)
{
    *status = CORAL_EINTERNAL;
    if (parent && !reserve_guest_claim(COMPONENT_COST))
        return NULL;
    struct component *c = kzalloc(sizeof *c);
    struct pmm_stats ps;
    pmm_get_stats(&ps);
    if (c) {
        /* Half of RAM, as for pages: bounds what one component can pin
         * in areas and modules it hands on (the reserve is kept anyway). */
        c->areas = account_new(ps.total_frames * 4096 / 2);
        c->store = wasm_store_new(COMPONENT_WASM_STACK);
    }
    if (c && (!c->areas || !c->store ||
              (component_natives && !component_natives->make(c)))) {
        free_parts(c);
        c = NULL;
    }
    if (!c)
        goto out;
    kobj_init(&c->k, KOBJ_COMPONENT, &component_ops);
    handle_space_init(&c->handles, COMPONENT_MAX_HANDLES);
    c->max_instances = COMPONENT_MAX_INSTANCES;
    c->cpu_share = 100;
    /* Half of RAM in Wasm pages at most: two greedy components cannot
     * take it all (and the kernel's reserve is kept anyway). */
    c->page_limit = ps.total_frames * 4096 / 2 / 65536;
    wasm_store_set_page_limit(c->store, c->page_limit);
    /* Table elements are kernel heap (8 bytes each): 1 M of them, 8 MiB. */
    wasm_store_set_elem_limit(c->store, 1u << 20);
    /* Its subtree: as many idle components as a quarter of RAM holds. */
    c->tree_limit = (uint32_t)(ps.total_frames * 4096 / 4 / COMPONENT_COST);
    c->space_limit = COMPONENT_SPACE_LIMIT;
    size_t n = strnlen(name, sizeof c->name - 1);
    memcpy(c->name, name, n);
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    bool joined = join_tree(parent);
    if (joined) {
        c->id = next_id++;
        c->creator = parent ? parent->id : 0;
        c->parent = parent ? (struct component *)kobj_get(&parent->k) : NULL;
    }
    spin_unlock_irqrestore(&component_list_lock, f);
    if (!joined) {
        *status = CORAL_EINVAL;
        free_parts(c);
        c = NULL;
        goto out;
    }
    /* 1 MiB of stack costs what its Wasm code uses: backed as touched. */
    c->thread = thread_create_lazy(c->name, component_main, c, COMPONENT_STACK,
                                   COMPONENT_STACK_BACKED, false);
    if (!c->thread) {
        leave_tree(parent);
        if (parent)
            kobj_put(&parent->k);
        free_parts(c);
        c = NULL;
        goto out;
    }
    c->thread->guest = true;
    c->thread->owner = c;
    kobj_get(&c->k);            /* the thread's reference */
    f = spin_lock_irqsave(&component_list_lock);
    c->all_next = component_list;
    component_list = c;
    live_components++;
    spin_unlock_irqrestore(&component_list_lock, f);
    thread_start(c->thread);
    *status = CORAL_OK;
out:
    if (parent)
        reserve_guest_done(COMPONENT_COST);
    return c;
}

void component_start_events(struct component *c)
{
    uint64_t f = irq_save();
    c->events_on = true;
    irq_restore(f);
    component_wake(c);
}

void component_kill(struct component *c)
{
    uint64_t f = irq_save();
    if (!c->kill)
        component_ask_to_end(c);
    irq_restore(f);
}

struct component *component_current(void)
{
    struct thread *t = thread_current();
    uint64_t f = spin_lock_irqsave(&component_list_lock);
    struct component *c = component_list;
    while (c && (c->thread_gone || c->thread != t))
        c = c->all_next;
    spin_unlock_irqrestore(&component_list_lock, f);
    return c;
}

static uint64_t last_tick_ns;

uint64_t component_last_tick_ns(void)
{
    return __atomic_load_n(&last_tick_ns, __ATOMIC_RELAXED);
}

void component_tick_all(void)
{
    __atomic_store_n(&last_tick_ns, clock_ns(), __ATOMIC_RELAXED);
    /* Interrupt context, interrupts off: the list cannot change under
     * us on this CPU, and component_list_lock is never held with interrupts on. */
    for (struct component *c = component_list; c; c = c->all_next) {
        if (!c->events_on || !c->has_tick || c->state == COMPONENT_DEAD || c->thread_gone)
            continue;
        if (c->pending_ticks < MAX_PENDING_TICKS)
            c->pending_ticks++;
        if (c->state == COMPONENT_IDLE)
            thread_wake(c->thread);
    }
    /* Callers waiting too long on a busy component: let them look. */
    uint64_t now = last_tick_ns;
    for (struct component *c = component_list; c; c = c->all_next)
        component_requests_tick(c, now);
}

uint64_t component_count(void)
{
    return live_components;
}

