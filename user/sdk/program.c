/*
 * program.c — the C runtime of a program: the entry the launcher starts,
 * the arguments, and output through the console (user/sdk/program_abi.h,
 * docs/programs.md).
 *
 * The console is SDK handle ATOLL_GRANTED + ATOLL_CONSOLE_GRANT, a memory
 * area the launcher made. This file reads its header once, copies the
 * arguments into this program's memory, and appends output to its ring:
 * bytes first, then head, each with atoll_vma_write. Only the launcher
 * moves tail, so a full ring is waited on by re-reading tail. A handle
 * that is not a console (none granted, or the screen when the program is
 * booted as userboot) sends output to the serial log instead.
 */
#include "user/sdk/program.h"

#include <stdbool.h>

#define CONSOLE (ATOLL_GRANTED + ATOLL_CONSOLE_GRANT)
#define LOG_WRITE_MAX 65536 /* log_write's limit per call */

/* The program's (program.h); int main(void) links to it as well. */
int main(int argc, char **argv);

enum { OUT_UNKNOWN, OUT_CONSOLE, OUT_LOG };

/* The console header's first fields, as laid out at offset 0. */
struct con_header {
    uint32_t magic, argc, args_len, ring_len, head, tail;
};
_Static_assert(sizeof(struct con_header) == ATOLL_CON_OFF_TAIL + 4, "header layout");

/* A console's ring, as its writer sees it. */
struct ring {
    atoll_handle h;
    uint32_t len;  /* a power of two */
    uint32_t head; /* bytes written in all; ours alone to change */
};

static int out = OUT_UNKNOWN;
static struct ring con = { CONSOLE, 0, 0 };
static struct ring err_ring = { -1, 0, 0 }; /* a second console for errors, if given */

/* Reads the 4-byte field at off of a console. */
static int32_t con_read32(atoll_handle h, int64_t off, uint32_t *v)
{
    return atoll_vma_write(h, ATOLL_SELF, off, atoll_off(v), 4);
}

/* Takes handle h as ring r if it is a memory area holding a well-formed
 * console header (h's ring only: its arguments are not read). */
static bool ring_open(struct ring *r, atoll_handle h, struct con_header *hd)
{
    int64_t size;
    if (atoll_handle_kind(h) != ATOLL_KIND_VMA || atoll_vma_size(h, &size) != ATOLL_OK ||
        size < ATOLL_CON_OFF_RING ||
        atoll_vma_write(h, ATOLL_SELF, 0, atoll_off(hd), sizeof *hd) != ATOLL_OK)
        return false;
    if (hd->magic != ATOLL_CON_MAGIC || hd->ring_len == 0 ||
        (hd->ring_len & (hd->ring_len - 1)) != 0 ||
        (int64_t)hd->ring_len > size - ATOLL_CON_OFF_RING)
        return false;
    *r = (struct ring){ h, hd->ring_len, hd->head };
    return true;
}

/* Decides where output goes: the console if handle CONSOLE is a memory
 * area holding a well-formed header, else the log. */
static void out_open(struct con_header *h)
{
    out = ring_open(&con, CONSOLE, h) ? OUT_CONSOLE : OUT_LOG;
}

static void out_init(void)
{
    struct con_header h;
    if (out == OUT_UNKNOWN)
        out_open(&h);
}

int atoll_has_console(void)
{
    out_init();
    return out == OUT_CONSOLE;
}

/* Appends n bytes of p to ring r, waiting while it is full. */
static int32_t con_write(struct ring *rg, const char *p, size_t n)
{
    while (n > 0) {
        uint32_t tail, used, room, at, part, first;
        int32_t r = con_read32(rg->h, ATOLL_CON_OFF_TAIL, &tail);
        if (r != ATOLL_OK)
            return r;
        used = rg->head - tail;
        if (used > rg->len)
            return ATOLL_EINVAL; /* the launcher broke the protocol */
        room = rg->len - used;
        if (room == 0) {
            /* Full: the launcher drains it (the shell at every tick).
             * Sleep rather than spin, so that a launcher that only runs
             * when its programs wait (atoll-run) gets to. */
            atoll_sleep_until(atoll_clock_ns() + 1000000);
            continue;
        }
        part = n < room ? (uint32_t)n : room;
        at = rg->head & (rg->len - 1);
        first = part < rg->len - at ? part : rg->len - at;
        r = atoll_vma_write(ATOLL_SELF, rg->h, atoll_off(p), ATOLL_CON_OFF_RING + at, first);
        if (r == ATOLL_OK && part > first)
            r = atoll_vma_write(ATOLL_SELF, rg->h, atoll_off(p + first), ATOLL_CON_OFF_RING,
                                part - first);
        if (r != ATOLL_OK)
            return r;
        rg->head += part; /* the bytes are in: now publish them */
        r = atoll_vma_write(ATOLL_SELF, rg->h, atoll_off(&rg->head), ATOLL_CON_OFF_HEAD, 4);
        if (r != ATOLL_OK)
            return r;
        p += part;
        n -= part;
    }
    return ATOLL_OK;
}

static int32_t log_write(const char *p, size_t n)
{
    while (n > 0) {
        size_t part = n < LOG_WRITE_MAX ? n : LOG_WRITE_MAX;
        int32_t r = atoll_log_write(ATOLL_SELF, atoll_off(p), (int64_t)part);
        if (r != ATOLL_OK)
            return r;
        p += part;
        n -= part;
    }
    return ATOLL_OK;
}

