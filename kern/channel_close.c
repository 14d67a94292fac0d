/*
 * Closing endpoints and collecting cycles of them (see channel.h; the
 * structures are in channel_impl.h).
 *
 * Closing. kobj's `handles` counts live handle slots and messages in
 * flight alike, so an endpoint whose count reaches zero can never be read
 * again: its unreachable callback (run under a handle space's lock, where
 * freeing is not allowed) marks it closed and puts it on `closing`;
 * channel_reap, run by whoever dropped handles once outside every lock,
 * flushes its queue. Flushing drops the handles in the messages, which
 * may close more endpoints: they join the same list, so a long chain of
 * nested channels is freed iteratively, never by recursion on the kernel
 * stack.
 *
 * Cycles. An endpoint that sits in a message in its own queue (a channel
 * sent through itself), or a ring of endpoints each in the next one's
 * queue, keeps its count above zero with no slot left anywhere. When a
 * drop leaves an endpoint held only by messages (handles == inflight),
 * a collection is due: mark every endpoint a slot holds, then every
 * endpoint in a message queued at a marked one (whoever can read there
 * can receive it); an unmarked endpoint still in flight is garbage, and
 * flushing its queue frees the cycle. Cost: one pass over the live
 * endpoints and their queued messages, with ipc_lock held; a component
 * can make it run at most once per handle it drops. Objects of other
 * kinds in flight are only references: a component in a message is alive
 * on its own thread, a wait set cannot be sent.
 */
#include "kern/channel_impl.h"

#include "kern/account.h"
#include "kern/revoke.h"
#include "mm/heap.h"

static struct endpoint *closing;
static bool gc_due, reaping;

void channel_msg_clear(struct msg *m, bool keep_payer)
{
    for (uint32_t i = 0; i < m->nh; i++) {
        struct kobj *o = m->h[i];
        if (is_endpoint(o)) {
            uint64_t f = spin_lock_irqsave(&ipc_lock);
            ((struct endpoint *)o)->inflight--;
            spin_unlock_irqrestore(&ipc_lock, f);
        }
        kobj_handle_remove(o);
        kobj_put(o);
    }
    m->nh = 0;
    if (m->acct) {
        account_credit(m->acct, msg_size(m->len));
        if (!keep_payer) {
            account_put(m->acct);
            m->acct = NULL;
        }
    }
}

void channel_spare_free(struct msg *m)
{
    if (m) {
        account_put(m->acct);
        kfree(m);
    }
}

void channel_free_msgs(struct msg *m)
{
    while (m) {
        struct msg *next = m->next;
        channel_msg_clear(m, false);
        kfree(m);
        m = next;
    }
}

/* Takes e's queue off it (its signals follow). ipc_lock held. */
static struct msg *detach_queue_locked(struct endpoint *e)
{
    struct msg *m = e->head;
    e->head = e->tail = NULL;
    channel_queued -= e->nmsgs;
    e->nmsgs = 0;
    e->bytes = 0;
    kobj_signal_locked(&e->k, SIGNAL_READABLE, 0);
    if (e->peer)
        update_writable_locked(e->peer);
    return m;
}

/* e is closed: nobody reads its queue again, its peer learns it. */
struct msg *channel_close_locked(struct endpoint *e)
{
    e->closed = true;
    struct msg *m = detach_queue_locked(e);
    update_writable_locked(e);
    if (e->peer) {
        kobj_signal_locked(&e->peer->k, 0, SIGNAL_PEER_CLOSED);
        update_writable_locked(e->peer);
    }
    return m;
}

