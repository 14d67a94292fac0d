/*
 * Internal to kern/channel.c (create, write, read) and
 * kern/channel_close.c (closing, collection): the endpoint and message
 * structures, under ipc_lock (kern/wait.h).
 */
#ifndef KERN_CHANNEL_IMPL_H
#define KERN_CHANNEL_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "kern/channel.h"
#include "kern/wait.h"

struct msg {
    struct msg *next;
    struct account *acct;           /* paid for it (a reference), or NULL */
    uint32_t len, nh;
    struct kobj *h[CHANNEL_MSG_HANDLES];    /* a reference and a handle count each */
    uint32_t rights[CHANNEL_MSG_HANDLES];
    uint8_t data[];
};

/* A reader blocked in channel_call with its endpoint's queue empty: the
 * next message written to it, if small enough for cap and without
 * handles, is copied straight to dst by its writer (len, delivered set,
 * thread woken), never queued. On the reader's stack, named by its
 * endpoint's rx while it waits; under ipc_lock. */
struct call_rx {
    uint8_t *dst;
    uint64_t cap;
    uint32_t len;
    bool delivered;
    struct thread *thread;
};

struct endpoint {
    struct kobj k;
    struct endpoint *peer;          /* NULL once the peer is destroyed */
    struct msg *head, *tail;        /* written by the peer, read here */
    uint32_t nmsgs;
    uint64_t bytes;
    uint32_t inflight;              /* messages that carry this endpoint */
    bool closed;                    /* unreachable: flushed, never read */
    bool mark;                      /* collection */
    struct endpoint *work;          /* collection's work list, closing list */
    struct endpoint *all_prev, *all_next;
    struct account *acct;           /* paid for it (a reference), or NULL */
    /* A free small message's buffer (MSG_SPARE_SIZE bytes), kept from the
     * last one read here for the next one written to it, or NULL. Paid
     * for with the endpoint (EP_COST): a message without handles written
     * into it is charged to nobody (its acct NULL), so a conversation of
     * small messages touches no account. Its acct may keep the reference
     * (not the charge) of the account that paid for the charged message
     * it was: a writer with handles and the same account reuses it, the
     * writer without handles puts it. Under ipc_lock, like the queue it
     * serves; ep_destroy frees it. */
    struct msg *spare;
    struct call_rx *rx;             /* its reader waiting in channel_call, or NULL */
};

/* A message of up to MSG_SMALL bytes is allocated at MSG_SPARE_SIZE, so
 * that every small message's buffer can serve as an endpoint's spare:
 * a round trip of small messages then allocates nothing. */
#define MSG_SPARE_SIZE 256u
#define MSG_SMALL ((uint32_t)(MSG_SPARE_SIZE - sizeof(struct msg)))
_Static_assert(MSG_SPARE_SIZE >= sizeof(struct msg) + 64, "small messages of 64 bytes at least");

/* What an endpoint costs its account: itself and its spare, which it
 * may hold whenever it is not written to. */
#define EP_COST (sizeof(struct endpoint) + MSG_SPARE_SIZE)

/* Every endpoint whose pair was made, and the messages queued in all. */
extern struct endpoint *channel_all;
extern uint64_t channel_queued;

extern const struct kobj_ops channel_ep_ops;

/* Frees a chain of messages taken off a queue: their handles are dropped
 * (endpoints that close join channel_reap's list). No lock held. */
void channel_free_msgs(struct msg *m);

/* What channel_free_msgs does to one message but the kfree: its handles
 * dropped (m->nh cleared), its payer credited. The payer's reference is
 * put and m->acct cleared; unless keep_payer, for a buffer becoming a
 * spare: then m->acct stays, a reference with nothing charged (see
 * struct endpoint). No lock held. */
void channel_msg_clear(struct msg *m, bool keep_payer);

/* Frees a spare (NULL allowed) and the account reference it keeps. */
void channel_spare_free(struct msg *m);

/* e is closed: nobody reads its queue again (returned, to free), its
 * peer learns it. ipc_lock held. */
struct msg *channel_close_locked(struct endpoint *e);

/* A new message's header: no next, no handles, no payer yet. h[] and
 * rights[] are read only below nh, so they are left as they are (the
 * kernel's byte-wise memset of the whole header cost 78 instructions a
 * write). */
static inline void msg_init(struct msg *m)
{
    m->next = NULL;
    m->acct = NULL;
    m->len = 0;
    m->nh = 0;
}

/* What a message of len bytes is charged to its writer's account. */
static inline size_t msg_size(uint32_t len)
{
    return sizeof(struct msg) + len;
}

/* What it is allocated: a small one at the spare's size. */
static inline size_t msg_alloc_size(uint32_t len)
{
    return len <= MSG_SMALL ? MSG_SPARE_SIZE : msg_size(len);
}

static inline bool is_endpoint(const struct kobj *o)
{
    return o->kind == KOBJ_CHANNEL;
}

/* Whether e's queue can take a message of len bytes. ipc_lock held. */
static inline bool has_room_locked(const struct endpoint *e, uint32_t len)
{
    return e->nmsgs < CHANNEL_QUEUE_MSGS && e->bytes + len <= CHANNEL_QUEUE_BYTES;
}

/* SIGNAL_WRITABLE of e: its peer is open and can take a largest message,
 * so that a writer woken by it never meets a full queue (unless another
 * writer came first). ipc_lock held. */
static inline __attribute__((always_inline)) void update_writable_locked(struct endpoint *e)
{
    struct endpoint *p = e->peer;
    bool w = !e->closed && p && !p->closed && has_room_locked(p, CHANNEL_MSG_MAX);
    kobj_signal_locked(&e->k, w ? 0 : SIGNAL_WRITABLE, w ? SIGNAL_WRITABLE : 0);
}

#endif
