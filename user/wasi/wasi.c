/*
 * The WASI layer (docs/wasi.md): wasi_snapshot_preview1 for one program
 * instance of the same component, in Wasm, outside the kernel. It is an
 * instance of its own, with its own memory (the SDK's env), so the program
 * cannot reach its state; it reaches the program's memory through a
 * memory area its launcher sends it (program_abi.h: the start message),
 * every pointer and length checked by the kernel on the copy
 * (atoll_vma_write answers EINVAL, the call EFAULT), so a wild pointer is
 * an errno, never a trap here.
 *
 * This file: the start message and the program's memory, arguments and
 * environment, clocks, poll_oneoff, the process, random, sockets.
 * Descriptors, stdio and files are wasi_fd.c's; paths wasi_path.c's;
 * files themselves the file service's (user/fs), reached over a channel
 * the launcher sends with the start message. Sockets come with the
 * network issue: no descriptor is one yet.
 */
#include "user/wasi/wasi_impl.h"

#define START (ATOLL_GRANTED + ATOLL_WASI_START_GRANT)

/* The program's memory, from the start message; -1 until it came. The
 * environment came with it: env_len bytes of NUL-terminated strings. */
static atoll_handle prog = -1;
static char start_msg[ATOLL_CHANNEL_MSG_MAX];
static const char *env = "";
static uint32_t env_len, env_count;

/* Whole NUL-terminated strings of [p, p + len): their count and bytes
 * (a last one without its NUL is left out). */
static uint32_t strings(const char *p, uint32_t len, uint32_t *bytes)
{
    uint32_t n = 0;
    *bytes = 0;
    for (uint32_t pos = 0; pos < len;) {
        uint32_t nul = pos;
        while (nul < len && p[nul])
            nul++;
        if (nul == len)
            break;
        pos = nul + 1;
        *bytes = pos;
        n++;
    }
    return n;
}

/* The start message (program_abi.h): read once, at the first call that
 * needs the program's memory (the launcher sends it before it starts
 * _start). Its preopened folders become descriptors 3 and up. */
int32_t layer_attach(void)
{
    if (prog >= 0)
        return E_SUCCESS;
    uint32_t head[3] = { 0, 0, 0 };
    size_t len = 0;
    int32_t nh = 0;
    atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
    if (atoll_channel_recv(START, start_msg, sizeof start_msg, &len, hs, &nh) != ATOLL_OK)
        return E_IO;
    for (int32_t i = 3; i < nh; i++)
        atoll_handle_drop(hs[i]);
    if (len >= sizeof head)
        memcpy(head, start_msg, sizeof head);
    bool ok = len >= sizeof head && head[0] == ATOLL_WASI_START_MAGIC &&
              head[1] <= len - sizeof head && nh >= 1 &&
              atoll_handle_kind(hs[0]) == ATOLL_KIND_VMA &&
              (nh < 2 || atoll_handle_kind(hs[1]) == ATOLL_KIND_CHANNEL);
    if (!ok) {
        for (int32_t i = 0; i < nh && i < 2; i++)
            atoll_handle_drop(hs[i]);
        return E_IO;
    }
    prog = hs[0];
    fs_ch = nh >= 2 ? hs[1] : -1;
    /* A third handle: a console of its own for stderr. */
    if (nh >= 3 && !atoll_set_error_console(hs[2]))
        atoll_handle_drop(hs[2]);
    fd_stdio(head[2]);
    env = start_msg + sizeof head;
    env_count = strings(env, head[1], &env_len);
    /* Then the preopens: pairs of NUL-terminated strings, the name the
     * program sees and the root the file service attaches. */
    const char *p = env + head[1];
    uint32_t rest = (uint32_t)len - sizeof head - head[1], bytes;
    uint32_t n = strings(p, rest, &bytes) / 2;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t nlen = (uint32_t)strlen(p), alen = (uint32_t)strlen(p + nlen + 1);
        fd_preopen(p, nlen, p + nlen + 1, alen);
        p += nlen + alen + 2;
    }
    return E_SUCCESS;
}

int32_t get(uint32_t ptr, void *dst, uint32_t n)
{
    int32_t e = layer_attach();
    if (e)
        return e;
    return atoll_vma_write(prog, ATOLL_SELF, ptr, atoll_off(dst), n) == ATOLL_OK ? E_SUCCESS
                                                                                  : E_FAULT;
}

int32_t put(uint32_t ptr, const void *src, uint32_t n)
{
    int32_t e = layer_attach();
    if (e)
        return e;
    return atoll_vma_write(ATOLL_SELF, prog, atoll_off(src), ptr, n) == ATOLL_OK ? E_SUCCESS
                                                                                  : E_FAULT;
}

/* The program's memory's size as last seen: a memory only grows, so a
 * range inside it stays inside, and the kernel is asked again only for
 * a range past it (one coral call saved on most calls). */
