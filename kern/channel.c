/*
 * Channels (see channel.h).
 *
 * ipc_lock (kern/wait.h) guards every endpoint's queue, peer link, flags
 * and spare, and the lists below. Guest bytes are copied outside it (into
 * a new message before it is queued, out of one after it is taken),
 * except a small message's without handles, which goes into the peer's
 * spare and out of the queue under it: at most MSG_SMALL bytes, bounded
 * work, and the copy cannot fault, since a memory area's range is checked
 * against its size and what lies within is backed (a linear memory is
 * committed as it grows, and never shrinks).
 *
 * Closing endpoints and collecting cycles of them: kern/channel_close.c.
 */
#include "kern/channel_impl.h"

#include "kern/account.h"
#include "kern/component.h"
#include "kern/reserve.h"
#include "kern/revoke.h"
#include "kern/vma.h"
#include "kern/wait_inline.h"
#include "lib/string.h"
#include "mm/heap.h"

struct endpoint *channel_all;
uint64_t channel_queued;

static struct endpoint *ep_new(struct account *acct)
{
    if (acct && !account_charge(acct, EP_COST))
        return NULL;
    struct endpoint *e = kzalloc(sizeof *e);
    if (!e) {
        if (acct)
            account_credit(acct, EP_COST);
        return NULL;
    }
    kobj_init(&e->k, KOBJ_CHANNEL, &channel_ep_ops);
    e->acct = acct ? account_get(acct) : NULL;
    return e;
}

int channel_create(struct account *acct, struct kobj **a, struct kobj **b)
{
    struct endpoint *x = ep_new(acct), *y = ep_new(acct);
    if (!x || !y) {
        if (x)
            kobj_put(&x->k);
        if (y)
            kobj_put(&y->k);
        return CORAL_EINTERNAL;
    }
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    x->peer = y;
    y->peer = x;
    for (struct endpoint *e = x; e; e = e == x ? y : NULL) {
        e->all_next = channel_all;
        if (channel_all)
            channel_all->all_prev = e;
        channel_all = e;
    }
    update_writable_locked(x);
    update_writable_locked(y);
    spin_unlock_irqrestore(&ipc_lock, f);
    *a = &x->k;
    *b = &y->k;
    return CORAL_OK;
}

/* Checks the handles a message is to carry: live in c's space, movable,
 * each named once, not the endpoint written on. The objects, with a
 * reference each, go to objs. */
static int decode_handles(struct component *c, struct kobj *ch, const handle_t *hs, uint32_t nh,
                          struct kobj **objs, uint32_t *rights, uint32_t *n)
{
    int status = CORAL_OK;
    *n = 0;
    handle_t any = HANDLE_NULL;
    for (uint32_t i = 0; i < nh; i++)
        any |= hs[i];
    if (any == HANDLE_NULL)
        return CORAL_OK;            /* most messages carry none */
    for (uint32_t i = 0; i < nh && !status; i++) {
        if (hs[i] == HANDLE_NULL)
            continue;
        for (uint32_t j = 0; j < i; j++)
            if (hs[j] == hs[i])
                status = CORAL_EINVAL;
        struct kobj *o, *what = NULL;
        if (!status)
            status = component_handle_raw(c, hs[i], KOBJ_INVALID, RIGHT_TRANSFER, &o,
                                          &rights[*n]);
        /* The endpoint written on, however named (a revocable handle of
         * it too), never travels through itself. */
        if (!status && (revoke_resolve(o, &what) || what == ch)) {
            kobj_put(o);
            status = what ? CORAL_EINVAL : CORAL_EREVOKED;
        }
        kobj_put(what);
        if (!status)
            objs[(*n)++] = o;
    }
    if (status)
        while (*n)
            kobj_put(objs[--*n]);
    return status;
}

/* Queues m at e's peer, counting the handles it carries as in flight;
 * or why not. ipc_lock held. */
