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
 * This first step serves what a command needs to start, print, read its
 * input and end: arguments, environment (empty), stdio on the console and
 * the input channel, clocks, poll_oneoff on clocks and stdio, yield, exit.
 * Files and directories come with the file service (fd_prestat_get says
 * there are no preopened directories), sockets with the network issue;
 * every other function answers ENOSYS (sockets: no descriptor is one), so
 * any preview-1 command links.
 */
#include "user/sdk/program.h"

/* WASI errno values (preview 1). */
enum {
    E_SUCCESS = 0, E_BADF = 8, E_FAULT = 21, E_INVAL = 28, E_IO = 29, E_NOSYS = 52,
    E_NOTSOCK = 57, E_NOTSUP = 58, E_SPIPE = 70,
};

#define WASI(name) __attribute__((export_name(#name))) int32_t wasi_##name

#define START (ATOLL_GRANTED + ATOLL_WASI_START_GRANT)

/* The program's memory, from the start message; -1 until it came. The
 * environment came with it: env_len bytes of NUL-terminated strings. */
static atoll_handle prog = -1;
static char start_msg[ATOLL_CHANNEL_MSG_MAX];
static const char *env = "";
static uint32_t env_len, env_count;

/* The start message: read once, at the first call that needs the
 * program's memory (the launcher sends it before it starts _start). */
static int32_t attach(void)
{
    if (prog >= 0)
        return E_SUCCESS;
    uint32_t magic = 0;
    size_t len = 0;
    int32_t nh = 0;
    atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
    if (atoll_channel_recv(START, start_msg, sizeof start_msg, &len, hs, &nh) != ATOLL_OK)
        return E_IO;
    for (int32_t i = 1; i < nh; i++)
        atoll_handle_drop(hs[i]);
    if (len >= sizeof magic)
        memcpy(&magic, start_msg, sizeof magic);
    if (len < sizeof magic || magic != ATOLL_WASI_START_MAGIC || nh < 1 ||
        atoll_handle_kind(hs[0]) != ATOLL_KIND_VMA) {
        if (nh >= 1)
            atoll_handle_drop(hs[0]);
        return E_IO;
    }
    prog = hs[0];
    /* The whole strings of the environment; a last one without its NUL
     * is dropped. */
    env = start_msg + sizeof magic;
    for (uint32_t pos = 0, end = (uint32_t)len - sizeof magic; pos < end;) {
        uint32_t nul = pos;
        while (nul < end && env[nul])
            nul++;
        if (nul == end)
            break;
        pos = nul + 1;
        env_len = pos;
        env_count++;
    }
    return E_SUCCESS;
}

/* Copies n bytes of the program's memory at ptr into dst, or out of src
 * to ptr: E_FAULT when the range is not all inside its memory. */
static int32_t get(uint32_t ptr, void *dst, uint32_t n)
{
    int32_t e = attach();
    if (e)
        return e;
    return atoll_vma_write(prog, ATOLL_SELF, ptr, atoll_off(dst), n) == ATOLL_OK ? E_SUCCESS
                                                                                  : E_FAULT;
}

static int32_t put(uint32_t ptr, const void *src, uint32_t n)
{
    int32_t e = attach();
    if (e)
        return e;
    return atoll_vma_write(ATOLL_SELF, prog, atoll_off(src), ptr, n) == ATOLL_OK ? E_SUCCESS
                                                                                  : E_FAULT;
}

/* E_FAULT unless [ptr, ptr + n) lies in the program's memory now: for a
 * call that must refuse before it writes anything (a memory only grows,
 * so the range stays good). */
static int32_t prog_size(uint64_t *size)
{
    int64_t s = 0;
    int32_t e = attach();
    if (e)
        return e;
    if (atoll_vma_size(prog, &s) != ATOLL_OK)
        return E_IO;
    *size = (uint64_t)s;
    return E_SUCCESS;
}

static int32_t in_range(uint64_t size, uint32_t ptr, uint64_t n)
{
    return (uint64_t)ptr + n <= size ? E_SUCCESS : E_FAULT;
}

static int32_t range(uint32_t ptr, uint64_t n)
{
    uint64_t size;
    int32_t e = prog_size(&size);
    return e ? e : in_range(size, ptr, n);
}

static int32_t put32(uint32_t ptr, uint32_t v)
{
    return put(ptr, &v, 4);
}

static int32_t put64(uint32_t ptr, uint64_t v)
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
    int32_t e = put32(count_ptr, (attach(), env_count));
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

/* ---- stdio ---- */

static uint8_t io[4096];

struct iovec32 {
    uint32_t ptr, len;
};

