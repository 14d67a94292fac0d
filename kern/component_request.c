/*
 * Requests (see component.h and component_impl.h): the work other
 * components queue on a component (add an instance, call an export,
 * started calls and adds), how a caller waits for it, and how the
 * component's thread serves it.
 *
 * A request lives on the heap, not on its caller's stack: a caller killed
 * while it waits leaves at once, and the server frees what nobody waits
 * for any more. c->lock guards the queue and each request's waiter, done
 * and picked fields.
 */
#include "kern/component_impl.h"

#include "arch/x86/cpu.h"
#include "base/clock.h"
#include "base/log.h"
#include "kern/thread.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"

/* How long a caller waits for a busy component to take its request (one
 * stuck in an endless loop never does) before it gets result 2. */
#define REQUEST_WAIT_NS      2000000000ull

/* REQ_ADD_START: an add nobody waits for (component_add_start), counted
 * in c->started as REQ_START is. */
enum creq_kind { REQ_ADD, REQ_CALL, REQ_START, REQ_ADD_START };

/* A request from another thread, on the heap: a caller that is killed
 * while it waits leaves, and the request must outlive its stack. It holds
 * copies of what it reads (the name) and room for what it writes (the
 * reason of a failed add). c->lock of the serving component guards
 * waiter, done and picked: the server frees a request nobody waits for
 * any more (waiter NULL), the waiter frees one that is done. */
struct creq {
    enum creq_kind kind;
    struct creq *next;
    struct thread *waiter;      /* NULL: nobody waits (a start, or abandoned) */
    bool done;
    bool picked;                /* taken off the queue by the component */
    uint64_t queued_at;         /* clock_ns */
    int status;
    uint32_t index;             /* instance: made (add) or called (call) */
    struct kmodule *mod;        /* add: a reference */
    size_t len;
    uint64_t arg;               /* call, start */
    int64_t result;
    char name[COMPONENT_NAME_MAX];
    char why[160];              /* add: why it failed */
};

static struct creq *creq_new(enum creq_kind kind, const char *name, size_t len)
{
    if (len > COMPONENT_NAME_MAX)
        return NULL;
    struct creq *r = kzalloc(sizeof *r);
    if (!r)
        return NULL;
    r->kind = kind;
    if (len)
        memcpy(r->name, name, len);
    r->len = len;
    return r;
}

static void creq_free(struct creq *r)
{
    if (r->mod)
        kobj_put(&r->mod->k);
    kfree(r);
}

/* The server is done with r: tell its waiter, or free it when nobody
 * waits any more (the waiter was killed and left). */
static void finish(struct component *c, struct creq *r)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct thread *w = r->waiter;
    r->done = true;
    if (w)
        thread_wake(w);
    spin_unlock_irqrestore(&c->lock, f);
    if (!w)
        creq_free(r);
}

static void serve_add_start(struct component *c, struct creq *r);

static void serve(struct component *c, struct creq *r)
{
    if (r->kind == REQ_ADD_START) {
        serve_add_start(c, r);
        return;
    }
    if (r->kind == REQ_START) {
        int status = component_do_call(c, r->index, r->name, r->len, r->arg, &r->result);
        if (status == CORAL_OK)
            __atomic_store_n(&c->last_result, r->result, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, false, __ATOMIC_RELAXED);
        /* Last: component_status trusts what it sees once this drops. */
        __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
        creq_free(r);
        return;
    }
    if (r->kind == REQ_ADD)
        r->status = component_do_add(c, r->mod, r->name, r->len, &r->index, r->why, sizeof r->why);
    else
        r->status = component_do_call(c, r->index, r->name, r->len, r->arg, &r->result);
    finish(c, r);
}

/* Queues r for c's thread without waiting; false when c has ended. */
static bool enqueue(struct component *c, struct creq *r)
{
    r->next = NULL;
    uint64_t f = spin_lock_irqsave(&c->lock);
    if (c->state == COMPONENT_DEAD || c->kill) {
        spin_unlock_irqrestore(&c->lock, f);
        return false;
    }
    if (c->req_tail)
        c->req_tail->next = r;
    else
        c->req_head = r;
    c->req_tail = r;
    spin_unlock_irqrestore(&c->lock, f);
    component_wake(c);
    return true;
}

/* Takes a request the component has not picked up back off its queue
 * (c->lock held); false when it is not there. */
static bool unqueue(struct component *c, struct creq *r)
{
    struct creq *prev = NULL;
    for (struct creq *q = c->req_head; q; prev = q, q = q->next) {
        if (q != r)
            continue;
        if (prev)
            prev->next = q->next;
        else
            c->req_head = q->next;
        if (c->req_tail == q)
            c->req_tail = prev;
        return true;
    }
    return false;
}