static uint64_t prog_bytes;

int32_t range(uint32_t ptr, uint64_t n)
{
    if ((uint64_t)ptr + n <= prog_bytes)
        return E_SUCCESS;
    int64_t s = 0;
    int32_t e = layer_attach();
    if (e)
        return e;
    if (atoll_vma_size(prog, &s) != ATOLL_OK)
        return E_IO;
    prog_bytes = (uint64_t)s;
    return (uint64_t)ptr + n <= prog_bytes ? E_SUCCESS : E_FAULT;
}

int32_t put32(uint32_t ptr, uint32_t v)
{
    return put(ptr, &v, 4);
}

int32_t put64(uint32_t ptr, uint64_t v)
{
    return put(ptr, &v, 8);
}

/* ---- arguments and environment ---- */

static char args[ATOLL_CON_ARGS_MAX + 1];
static uint32_t args_len;
static int32_t argc = -1;

static void args_load(void)
{
    if (argc < 0) {
        argc = atoll_args_block(args, sizeof args, &args_len);
        if (argc < 0) {
            argc = 0;
            args_len = 0;
        }
    }
}

WASI(args_sizes_get)(uint32_t argc_ptr, uint32_t size_ptr)
{
    args_load();
    int32_t e = put32(argc_ptr, (uint32_t)argc);
    return e ? e : put32(size_ptr, args_len);
}

WASI(args_get)(uint32_t argv_ptr, uint32_t buf_ptr)
{
    args_load();
    int32_t e = put(buf_ptr, args, args_len);
    for (uint32_t i = 0, pos = 0; !e && i < (uint32_t)argc; i++) {
        e = put32(argv_ptr + 4 * i, buf_ptr + pos);
        pos += (uint32_t)strlen(&args[pos]) + 1;
    }
    return e;
}

WASI(environ_sizes_get)(uint32_t count_ptr, uint32_t size_ptr)
{
    int32_t e = put32(count_ptr, (layer_attach(), env_count));
    return e ? e : put32(size_ptr, env_len);
}

WASI(environ_get)(uint32_t environ_ptr, uint32_t buf_ptr)
{
    int32_t e = put(buf_ptr, env, env_len);
    for (uint32_t i = 0, pos = 0; !e && i < env_count; i++) {
        e = put32(environ_ptr + 4 * i, buf_ptr + pos);
        pos += (uint32_t)strlen(&env[pos]) + 1;
    }
    return e;
}

/* ---- clocks ---- */

enum { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS, CLOCK_THREAD };

/* Realtime is time since boot until the kernel reads a real-time clock
 * (docs/wasi.md); process and thread time are the component's CPU time. */
static int32_t clock_now(uint32_t id, uint64_t *ns)
{
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
        *ns = (uint64_t)atoll_clock_ns();
        return E_SUCCESS;
    case CLOCK_PROCESS:
    case CLOCK_THREAD:
        *ns = (uint64_t)atoll_sys_info(ATOLL_INFO_SELF_CPU_NS);
        return E_SUCCESS;
    default:
        return E_INVAL;
    }
}

WASI(clock_res_get)(uint32_t id, uint32_t res_ptr)
{
    uint64_t ns;
    int32_t e = clock_now(id, &ns);
    return e ? e : put64(res_ptr, 1);
}

WASI(clock_time_get)(uint32_t id, uint64_t precision, uint32_t time_ptr)
{
    (void)precision;
    uint64_t ns;
    int32_t e = clock_now(id, &ns);
    return e ? e : put64(time_ptr, ns);
}

/* ---- poll_oneoff: clocks; descriptors are always ready (files never
 * block, and stdin is answered by the next line) ---- */

struct subscription {
    uint64_t userdata;
    uint8_t tag, pad[7];
    union {
        struct {
            uint32_t id, pad;
            uint64_t timeout, precision;
            uint16_t flags;
        } clock;
        struct {
            uint32_t fd;
        } fd;
    } u;
};
_Static_assert(sizeof(struct subscription) == 48, "subscription layout");

struct event {
    uint64_t userdata;
    uint16_t error;
    uint8_t type, pad[5];
    uint64_t nbytes;
    uint16_t flags, pad2[3];
};
_Static_assert(sizeof(struct event) == 32, "event layout");

enum { EV_CLOCK, EV_FD_READ, EV_FD_WRITE };
#define SUBSCRIPTIONS_MAX 64

/* A clock subscription's deadline on atoll_clock_ns's scale. */
static uint64_t deadline_of(const struct subscription *s, uint64_t now)
{
    if (s->u.clock.flags & 1)           /* absolute: realtime is time since boot */
        return s->u.clock.timeout;
    return now + s->u.clock.timeout < now ? UINT64_MAX : now + s->u.clock.timeout;
}

