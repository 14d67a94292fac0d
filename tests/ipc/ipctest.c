/*
 * ipctest — the kernel's IPC from a program (issue 16): channels, handles
 * in messages, rights, waits with deadlines, wait sets, components that
 * block in waits and are killed there, and the hostile cases (floods,
 * channels sent through themselves, rings of channels, forged, stale and
 * under-privileged handles, a receiver killed with handles in flight).
 * Every check prints a line only when it fails; the last line is
 * "ipc: N passed, M failed". tests/qemu/test_ipc.py runs it in the real
 * kernel; the kernel's object and message counts (sys_info 11, 12) must
 * be back where they started at the end.
 *
 * The other side of the cross-component checks is echo_child.wat,
 * embedded (echo_child_wasm.c, made by the build).
 *
 * The same checks run in the hosted Coral build under ASan (make
 * test-coral, tests/runtime/test_coral.py): there ipctest is booted as
 * userboot, with env as its boot module, and its `init` runs them (no
 * console is granted, so the output goes to the log, atoll-coral's
 * standard output).
 */
#include "user/sdk/program.h"

#include "echo_child_wasm.h"

static int passed, failed;

static void check(int ok, const char *what, int64_t got)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    atoll_printf("ipc: check failed: %s (got %lld)\n", what, (long long)got);
}

#define EXPECT(expr, want, what)                                              \
    do {                                                                     \
        int64_t got_ = (expr);                                               \
        check(got_ == (want), what, got_);                                   \
    } while (0)

static uint8_t buf[70000], big[65537];

static int64_t objects(void)
{
    return atoll_sys_info(ATOLL_INFO_OBJECTS);
}

/* Objects go when their last reference does; a dying component's go
 * once its thread has ended: wait for the count, at most 5 s. */
static int64_t objects_settle(int64_t want)
{
    int64_t end = atoll_clock_ns() + 5000000000ll, n;
    while ((n = objects()) != want && atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 10000000);
    return n;
}

static int32_t send(atoll_handle ch, const char *s, atoll_handle h)
{
    atoll_handle hs[1] = { h };
    return atoll_channel_send(ch, s, strlen(s), hs, h < 0 ? 0 : 1);
}

static void basics(void)
{
    atoll_handle a, b, hs[4];
    size_t len;
    int32_t nh, obs;
    EXPECT(atoll_channel_create(&a, &b), ATOLL_OK, "channel_create");
    EXPECT(atoll_handle_kind(a), ATOLL_KIND_CHANNEL, "an endpoint's kind");
    EXPECT(atoll_wait_one(a, ATOLL_SIGNAL_WRITABLE, 0, &obs), ATOLL_OK, "a new endpoint is writable");
    EXPECT(atoll_wait_one(b, ATOLL_SIGNAL_READABLE, 0, &obs), ATOLL_ETIMEDOUT, "nothing to read yet");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_EWOULDBLOCK, "read of an empty queue");
    EXPECT(send(a, "hello", -1), ATOLL_OK, "write hello");
    EXPECT(atoll_wait_one(b, ATOLL_SIGNAL_READABLE, 0, &obs), ATOLL_OK, "readable after a write");
    EXPECT(obs & ATOLL_SIGNAL_READABLE, ATOLL_SIGNAL_READABLE, "observed readable");
    memset(buf, 0, 16);
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "read hello");
    EXPECT(len == 5 && memcmp(buf, "hello", 5) == 0 && nh == 0 && hs[0] == -1, 1, "hello's bytes");
    /* order, and the too-small buffer that leaves the message queued */
    EXPECT(send(a, "first", -1), ATOLL_OK, "write first");
    EXPECT(send(a, "second", -1), ATOLL_OK, "write second");
    EXPECT(atoll_channel_recv(b, buf, 3, &len, hs, &nh), ATOLL_ETOOSMALL, "read into 3 bytes");
    EXPECT(len, 5, "too small says the length");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "read first");
    EXPECT(memcmp(buf, "first", 5), 0, "first comes first");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "read second");
    EXPECT(len == 6 && memcmp(buf, "second", 6) == 0, 1, "then second");
    /* the largest message, and one byte more */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    EXPECT(atoll_channel_send(a, big, 65536, NULL, 0), ATOLL_OK, "a 64 KiB message");
    EXPECT(atoll_channel_send(a, big, 65537, NULL, 0), ATOLL_EINVAL, "64 KiB + 1 refused");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "read 64 KiB");
    EXPECT(len == 65536 && memcmp(buf, big, 65536) == 0, 1, "64 KiB intact");
    EXPECT(atoll_channel_send(a, big, 0, NULL, 0), ATOLL_OK, "an empty message");
    EXPECT(atoll_channel_recv(b, buf, 0, &len, hs, &nh), ATOLL_OK, "read it with no room");
    /* bad ranges and handles */
    EXPECT(atoll_channel_write(a, ATOLL_SELF, -1, 4, -1, -1, -1, -1), ATOLL_EINVAL, "negative offset");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0x7fffffffffffffffll, 4, -1, -1, -1, -1), ATOLL_EINVAL,
           "offset past the end");
    EXPECT(atoll_channel_write(ATOLL_SELF, ATOLL_SELF, 0, 4, -1, -1, -1, -1), ATOLL_EINVAL,
           "write on a memory area");
    EXPECT(atoll_channel_read(b, ATOLL_SELF, 0, -5, (int64_t *)buf, &nh, hs, hs, hs, hs),
           ATOLL_EINVAL, "negative capacity");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 1, a, -1, -1, -1), ATOLL_EINVAL,
           "an endpoint sent through itself");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 1, b, b, -1, -1), ATOLL_EINVAL, "a handle named twice");
    EXPECT(atoll_handle_kind(b), ATOLL_KIND_CHANNEL, "refused writes moved nothing");
    /* peer closed: queued messages stay readable, then EPEER */
    EXPECT(send(b, "last words", -1), ATOLL_OK, "write before closing");
    EXPECT(atoll_handle_drop(b), ATOLL_OK, "drop one endpoint");
    EXPECT(atoll_wait_one(a, ATOLL_SIGNAL_PEER_CLOSED, 0, &obs), ATOLL_OK, "peer closed seen");
    EXPECT(obs & ATOLL_SIGNAL_WRITABLE, 0, "not writable once the peer is closed");
    EXPECT(send(a, "anyone?", -1), ATOLL_EPEER, "write to a closed peer");
    EXPECT(atoll_channel_recv(a, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "queued message kept");
    EXPECT(atoll_channel_recv(a, buf, sizeof buf, &len, hs, &nh), ATOLL_EPEER, "then peer closed");
    EXPECT(atoll_handle_drop(a), ATOLL_OK, "drop the other");
}

