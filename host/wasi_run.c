/*
 * atoll-run's WASI mode (docs/wasi.md): a WASI command run on the hosted
 * kernel (kern/ over host/kernel_host.c) and the same WASI layer the
 * kernel's shell uses (user/wasi, embedded at build time with env.wasm),
 * with the host's stdin, stdout and exit status.
 *
 * The launcher is this file, in place of the shell: it builds the
 * program's component exactly as user/userboot/jobs.c does (the console,
 * the registry, input and start channels as grants; env, the layer and
 * the program as instances; the program's memory sent to the layer on the
 * start channel), starts _start, and then, each time every thread has
 * settled: copies the console's output to stdout (and its error
 * console's, the layer's stderr, to stderr), and if the program
 * still runs (it waits for input), feeds it what stdin has, or closes its
 * input at end of file.
 *
 * Files: the layer's file service is this launcher too. The fs
 * channel's other end is ours; each time the program waits on it, the
 * request is answered here by the service's core (user/fs/fs_core.c)
 * over the --dir folders (host/hostfs.c), as the kernel's fsd answers it
 * over memory.
 *
 * Output: the console ring (RING bytes). A program that fills it sleeps
 * a millisecond at a time (user/sdk/program.c), which lets this launcher,
 * settled until a thread waits or sleeps, drain it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "file.h"
#include "hostfs.h"
#include "host_thread.h"
#include "kernel_host.h"
#include "linux_trap.h"
#include "wasi_run.h"
#include "../wasm/wasm.h"
#include "kern/channel.h"
#include "kern/component.h"
#include "kern/coral.h"
#include "kern/kmodule.h"
#include "kern/thread.h"
#include "kern/vma.h"
#include "user/fs/fs_core.h"
#include "user/sdk/program_abi.h"
#include "wasi_env_wasm.h"
#include "wasi_layer_wasm.h"

#define RING (1u << 20)                 /* bytes: a power of two */
#define INPUT_CHUNK 65536

static int fail(const char *what, const char *why)
{
    fprintf(stderr, "atoll-run: %s: %s\n", what, why);
    return 1;
}

/* Every blocked thread counts as settled: the program's may be waiting
 * for input, which only this launcher can give. */
static bool all_blocked_settle(const struct thread *t)
{
    (void)t;
    return true;
}

static void put32(uint8_t *at, uint32_t v)
{
    memcpy(at, &v, 4);
}

/* The console: header, the arguments, the output ring (program_abi.h);
 * NULL, said, when the arguments do not fit. */
static struct vma *make_console(int argc, char **argv)
{
    struct vma *con = vma_new_buffer("console", ATOLL_CON_OFF_RING + (uint64_t)RING, NULL);
    if (!con) {
        fprintf(stderr, "atoll-run: out of memory for the console\n");
        return NULL;
    }
    uint8_t *b = vma_base(con);
    uint32_t len = 0;
    int n = 0;
    for (; n < argc; n++) {
        size_t k = strlen(argv[n]) + 1;
        if (len + k > ATOLL_CON_ARGS_MAX) {
            /* Never run a program with part of its command line: a
             * script cut short would do half of what was asked. */
            fprintf(stderr, "atoll-run: the arguments are over %d bytes (the console's room)\n",
                    ATOLL_CON_ARGS_MAX);
            kobj_put(&con->k);
            return NULL;
        }
        memcpy(b + ATOLL_CON_OFF_ARGS + len, argv[n], k);
        len += (uint32_t)k;
    }
    put32(b + ATOLL_CON_OFF_MAGIC, ATOLL_CON_MAGIC);
    put32(b + ATOLL_CON_OFF_ARGC, (uint32_t)n);
    put32(b + ATOLL_CON_OFF_ARGS_LEN, len);
    put32(b + ATOLL_CON_OFF_RING_LEN, RING);
    return con;
}

/* A console for the program's errors (stderr): a header with no
 * arguments, and its ring. */