int32_t atoll_write(const void *p, size_t n)
{
    out_init();
    return out == OUT_CONSOLE ? con_write(&con, p, n) : log_write(p, n);
}

bool atoll_set_error_console(atoll_handle h)
{
    struct con_header hd;
    return ring_open(&err_ring, h, &hd);
}

int32_t atoll_write_error(const void *p, size_t n)
{
    return err_ring.h >= 0 ? con_write(&err_ring, p, n) : atoll_write(p, n);
}

int32_t atoll_puts(const char *s)
{
    int32_t r = atoll_write(s, strlen(s));
    return r != ATOLL_OK ? r : atoll_write("\n", 1);
}

/* printf's output is gathered in pieces of this size, one write each. */
struct pbuf {
    size_t n;
    char b[256];
};

static void pbuf_putc(char c, void *ctx)
{
    struct pbuf *pb = ctx;
    pb->b[pb->n++] = c;
    if (pb->n == sizeof pb->b) {
        atoll_write(pb->b, pb->n);
        pb->n = 0;
    }
}

int atoll_vprintf(const char *fmt, va_list ap)
{
    struct pbuf pb;
    int n;
    pb.n = 0;
    n = fmt_vformat(pbuf_putc, &pb, fmt, ap);
    atoll_write(pb.b, pb.n);
    return n;
}

int atoll_printf(const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = atoll_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* Counts the whole strings of the argument block, at most the header's
 * argc: the program's argc. */
static uint32_t args_count(const struct con_header *h, const char *args)
{
    uint32_t n = 0, pos = 0;
    while (n < h->argc && pos < h->args_len) {
        pos += (uint32_t)strlen(&args[pos]) + 1;
        n++;
    }
    return n;
}

int32_t atoll_args_block(char *buf, size_t size, uint32_t *len)
{
    struct con_header h;
    out_open(&h);
    *len = 0;
    if (out != OUT_CONSOLE || h.args_len > ATOLL_CON_ARGS_MAX || h.args_len >= size ||
        atoll_vma_write(CONSOLE, ATOLL_SELF, ATOLL_CON_OFF_ARGS, atoll_off(buf), h.args_len) !=
            ATOLL_OK)
        return -1;
    buf[h.args_len] = '\0';
    uint32_t argc = args_count(&h, buf), pos = 0;
    for (uint32_t i = 0; i < argc; i++)
        pos += (uint32_t)strlen(&buf[pos]) + 1;
    *len = pos;                 /* the whole strings only */
    return (int32_t)argc;
}

/* The entry (ATOLL_ENTRY): arguments in, main, exit status out. The
 * arguments live on this function's stack (imported memory is not known to
 * be zero, so static arrays would be stored in the .wasm file as zeroes);
 * every argument takes at least its NUL, which bounds argc. Output is
 * unbuffered, so nothing is left to flush when main returns. */
ATOLL_EXPORT(atoll_start) int32_t atoll_start(void)
{
    static char no_name[] = "";
    struct con_header h;
    out_open(&h);
    if (out != OUT_CONSOLE || h.args_len > ATOLL_CON_ARGS_MAX) {
        char *argv[] = {no_name, NULL};
        return main(1, argv);
    }
    char args[h.args_len + 1];
    if (atoll_vma_write(CONSOLE, ATOLL_SELF, ATOLL_CON_OFF_ARGS, atoll_off(args),
                        h.args_len) != ATOLL_OK)
        h.args_len = 0;
    args[h.args_len] = '\0';
    uint32_t argc = args_count(&h, args);
    char *argv[argc + 1];
    for (uint32_t i = 0, pos = 0; i < argc; i++) {
        argv[i] = &args[pos];
        pos += (uint32_t)strlen(&args[pos]) + 1;
    }
    argv[argc] = NULL;
    return main((int)argc, argv);
}

/* ---- input (program_abi.h) ---- */

#define INPUT (ATOLL_GRANTED + ATOLL_INPUT_GRANT)

/* The rest of the input message being read (a line longer than the
 * caller's buffer is handed out in pieces). */
static char in_buf[ATOLL_CHANNEL_MSG_MAX];
static size_t in_len, in_pos;
static bool in_ended;

int32_t atoll_input_wait(int64_t deadline, uint64_t *ready)
{
    while (in_pos == in_len && !in_ended) {
        size_t len = 0;
        int32_t nh = 0, obs = 0;
        atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
        int32_t r = atoll_channel_recv(INPUT, in_buf, sizeof in_buf, &len, hs, &nh);
        if (r == ATOLL_OK) {
            for (int32_t i = 0; i < nh; i++)
                atoll_handle_drop(hs[i]);
            in_len = len;
            in_pos = 0;
        } else if (r == ATOLL_EWOULDBLOCK) {
            r = atoll_wait_one(INPUT, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED, deadline,
                               &obs);
            if (r == ATOLL_ETIMEDOUT)
                return 0;
            if (r != ATOLL_OK)
                return -r;
        } else if (r == ATOLL_EPEER) {
            in_ended = true;
        } else {
            return -r;
        }
    }
    *ready = in_len - in_pos;
    return 1;
}

int64_t atoll_read(void *buf, size_t n)
{
    uint64_t ready;
    int32_t r = atoll_input_wait(ATOLL_FOREVER, &ready);
    if (r < 0)
        return r;                               /* -result: no input channel */
    size_t k = in_len - in_pos < n ? in_len - in_pos : n;
    memcpy(buf, in_buf + in_pos, k);
    in_pos += k;
    return (int64_t)k;
}