/* At most this many iovecs a call (POSIX's IOV_MAX). */
#define IOVS_MAX 1024

/* Every buffer is checked before a byte is written: a bad one is
 * E_FAULT with nothing written. */
WASI(fd_write)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_ptr)
{
    static struct iovec32 v[IOVS_MAX];
    if (fd != 1 && fd != 2)
        return E_BADF;
    if (iovs_len > IOVS_MAX)
        return range(iovs, (uint64_t)iovs_len * 8) ? E_FAULT : E_INVAL;
    uint64_t size;
    int32_t e = get(iovs, v, iovs_len * (uint32_t)sizeof v[0]);
    if (!e)
        e = prog_size(&size);     /* once: a memory only grows */
    for (uint32_t i = 0; !e && i < iovs_len; i++)
        e = in_range(size, v[i].ptr, v[i].len);
    if (!e)
        e = in_range(size, nwritten_ptr, 4);
    if (e)
        return e;
    uint32_t total = 0;
    for (uint32_t i = 0; i < iovs_len; i++) {
        for (uint32_t done = 0; done < v[i].len;) {
            uint32_t n = v[i].len - done < sizeof io ? v[i].len - done : sizeof io;
            e = get(v[i].ptr + done, io, n);
            if (e)
                return e;
            if (atoll_write(io, n) != ATOLL_OK)
                return E_IO;
            done += n;
            total += n;
        }
    }
    return put32(nwritten_ptr, total);
}

/* Reads into the first iovec with room: the rest of the line being read,
 * or the next line (atoll_read waits for it); 0 bytes at end of input. */
WASI(fd_read)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr)
{
    if (fd != 0)
        return E_BADF;
    for (uint32_t i = 0; i < iovs_len; i++) {
        struct iovec32 v;
        int32_t e = get(iovs + 8 * i, &v, sizeof v);
        if (e)
            return e;
        if (v.len == 0)
            continue;
        uint32_t want = v.len < sizeof io ? v.len : sizeof io;
        /* Both places checked first: input taken is never lost to a bad
         * pointer. */
        uint64_t size;
        e = prog_size(&size);
        if (!e)
            e = in_range(size, v.ptr, want);
        if (!e)
            e = in_range(size, nread_ptr, 4);
        if (e)
            return e;
        int64_t n = atoll_read(io, want);
        if (n < 0)
            return E_IO;
        e = put(v.ptr, io, (uint32_t)n);
        return e ? e : put32(nread_ptr, (uint32_t)n);
    }
    return put32(nread_ptr, 0);
}

/* Stdio's rights: a terminal's, without seek and tell, so that
 * wasi-libc's isatty() is true and stdout is line-buffered (a prompt
 * shows before a read). Bits: datasync, read, fdstat_set_flags, sync,
 * write, poll_fd_readwrite. */
#define RIGHTS_TTY ((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 6) | \
                    (1ull << 27))

WASI(fd_fdstat_get)(uint32_t fd, uint32_t buf)
{
    if (fd > 2)
        return E_BADF;
    uint8_t st[24] = { 0 };
    st[0] = 2;                                  /* character device */
    uint64_t rights = RIGHTS_TTY;
    memcpy(st + 8, &rights, 8);
    return put(buf, st, sizeof st);
}

WASI(fd_fdstat_set_flags)(uint32_t fd, uint32_t flags)
{
    (void)flags;
    return fd > 2 ? E_BADF : E_NOTSUP;
}

WASI(fd_seek)(uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_ptr)
{
    (void)offset, (void)whence, (void)newoffset_ptr;
    return fd > 2 ? E_BADF : E_SPIPE;
}

WASI(fd_tell)(uint32_t fd, uint32_t offset_ptr)
{
    (void)offset_ptr;
    return fd > 2 ? E_BADF : E_SPIPE;
}

WASI(fd_close)(uint32_t fd)
{
    return fd > 2 ? E_BADF : E_SUCCESS;
}

WASI(fd_sync)(uint32_t fd)
{
    return fd > 2 ? E_BADF : E_SUCCESS;
}

WASI(fd_datasync)(uint32_t fd)
{
    return fd > 2 ? E_BADF : E_SUCCESS;
}

/* No preopened directory until the file service: wasi-libc's start-up
 * asks from fd 3 up and stops at the first E_BADF. */
WASI(fd_prestat_get)(uint32_t fd, uint32_t buf)
{
    (void)fd, (void)buf;
    return E_BADF;
}

WASI(fd_prestat_dir_name)(uint32_t fd, uint32_t path, uint32_t len)
{
    (void)fd, (void)path, (void)len;
    return E_BADF;
}