static struct vma *make_error_console(void)
{
    struct vma *con = vma_new_buffer("errors", ATOLL_CON_OFF_RING + (uint64_t)RING, NULL);
    if (!con)
        return NULL;
    uint8_t *b = vma_base(con);
    put32(b + ATOLL_CON_OFF_MAGIC, ATOLL_CON_MAGIC);
    put32(b + ATOLL_CON_OFF_RING_LEN, RING);
    return con;
}

/* Copies what the program wrote to console con since the last look to f. */
static void drain(struct vma *con, FILE *f)
{
    uint8_t *b = vma_base(con);
    uint32_t head, tail;
    memcpy(&head, b + ATOLL_CON_OFF_HEAD, 4);
    memcpy(&tail, b + ATOLL_CON_OFF_TAIL, 4);
    while (tail != head && head - tail <= RING) {
        uint32_t at = tail & (RING - 1), n = head - tail;
        if (n > RING - at)
            n = RING - at;
        fwrite(b + ATOLL_CON_OFF_RING + at, 1, n, f);
        tail += n;
    }
    fflush(f);
    memcpy(b + ATOLL_CON_OFF_TAIL, &tail, 4);
}

/* Adds module bytes as the component's next instance, named name; a
 * failure is reported under label (the file, for the program). */
static int add(struct component *c, const void *bytes, size_t len, const char *name,
               const char *label, uint32_t *index)
{
    char why[160] = "";
    int st;
    struct kmodule *m = kmodule_create(bytes, len, NULL, &st, why, sizeof why);
    if (!m)
        return fail(label, why[0] ? why : "not a valid module");
    st = component_add(c, m, name, strlen(name), index, why, sizeof why);
    kobj_put(&m->k);
    return st ? fail(label, why[0] ? why : "did not instantiate") : 0;
}

/* ---- --trap-unknown-imports: modules of functions that trap ---- */

struct buf {
    uint8_t *p;
    size_t n, cap;
};

static void put_byte(struct buf *b, uint8_t v)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    b->p[b->n++] = v;
}