static inline __attribute__((always_inline)) int
queue_locked(struct endpoint *e, struct msg *m)
{
    struct endpoint *p = e->peer;
    if (!p || p->closed)
        return CORAL_EPEER;
    if (!has_room_locked(p, m->len))
        return CORAL_EWOULDBLOCK;
    for (uint32_t i = 0; i < m->nh; i++) {
        kobj_handle_add(m->h[i]);
        if (is_endpoint(m->h[i]))
            ((struct endpoint *)m->h[i])->inflight++;
    }
    *(p->tail ? &p->tail->next : &p->head) = m;
    p->tail = m;
    p->nmsgs++;
    p->bytes += m->len;
    channel_queued++;
    kobj_signal_locked(&p->k, 0, SIGNAL_READABLE);
    update_writable_locked(e);
    return CORAL_OK;
}

/* Queues m at e's peer and moves its handles out of c's space in one
 * step: either it is queued and the slots hs are gone, or neither (the
 * caller frees m). The message counts its handles before the slots go,
 * so that no object sees its count touch zero on the way. Lock order:
 * c->lock, then ipc_lock (a slot's drop takes ipc_lock in its
 * callbacks, so the slots go after it is released). */
static int send(struct component *c, struct endpoint *e, struct msg *m, const handle_t *hs,
                uint32_t nh)
{
    if (!m->nh) {
        /* No handles (every hs is HANDLE_NULL: decode_handles took one
         * object per other value): c's space is not touched. */
        uint64_t f = spin_lock_irqsave(&ipc_lock);
        int status = queue_locked(e, m);
        spin_unlock_irqrestore(&ipc_lock, f);
        return status;
    }
    uint64_t f = spin_lock_irqsave(&c->lock);
    int status = CORAL_OK;
    for (uint32_t i = 0, k = 0; i < nh && !status; i++)
        if (hs[i] != HANDLE_NULL &&
            handle_get(&c->handles, hs[i], KOBJ_INVALID, NULL) != m->h[k++])
            status = CORAL_EINVAL;      /* dropped meanwhile */
    if (!status) {
        spin_lock_irqs_off(&ipc_lock);
        status = queue_locked(e, m);
        spin_unlock_irqs_off(&ipc_lock);
    }
    if (!status)
        for (uint32_t i = 0; i < nh; i++)
            if (hs[i] != HANDLE_NULL)
                handle_drop(&c->handles, hs[i]);
    spin_unlock_irqrestore(&c->lock, f);
    return status;
}

/* A small message without handles written into p's spare (there is one)
 * and queued, under ipc_lock, e's look just made. It is not charged to
 * the writer: the spare's memory is paid for with p (EP_COST), and p
 * holds at most one. *drop: an account reference the spare kept from
 * the charged message it was (see channel_msg_clear), for the caller to
 * put after the lock. */
static inline __attribute__((always_inline)) int
write_spare_locked(struct endpoint *e, struct endpoint *p, const uint8_t *src, uint32_t len,
                   struct account **drop)
{
    struct msg *m = p->spare;
    p->spare = NULL;
    *drop = m->acct;
    msg_init(m);
    m->len = len;
    memcpy(m->data, src, len);
    return queue_locked(e, m);      /* succeeds: looked under this lock */
}