static void event(struct event *ev, const struct subscription *s, uint16_t error)
{
    memset(ev, 0, sizeof *ev);
    ev->userdata = s->userdata;
    ev->type = s->tag;
    ev->error = error;
}

/* Every subscription that is ready now is an event: a descriptor but
 * stdin is always ready (files never block, the console takes what it is
 * given), stdin when a line or its end is there, a clock when it is due.
 * With none ready it waits: on the input channel when stdin is asked for
 * (until the first clock), else until the first clock. */
WASI(poll_oneoff)(uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents_ptr)
{
    static struct subscription subs[SUBSCRIPTIONS_MAX];
    static struct event evs[SUBSCRIPTIONS_MAX];
    if (nsubs == 0 || nsubs > SUBSCRIPTIONS_MAX)
        return E_INVAL;
    int32_t e = get(in, subs, nsubs * (uint32_t)sizeof subs[0]);
    if (!e)
        e = range(out, (uint64_t)nsubs * sizeof evs[0]);
    if (!e)
        e = range(nevents_ptr, 4);
    if (e)
        return e;
    /* A relative timeout counts from the call, not from a wake-up. */
    static uint64_t due[SUBSCRIPTIONS_MAX];
    uint64_t now = (uint64_t)atoll_clock_ns(), first = UINT64_MAX, buffered = 0;
    for (uint32_t i = 0; i < nsubs; i++) {
        if (subs[i].tag == EV_CLOCK) {
            due[i] = deadline_of(&subs[i], now);
            first = due[i] < first ? due[i] : first;
        }
    }
    bool stdin_asked = false, stdin_ready = false;
    for (;;) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < nsubs; i++) {
            struct subscription *s = &subs[i];
            if (s->tag == EV_CLOCK) {
                if (due[i] <= now)
                    event(&evs[n++], s, E_SUCCESS);
                continue;
            }
            struct fd *f = s->tag <= EV_FD_WRITE ? fd_get(s->u.fd.fd) : NULL;
            if (s->tag > EV_FD_WRITE) {
                event(&evs[n++], s, E_INVAL);
            } else if (!f) {
                event(&evs[n++], s, E_BADF);
            } else if (f->kind == FD_STDIN && s->tag == EV_FD_READ) {
                stdin_asked = true;
                if (stdin_ready) {
                    event(&evs[n], s, E_SUCCESS);
                    evs[n].nbytes = buffered;
                    evs[n++].flags = buffered ? 0 : 1;     /* hangup: the input ended */
                }
            } else {
                event(&evs[n++], s, E_SUCCESS);
            }
        }
        if (n)
            return (e = put(out, evs, n * (uint32_t)sizeof evs[0])) ? e : put32(nevents_ptr, n);
        /* Nothing ready: wait for stdin or the first clock, then look again. */
        if (stdin_asked) {
            int32_t r = atoll_input_wait(first == UINT64_MAX ? ATOLL_FOREVER : (int64_t)first,
                                         &buffered);
            if (r < 0)
                return E_IO;
            stdin_ready = r == 1;
        } else if (first != UINT64_MAX) {
            atoll_sleep_until((int64_t)first);
        } else {
            return E_INVAL;             /* nothing could ever be ready */
        }
        now = (uint64_t)atoll_clock_ns();
    }
}

/* ---- the process ---- */

__attribute__((export_name("proc_exit"))) void wasi_proc_exit(uint32_t code)
{
    atoll_exit((int32_t)code);
}

WASI(proc_raise)(uint32_t sig)
{
    (void)sig;
    return E_NOSYS;
}

WASI(sched_yield)(void)
{
    atoll_yield();
    return E_SUCCESS;
}

/* Straight into the program's memory: the kernel's random call (the
 * CPU's RDRAND; docs/abi.md), 64 KiB at a time, the whole range checked
 * first. */
WASI(random_get)(uint32_t buf, uint32_t len)
{
    int32_t e = range(buf, len);
    for (uint32_t done = 0; !e && done < len;) {
        uint32_t n = len - done < 65536 ? len - done : 65536;
        e = atoll_random(prog, buf + done, n) == ATOLL_OK ? E_SUCCESS : E_FAULT;
        done += n;
    }
    return e;
}

/* No descriptor is a socket yet: an open one is not (ENOTSOCK), any other
 * is not open (EBADF). */
#define SOCK(name, ...) WASI(name)(uint32_t fd, __VA_ARGS__) { return fd_get(fd) ? E_NOTSOCK : E_BADF; }
SOCK(sock_accept, U32 flags, U32 fd_ptr)
SOCK(sock_recv, U32 data, U32 len, U32 flags, U32 nread, U32 oflags)
SOCK(sock_send, U32 data, U32 len, U32 flags, U32 nwritten)
SOCK(sock_shutdown, U32 how)

/* program.c's entry wants a main; the launcher never starts this module's
 * atoll_start (it starts the program's _start). */
int main(void)
{
    return 0;
}