static void flood(void)
{
    atoll_handle a, b, hs[4];
    size_t len;
    int32_t nh, obs, r = ATOLL_OK;
    int n = 0;
    atoll_channel_create(&a, &b);
    while (n < 1000 && (r = send(a, "x", -1)) == ATOLL_OK)
        n++;
    EXPECT(r, ATOLL_EWOULDBLOCK, "a full queue would block");
    EXPECT(n, 64, "the queue holds 64 messages");
    EXPECT(atoll_sys_info(ATOLL_INFO_MESSAGES) >= 64, 1, "the kernel counts them");
    EXPECT(atoll_wait_one(a, ATOLL_SIGNAL_WRITABLE, 0, &obs), ATOLL_ETIMEDOUT, "full: not writable");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "take one");
    EXPECT(atoll_wait_one(a, ATOLL_SIGNAL_WRITABLE, 0, &obs), ATOLL_OK, "writable again");
    /* bytes bound too: four largest messages fill it */
    atoll_handle c, d;
    atoll_channel_create(&c, &d);
    for (n = 0; n < 10 && (r = atoll_channel_send(c, big, 65536, NULL, 0)) == ATOLL_OK; n++)
        ;
    EXPECT(n, 4, "256 KiB of queue");
    /* closing with messages queued frees them */
    atoll_handle_drop(a);
    atoll_handle_drop(b);
    atoll_handle_drop(c);
    atoll_handle_drop(d);
    EXPECT(atoll_sys_info(ATOLL_INFO_MESSAGES), 0, "closed queues flushed");
}

static void handles_in_messages(void)
{
    atoll_handle a, b, v, ro, hs[4];
    size_t len;
    int32_t nh, rights;
    atoll_channel_create(&a, &b);
    EXPECT(atoll_vma_create(4096, &v), ATOLL_OK, "a buffer to send");
    EXPECT(atoll_vma_write(ATOLL_SELF, v, atoll_off("payload"), 0, 7), ATOLL_OK, "fill it");
    EXPECT(send(a, "take this", v), ATOLL_OK, "send a memory area");
    EXPECT(atoll_handle_kind(v), ATOLL_KIND_INVALID, "it left the sender");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "receive it");
    EXPECT(nh == 1 && hs[0] >= 0 && hs[1] == -1, 1, "one handle came");
    EXPECT(atoll_handle_kind(hs[0]), ATOLL_KIND_VMA, "a memory area came");
    EXPECT(atoll_vma_write(hs[0], ATOLL_SELF, 0, atoll_off(buf), 7) == ATOLL_OK &&
           memcmp(buf, "payload", 7) == 0, 1, "with its bytes");
    EXPECT(atoll_handle_rights(hs[0], &rights), ATOLL_OK, "its rights");
    EXPECT(rights, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE | ATOLL_RIGHT_TRANSFER | ATOLL_RIGHT_DUPLICATE,
           "every right of a memory area");
    /* a reduced handle keeps its rights through a message */
    EXPECT(atoll_handle_duplicate(hs[0], ATOLL_RIGHT_READ | ATOLL_RIGHT_TRANSFER, &ro), ATOLL_OK,
           "a read-only duplicate");
    EXPECT(send(a, "ro", ro), ATOLL_OK, "send it");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs + 1, &nh), ATOLL_OK, "receive it");
    EXPECT(atoll_handle_rights(hs[1], &rights) == ATOLL_OK && rights ==
           (ATOLL_RIGHT_READ | ATOLL_RIGHT_TRANSFER), 1, "rights kept in flight");
    EXPECT(atoll_vma_write(ATOLL_SELF, hs[1], 0, 0, 1), ATOLL_ERIGHTS, "write through read-only");
    EXPECT(atoll_handle_duplicate(hs[1], ATOLL_RIGHT_READ, &ro), ATOLL_ERIGHTS,
           "duplicate without the duplicate right");
    /* a handle without transfer: refused, nothing moved */
    atoll_handle keep;
    EXPECT(atoll_handle_duplicate(hs[0], ATOLL_RIGHT_READ | ATOLL_RIGHT_DUPLICATE, &keep), ATOLL_OK,
           "a handle that cannot move");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 1, hs[0], keep, -1, -1), ATOLL_ERIGHTS,
           "sending it is refused");
    EXPECT(atoll_handle_kind(hs[0]), ATOLL_KIND_VMA, "the other handle stayed");
    EXPECT(atoll_handle_duplicate(keep, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE, &ro), ATOLL_ERIGHTS,
           "a duplicate never gains a right");
    /* stale and forged handles in a message */
    atoll_handle stale = keep;
    atoll_handle_drop(keep);
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 1, hs[0], stale, -1, -1), ATOLL_EINVAL,
           "a stale handle refuses the message");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 1, hs[0], 100000, -1, -1), ATOLL_EINVAL,
           "an index past the table");
    EXPECT(atoll_handle_kind(hs[0]), ATOLL_KIND_VMA, "nothing moved");
    /* read-only endpoint */
    atoll_handle aro;
    EXPECT(atoll_handle_duplicate(a, ATOLL_RIGHT_READ | ATOLL_RIGHT_WAIT, &aro), ATOLL_OK,
           "a read-only endpoint");
    EXPECT(send(aro, "no", -1), ATOLL_ERIGHTS, "write on a read-only endpoint");
    EXPECT(atoll_handle_duplicate(aro, ATOLL_RIGHT_READ, &ro), ATOLL_ERIGHTS, "dup without the right");
    atoll_handle nowait;
    EXPECT(atoll_handle_duplicate(a, ATOLL_RIGHT_WRITE, &nowait), ATOLL_OK, "an endpoint to write only");
    int32_t obs;
    EXPECT(atoll_wait_one(nowait, ATOLL_SIGNAL_WRITABLE, 0, &obs), ATOLL_ERIGHTS, "wait needs the right");
    EXPECT(atoll_handle_drop(hs[1]), ATOLL_OK, "drop the read-only area");
    /* a channel's endpoints in messages, and a component's handle */
    atoll_handle c, d, comp;
    atoll_channel_create(&c, &d);
    EXPECT(atoll_component_create(&comp), ATOLL_OK, "a component to send");
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 3, c, d, comp, hs[0]), ATOLL_OK, "four handles");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "receive four");
    EXPECT(nh, 4, "four came");
    EXPECT(atoll_handle_kind(hs[0]) == ATOLL_KIND_CHANNEL && atoll_handle_kind(hs[2]) ==
           ATOLL_KIND_COMPONENT, 1, "kinds kept");
    atoll_handle more[4];
    EXPECT(send(hs[0], "through", -1), ATOLL_OK, "the received endpoint works");
    EXPECT(atoll_channel_recv(hs[1], buf, sizeof buf, &len, more, &nh) == ATOLL_OK &&
           len == 7, 1, "its peer too");
    int64_t st;
    EXPECT(atoll_component_status(hs[2], &st), ATOLL_STATE_IDLE, "the component came alive");
    for (int i = 0; i < 4; i++)
        EXPECT(atoll_handle_drop(hs[i]), ATOLL_OK, "drop what came");
    atoll_handle_drop(a);
    atoll_handle_drop(b);
    atoll_handle_drop(aro);
    atoll_handle_drop(nowait);
}