/* ---- poll_oneoff: clocks, and stdio as always ready ---- */

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

WASI(poll_oneoff)(uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents_ptr)
{
    static struct subscription subs[SUBSCRIPTIONS_MAX];
    static struct event evs[SUBSCRIPTIONS_MAX];
    if (nsubs == 0 || nsubs > SUBSCRIPTIONS_MAX)
        return E_INVAL;
    int32_t e = get(in, subs, nsubs * (uint32_t)sizeof subs[0]);
    if (e)
        return e;
    uint64_t now = (uint64_t)atoll_clock_ns(), first = UINT64_MAX;
    uint32_t n = 0;
    for (uint32_t i = 0; i < nsubs; i++) {
        struct subscription *s = &subs[i];
        if (s->tag == EV_CLOCK) {
            uint64_t d = deadline_of(s, now);
            first = d < first ? d : first;
            continue;
        }
        struct event *ev = &evs[n++];
        memset(ev, 0, sizeof *ev);
        ev->userdata = s->userdata;
        ev->type = s->tag;
        if (s->tag > EV_FD_WRITE)
            ev->error = E_INVAL;
        else if (s->u.fd.fd > 2)
            ev->error = E_BADF;
    }
    if (n == 0) {
        if (first != UINT64_MAX && first > now)
            atoll_sleep_until((int64_t)first);
        now = (uint64_t)atoll_clock_ns();
        for (uint32_t i = 0; i < nsubs; i++) {
            if (subs[i].tag != EV_CLOCK || deadline_of(&subs[i], 0) > now)
                continue;
            struct event *ev = &evs[n++];
            memset(ev, 0, sizeof *ev);
            ev->userdata = subs[i].userdata;
            ev->type = EV_CLOCK;
        }
    }
    e = put(out, evs, n * (uint32_t)sizeof evs[0]);
    return e ? e : put32(nevents_ptr, n);
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

/* ---- not yet: files (the file service), sockets (the network) ---- */

#define NOSYS(name, ...) WASI(name)(__VA_ARGS__) { return E_NOSYS; }

#define U32 __attribute__((unused)) uint32_t
#define U64 __attribute__((unused)) uint64_t

NOSYS(fd_advise, U32 fd, U64 off, U64 len, U32 advice)
NOSYS(fd_allocate, U32 fd, U64 off, U64 len)
NOSYS(fd_fdstat_set_rights, U32 fd, U64 base, U64 inheriting)
NOSYS(fd_filestat_get, U32 fd, U32 buf)
NOSYS(fd_filestat_set_size, U32 fd, U64 size)
NOSYS(fd_filestat_set_times, U32 fd, U64 atim, U64 mtim, U32 flags)
NOSYS(fd_pread, U32 fd, U32 iovs, U32 n, U64 off, U32 nread)
NOSYS(fd_pwrite, U32 fd, U32 iovs, U32 n, U64 off, U32 nwritten)
NOSYS(fd_readdir, U32 fd, U32 buf, U32 len, U64 cookie, U32 used)
NOSYS(fd_renumber, U32 fd, U32 to)
NOSYS(path_create_directory, U32 fd, U32 path, U32 len)
NOSYS(path_filestat_get, U32 fd, U32 flags, U32 path, U32 len, U32 buf)
NOSYS(path_filestat_set_times, U32 fd, U32 flags, U32 path, U32 len, U64 atim, U64 mtim,
      U32 fst)
NOSYS(path_link, U32 ofd, U32 oflags, U32 opath, U32 olen, U32 nfd, U32 npath, U32 nlen)
NOSYS(path_open, U32 fd, U32 dirflags, U32 path, U32 len, U32 oflags, U64 base, U64 inh,
      U32 fdflags, U32 fd_ptr)
NOSYS(path_readlink, U32 fd, U32 path, U32 len, U32 buf, U32 buf_len, U32 used)
NOSYS(path_remove_directory, U32 fd, U32 path, U32 len)
NOSYS(path_rename, U32 fd, U32 opath, U32 olen, U32 nfd, U32 npath, U32 nlen)
NOSYS(path_symlink, U32 opath, U32 olen, U32 fd, U32 npath, U32 nlen)
NOSYS(path_unlink_file, U32 fd, U32 path, U32 len)

/* No descriptor is a socket yet: stdio is not one (ENOTSOCK), any other
 * is not open (EBADF). */
#define SOCK(name, ...) WASI(name)(uint32_t fd, __VA_ARGS__) { return fd > 2 ? E_BADF : E_NOTSOCK; }
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