enum submit_result { SUBMIT_DONE, SUBMIT_ENDED, SUBMIT_BUSY, SUBMIT_KILLED };

/* Queues r for c's thread and waits for it; on SUBMIT_DONE r is the
 * caller's to read and free, otherwise it is gone. SUBMIT_ENDED when c has
 * ended, SUBMIT_BUSY when c did not take it within REQUEST_WAIT_NS (the
 * timer wakes us to look: component_tick_all), SUBMIT_KILLED when the
 * caller was asked to end while it waited: it leaves at once, and a
 * request c is already serving is freed by c when done. */
static enum submit_result submit(struct component *c, struct creq *r)
{
    r->waiter = thread_current();
    r->queued_at = clock_ns();
    if (!enqueue(c, r)) {
        creq_free(r);
        return SUBMIT_ENDED;
    }
    /* Interrupts stay off from the check to the block, so a wake cannot
     * fall in between (one CPU). */
    uint64_t irq = irq_save();
    enum submit_result res = SUBMIT_DONE;
    for (;;) {
        uint64_t f = spin_lock_irqsave(&c->lock);
        bool done = r->done, leave = false, drop = false;
        if (!done && thread_should_stop()) {
            res = SUBMIT_KILLED;
            leave = true;
        } else if (!done && !r->picked &&
                   clock_ns() - r->queued_at > REQUEST_WAIT_NS) {
            res = SUBMIT_BUSY;
            leave = true;
        }
        if (leave) {
            drop = unqueue(c, r);       /* never picked: ours to free */
            r->waiter = NULL;           /* else the server frees it */
        }
        spin_unlock_irqrestore(&c->lock, f);
        if (drop)
            creq_free(r);
        if (done || leave)
            break;
        thread_block();
    }
    irq_restore(irq);
    return res;
}

int component_add(struct component *c, struct kmodule *m, const char *name,
                  size_t len, uint32_t *index, char *why, size_t why_size)
{
    why[0] = 0;
    if (c->thread == thread_current())
        return component_do_add(c, m, name, len, index, why, why_size);
    if (c->ninst + c->adding >= c->max_instances) {
        fmt_snprintf(why, why_size, "the component has %u instances, its limit", c->ninst);
        return CORAL_EINVAL;
    }
    struct creq *r = creq_new(REQ_ADD, name, len);
    if (!r) {
        fmt_snprintf(why, why_size, len > COMPONENT_NAME_MAX ? "instance name too long"
                                                             : "out of memory");
        return len > COMPONENT_NAME_MAX ? CORAL_EINVAL : CORAL_EINTERNAL;
    }
    r->mod = (struct kmodule *)kobj_get(&m->k);
    switch (submit(c, r)) {
    case SUBMIT_ENDED:
        fmt_snprintf(why, why_size, "the component has ended");
        return CORAL_EINVAL;
    case SUBMIT_BUSY:
        fmt_snprintf(why, why_size, "the component is busy (it took no request for 2 s)");
        return CORAL_EINTERNAL;
    case SUBMIT_KILLED:
        fmt_snprintf(why, why_size, "the caller was killed while it waited");
        return CORAL_EINTERNAL;
    case SUBMIT_DONE:
        break;
    }
    *index = r->index;
    int status = r->status;
    fmt_snprintf(why, why_size, "%s", r->why);
    creq_free(r);
    return status;
}

int component_call(struct component *c, uint32_t index, const char *name,
                   size_t len, uint64_t arg, int64_t *result)
{
    *result = 0;
    if (c->thread == thread_current())
        return component_do_call(c, index, name, len, arg, result);
    struct creq *r = creq_new(REQ_CALL, name, len);
    if (!r)
        return len > COMPONENT_NAME_MAX ? CORAL_EINVAL : CORAL_EINTERNAL;
    r->index = index;
    r->arg = arg;
    switch (submit(c, r)) {
    case SUBMIT_ENDED:
        return CORAL_EINVAL;
    case SUBMIT_BUSY:
    case SUBMIT_KILLED:
        return CORAL_EINTERNAL;
    case SUBMIT_DONE:
        break;
    }
    *result = r->result;
    int status = r->status;
    creq_free(r);
    return status;
}

static int queue_started(struct component *c, struct creq *r);