int channel_write(struct component *c, struct kobj *ch, struct vma *src, int64_t off,
                  int64_t len, const handle_t *hs, uint32_t nh)
{
    struct endpoint *e = (struct endpoint *)ch;
    /* The area's window is looked at once: a linear memory only grows,
     * and never moves (the engine reserves its whole range). */
    uint64_t size_now;
    const uint8_t *base = vma_window(src, &size_now);
    if (nh > CHANNEL_MSG_HANDLES || len < 0 || (uint64_t)len > CHANNEL_MSG_MAX ||
        !(src->access & VMA_READ) || !vma_range_ok(size_now, off, len))
        return CORAL_EINVAL;
    struct kobj *objs[CHANNEL_MSG_HANDLES];
    uint32_t rights[CHANNEL_MSG_HANDLES], n;
    int status = decode_handles(c, ch, hs, nh, objs, rights, &n);
    if (status)
        return status;

    /* A look first, so that a full queue costs no allocation; a small
     * message takes the peer's spare buffer if it has one, and without
     * handles is written whole under this one lock. */
    struct msg *m = NULL;
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct endpoint *p = e->peer;
    status = !p || p->closed ? CORAL_EPEER
             : !has_room_locked(p, (uint32_t)len) ? CORAL_EWOULDBLOCK : CORAL_OK;
    if (!status && (uint64_t)len <= MSG_SMALL && p->spare) {
        if (!n) {
            struct account *drop = NULL;
            status = write_spare_locked(e, p, base + off, (uint32_t)len, &drop);
            spin_unlock_irqrestore(&ipc_lock, f);
            account_put(drop);
            return status;
        }
        m = p->spare;
        p->spare = NULL;
    }
    spin_unlock_irqrestore(&ipc_lock, f);
    /* A spare's account reference serves if it is the writer's. */
    struct account *kept = m ? m->acct : NULL;

    /* The writer pays for the message as for any allocation, spare or
     * not (the spare's own memory is the endpoint's, EP_COST). */
    size_t size = msg_size((uint32_t)len);
    if (!status && c->areas && !account_charge(c->areas, size))
        status = CORAL_EINTERNAL;
    if (!status && !m) {
        size_t asize = msg_alloc_size((uint32_t)len);
        if (reserve_guest_claim(asize)) {
            m = kmalloc(asize);
            reserve_guest_done(asize);
        }
        if (!m) {
            if (c->areas)
                account_credit(c->areas, size);
            status = CORAL_EINTERNAL;
        }
    }
    if (status) {
        channel_spare_free(m);      /* a spare taken: given up */
        while (n)
            kobj_put(objs[--n]);
        return status;
    }
    msg_init(m);
    if (kept && kept == c->areas) {
        m->acct = kept;
    } else {
        account_put(kept);
        m->acct = c->areas ? account_get(c->areas) : NULL;
    }
    m->len = (uint32_t)len;
    memcpy(m->data, base + off, (size_t)len);

    for (uint32_t i = 0; i < n; i++) {
        m->h[i] = objs[i];
        m->rights[i] = rights[i];
    }
    m->nh = n;
    status = send(c, e, m, hs, nh);
    if (status) {
        m->nh = 0;
        while (n)
            kobj_put(objs[--n]);
        channel_free_msgs(m);
    }
    return status;
}

/* take's last step, its locks held (c->lock too when head carries
 * handles): head, e's oldest message, comes off e if it fits in cap.
 * Inline in both callers: as a call it cost the read path more than the
 * lock it saves. */
static inline __attribute__((always_inline)) struct msg *
take_locked(struct component *c, struct endpoint *e, struct msg *head, int64_t cap,
            uint64_t *len, handle_t *out, int *status)
{
    if (c->state == COMPONENT_DEAD) {
        *status = CORAL_EINTERNAL;
        return NULL;
    }
    if (!head) {
        *status = e->peer && !e->peer->closed ? CORAL_EWOULDBLOCK : CORAL_EPEER;
        return NULL;
    }
    if (head->len > (uint64_t)cap) {
        *len = head->len;
        *status = CORAL_ETOOSMALL;
        return NULL;
    }
    struct msg *m = head;
    e->head = m->next;
    if (!e->head)
        e->tail = NULL;
    m->next = NULL;
    e->nmsgs--;
    e->bytes -= m->len;
    channel_queued--;
    if (!e->head)
        kobj_signal_locked(&e->k, SIGNAL_READABLE, 0);
    if (e->peer)
        update_writable_locked(e->peer);
    for (uint32_t i = 0; i < m->nh; i++)
        out[i] = handle_make(&c->handles, m->h[i], m->rights[i]);
    *status = CORAL_OK;
    return m;
}

/* take's case of no message or one without handles (head, e's oldest,
 * or NULL), under ipc_lock alone (c's space is not touched): a small
 * message is read whole (*done; see take), a larger one returned. */
static inline __attribute__((always_inline)) struct msg *
take_plain_locked(struct component *c, struct endpoint *e, struct msg *head, int64_t cap,
                  uint8_t *dst, uint64_t *len, handle_t *out, int *status, bool *done)
{
    struct msg *m = take_locked(c, e, head, cap, len, out, status);
    if (m && m->len <= MSG_SMALL) {
        memcpy(dst, m->data, m->len);   /* cannot fault: see the top */
        *len = m->len;
        if (m->nh || m->acct)
            channel_msg_clear(m, true); /* no handles: no lock taken */
        if (!e->spare) {
            e->spare = m;
            m = NULL;
        }
        *done = true;
    }
    return m;
}

