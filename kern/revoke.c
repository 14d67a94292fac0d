/* Revocation (see revoke.h). ipc_lock guards every proxy's target, cut
 * flag and place in its object's derived list. */
#include "kern/revoke.h"

#include "kern/account.h"
#include "kern/component.h"
#include "kern/wait.h"
#include "mm/heap.h"

struct proxy {
    struct kobj k;
    struct kobj *target;            /* a reference and a handle count;
                                       NULL once let go */
    enum kobj_kind of;              /* what it stands for, at the end */
    unsigned depth;                 /* proxies between it and its object */
    bool cut;
    struct proxy *sib;              /* in target->derived */
    struct proxy *work;             /* revoke's list, or the pending list */
    struct kobj *held;              /* let go, to release (pending list) */
    struct account *acct;
};

struct revoker {
    struct kobj k;
    struct proxy *p;                /* a reference */
    struct account *acct;
};

/* Takes p out of its target's derived list and gives up the target, which
 * the caller releases outside the lock (returned). ipc_lock held. */
static struct kobj *let_go_locked(struct proxy *p)
{
    struct kobj *t = p->target;
    if (!t)
        return NULL;
    for (struct proxy **q = &t->derived; *q; q = &(*q)->sib)
        if (*q == p) {
            *q = p->sib;
            break;
        }
    p->sib = NULL;
    p->target = NULL;
    return t;
}

static void release(struct kobj *t)
{
    if (t) {
        kobj_handle_remove(t);
        kobj_put(t);
    }
}