/* Endpoints reachable only through messages: freed by the collection. */
static void cycles(int64_t base)
{
    atoll_handle a, b, v;
    /* the peer sent into its own queue, with something in it */
    atoll_channel_create(&a, &b);
    atoll_vma_create(65536, &v);
    EXPECT(atoll_channel_write(a, ATOLL_SELF, 0, 8, b, v, -1, -1), ATOLL_OK, "b into its own queue");
    EXPECT(atoll_handle_drop(a), ATOLL_OK, "drop the last outside handle");
    EXPECT(objects_settle(base), base, "a channel in itself freed");
    EXPECT(atoll_sys_info(ATOLL_INFO_MESSAGES), 0, "its message freed");
    /* a ring of 8 channels, each peer in the next one's queue */
    atoll_handle w[8], r[8];
    for (int i = 0; i < 8; i++)
        atoll_channel_create(&w[i], &r[i]);
    for (int i = 0; i < 8; i++)
        EXPECT(atoll_channel_write(w[(i + 1) % 8], ATOLL_SELF, 0, 4, r[i], -1, -1, -1), ATOLL_OK,
               "r[i] into the next queue");
    /* Nobody can read a queue of the ring any more (each reader is in
     * the queue before it): the ring is garbage at once, and the writers
     * see their peers closed. */
    EXPECT(objects_settle(base + 8), base + 8, "the ring went, its writers stay");
    int32_t obs;
    EXPECT(atoll_wait_one(w[3], ATOLL_SIGNAL_PEER_CLOSED, 0, &obs), ATOLL_OK,
           "a writer of the ring sees its peer closed");
    for (int i = 0; i < 8; i++)
        atoll_handle_drop(w[i]);
    EXPECT(objects_settle(base), base, "a ring of 8 freed");
    /* a chain 200 deep: each endpoint in the previous one's queue */
    atoll_handle first_w, first_r, pw, pr;
    atoll_channel_create(&first_w, &first_r);
    pw = first_w;
    pr = first_r;
    for (int i = 0; i < 200; i++) {
        atoll_handle nw, nr;
        atoll_channel_create(&nw, &nr);
        atoll_channel_write(nw, ATOLL_SELF, 0, 1, pr, -1, -1, -1);
        if (pw != first_w)
            atoll_handle_drop(pw);
        pw = nw;
        pr = nr;
    }
    atoll_handle_drop(first_w);
    atoll_handle_drop(pw);
    atoll_handle_drop(pr);
    EXPECT(objects_settle(base), base, "a chain of 200 freed without recursion");
}

