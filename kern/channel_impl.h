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
};

/* Every endpoint whose pair was made, and the messages queued in all. */
extern struct endpoint *channel_all;
extern uint64_t channel_queued;

extern const struct kobj_ops channel_ep_ops;

/* Frees a chain of messages taken off a queue: their handles are dropped
 * (endpoints that close join channel_reap's list). No lock held. */
void channel_free_msgs(struct msg *m);

/* e is closed: nobody reads its queue again (returned, to free), its
 * peer learns it. ipc_lock held. */
struct msg *channel_close_locked(struct endpoint *e);

static inline size_t msg_size(uint32_t len)
{
    return sizeof(struct msg) + len;
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
static inline void update_writable_locked(struct endpoint *e)
{
    struct endpoint *p = e->peer;
    bool w = !e->closed && p && !p->closed && has_room_locked(p, CHANNEL_MSG_MAX);
    kobj_signal_locked(&e->k, w ? 0 : SIGNAL_WRITABLE, w ? SIGNAL_WRITABLE : 0);
}

#endif