static void ep_unreachable(struct kobj *o)
{
    struct endpoint *e = (struct endpoint *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (!e->closed) {
        e->closed = true;
        kobj_get(o);                /* until channel_reap flushes it */
        e->work = closing;
        __atomic_store_n(&closing, e, __ATOMIC_RELAXED);
    }
    spin_unlock_irqrestore(&ipc_lock, f);
}

static void ep_handle_dropped(struct kobj *o)
{
    struct endpoint *e = (struct endpoint *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (e->inflight && __atomic_load_n(&o->handles, __ATOMIC_RELAXED) <= e->inflight)
        __atomic_store_n(&gc_due, true, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&ipc_lock, f);
}

static void ep_destroy(struct kobj *o)
{
    struct endpoint *e = (struct endpoint *)o;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct msg *m = detach_queue_locked(e);
    if (e->peer) {
        e->peer->peer = NULL;
        kobj_signal_locked(&e->peer->k, SIGNAL_WRITABLE, SIGNAL_PEER_CLOSED);
    }
    if (e->all_prev || channel_all == e) {    /* linked once its pair was made */
        *(e->all_prev ? &e->all_prev->all_next : &channel_all) = e->all_next;
        if (e->all_next)
            e->all_next->all_prev = e->all_prev;
    }
    spin_unlock_irqrestore(&ipc_lock, f);
    channel_free_msgs(m);
    /* Unlinked from its peer above: no writer reaches the spare now. */
    channel_spare_free(e->spare);
    if (e->acct) {
        account_credit(e->acct, EP_COST);
        account_put(e->acct);
    }
    kfree(e);
}

const struct kobj_ops channel_ep_ops = {
    .name = "channel endpoint",
    .destroy = ep_destroy,
    .unreachable = ep_unreachable,
    .handle_dropped = ep_handle_dropped,
};

/* Collection (see the top of the file). ipc_lock held; the queues of the
 * garbage endpoints are detached onto *garbage for freeing outside it. */
static void collect_locked(struct msg **garbage)
{
    struct endpoint *work = NULL;
    for (struct endpoint *e = channel_all; e; e = e->all_next) {
        e->mark = __atomic_load_n(&e->k.handles, __ATOMIC_RELAXED) > e->inflight;
        if (e->mark) {
            e->work = work;
            work = e;
        }
    }
    while (work) {
        struct endpoint *e = work;
        work = e->work;
        for (struct msg *m = e->head; m; m = m->next)
            for (uint32_t i = 0; i < m->nh; i++) {
                struct endpoint *x = (struct endpoint *)m->h[i];
                if (is_endpoint(m->h[i]) && !x->mark) {
                    x->mark = true;
                    x->work = work;
                    work = x;
                }
            }
    }
    for (struct endpoint *e = channel_all; e; e = e->all_next) {
        if (e->mark || !e->inflight || e->closed)
            continue;
        struct msg *m = channel_close_locked(e);
        if (m) {
            struct msg *t = m;
            while (t->next)
                t = t->next;
            t->next = *garbage;
            *garbage = m;
        }
    }
}

void channel_reap(void)
{
    revoke_reap();
    /* Every coral call ends here, and almost always with nothing to do:
     * a look without the lock. What this thread's own drops queued it
     * sees (its own stores); what another thread queues concurrently,
     * that thread reaps itself after its drop (or the one reaping now
     * does, on its next turn round the loop). */
    if (!__atomic_load_n(&closing, __ATOMIC_RELAXED) && !__atomic_load_n(&gc_due, __ATOMIC_RELAXED))
        return;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    if (reaping) {
        /* The thread already reaping (perhaps preempted) finds what we
         * added on its next turn round the loop. */
        spin_unlock_irqrestore(&ipc_lock, f);
        return;
    }
    reaping = true;
    for (;;) {
        struct msg *m = NULL;
        struct endpoint *e = NULL;
        if (closing) {
            e = closing;
            __atomic_store_n(&closing, e->work, __ATOMIC_RELAXED);
            e->work = NULL;
            m = channel_close_locked(e);
        } else if (gc_due) {
            __atomic_store_n(&gc_due, false, __ATOMIC_RELAXED);
            collect_locked(&m);
        } else {
            break;
        }
        spin_unlock_irqrestore(&ipc_lock, f);
        channel_free_msgs(m);
        if (e)
            kobj_put(&e->k);        /* ep_unreachable's */
        f = spin_lock_irqsave(&ipc_lock);
    }
    reaping = false;
    spin_unlock_irqrestore(&ipc_lock, f);
}

uint64_t channel_messages(void)
{
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    uint64_t n = channel_queued;
    spin_unlock_irqrestore(&ipc_lock, f);
    return n;
}