static void waits(void)
{
    atoll_handle a, b;
    int32_t obs;
    atoll_channel_create(&a, &b);
    int64_t cpu0 = atoll_sys_info(ATOLL_INFO_SELF_CPU_NS), t0 = atoll_clock_ns();
    EXPECT(atoll_wait_one(b, ATOLL_SIGNAL_READABLE, t0 + 50000000, &obs), ATOLL_ETIMEDOUT,
           "a 50 ms wait times out");
    int64_t t1 = atoll_clock_ns(), cpu1 = atoll_sys_info(ATOLL_INFO_SELF_CPU_NS);
    check(t1 - t0 >= 50000000, "the wait lasted 50 ms", t1 - t0);
    /* A blocked component is not run: its CPU time hardly moves (the
     * call itself, and a tick that lands on it). Under QEMU's TCG the
     * first pass through the wake-up path is translated while the guest
     * clock runs, which has been seen to cost up to 9 ms; a wait that
     * spun would cost all 50. */
    check(cpu1 - cpu0 < 20000000, "the wait used no CPU", cpu1 - cpu0);
    atoll_printf("ipc: wait of 50 ms: %lld us, %lld us of CPU\n", (long long)(t1 - t0) / 1000,
                 (long long)(cpu1 - cpu0) / 1000);
    t0 = atoll_clock_ns();
    EXPECT(atoll_sleep_until(t0 + 20000000), ATOLL_OK, "sleep 20 ms");
    check(atoll_clock_ns() - t0 >= 20000000, "slept 20 ms", atoll_clock_ns() - t0);
    /* wait sets */
    atoll_handle ws;
    int64_t key;
    EXPECT(atoll_waitset_create(&ws), ATOLL_OK, "waitset_create");
    EXPECT(atoll_handle_kind(ws), ATOLL_KIND_WAITSET, "its kind");
    EXPECT(atoll_waitset_add(ws, a, ATOLL_SIGNAL_WRITABLE, 1), ATOLL_OK, "watch a writable");
    EXPECT(atoll_waitset_add(ws, b, ATOLL_SIGNAL_READABLE, 2), ATOLL_OK, "watch b readable");
    EXPECT(atoll_waitset_add(ws, b, ATOLL_SIGNAL_READABLE, 2), ATOLL_EINVAL, "a key twice");
    EXPECT(atoll_waitset_add(ws, b, 0, 3), ATOLL_EINVAL, "no signals");
    EXPECT(atoll_waitset_wait(ws, 0, &key, &obs), ATOLL_OK, "a is writable");
    EXPECT(key, 1, "key 1");
    EXPECT(atoll_waitset_remove(ws, 1), ATOLL_OK, "remove key 1");
    EXPECT(atoll_waitset_remove(ws, 1), ATOLL_EINVAL, "remove it again");
    t0 = atoll_clock_ns();
    EXPECT(atoll_waitset_wait(ws, t0 + 30000000, &key, &obs), ATOLL_ETIMEDOUT, "nothing readable");
    check(atoll_clock_ns() - t0 >= 30000000, "the set waited 30 ms", atoll_clock_ns() - t0);
    send(a, "wake", -1);
    EXPECT(atoll_waitset_wait(ws, 0, &key, &obs), ATOLL_OK, "b readable");
    EXPECT(key == 2 && (obs & ATOLL_SIGNAL_READABLE), 1, "key 2, readable");
    /* the set cannot leave this program */
    atoll_handle c, d;
    atoll_channel_create(&c, &d);
    EXPECT(atoll_channel_write(c, ATOLL_SELF, 0, 1, ws, -1, -1, -1), ATOLL_ERIGHTS,
           "a wait set cannot be sent");
    atoll_handle_drop(ws);
    atoll_handle_drop(a);
    atoll_handle_drop(b);
    atoll_handle_drop(c);
    atoll_handle_drop(d);
}

/* A child component running echo_child.wat, granted endpoint `end`
 * (which this program then drops: the child holds it). */
static int32_t spawn_echo(atoll_handle end, atoll_handle *comp)
{
    atoll_handle mod;
    int32_t index, r;
    r = atoll_module_create(ATOLL_SELF, atoll_off(echo_child_wasm), (int64_t)echo_child_wasm_len, &mod);
    if (r)
        return r;
    r = atoll_component_create(comp);
    if (!r)
        r = atoll_component_grant(*comp, end, &index);
    if (!r)
        r = atoll_component_add_instance(*comp, mod, &index);
    atoll_handle_drop(mod);
    atoll_handle_drop(end);
    return r;
}

static int32_t start(atoll_handle comp, const char *fn, int64_t arg)
{
    return atoll_component_start(comp, 0, ATOLL_SELF, atoll_off(fn), (int64_t)strlen(fn), arg);
}

