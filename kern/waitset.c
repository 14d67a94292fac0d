/* Wait sets (see waitset.h). */
#include "kern/waitset.h"

#include "base/clock.h"
#include "kern/account.h"
#include "kern/component.h"
#include "kern/revoke.h"
#include "kern/thread.h"
#include "mm/heap.h"

struct wsentry {
    struct watch w;                 /* w.obj holds a reference */
    uint64_t key;
    struct wsentry *next;
};

/* Under ipc_lock: entries, cursor and waiter. */
struct waitset {
    struct kobj k;
    struct account *acct;           /* pays for the entries (a reference) */
    struct wsentry *entries;
    uint32_t n;
    struct wsentry *cursor;         /* where the next scan starts */
    struct thread *waiter;          /* in waitset_wait */
    struct thread *notify;          /* woken too: its component's loop
                                       (events_watch) */
};

static void ws_destroy(struct kobj *o)
{
    struct waitset *ws = (struct waitset *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct wsentry *e = ws->entries;
    for (struct wsentry *x = e; x; x = x->next)
        watch_remove_locked(&x->w);
    ws->entries = NULL;
    spin_unlock_irqrestore(&ipc_lock, f);
    /* References are put outside the lock: the last one may destroy a
     * channel, which takes it. */
    while (e) {
        struct wsentry *next = e->next;
        kobj_put(e->w.obj);
        kfree(e);
        if (ws->acct)
            account_credit(ws->acct, sizeof *e);
        e = next;
    }
    if (ws->acct) {
        account_credit(ws->acct, sizeof *ws);
        account_put(ws->acct);
    }
    kfree(ws);
}

static const struct kobj_ops ws_ops = { .name = "wait set", .destroy = ws_destroy };

struct waitset *waitset_new(struct account *acct)
{
    if (acct && !account_charge(acct, sizeof(struct waitset)))
        return NULL;
    struct waitset *ws = kzalloc(sizeof *ws);
    if (!ws) {
        if (acct)
            account_credit(acct, sizeof(struct waitset));
        return NULL;
    }
    kobj_init(&ws->k, KOBJ_WAITSET, &ws_ops);
    ws->acct = acct ? account_get(acct) : NULL;
    return ws;
}

static struct wsentry *find_locked(struct waitset *ws, uint64_t key, struct wsentry ***link)
{
    for (struct wsentry **p = &ws->entries; *p; p = &(*p)->next)
        if ((*p)->key == key) {
            if (link)
                *link = p;
            return *p;
        }
    return NULL;
}

int waitset_add(struct waitset *ws, struct kobj *o, uint32_t mask, uint64_t key)
{
    /* A set watching a set (or itself) would hold a reference that
     * nothing collects: a wait set has no signals of its own anyway. */
    if (!mask || revoke_kind(o) == KOBJ_WAITSET)
        return CORAL_EINVAL;
    if (ws->acct && !account_charge(ws->acct, sizeof(struct wsentry)))
        return CORAL_EINTERNAL;
    struct wsentry *e = kzalloc(sizeof *e);
    if (!e) {
        if (ws->acct)
            account_credit(ws->acct, sizeof *e);
        return CORAL_EINTERNAL;
    }
    e->w = (struct watch){ .obj = kobj_get(o), .mask = mask, .ws = ws };
    e->key = key;
    int status = CORAL_EINVAL;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (ws->n < WAITSET_MAX_ENTRIES && !find_locked(ws, key, NULL)) {
        e->next = ws->entries;
        ws->entries = e;
        ws->n++;
        watch_add_locked(&e->w);
        if (ws->waiter && (o->signals & mask))
            thread_wake(ws->waiter);
        status = CORAL_OK;
    }
    spin_unlock_irqrestore(&ipc_lock, f);
    if (status) {
        kobj_put(o);
        kfree(e);
        if (ws->acct)
            account_credit(ws->acct, sizeof *e);
    }
    return status;
}

int waitset_remove(struct waitset *ws, uint64_t key)
{
    struct wsentry **link;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct wsentry *e = find_locked(ws, key, &link);
    if (e) {
        *link = e->next;
        ws->n--;
        if (ws->cursor == e)
            ws->cursor = e->next;
        watch_remove_locked(&e->w);
    }
    spin_unlock_irqrestore(&ipc_lock, f);
    if (!e)
        return CORAL_EINVAL;
    kobj_put(e->w.obj);
    kfree(e);
    if (ws->acct)
        account_credit(ws->acct, sizeof *e);
    return CORAL_OK;
}

void waitset_ready_locked(struct waitset *ws, struct watch *w)
{
    (void)w;
    if (ws->waiter)
        thread_wake(ws->waiter);
    if (ws->notify)
        thread_wake(ws->notify);
}

void waitset_set_notify(struct waitset *ws, struct thread *t)
{
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    ws->notify = t;
    spin_unlock_irqrestore(&ipc_lock, f);
}

bool waitset_any_ready(struct waitset *ws)
{
    bool any = false;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    for (struct wsentry *e = ws->entries; e && !any; e = e->next)
        any = (e->w.obj->signals & (e->w.mask | SIGNAL_REVOKED)) != 0;
    spin_unlock_irqrestore(&ipc_lock, f);
    return any;
}

/* The first entry at or after the cursor (wrapping) whose signals are
 * asserted; the cursor moves past it. ipc_lock held. */
static struct wsentry *scan_locked(struct waitset *ws)
{
    struct wsentry *start = ws->cursor ? ws->cursor : ws->entries;
    struct wsentry *e = start;
    for (uint32_t i = 0; e && i < ws->n; i++) {
        if (e->w.obj->signals & (e->w.mask | SIGNAL_REVOKED)) {
            ws->cursor = e->next;
            return e;
        }
        e = e->next ? e->next : ws->entries;
    }
    return NULL;
}

int waitset_wait(struct waitset *ws, uint64_t deadline, uint64_t *key, uint32_t *observed)
{
    int status;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (ws->waiter) {
        spin_unlock_irqrestore(&ipc_lock, f);
        return CORAL_EINVAL;
    }
    ws->waiter = thread_current();
    for (;;) {
        struct wsentry *e = scan_locked(ws);
        if (e) {
            *key = e->key;
            *observed = e->w.obj->signals;
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
        spin_unlock_irqs_off(&ipc_lock);
        thread_block_until(deadline);
        spin_lock_irqs_off(&ipc_lock);
    }
    ws->waiter = NULL;
    spin_unlock_irqrestore(&ipc_lock, f);
    return status;
}