/* Takes the oldest message off e and makes its handles in c's space, in
 * one step under c->lock and ipc_lock: a message is never off every
 * queue while its handles are in no space, so a collection can never
 * take what it carries for garbage. *status: CORAL_OK with the message
 * (its bytes still to copy, its references and counts still to put),
 * or why not. On c's own thread (a coral call). A small message without
 * handles is read whole here instead (*done): copied to dst, its payer
 * credited, its buffer made e's spare; what is returned then is only to
 * free (channel_spare_free; NULL when it became the spare). */
static struct msg *take(struct component *c, struct endpoint *e, int64_t cap, uint8_t *dst,
                        uint64_t *len, handle_t *out, int *status, bool *done)
{
    /* No message, or one without handles (most): c's space is not
     * touched, so ipc_lock alone. c->state is read without c->lock: only
     * this thread (die(), after its last call) makes it COMPONENT_DEAD. */
    uint64_t f = spin_lock_irqsave(&ipc_lock);
    struct msg *head = e->head;
    if (!head || !head->nh) {
        struct msg *m = take_plain_locked(c, e, head, cap, dst, len, out, status, done);
        spin_unlock_irqrestore(&ipc_lock, f);
        return m;
    }
    spin_unlock_irqrestore(&ipc_lock, f);

    struct msg *m = NULL;
    f = spin_lock_irqsave(&c->lock);
    spin_lock_irqs_off(&ipc_lock);
    for (;;) {
        head = e->head;
        if (c->state != COMPONENT_DEAD && head && head->nh) {
            /* Room for its handles first, outside ipc_lock: it may
             * allocate. */
            spin_unlock_irqs_off(&ipc_lock);
            bool room = handle_room(&c->handles, head->nh);
            spin_lock_irqs_off(&ipc_lock);
            if (!room) {
                *status = CORAL_EINTERNAL;
                break;
            }
            if (e->head != head)        /* another reader came first */
                continue;
        }
        m = take_locked(c, e, head, cap, len, out, status);
        break;
    }
    spin_unlock_irqs_off(&ipc_lock);
    spin_unlock_irqrestore(&c->lock, f);
    return m;
}

/* What take gave, made channel_read's result: m's bytes copied to dst,
 * its counts, and m freed. */
static int read_out(struct msg *m, int status, bool done, uint8_t *dst, uint64_t *len,
                    uint32_t *nh)
{
    if (done) {
        channel_spare_free(m);
        return CORAL_OK;
    }
    if (!m)
        return status;
    memcpy(dst, m->data, m->len);
    *len = m->len;
    *nh = m->nh;
    /* The slots hold their own reference and count now: the message's go. */
    channel_free_msgs(m);
    return CORAL_OK;
}

static void read_clear(uint64_t *len, uint32_t *nh, handle_t *out)
{
    *len = 0;
    *nh = 0;
    for (uint32_t i = 0; i < CHANNEL_MSG_HANDLES; i++)
        out[i] = HANDLE_NULL;
}

int channel_read(struct component *c, struct kobj *ch, struct vma *dst, int64_t off,
                 int64_t cap, uint64_t *len, uint32_t *nh, handle_t *out)
{
    struct endpoint *e = (struct endpoint *)ch;
    read_clear(len, nh, out);
    uint64_t size_now;
    uint8_t *base = vma_window(dst, &size_now);   /* see channel_write */
    if (cap < 0 || !(dst->access & VMA_WRITE) || !vma_range_ok(size_now, off, cap))
        return CORAL_EINVAL;
    int status;
    bool done = false;
    struct msg *m = take(c, e, cap, base + off, len, out, &status, &done);
    return read_out(m, status, done, base + off, len, nh);
}