static void across_components(void)
{
    atoll_handle mine, theirs, comp, v, hs[4];
    size_t len;
    int32_t nh, obs;
    atoll_channel_create(&mine, &theirs);
    EXPECT(spawn_echo(theirs, &comp), ATOLL_OK, "spawn the echo child");
    EXPECT(start(comp, "serve", 0), ATOLL_OK, "start serve");
    atoll_vma_create(64, &v);
    EXPECT(send(mine, "ping", v), ATOLL_OK, "send ping with a handle");
    EXPECT(atoll_wait_one(mine, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 5000000000ll, &obs),
           ATOLL_OK, "the answer comes");
    EXPECT(atoll_channel_recv(mine, buf, sizeof buf, &len, hs, &nh), ATOLL_OK, "read the answer");
    EXPECT(len == 4 && memcmp(buf, "ping", 4) == 0 && nh == 1 &&
           atoll_handle_kind(hs[0]) == ATOLL_KIND_VMA, 1, "ping and the handle came back");
    atoll_handle_drop(hs[0]);
    /* round trips: the figure is printed, not judged (make bench has it) */
    int n = 2000;
    int64_t t0 = atoll_clock_ns();
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
        ok = send(mine, "rt", -1) == ATOLL_OK &&
             atoll_wait_one(mine, ATOLL_SIGNAL_READABLE, -1, &obs) == ATOLL_OK &&
             atoll_channel_recv(mine, buf, sizeof buf, &len, hs, &nh) == ATOLL_OK;
    }
    int64_t t1 = atoll_clock_ns();
    check(ok, "2000 round trips", 0);
    atoll_printf("ipc: round trip between components: %lld ns (median not taken; %d trips)\n",
                 (long long)((t1 - t0) / n), n);
    /* closing our end ends serve: the child sees peer closed */
    atoll_handle_drop(mine);
    int64_t value = 0, end = atoll_clock_ns() + 5000000000ll;
    int32_t s;
    while ((s = atoll_component_status(comp, &value)) == ATOLL_STATE_RUNNING && atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 5000000);
    EXPECT(s, ATOLL_STATE_IDLE, "serve returned");
    EXPECT(value, n + 1, "after answering every message");
    /* a child blocked in a wait is ended by a kill */
    atoll_channel_create(&mine, &theirs);
    atoll_handle comp2;
    EXPECT(spawn_echo(theirs, &comp2), ATOLL_OK, "spawn a waiter");
    EXPECT(start(comp2, "block", 0), ATOLL_OK, "it blocks");
    atoll_sleep_until(atoll_clock_ns() + 20000000);
    int64_t cpu0 = 0, cpu1 = 0;
    atoll_component_info(comp2, ATOLL_COMP_CPU_NS, &cpu0);
    atoll_sleep_until(atoll_clock_ns() + 50000000);
    atoll_component_info(comp2, ATOLL_COMP_CPU_NS, &cpu1);
    check(cpu1 - cpu0 < 2000000, "a blocked child uses no CPU", cpu1 - cpu0);
    EXPECT(atoll_component_kill(comp2), ATOLL_OK, "kill it");
    EXPECT(atoll_wait_one(comp2, ATOLL_SIGNAL_ENDED, atoll_clock_ns() + 5000000000ll, &obs), ATOLL_OK,
           "its end is signalled");
    EXPECT(atoll_component_status(comp2, &value), ATOLL_STATE_KILLED, "killed");
    atoll_handle_drop(mine);
    atoll_handle_drop(comp2);
    /* a receiver killed with handles in flight and held */
    atoll_channel_create(&mine, &theirs);
    atoll_handle comp3;
    EXPECT(spawn_echo(theirs, &comp3), ATOLL_OK, "spawn a hoarder");
    EXPECT(start(comp3, "churn", 5), ATOLL_OK, "it takes five messages");
    for (int i = 0; i < 8; i++) {
        atoll_handle x, y;
        atoll_channel_create(&x, &y);
        EXPECT(atoll_channel_write(mine, ATOLL_SELF, 0, 1, x, y, -1, -1), ATOLL_OK,
               "endpoints in flight");
    }
    atoll_sleep_until(atoll_clock_ns() + 50000000);
    EXPECT(atoll_component_kill(comp3), ATOLL_OK, "kill the hoarder");
    EXPECT(atoll_wait_one(comp3, ATOLL_SIGNAL_ENDED, atoll_clock_ns() + 5000000000ll, &obs), ATOLL_OK,
           "it ended");
    atoll_handle_drop(comp3);
    atoll_handle_drop(mine);
    atoll_handle_drop(comp);
}

/* channel_call: both sides of a conversation with one call each, its
 * argument checks (nothing sent on a refusal), its deadline, a reply too
 * long for the room given, and a caller blocked in it ended by a kill. */