static void proxy_destroy(struct kobj *o)
{
    struct proxy *p = (struct proxy *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct kobj *t = let_go_locked(p);
    spin_unlock_irqrestore(&ipc_lock, f);
    release(t);
    if (p->acct) {
        account_credit(p->acct, sizeof *p);
        account_put(p->acct);
    }
    kfree(p);
}

/* Nobody holds a handle to the proxy any more (in a space or in flight):
 * its object need not wait for the last reference. Proxies made of it
 * hold handle counts on it, so it is not reached while they live. */
/* Proxies let go under a handle space's lock, where releasing (which may
 * free, and take other locks) is not allowed: revoke_reap releases them. */
static struct proxy *pending;

static void proxy_unreachable(struct kobj *o)
{
    struct proxy *p = (struct proxy *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct kobj *t = let_go_locked(p);
    if (t) {
        kobj_get(o);                /* until revoke_reap */
        p->held = t;
        p->work = pending;
        __atomic_store_n(&pending, p, __ATOMIC_RELAXED);
    }
    spin_unlock_irqrestore(&ipc_lock, f);
}

void revoke_reap(void)
{
    if (!__atomic_load_n(&pending, __ATOMIC_RELAXED))
        return;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct proxy *list = pending;
    pending = NULL;
    spin_unlock_irqrestore(&ipc_lock, f);
    while (list) {
        struct proxy *p = list;
        list = p->work;
        p->work = NULL;
        struct kobj *t = p->held;
        p->held = NULL;
        release(t);
        kobj_put(&p->k);
    }
}

static const struct kobj_ops proxy_ops = {
    .name = "revocable handle",
    .destroy = proxy_destroy,
    .unreachable = proxy_unreachable,
};

static void revoker_destroy(struct kobj *o)
{
    struct revoker *r = (struct revoker *)o;
    kobj_put(&r->p->k);
    if (r->acct) {
        account_credit(r->acct, sizeof *r);
        account_put(r->acct);
    }
    kfree(r);
}

static const struct kobj_ops revoker_ops = { .name = "revoker", .destroy = revoker_destroy };

int revoke_make(struct kobj *o, struct account *acct, struct kobj **proxy,
                struct kobj **revoker)
{
    size_t cost = sizeof(struct proxy) + sizeof(struct revoker);
    if (acct && !account_charge(acct, cost))
        return CORAL_EINTERNAL;
    struct proxy *p = kzalloc(sizeof *p);
    struct revoker *r = kzalloc(sizeof *r);
    if (!p || !r) {
        kfree(p);
        kfree(r);
        if (acct)
            account_credit(acct, cost);
        return CORAL_EINTERNAL;
    }
    int status = CORAL_OK;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (o->kind == KOBJ_PROXY) {
        const struct proxy *from = (const struct proxy *)o;
        status = from->cut ? CORAL_EREVOKED
                 : from->depth + 1 >= REVOKE_MAX_DEPTH ? CORAL_EINVAL : CORAL_OK;
        p->of = from->of;
        p->depth = from->depth + 1;
    } else {
        p->of = o->kind;
    }
    if (!status) {
        kobj_init(&p->k, KOBJ_PROXY, &proxy_ops);
        p->target = kobj_get(o);
        kobj_handle_add(o);
        p->k.signals = o->signals;
        p->sib = o->derived;
        o->derived = p;
    }
    spin_unlock_irqrestore(&ipc_lock, f);
    if (status) {
        kfree(p);
        kfree(r);
        if (acct)
            account_credit(acct, cost);
        return status;
    }
    p->acct = acct ? account_get(acct) : NULL;
    kobj_init(&r->k, KOBJ_REVOKER, &revoker_ops);
    r->p = (struct proxy *)kobj_get(&p->k);
    r->acct = acct ? account_get(acct) : NULL;
    *proxy = &p->k;
    *revoker = &r->k;
    return CORAL_OK;
}

void revoke(struct kobj *revoker)
{
    struct revoker *r = (struct revoker *)revoker;
    struct proxy *work = r->p, *gone = NULL;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (work->cut)
        work = NULL;
    else
        work->work = NULL;
    /* The subtree, each proxy once: cut, waiters woken, object let go
     * (collected on `gone` by their work links, released below). */
    while (work) {
        struct proxy *p = work;
        work = p->work;
        p->cut = true;
        kobj_signal_locked(&p->k, ~0u, SIGNAL_REVOKED);
        for (struct proxy *d = p->k.derived; d; d = d->sib) {
            d->work = work;
            work = d;
        }
        p->work = gone;
        gone = p;
    }
    /* Let go after the walk: the derived lists it followed stay intact
     * while it runs. Each target is kept in its proxy's sib link, now
     * free, until it is released outside the lock. */
    for (struct proxy *p = gone; p; p = p->work)
        p->sib = (struct proxy *)let_go_locked(p);
    spin_unlock_irqrestore(&ipc_lock, f);
    for (struct proxy *p = gone; p;) {
        struct proxy *next = p->work;
        struct kobj *t = (struct kobj *)p->sib;
        p->sib = NULL;
        release(t);
        p = next;
    }
}

int revoke_resolve(struct kobj *o, struct kobj **out)
{
    *out = NULL;
    if (o->kind != KOBJ_PROXY) {
        *out = kobj_get(o);
        return CORAL_OK;
    }
    int status = CORAL_OK;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    while (o->kind == KOBJ_PROXY && !status) {
        const struct proxy *p = (const struct proxy *)o;
        if (p->cut || !p->target)
            status = CORAL_EREVOKED;
        else
            o = p->target;
    }
    if (!status)
        *out = kobj_get(o);
    spin_unlock_irqrestore(&ipc_lock, f);
    return status;
}

enum kobj_kind revoke_kind(const struct kobj *o)
{
    return o->kind == KOBJ_PROXY ? ((const struct proxy *)o)->of : o->kind;
}

int revoke_is_cut(const struct kobj *o)
{
    return o->kind == KOBJ_PROXY && __atomic_load_n(&((const struct proxy *)o)->cut,
                                                    __ATOMIC_RELAXED);
}

void revoke_signal_derived_locked(struct kobj *o, uint32_t clear, uint32_t set)
{
    for (struct proxy *p = o->derived; p; p = p->sib)
        if (!p->cut)
            kobj_signal_locked(&p->k, clear, set);
}
