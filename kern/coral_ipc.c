/*
 * The IPC calls of the coral module (see coral_impl.h): handle rights and
 * duplication, channels, waiting, sleeping. Each decodes every argument
 * (handles in the caller's space, with the rights the call needs), then
 * acts through kern/channel.h, kern/wait.h and kern/waitset.h.
 */
#include "kern/coral_impl.h"

#include "kern/channel.h"
#include "kern/revoke.h"
#include "kern/thread.h"
#include "kern/wait.h"
#include "kern/waitset.h"

/* A deadline as guests give it: a clock_ns value; negative ones (-1 by
 * convention) never pass. */
static uint64_t deadline_arg(uint64_t v)
{
    return (int64_t)v < 0 ? WAIT_FOREVER : v;
}

int sys_handle_rights(void *env, uint64_t *vals)
{
    struct kobj *o;
    uint32_t rights = 0;
    int st = component_handle_raw(env, arg_handle(vals, 0), KOBJ_INVALID, 0, &o, &rights);
    release(o);
    vals[0] = (uint32_t)st;
    vals[1] = st ? 0 : rights;
    return 0;
}

int sys_handle_duplicate(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *o;
    uint32_t have = 0, want = (uint32_t)vals[1];
    int st = component_handle_raw(c, arg_handle(vals, 0), KOBJ_INVALID, RIGHT_DUPLICATE, &o,
                                  &have);
    if (!st && (want & ~have))
        st = CORAL_ERIGHTS;         /* a duplicate never gains a right */
    handle_t h = HANDLE_NULL;
    if (!st) {
        h = component_handle_make(c, o, want);
        if (h == HANDLE_NULL)
            st = CORAL_EINTERNAL;
    }
    release(o);
    vals[0] = (uint32_t)st;
    vals[1] = h;
    return 0;
}

int sys_channel_create(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *a, *b;
    vals[1] = vals[2] = HANDLE_NULL;
    int st = channel_create(c->areas, &a, &b);
    if (st) {
        vals[0] = (uint32_t)st;
        return 0;
    }
    give2(c, a, RIGHTS_ALL, b, RIGHTS_ALL, vals);
    return 0;
}