static void calls(void)
{
    atoll_handle mine, theirs, comp, v, hs[4], o[4];
    int64_t len, value = 0;
    int32_t nh, obs;
    atoll_channel_create(&mine, &theirs);
    EXPECT(spawn_echo(theirs, &comp), ATOLL_OK, "spawn the call server");
    EXPECT(start(comp, "callserve", 0), ATOLL_OK, "start callserve");
    atoll_vma_create(64, &v);
    memcpy(buf, "question", 8);
    EXPECT(atoll_channel_call(mine, ATOLL_SELF, atoll_off(buf), 8, atoll_off(buf + 100), 100,
                              atoll_clock_ns() + 5000000000ll, v, -1, -1, -1, &len, &nh, &o[0],
                              &o[1], &o[2], &o[3]),
           ATOLL_OK, "a call with a handle");
    EXPECT(len == 8 && memcmp(buf + 100, "question", 8) == 0 && nh == 1 && o[1] == -1 &&
           atoll_handle_kind(o[0]) == ATOLL_KIND_VMA, 1, "its answer, the handle back");
    EXPECT(atoll_handle_kind(v), ATOLL_KIND_INVALID, "the handle sent left its slot");
    atoll_handle_drop(o[0]);
    int ok = 1;
    for (int i = 0; i < 2000 && ok; i++) {
        memcpy(buf, &i, sizeof i);
        ok = atoll_channel_call(mine, ATOLL_SELF, atoll_off(buf), sizeof i, atoll_off(buf + 100),
                                100, -1, -1, -1, -1, -1, &len, &nh, &o[0], &o[1], &o[2],
                                &o[3]) == ATOLL_OK &&
             len == sizeof i && memcmp(buf + 100, &i, sizeof i) == 0;
    }
    check(ok, "2000 calls answered in order", 0);

    /* refusals: nothing is sent */
    atoll_handle ro, self_dup;
    atoll_handle_duplicate(mine, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE, &ro);
    EXPECT(atoll_channel_call(ro, ATOLL_SELF, 0, 4, 0, 8, -1, -1, -1, -1, -1, &len, &nh, &o[0],
                              &o[1], &o[2], &o[3]),
           ATOLL_ERIGHTS, "a call needs the wait right");
    atoll_handle_drop(ro);
    atoll_vma_create(64, &v);
    EXPECT(atoll_channel_call(mine, v, 0, 4, 0, 8, -1, v, -1, -1, -1, &len, &nh, &o[0], &o[1],
                              &o[2], &o[3]),
           ATOLL_EINVAL, "the area of the call is not among its handles");
    EXPECT(atoll_handle_kind(v), ATOLL_KIND_VMA, "and stays");
    int64_t vsize = 0;
    atoll_vma_size(v, &vsize);      /* 64, or more if the kernel rounds it */
    EXPECT(atoll_channel_call(mine, v, 0, 4, vsize - 4, 8, -1, -1, -1, -1, -1, &len, &nh, &o[0], &o[1],
                              &o[2], &o[3]),
           ATOLL_EINVAL, "a reply range past the area");
    EXPECT(atoll_channel_call(mine, v, 0, 4, 0, -1, -1, -1, -1, -1, -1, &len, &nh, &o[0], &o[1],
                              &o[2], &o[3]),
           ATOLL_EINVAL, "a negative room");
    atoll_handle_duplicate(v, ATOLL_RIGHT_READ, &self_dup);
    EXPECT(atoll_channel_call(mine, self_dup, 0, 4, 0, 8, -1, -1, -1, -1, -1, &len, &nh, &o[0],
                              &o[1], &o[2], &o[3]),
           ATOLL_ERIGHTS, "a read-only area cannot take the reply");
    atoll_handle_drop(self_dup);
    atoll_handle_drop(v);
    EXPECT(atoll_wait_one(mine, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 20000000, &obs),
           ATOLL_ETIMEDOUT, "no refused call reached the server");

    /* a small reply longer than a smaller room: not handed over, queued */
    size_t got;
    memcpy(buf, "12345678", 8);
    EXPECT(atoll_channel_call(mine, ATOLL_SELF, atoll_off(buf), 8, atoll_off(buf + 100), 4,
                              -1, -1, -1, -1, -1, &len, &nh, &o[0], &o[1], &o[2], &o[3]),
           ATOLL_ETOOSMALL, "a small reply too long for its room");
    EXPECT(len, 8, "says how long it is");
    EXPECT(atoll_channel_recv(mine, buf + 1000, 1000, &got, hs, &nh), ATOLL_OK,
           "and stays queued");
    EXPECT(got == 8 && memcmp(buf + 1000, "12345678", 8) == 0, 1, "whole, in order");

    /* a reply longer than the room: it stays queued */
    memset(buf, 'x', 300);
    EXPECT(atoll_channel_call(mine, ATOLL_SELF, atoll_off(buf), 300, atoll_off(buf + 1000), 10,
                              -1, -1, -1, -1, -1, &len, &nh, &o[0], &o[1], &o[2], &o[3]),
           ATOLL_ETOOSMALL, "a reply too long for its room");
    EXPECT(len, 300, "says how long it is");
    EXPECT(atoll_channel_recv(mine, buf + 1000, 1000, &got, hs, &nh), ATOLL_OK,
           "and stays queued");
    EXPECT(got, 300, "whole");
    atoll_handle_drop(mine);
    int64_t end = atoll_clock_ns() + 5000000000ll;
    int32_t s;
    while ((s = atoll_component_status(comp, &value)) == ATOLL_STATE_RUNNING &&
           atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 5000000);
    EXPECT(s, ATOLL_STATE_IDLE, "callserve returned");
    EXPECT(value, ((int64_t)ATOLL_EPEER << 56) | 2003, "at peer closed, after every answer");
    atoll_handle_drop(comp);

    /* the deadline: sent, no answer */
    atoll_channel_create(&mine, &theirs);
    int64_t t0 = atoll_clock_ns();
    EXPECT(atoll_channel_call(mine, ATOLL_SELF, atoll_off("hello"), 5, atoll_off(buf), 100,
                              t0 + 50000000, -1, -1, -1, -1, &len, &nh, &o[0], &o[1], &o[2],
                              &o[3]),
           ATOLL_ETIMEDOUT, "a call nobody answers times out");
    check(atoll_clock_ns() - t0 >= 50000000, "not before its deadline", atoll_clock_ns() - t0);
    EXPECT(atoll_channel_recv(theirs, buf, sizeof buf, &got, hs, &nh), ATOLL_OK,
           "its request was sent");
    atoll_handle_drop(theirs);
    EXPECT(atoll_channel_call(mine, ATOLL_SELF, atoll_off("hello"), 5, atoll_off(buf), 100, -1,
                              -1, -1, -1, -1, &len, &nh, &o[0], &o[1], &o[2], &o[3]),
           ATOLL_EPEER, "a call to a closed peer");
    atoll_handle_drop(mine);
}

/* component_memory: the creator reaches a child instance's memory (as
 * the WASI layer's launcher will), and nobody else does. */
static void memories(void)
{
    atoll_handle mine, theirs, comp, mem, weak;
    int64_t size = 0;
    atoll_channel_create(&mine, &theirs);
    EXPECT(spawn_echo(theirs, &comp), ATOLL_OK, "spawn a child");
    EXPECT(atoll_component_memory(comp, 0, &mem), ATOLL_OK, "its instance's memory");
    EXPECT(atoll_vma_size(mem, &size), ATOLL_OK, "has a size");
    EXPECT(size, 131072, "two pages, as echo_child declares");
    memcpy(buf, "written by the parent", 21);
    EXPECT(atoll_vma_write(ATOLL_SELF, mem, atoll_off(buf), 70000, 21), ATOLL_OK,
           "written into");
    memset(buf + 100, 0, 32);
    EXPECT(atoll_vma_write(mem, ATOLL_SELF, 70000, atoll_off(buf + 100), 21), ATOLL_OK,
           "read back");
    EXPECT(memcmp(buf + 100, "written by the parent", 21), 0, "the same bytes");
    EXPECT(atoll_vma_write(ATOLL_SELF, mem, atoll_off(buf), size - 4, 21), ATOLL_EINVAL,
           "not past its end");
    atoll_handle other = -1;
    EXPECT(atoll_component_memory(comp, 1, &other), ATOLL_EINVAL, "no second instance");
    EXPECT(atoll_component_memory(comp, -1, &other), ATOLL_EINVAL, "nor a negative one");
    EXPECT(other, -1, "and no handle");
    atoll_handle_duplicate(comp, ATOLL_RIGHT_READ | ATOLL_RIGHT_WAIT, &weak);
    EXPECT(atoll_component_memory(weak, 0, &other), ATOLL_ERIGHTS, "control is needed");
    EXPECT(atoll_component_memory(mine, 0, &other), ATOLL_EINVAL, "a channel is no component");
    atoll_handle_drop(weak);
    /* the area outlives the child's last handle (it keeps its instances) */
    atoll_handle_drop(comp);
    atoll_handle_drop(mine);
    EXPECT(atoll_vma_write(mem, ATOLL_SELF, 70000, atoll_off(buf + 200), 21), ATOLL_OK,
           "read after the child is gone");
    EXPECT(memcmp(buf + 200, "written by the parent", 21), 0, "its bytes still there");
    atoll_handle_drop(mem);
}

