/*
 * Revocation. handle_revocable makes a handle that does not name its
 * object directly but a proxy of it, and a revoker that can cut the proxy.
 * The proxy travels like any object (duplicated, granted, sent in
 * messages), so every handle derived from that handle, in every
 * component, names the same proxy; a revocable handle made from one is a
 * proxy of the proxy. Revoking cuts the proxy and every proxy derived
 * from it: their handles read as revoked (CORAL_EREVOKED from every call,
 * SIGNAL_REVOKED to waiters, who wake), and the proxies let go of what
 * they stood for at once, so nothing is kept alive by a revoked handle.
 *
 * The derivation tree is explicit: each object lists the proxies made of
 * it (kobj.derived). Costs: a call on a proxy handle walks its chain
 * (at most REVOKE_MAX_DEPTH) under ipc_lock; signals reach the proxies of
 * an object in the same walk; a revoke visits the subtree it cuts, once.
 * Handles that name objects directly pay nothing.
 *
 * A proxy holds its object as a handle would (a reference and a handle
 * count), so a channel endpoint whose only holder is a proxy stays open
 * until the proxy is revoked or its last handle goes.
 */
#ifndef KERN_REVOKE_H
#define KERN_REVOKE_H

#include <stdint.h>

#include "kern/object.h"

#define REVOKE_MAX_DEPTH 8

struct account;

/* A proxy of o (itself an object or a proxy) and its revoker, each with
 * one reference (the caller's); charged to acct (may be NULL). CORAL_OK;
 * CORAL_EINVAL when o is a chain REVOKE_MAX_DEPTH deep already;
 * CORAL_EREVOKED when o is a revoked proxy; CORAL_EINTERNAL out of memory
 * or over the account's limit. */
int revoke_make(struct kobj *o, struct account *acct, struct kobj **proxy,
                struct kobj **revoker);

/* Releases what proxies whose last handle went let go of (their
 * unreachable callback runs under a handle space's lock, where that is
 * not allowed). channel_reap calls it: outside every lock, after drops. */
void revoke_reap(void);

/* Cuts what a revoker covers (its proxy and those derived from it).
 * Revoking twice is harmless. Never blocks; frees outside every lock. */
void revoke(struct kobj *revoker);

/* The object o stands for, with a new reference, in *out: o itself unless
 * it is a proxy. CORAL_OK, or CORAL_EREVOKED (then *out is NULL). */
int revoke_resolve(struct kobj *o, struct kobj **out);

/* The kind a handle to o reports: its object's, through proxies. */
enum kobj_kind revoke_kind(const struct kobj *o);

/* Whether o is a proxy that was revoked. */
int revoke_is_cut(const struct kobj *o);

/* kobj_signal_locked's side: the proxies of o see o's signals too.
 * ipc_lock held. */
void revoke_signal_derived_locked(struct kobj *o, uint32_t clear, uint32_t set);

#endif