static void put_uleb(struct buf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put_byte(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static void put_bytes(struct buf *b, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte(b, ((const uint8_t *)p)[i]);
}

static void put_section(struct buf *mod, uint8_t id, const struct buf *body)
{
    put_byte(mod, id);
    put_uleb(mod, (uint32_t)body->n);
    put_bytes(mod, body->p, body->n);
}

static bool same(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    return alen == blen && !memcmp(a, b, alen);
}

/* A module exporting, for every function the program imports from module
 * `name`, a function of its type whose body is `unreachable`. */
static struct buf stub_module(const wasm_module *m, const char *name, uint32_t name_len)
{
    struct buf types = { 0 }, funcs = { 0 }, exports = { 0 }, code = { 0 }, mod = { 0 };
    uint32_t n = 0;
    for (uint32_t i = 0; i < wasm_module_num_imports(m); i++) {
        wasm_import_desc d;
        uint32_t np, nr;
        const uint8_t *ps, *rs;
        if (!wasm_module_import(m, i, &d) || !same(d.module, d.module_len, name, name_len) ||
            !wasm_module_import_func_type(m, i, &np, &ps, &nr, &rs))
            continue;
        put_byte(&types, 0x60);
        put_uleb(&types, np);
        put_bytes(&types, ps, np);
        put_uleb(&types, nr);
        put_bytes(&types, rs, nr);
        put_uleb(&funcs, n);
        put_uleb(&exports, d.field_len);
        put_bytes(&exports, d.field, d.field_len);
        put_byte(&exports, 0x00);
        put_uleb(&exports, n);
        static const uint8_t body[] = { 3, 0, 0x00 /* unreachable */, 0x0b };
        put_bytes(&code, body, sizeof body);
        n++;
    }
    static const uint8_t head[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    put_bytes(&mod, head, sizeof head);
    struct buf *secs[] = { &types, &funcs, &exports, &code };
    static const uint8_t ids[] = { 1, 3, 7, 10 };
    for (int s = 0; s < 4; s++) {
        struct buf sec = { 0 };
        put_uleb(&sec, n);
        put_bytes(&sec, secs[s]->p, secs[s]->n);
        put_section(&mod, ids[s], &sec);
        free(sec.p);
        free(secs[s]->p);
    }
    return mod;
}

/* Whether m imports anything from module `name`. */
static bool imports_from(const wasm_module *m, const char *name)
{
    for (uint32_t i = 0; i < wasm_module_num_imports(m); i++) {
        wasm_import_desc d;
        if (wasm_module_import(m, i, &d) && same(d.module, d.module_len, name, strlen(name)))
            return true;
    }
    return false;
}

/* Adds a stub instance (above) for every module the program imports
 * functions from but the layer's: an unknown import then traps when it is
 * called instead of refusing the program. A non-function import from such
 * a module cannot be stubbed: the add of the program names it. */
static int add_stubs(struct component *c, const wasm_module *m, const char *path)
{
    int st = 0;
    for (uint32_t i = 0; i < wasm_module_num_imports(m) && !st; i++) {
        wasm_import_desc d;
        wasm_module_import(m, i, &d);
        bool seen = same(d.module, d.module_len, ATOLL_WASI_LAYER, strlen(ATOLL_WASI_LAYER)) ||
                    same(d.module, d.module_len, "env", 3);
        for (uint32_t j = 0; j < i && !seen; j++) {
            wasm_import_desc e;
            wasm_module_import(m, j, &e);
            seen = same(d.module, d.module_len, e.module, e.module_len);
        }
        if (seen)
            continue;
        char name[COMPONENT_NAME_MAX + 1];
        if (d.module_len > COMPONENT_NAME_MAX) {
            st = fail(path, "an import's module name is too long to stub");
            break;
        }
        memcpy(name, d.module, d.module_len);
        name[d.module_len] = 0;
        struct buf stub = stub_module(m, d.module, d.module_len);
        uint32_t index;
        st = add(c, stub.p, stub.n, name, "a stub module", &index);
        free(stub.p);
    }
    return st;
}

/* The start message's bytes (program_abi.h): the environment, then
 * each folder's guest name and host path. NULL with the reason given. */
static struct vma *start_message(const char *path, const struct wasi_opts *o)
{
    size_t env_len = 0, len = 12;
    for (int i = 0; i < o->envc; i++)
        env_len += strlen(o->envp[i]) + 1;
    len += env_len;
    for (int i = 0; i < o->ndirs; i++)     /* "H::G": G\0H\0; "H": H\0H\0 */
        len += strstr(o->dirs[i], "::") ? strlen(o->dirs[i]) : 2 * strlen(o->dirs[i]) + 2;
    if (len > CHANNEL_MSG_MAX) {
        fail(path, "the environment and folders are over 64 KiB");
        return NULL;
    }
    struct vma *msg = vma_new_buffer("start", len, NULL);
    if (!msg) {
        fail(path, "out of memory");
        return NULL;
    }
    uint8_t *text = vma_base(msg);
    put32(text, ATOLL_WASI_START_MAGIC);
    put32(text + 4, (uint32_t)env_len);
    /* A terminal is reported as one; a pipe or a file is not, so that a
     * filter (lz4 -c < file) does not take its input for a console. */
    put32(text + 8, (isatty(0) ? ATOLL_WASI_TTY_IN : 0) | (isatty(1) ? ATOLL_WASI_TTY_OUT : 0) |
                        (isatty(2) ? ATOLL_WASI_TTY_ERR : 0));
    size_t at = 12;
    for (int i = 0; i < o->envc; i++) {
        size_t k = strlen(o->envp[i]) + 1;
        memcpy(text + at, o->envp[i], k);
        at += k;
    }
    for (int i = 0; i < o->ndirs; i++) {
        const char *d = o->dirs[i], *sep = strstr(d, "::");
        size_t hlen = sep ? (size_t)(sep - d) : strlen(d);
        const char *guest = sep ? sep + 2 : d;
        memcpy(text + at, guest, strlen(guest) + 1);
        at += strlen(guest) + 1;
        memcpy(text + at, d, hlen);
        text[at + hlen] = 0;
        at += hlen + 1;
        if (hostfs_add_root((char *)text + at - hlen - 1) < 0) {
            fprintf(stderr, "atoll-run: --dir %s: %s\n", d, strerror(errno));
            kobj_put(&msg->k);
            return NULL;
        }
    }
    return msg;
}

/* Answers every request queued on the file service's channel; true if
 * there was one (the program runs again). */
static bool serve_files(struct component *self, struct kobj *fs, struct fs_conn *conn,
                        struct vma *req, struct vma *reply)
{
    bool any = false;
    for (;;) {
        uint64_t n = 0;
        uint32_t nh = 0;
        handle_t hs[CHANNEL_MSG_HANDLES];
        if (channel_read(self, fs, req, 0, CHANNEL_MSG_MAX, &n, &nh, hs) != CORAL_OK)
            return any;
        for (uint32_t i = 0; i < nh; i++)
            component_handle_drop(self, hs[i]);     /* the protocol carries none */
        size_t k = fs_serve(conn, vma_base(req), n, vma_base(reply));
        if (channel_write(self, fs, reply, 0, (int64_t)k, NULL, 0) != CORAL_OK)
            return any;
        any = true;
    }
}

int wasi_run(const char *path, char *bytes, size_t len, wasm_module *m, int argc, char **argv,
             const struct wasi_opts *o)
{
    linux_trap_describe = host_thread_describe_fault;
    host_sched_set_idle_check(all_blocked_settle);
    /* The kernel's notes (a component made, exited) are not the
     * program's; its warnings and errors (a trap's report) still go to
     * stderr. */
    log_threshold = LOG_WARN;
    coral_init();

    int st;
    /* The launcher's own side (the channels' other ends, the start
     * message's handle) lives in a component of its own. */
    struct component *self = component_create("atoll-run", NULL, &st);
    struct component *c = component_create("program", NULL, &st);
    struct vma *con = make_console(argc, argv);
    struct kobj *reg, *reg_end, *in, *in_end, *start, *start_end, *fs, *fs_end;
    if (!con)
        return 1;                       /* said why */
    if (!self || !c || channel_create(NULL, &reg, &reg_end) ||
        channel_create(NULL, &in, &in_end) || channel_create(NULL, &start, &start_end) ||
        channel_create(NULL, &fs, &fs_end))
        return fail(path, "out of memory");
    struct vma *msg = start_message(path, o);
    struct fs_conn *conn = fs_conn_new(hostfs());
    struct vma *req = vma_new_buffer("fs request", CHANNEL_MSG_MAX, NULL);
    struct vma *reply = vma_new_buffer("fs reply", FS_REPLY_MAX, NULL);
    if (!msg)
        return 1;
    if (!conn || !req || !reply)
        return fail(path, "out of memory");
    struct kobj *grants[] = { &con->k, reg_end, in_end, start_end };
    for (uint32_t i = 0, index; i < 4; i++) {
        if (component_grant(c, grants[i], RIGHTS_ALL, &index) || index != i)
            return fail(path, "cannot grant the program its handles");
        if (i)
            kobj_put(grants[i]);        /* the program's now */
    }

    /* As the shell lays a command out (docs/programs.md): the layer's
     * env, the layer, and for a command that calls the kernel through
     * the SDK an env of its own, so that it never shares the layer's
     * memory. */
    uint32_t ienv, ilayer, iprog, ienv2;
    if (add(c, wasi_env_wasm, wasi_env_wasm_len, "env", "the SDK shim", &ienv) ||
        add(c, wasi_layer_wasm, wasi_layer_wasm_len, ATOLL_WASI_LAYER, "the WASI layer",
            &ilayer) ||
        (imports_from(m, "env") &&
         add(c, wasi_env_wasm, wasi_env_wasm_len, "env", "the program's SDK shim", &ienv2)) ||
        (o->trap_unknown && add_stubs(c, m, path)))
        return 1;
    /* The first decoding (is_wasi's) goes before the kernel decodes the
     * bytes again to compile them: a large module's would double the
     * peak. */
    wasm_module_free(m);
    if (add(c, bytes, len, "program", path, &iprog))
        return 1;
    free(bytes);

    /* The layer's start message: the program's memory, the file
     * service's channel. */
    struct vma *mem, *errs = make_error_console();
    if (!errs)
        return fail(path, "out of memory");
    if (component_memory(c, iprog, &mem))
        return fail(path, "the program has no memory");
    handle_t h[3] = { component_handle_make(self, &mem->k, RIGHTS_ALL),
                      component_handle_make(self, fs_end, RIGHTS_ALL),
                      component_handle_make(self, &errs->k, RIGHTS_ALL) };
    kobj_put(&mem->k);
    kobj_put(fs_end);
    if (h[0] == HANDLE_NULL || h[1] == HANDLE_NULL || h[2] == HANDLE_NULL ||
        channel_write(self, start, msg, 0, (int64_t)vma_size(msg), h, 3))
        return fail(path, "cannot send the WASI layer its start message");
    if (component_start(c, iprog, ATOLL_WASI_ENTRY, strlen(ATOLL_WASI_ENTRY), 0))
        return fail(path, "exports no _start function");

    struct vma *chunk = vma_new_buffer("input", INPUT_CHUNK, NULL);
    bool input_open = true;
    int64_t value = 0;
    int state;
    for (;;) {
        uint64_t wake;
        host_sched_settle_timed(&wake);
        drain(con, stdout);
        drain(errs, stderr);
        if (serve_files(self, fs, conn, req, reply))
            continue;
        state = component_status(c, &value);
        if (state != COMPONENT_STATUS_RUNNING)
            break;
        /* It waits: for input, the only thing left to come, or a deadline. */
        if (!input_open && wake != THREAD_FOREVER) {
            uint64_t now = clock_ns();  /* until a sleeper wakes, then drain again */
            if (wake > now) {
                struct timespec ts = { (time_t)((wake - now) / 1000000000u),
                                       (long)((wake - now) % 1000000000u) };
                nanosleep(&ts, NULL);
            }
            continue;
        }
        if (!input_open) {
            fprintf(stderr, "atoll-run: %s waits for something that cannot come; ended\n",
                    path);
            component_kill(c);
            host_sched_settle();
            drain(con, stdout);
            drain(errs, stderr);
            return 1;
        }
        /* Input, or a sleeper's deadline (a poll_oneoff with a timeout,
         * a sleep): whichever comes first. */
        if (wake != THREAD_FOREVER) {
            uint64_t now = clock_ns();
            struct pollfd p = { 0, POLLIN, 0 };
            int ms = wake <= now ? 0 : (int)((wake - now + 999999) / 1000000);
            if (poll(&p, 1, ms) == 0)
                continue;               /* the deadline: let the sleeper wake */
        }
        ssize_t n = read(0, vma_base(chunk), INPUT_CHUNK);
        if (n > 0) {
            if (channel_write(self, in, chunk, 0, n, NULL, 0) != CORAL_OK)
                return fail(path, "its input channel refused a chunk");
        } else {
            kobj_put(in);               /* end of input: the program reads peer closed */
            channel_reap();
            input_open = false;
        }
    }
    if (state == COMPONENT_STATUS_EXITED || state == COMPONENT_STATUS_IDLE)
        return (int)(value & 0xff);
    /* A trap was reported on stderr by the kernel, with its place. */
    if (state == COMPONENT_STATUS_TRAPPED)
        return 134;
    fprintf(stderr, "atoll-run: %s was killed\n", path);
    return 137;
}