/* random: bytes that differ from draw to draw, refusals that write nothing. */
static void randoms(void)
{
    uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
    EXPECT(atoll_random(ATOLL_SELF, atoll_off(a), sizeof a), ATOLL_OK, "32 random bytes");
    EXPECT(atoll_random(ATOLL_SELF, atoll_off(b), sizeof b), ATOLL_OK, "32 more");
    EXPECT(memcmp(a, b, sizeof a) != 0 && memcmp(a, zero, sizeof a) != 0, 1, "that differ");
    memset(b, 0, sizeof b);
    EXPECT(atoll_random(ATOLL_SELF, atoll_off(b), 65537), ATOLL_EINVAL, "at most 64 KiB");
    EXPECT(atoll_random(ATOLL_SELF, -1, 8), ATOLL_EINVAL, "a negative offset");
    atoll_handle ro;
    atoll_handle_duplicate(ATOLL_SELF, ATOLL_RIGHT_READ, &ro);
    EXPECT(atoll_random(ro, atoll_off(b), 8), ATOLL_ERIGHTS, "a read-only area");
    atoll_handle_drop(ro);
    EXPECT(memcmp(b, zero, sizeof b), 0, "the refusals wrote nothing");
    int64_t hw = atoll_sys_info(ATOLL_INFO_RANDOM_HARDWARE);
    check(hw == 0 || hw == 1, "sys_info says where random bytes come from", hw);
    atoll_printf("ipc: random bytes from %s\n", hw ? "the hardware" : "the TSC-seeded fallback");
}

/* exit: a component ends itself with a status its creator reads. */
static void exits(void)
{
    atoll_handle mine, theirs, comp;
    int32_t obs;
    int64_t value = 0;
    atoll_channel_create(&mine, &theirs);
    EXPECT(spawn_echo(theirs, &comp), ATOLL_OK, "spawn a child");
    EXPECT(start(comp, "quit", 42), ATOLL_OK, "which exits with 42");
    EXPECT(atoll_wait_one(comp, ATOLL_SIGNAL_ENDED, atoll_clock_ns() + 5000000000ll, &obs),
           ATOLL_OK, "its end is signalled");
    EXPECT(atoll_component_status(comp, &value), ATOLL_STATE_EXITED, "exited");
    EXPECT(value, 42, "with its status");
    EXPECT(atoll_wait_one(mine, ATOLL_SIGNAL_PEER_CLOSED, atoll_clock_ns() + 5000000000ll, &obs),
           ATOLL_OK, "what it held is let go");
    EXPECT(start(comp, "quit", 1), ATOLL_EINVAL, "and it runs nothing more");
    atoll_handle_drop(comp);
    atoll_handle_drop(mine);
    /* through a call: the caller sees it interrupted, the state exited */
    atoll_channel_create(&mine, &theirs);
    EXPECT(spawn_echo(theirs, &comp), ATOLL_OK, "spawn another");
    int64_t result = 0;
    EXPECT(atoll_component_call(comp, 0, ATOLL_SELF, atoll_off("quit"), 4, -3, &result),
           ATOLL_ETRAPPED, "a called export that exits");
    EXPECT(result, 12, "ends the call as interrupted");
    EXPECT(atoll_component_status(comp, &value), ATOLL_STATE_EXITED, "exited too");
    EXPECT(value, -3, "with a negative status kept");
    atoll_handle_drop(comp);
    atoll_handle_drop(mine);
}

