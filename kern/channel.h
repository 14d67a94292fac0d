/*
 * Channels: a pair of endpoints; what one writes, the other reads, in
 * order. A message is bytes (at most CHANNEL_MSG_MAX) and handles (at
 * most CHANNEL_MSG_HANDLES), delivered whole or not at all. Handles move
 * with a message: they leave the writer's space when it is queued, keep
 * their rights, and enter the reader's space when it is read; until then
 * the message holds them (they count as handles of their objects, so a
 * component or endpoint in flight stays alive and reachable).
 *
 * Each endpoint's queue is bounded (CHANNEL_QUEUE_MSGS messages and
 * CHANNEL_QUEUE_BYTES bytes, so that one largest message always fits):
 * a write to a full queue answers CORAL_EWOULDBLOCK, the writer waits on
 * SIGNAL_WRITABLE. Queued bytes are charged to the writer's account.
 *
 * An endpoint closes when no handle names it any more, in a space or in
 * flight: its queue is flushed (the handles in it dropped) and its peer
 * sees SIGNAL_PEER_CLOSED (messages already queued there stay readable).
 * Endpoints reachable only through messages in each other's queues (a
 * channel sent through itself, a ring of channels) are found by a
 * collection that runs when such a state can start: see channel.c.
 */
#ifndef KERN_CHANNEL_H
#define KERN_CHANNEL_H

#include <stdint.h>

#include "kern/handle.h"
#include "kern/object.h"

#define CHANNEL_MSG_MAX      65536u
#define CHANNEL_MSG_HANDLES  4u
#define CHANNEL_QUEUE_MSGS   64u
#define CHANNEL_QUEUE_BYTES  (4 * CHANNEL_MSG_MAX)

struct account;
struct component;
struct vma;

/* A new channel: two endpoints with one reference each (the caller's), or
 * CORAL_EINTERNAL when out of memory or acct (may be NULL) refuses the
 * charge. */
int channel_create(struct account *acct, struct kobj **a, struct kobj **b);

/*
 * Writes a message on endpoint ch (to its peer's queue): len bytes of
 * src at off, and the handles hs[0..nh) of component c (HANDLE_NULL
 * entries skipped), which leave c's space. Every argument is checked
 * before anything moves: CORAL_EINVAL (a bad range, len over the maximum,
 * a handle not live, named twice, or ch itself), CORAL_ERIGHTS (a handle
 * without RIGHT_TRANSFER), CORAL_EPEER (the peer is closed),
 * CORAL_EWOULDBLOCK (its queue is full), CORAL_EINTERNAL (out of memory,
 * or over the account's limit). Never blocks.
 */
int channel_write(struct component *c, struct kobj *ch, struct vma *src, int64_t off,
                  int64_t len, const handle_t *hs, uint32_t nh);

/*
 * Reads the oldest message of endpoint ch into dst at off (room for cap
 * bytes) and makes its handles in c's space (out[i], HANDLE_NULL past
 * *nh): CORAL_OK with *len. CORAL_ETOOSMALL when cap is short (*len: the
 * message's length; it stays queued), CORAL_EWOULDBLOCK when none is
 * queued, CORAL_EPEER when none is and the peer is closed, CORAL_EINVAL
 * (a bad range), CORAL_EINTERNAL (c's space cannot take the handles: the
 * message stays queued). Never blocks.
 */
int channel_read(struct component *c, struct kobj *ch, struct vma *dst, int64_t off,
                 int64_t cap, uint64_t *len, uint32_t *nh, handle_t *out);

/*
 * channel_write of len bytes of v at off with the handles hs[0..4), then
 * a wait (until deadline) for SIGNAL_READABLE or SIGNAL_PEER_CLOSED on
 * waited (ch, or the revocable handle's proxy through which it was
 * named), then channel_read into v at reply_off (room for cap bytes),
 * retried after a new wait if another reader took the message. Both
 * ranges and v's access (read and write) are checked first
 * (CORAL_EINVAL, nothing sent); then the write's results, then the
 * wait's (CORAL_ETIMEDOUT, CORAL_EREVOKED, CORAL_EINTERNAL when killed:
 * sent, nothing read), then the read's. v may not be among hs (the
 * caller checks). May block.
 */
int channel_call(struct component *c, struct kobj *ch, struct kobj *waited, struct vma *v,
                 int64_t off, int64_t len, const handle_t *hs, int64_t reply_off, int64_t cap,
                 uint64_t deadline, uint64_t *rlen, uint32_t *nh, handle_t *out);

/* Finishes closing what dropped handles left unreachable: flushes closed
 * endpoints' queues, runs a pending collection, and releases what
 * unreachable revocable handles let go of (revoke_reap). Called after handle
 * drops, outside every lock (it takes them, and frees memory). */
void channel_reap(void);

/* Live endpoints and messages queued (leak accounting for tests). */
uint64_t channel_messages(void);

#endif