int component_start(struct component *c, uint32_t index, const char *name, size_t len,
                    uint64_t arg)
{
    wasm_extern fn;
    /* Checked here too, so the caller learns of a bad name at once; the
     * instance list only grows, so it stays true when the call is served. */
    if (len == 0 || len > COMPONENT_NAME_MAX || c->state == COMPONENT_DEAD || c->kill ||
        !component_callable(c, index, name, len, &fn))
        return CORAL_EINVAL;
    struct creq *r = creq_new(REQ_START, name, len);
    if (!r)
        return CORAL_EINTERNAL;
    r->index = index;
    r->arg = arg;
    return queue_started(c, r);
}

/* Queues started work (a call or an add nobody waits for), at most
 * COMPONENT_MAX_STARTED at once: each is kernel heap a guest asks for. */
static int queue_started(struct component *c, struct creq *r)
{
    uint32_t before = __atomic_fetch_add(&c->started, 1, __ATOMIC_ACQUIRE);
    int status = before >= COMPONENT_MAX_STARTED ? CORAL_EINTERNAL
               : !enqueue(c, r)                  ? CORAL_EINVAL : CORAL_OK;
    if (status) {
        __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
        creq_free(r);
    }
    return status;
}

int component_add_start(struct component *c, struct kmodule *m, const char *name, size_t len)
{
    if (len > COMPONENT_NAME_MAX || c->state == COMPONENT_DEAD || c->kill)
        return CORAL_EINVAL;
    struct creq *r = creq_new(REQ_ADD_START, name, len);
    if (!r)
        return CORAL_EINTERNAL;
    r->mod = (struct kmodule *)kobj_get(&m->k);
    return queue_started(c, r);
}

/* On the component's thread. The outcome is published as a started
 * call's is: value and reason first, the count of started work last. */
static void serve_add_start(struct component *c, struct creq *r)
{
    uint32_t index = 0;
    int status = component_do_add(c, r->mod, r->name, r->len, &index, r->why, sizeof r->why);
    /* A kill lands in the start function as a trap of the instantiation:
     * its code has stopped here (kill latency, component_info key 8). */
    if (status && c->kill && !c->stop_cpu_ns)
        c->stop_cpu_ns = thread_cpu_ns(thread_current());
    if (status == CORAL_OK) {
        __atomic_store_n(&c->last_result, (int64_t)index, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, false, __ATOMIC_RELAXED);
    } else if (c->kill) {
        /* Its end is the kill, which component_status reports. */
        if (!c->reported)
            pr_info("atoll: component %llu (%s) killed during an add\n",
                    (unsigned long long)c->id, c->name);
        c->reported = true;
    } else {
        /* The component lives on (a start function's trap fails the add,
         * not the component): its describe says why until the next
         * started work is done. */
        fmt_snprintf(c->why, sizeof c->why, "add failed: %s", r->why);
        pr_info("atoll: component %llu (%s): add failed: %s\n",
                (unsigned long long)c->id, c->name, r->why);
        __atomic_store_n(&c->last_result, -(int64_t)status, __ATOMIC_RELAXED);
        __atomic_store_n(&c->add_failed, true, __ATOMIC_RELAXED);
    }
    __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
    creq_free(r);
}

/* The oldest queued request, taken off the queue (NULL: none). */
static struct creq *take_request(struct component *c)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct creq *r = c->req_head;
    if (r) {
        c->req_head = r->next;
        if (!c->req_head)
            c->req_tail = NULL;
        r->picked = true;
    }
    spin_unlock_irqrestore(&c->lock, f);
    return r;
}

bool component_serve_next(struct component *c)
{
    struct creq *r = take_request(c);
    if (r)
        serve(c, r);
    return r != NULL;
}

void component_fail_requests(struct component *c)
{
    uint64_t f = spin_lock_irqsave(&c->lock);
    struct creq *r = c->req_head;
    c->req_head = c->req_tail = NULL;
    spin_unlock_irqrestore(&c->lock, f);
    while (r) {
        struct creq *next = r->next;
        if (r->kind == REQ_START || r->kind == REQ_ADD_START) {
            __atomic_fetch_sub(&c->started, 1, __ATOMIC_RELEASE);
            creq_free(r);
        } else {
            r->status = CORAL_EINVAL;
            if (r->kind == REQ_ADD)
                fmt_snprintf(r->why, sizeof r->why, "the component has ended");
            finish(c, r);
        }
        r = next;
    }
}

void component_requests_tick(struct component *c, uint64_t now)
{
    for (struct creq *r = c->req_head; r; r = r->next)
        if (r->waiter && !r->picked && now - r->queued_at > REQUEST_WAIT_NS)
            thread_wake(r->waiter);
}