static void revocation(int64_t base)
{
    atoll_handle v, rv, rk, rv2, a, b, got[4];
    size_t len;
    int32_t nh, rights;
    atoll_vma_create(4096, &v);
    EXPECT(atoll_handle_revocable(v, ATOLL_RIGHT_READ | ATOLL_RIGHT_TRANSFER |
                                  ATOLL_RIGHT_DUPLICATE, &rv, &rk), ATOLL_OK, "a revocable view");
    EXPECT(atoll_handle_kind(rv), ATOLL_KIND_VMA, "it reports its object's kind");
    EXPECT(atoll_handle_kind(rk), ATOLL_KIND_REVOKER, "and a revoker");
    EXPECT(atoll_handle_rights(rv, &rights) == ATOLL_OK && rights ==
           (ATOLL_RIGHT_READ | ATOLL_RIGHT_TRANSFER | ATOLL_RIGHT_DUPLICATE), 1, "its rights");
    EXPECT(atoll_vma_write(rv, ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_OK, "read through it");
    EXPECT(atoll_vma_write(ATOLL_SELF, rv, 0, 0, 8), ATOLL_ERIGHTS, "no write right");
    EXPECT(atoll_handle_revocable(rv, ATOLL_RIGHT_WRITE, &a, &b), ATOLL_ERIGHTS,
           "a revocable handle never gains a right");
    EXPECT(atoll_handle_duplicate(rv, ATOLL_RIGHT_READ | ATOLL_RIGHT_TRANSFER, &rv2), ATOLL_OK,
           "a duplicate of it");
    /* one more copy travels through a channel */
    atoll_channel_create(&a, &b);
    EXPECT(send(a, "view", rv2), ATOLL_OK, "send the duplicate");
    EXPECT(atoll_channel_recv(b, buf, sizeof buf, &len, got, &nh), ATOLL_OK, "it arrives");
    EXPECT(atoll_vma_write(got[0], ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_OK, "and works");
    EXPECT(atoll_revoke(rk), ATOLL_OK, "revoke");
    EXPECT(atoll_vma_write(rv, ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_EREVOKED, "revoked here");
    EXPECT(atoll_vma_write(got[0], ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_EREVOKED,
           "and its copy that travelled");
    EXPECT(atoll_vma_write(v, ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_OK, "the original is not");
    EXPECT(atoll_handle_revocable(rv, ATOLL_RIGHT_READ, &a, &b), ATOLL_EREVOKED,
           "nothing is made of a revoked handle");
    EXPECT(send(a, "x", rv), ATOLL_EREVOKED, "nor sent");
    EXPECT(atoll_revoke(rk), ATOLL_OK, "revoking twice is harmless");
    EXPECT(atoll_revoke(v), ATOLL_EINVAL, "revoke needs a revoker");
    atoll_handle_drop(rv);
    atoll_handle_drop(got[0]);
    atoll_handle_drop(rk);
    atoll_handle_drop(a);
    atoll_handle_drop(b);
    /* revocation lets go at once: an area held only through the view */
    atoll_handle w, wv, wk;
    atoll_vma_create(4096, &w);
    atoll_handle_revocable(w, ATOLL_RIGHT_READ, &wv, &wk);
    atoll_handle_drop(w);
    int64_t before = objects();
    EXPECT(atoll_revoke(wk), ATOLL_OK, "revoke the only holder");
    EXPECT(objects(), before - 1, "the area is freed at once");
    atoll_handle_drop(wv);
    atoll_handle_drop(wk);
    /* derived from derived: revoking the first cuts the second */
    atoll_handle r1, k1, r2, k2, r = v;
    EXPECT(atoll_handle_revocable(v, ATOLL_RIGHT_READ | ATOLL_RIGHT_DUPLICATE, &r1, &k1),
           ATOLL_OK, "level 1");
    EXPECT(atoll_handle_revocable(r1, ATOLL_RIGHT_READ | ATOLL_RIGHT_DUPLICATE, &r2, &k2),
           ATOLL_OK, "level 2");
    EXPECT(atoll_revoke(k1), ATOLL_OK, "revoke level 1");
    EXPECT(atoll_vma_write(r2, ATOLL_SELF, 0, atoll_off(buf), 8), ATOLL_EREVOKED,
           "level 2 is revoked with it");
    atoll_handle_drop(r1);
    atoll_handle_drop(k1);
    atoll_handle_drop(r2);
    atoll_handle_drop(k2);
    /* at most 8 levels */
    atoll_handle chain[10], keys[10];
    int depth = 0;
    int32_t st = ATOLL_OK;
    for (; depth < 10; depth++) {
        st = atoll_handle_revocable(r, ATOLL_RIGHT_READ | ATOLL_RIGHT_DUPLICATE, &chain[depth],
                                    &keys[depth]);
        if (st != ATOLL_OK)
            break;
        r = chain[depth];
    }
    EXPECT(st, ATOLL_EINVAL, "a ninth level is refused");
    EXPECT(depth, 8, "eight levels");
    for (int i = 0; i < depth; i++) {
        atoll_handle_drop(chain[i]);
        atoll_handle_drop(keys[i]);
    }
    atoll_handle_drop(v);
    EXPECT(objects_settle(base), base, "revocation leaves nothing behind");
}

/* A child blocked in a wait on a revocable endpoint wakes when it is
 * revoked, and the endpoint, held by nothing else, closes. */
static void revocation_wakes_waiters(void)
{
    atoll_handle mine, theirs, view, key, comp;
    int32_t obs;
    int64_t value = 0;
    atoll_channel_create(&mine, &theirs);
    EXPECT(atoll_handle_revocable(theirs, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE |
                                  ATOLL_RIGHT_WAIT | ATOLL_RIGHT_TRANSFER, &view, &key),
           ATOLL_OK, "a revocable endpoint");
    atoll_handle_drop(theirs);
    EXPECT(spawn_echo(view, &comp), ATOLL_OK, "granted to a child");
    EXPECT(start(comp, "block", 0), ATOLL_OK, "which blocks on it");
    atoll_sleep_until(atoll_clock_ns() + 30000000);
    EXPECT(atoll_component_status(comp, &value), ATOLL_STATE_RUNNING, "it is blocked");
    EXPECT(atoll_revoke(key), ATOLL_OK, "revoke while it waits");
    int64_t end = atoll_clock_ns() + 5000000000ll;
    int32_t s;
    while ((s = atoll_component_status(comp, &value)) == ATOLL_STATE_RUNNING &&
           atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 5000000);
    EXPECT(s, ATOLL_STATE_IDLE, "its wait ended");
    EXPECT(value, ATOLL_EREVOKED, "with revoked");
    EXPECT(atoll_wait_one(mine, ATOLL_SIGNAL_PEER_CLOSED, atoll_clock_ns() + 1000000000ll, &obs),
           ATOLL_OK, "the endpoint held only through the view closed");
    atoll_handle_drop(key);
    atoll_handle_drop(mine);
    atoll_handle_drop(comp);
}

int main(void)
{
    passed = failed = 0;
    int64_t base = objects(), msgs = atoll_sys_info(ATOLL_INFO_MESSAGES);
    basics();
    flood();
    handles_in_messages();
    EXPECT(objects_settle(base), base, "objects back after the basics");
    cycles(base);
    waits();
    revocation(base);
    across_components();
    calls();
    memories();
    exits();
    randoms();
    revocation_wakes_waiters();
    EXPECT(objects_settle(base), base, "objects back at the end");
    EXPECT(atoll_sys_info(ATOLL_INFO_MESSAGES), msgs, "no message left queued");
    atoll_printf("ipc: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}

/* Booted as the first program (userboot: the hosted build's test-coral
 * boots it so): the kernel calls init before any event and logs its
 * result. handles[0] is then the screen, not a console, so the output
 * goes to the log. */
ATOLL_EXPORT(init) int32_t init(void)
{
    return main();
}