int sys_channel_write(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *ch;
    struct vma *v;
    bool ch_held, v_held;
    int st = arg_borrow2(c, arg_handle(vals, 0), KOBJ_CHANNEL, RIGHT_WRITE, &ch, &ch_held,
                         arg_handle(vals, 1), KOBJ_VMA, RIGHT_READ, &v, &v_held);
    handle_t hs[CHANNEL_MSG_HANDLES];
    for (uint32_t i = 0; i < CHANNEL_MSG_HANDLES; i++)
        hs[i] = arg_handle(vals, 4 + (int)i);
    if (!st)
        st = channel_write(c, ch, v, (int64_t)vals[2], (int64_t)vals[3], hs,
                           CHANNEL_MSG_HANDLES);
    arg_return(ch, ch_held);
    arg_return(v, v_held);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_channel_read(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *ch;
    struct vma *v;
    bool ch_held, v_held;
    int st = arg_borrow2(c, arg_handle(vals, 0), KOBJ_CHANNEL, RIGHT_READ, &ch, &ch_held,
                         arg_handle(vals, 1), KOBJ_VMA, RIGHT_WRITE, &v, &v_held);
    uint64_t len = 0;
    uint32_t nh = 0;
    handle_t out[CHANNEL_MSG_HANDLES] = { 0 };
    if (!st)
        st = channel_read(c, ch, v, (int64_t)vals[2], (int64_t)vals[3], &len, &nh, out);
    arg_return(ch, ch_held);
    arg_return(v, v_held);
    vals[0] = (uint32_t)st;
    vals[1] = len;
    vals[2] = nh;
    for (uint32_t i = 0; i < CHANNEL_MSG_HANDLES; i++)
        vals[3 + i] = out[i];
    return 0;
}

int sys_wait_one(void *env, uint64_t *vals)
{
    struct kobj *o;
    bool held;
    uint32_t observed = 0;
    /* Raw: a revocable handle's proxy is waited on, so that revocation
     * wakes the waiter. Borrowed across the block (nobody but this
     * thread drops the handle meanwhile). */
    int st = arg_borrow(env, arg_handle(vals, 0), KOBJ_INVALID, RIGHT_WAIT, false, &o, &held);
    if (!st)
        st = wait_one(o, (uint32_t)vals[1], deadline_arg(vals[2]), &observed);
    arg_return(o, held);
    vals[0] = (uint32_t)st;
    vals[1] = observed;
    return 0;
}

int sys_waitset_create(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct waitset *ws = waitset_new(c->areas);
    if (!ws) {
        vals[0] = CORAL_EINTERNAL;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(c, (struct kobj *)ws, vals);
    return 0;
}

int sys_waitset_add(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct waitset *ws;
    struct kobj *o;
    int st = arg(c, arg_handle(vals, 0), KOBJ_WAITSET, RIGHT_WRITE, &ws);
    int st2 = component_handle_raw(c, arg_handle(vals, 1), KOBJ_INVALID, RIGHT_WAIT, &o, NULL);
    st = st ? st : st2;
    if (!st)
        st = waitset_add(ws, o, (uint32_t)vals[2], vals[3]);
    release(ws);
    release(o);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_waitset_remove(void *env, uint64_t *vals)
{
    struct waitset *ws;
    int st = arg(env, arg_handle(vals, 0), KOBJ_WAITSET, RIGHT_WRITE, &ws);
    if (!st)
        st = waitset_remove(ws, vals[1]);
    release(ws);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_waitset_wait(void *env, uint64_t *vals)
{
    struct waitset *ws;
    uint64_t key = 0;
    uint32_t observed = 0;
    int st = arg(env, arg_handle(vals, 0), KOBJ_WAITSET, RIGHT_WAIT, &ws);
    if (!st)
        st = waitset_wait(ws, deadline_arg(vals[1]), &key, &observed);
    release(ws);
    vals[0] = (uint32_t)st;
    vals[1] = key;
    vals[2] = observed;
    return 0;
}

/* The caller's own loop watches the set (the component is the caller:
 * a set cannot be sent, and only its holder names it), so the thread to
 * wake is the caller's. */
int sys_events_watch(void *env, uint64_t *vals)
{
    struct component *c = env;
    handle_t h = arg_handle(vals, 0);
    if (h == HANDLE_NULL) {
        component_unwatch(c);
        vals[0] = CORAL_OK;
        return 0;
    }
    struct waitset *ws;
    int st = arg(c, h, KOBJ_WAITSET, RIGHT_WAIT, &ws);
    if (!st && !c->has_ready)
        st = CORAL_EINVAL;
    if (!st) {
        component_unwatch(c);
        waitset_set_notify(ws, c->thread);
        c->event_ws = ws;               /* arg's reference, kept */
        ws = NULL;
    }
    release(ws);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_sleep_until(void *env, uint64_t *vals)
{
    (void)env;
    vals[0] = (uint32_t)wait_sleep_until(deadline_arg(vals[0]));
    return 0;
}

int sys_yield(void *env, uint64_t *vals)
{
    (void)env, (void)vals;
    thread_yield();
    return 0;
}

int sys_handle_revocable(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *o, *proxy = NULL, *revoker = NULL;
    uint32_t have = 0, want = (uint32_t)vals[1];
    vals[1] = vals[2] = HANDLE_NULL;
    int st = component_handle_raw(c, arg_handle(vals, 0), KOBJ_INVALID, RIGHT_DUPLICATE, &o,
                                  &have);
    if (!st && (want & ~(have & kobj_rights(revoke_kind(o)))))
        st = CORAL_ERIGHTS;         /* like a duplicate: never a right more */
    if (!st)
        st = revoke_make(o, c->areas, &proxy, &revoker);
    release(o);
    if (st) {
        vals[0] = (uint32_t)st;
        return 0;
    }
    give2(c, proxy, want, revoker, RIGHTS_ALL, vals);
    return 0;
}

int sys_revoke(void *env, uint64_t *vals)
{
    struct kobj *r;
    int st = arg(env, arg_handle(vals, 0), KOBJ_REVOKER, RIGHT_CONTROL, &r);
    if (!st)
        revoke(r);
    release(r);
    vals[0] = (uint32_t)st;
    return 0;
}

/* A client's request and its reply, or a server's reply and the next
 * request, in one call: the lookups, the decode and the entry are paid
 * once instead of three times (write, wait, read), and channel_call
 * does the common case in one lock section. The message's handles may
 * not include the memory area (it is used after the write, which drops
 * what it sends). A revocable channel handle is waited on as itself, so
 * that its revocation ends the wait. */
int sys_channel_call(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *ch, *waited;
    struct vma *v;
    bool ch_held, v_held, waited_held = false;
    handle_t hch = arg_handle(vals, 0), hv = arg_handle(vals, 1);
    handle_t hs[CHANNEL_MSG_HANDLES];
    for (uint32_t i = 0; i < CHANNEL_MSG_HANDLES; i++)
        hs[i] = arg_handle(vals, 7 + (int)i);
    int st = arg_borrow2(c, hch, KOBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT, &ch,
                         &ch_held, hv, KOBJ_VMA, RIGHT_READ | RIGHT_WRITE, &v, &v_held);
    if (!st && (hs[0] | hs[1] | hs[2] | hs[3]) != HANDLE_NULL &&
        (hs[0] == hv || hs[1] == hv || hs[2] == hv || hs[3] == hv))
        st = CORAL_EINVAL;
    waited = ch;
    /* held: ch came through a proxy (component_handle_borrow). */
    if (!st && ch_held)
        st = arg_borrow(c, hch, KOBJ_INVALID, RIGHT_WAIT, false, &waited, &waited_held);
    uint64_t rlen = 0;
    uint32_t nh = 0;
    handle_t out[CHANNEL_MSG_HANDLES] = { 0 };
    if (!st)
        st = channel_call(c, ch, waited, v, (int64_t)vals[2], (int64_t)vals[3],
                          hs, (int64_t)vals[4], (int64_t)vals[5], deadline_arg(vals[6]), &rlen,
                          &nh, out);
    if (waited != ch)
        arg_return(waited, waited_held);
    arg_return(ch, ch_held);
    arg_return(v, v_held);
    vals[0] = (uint32_t)st;
    vals[1] = rlen;
    vals[2] = nh;
    for (uint32_t i = 0; i < CHANNEL_MSG_HANDLES; i++)
        vals[3 + i] = out[i];
    return 0;
}