int channel_call(struct component *c, struct kobj *ch, struct kobj *waited, struct vma *v,
                 int64_t off, int64_t len, const handle_t *hs, int64_t reply_off, int64_t cap,
                 uint64_t deadline, uint64_t *rlen, uint32_t *nh, handle_t *out)
{
    struct endpoint *e = (struct endpoint *)ch;
    read_clear(rlen, nh, out);
    uint64_t size_now;
    uint8_t *base = vma_window(v, &size_now);     /* see channel_write */
    if (len < 0 || (uint64_t)len > CHANNEL_MSG_MAX || cap < 0 ||
        (v->access & (VMA_READ | VMA_WRITE)) != (VMA_READ | VMA_WRITE) ||
        !vma_range_ok(size_now, off, len) || !vma_range_ok(size_now, reply_off, cap))
        return CORAL_EINVAL;
    uint8_t *dst = base + reply_off;
    uint32_t observed;
    int status = CORAL_OK;
    bool sent = false, done = false;
    struct msg *m = NULL;

    /* The common case in one ipc_lock section: a small request without
     * handles handed to the peer (below) or put in its spare, the wait
     * for the reply (the lock let go only while blocked) and a small
     * reply taken, handed over or from the queue. */
    if ((uint64_t)len <= MSG_SMALL && waited == ch &&
        (hs[0] | hs[1] | hs[2] | hs[3]) == HANDLE_NULL) {
        struct account *drop = NULL;
        uint64_t f = spin_lock_irqsave(&ipc_lock);
        struct endpoint *p = e->peer;
        status = !p || p->closed ? CORAL_EPEER
                 : !has_room_locked(p, (uint32_t)len) ? CORAL_EWOULDBLOCK : CORAL_OK;
        struct call_rx *to = p ? p->rx : NULL;
        if (!status && to && !p->head && (uint64_t)len <= to->cap) {
            /* The peer waits in channel_call for this very message, its
             * queue empty: straight into its room (checked by it and
             * backed, see the top), as an L4 fast path hands a message
             * over. Nothing is queued, so no signal changes. */
            p->rx = NULL;
            memcpy(to->dst, base + off, (size_t)len);
            to->len = (uint32_t)len;
            to->delivered = true;
            thread_wake_irqs_off(to->thread);
            sent = true;
        } else if (!status && p->spare) {
            status = write_spare_locked(e, p, base + off, (uint32_t)len, &drop);
            sent = !status;
        }
        if (sent) {
            struct call_rx rx = { dst, (uint64_t)cap, 0, false, thread_current() };
            if (!e->head && !e->rx)
                e->rx = &rx;        /* the next message may come straight here */
            status = wait_until_done_locked(ch, SIGNAL_READABLE | SIGNAL_PEER_CLOSED,
                                            deadline, &observed, &rx.delivered);
            if (e->rx == &rx)
                e->rx = NULL;
            if (rx.delivered) {
                spin_unlock_irqrestore(&ipc_lock, f);
                account_put(drop);
                *rlen = rx.len;
                return CORAL_OK;
            }
        }
        if (sent && !status && (!e->head || !e->head->nh))
            m = take_plain_locked(c, e, e->head, cap, dst, rlen, out, &status, &done);
        spin_unlock_irqrestore(&ipc_lock, f);
        account_put(drop);
        if (done || m)
            return read_out(m, status, done, dst, rlen, nh);
        /* Refused (nothing sent), or sent and no reply: final. Sent and
         * the reply taken by another holder of ch: wait again below. */
        if (status && (!sent || status != CORAL_EWOULDBLOCK))
            return status;
        status = CORAL_OK;
    }
    if (!sent) {
        status = channel_write(c, ch, v, off, len, hs, CHANNEL_MSG_HANDLES);
        if (!status)
            status = wait_one(waited, SIGNAL_READABLE | SIGNAL_PEER_CLOSED, deadline,
                              &observed);
    }
    while (!status) {
        status = channel_read(c, ch, v, reply_off, cap, rlen, nh, out);
        /* Another holder of the endpoint read first: wait again. */
        if (status != CORAL_EWOULDBLOCK)
            break;
        status = wait_one(waited, SIGNAL_READABLE | SIGNAL_PEER_CLOSED, deadline, &observed);
    }
    return status;
}
