/*
 * The WASI layer's descriptors (docs/wasi.md): the table, stdio on the
 * console and the input channel, and files and directories, which are
 * fids of the file service (user/fs/fs_proto.h) reached by fs_call.
 *
 * The layer keeps what POSIX keeps per open file description: the
 * offset, the flags and WASI's rights. The service keeps the file. A
 * right the descriptor lacks is E_NOTCAPABLE before anything is sent.
 */
#include "user/wasi/wasi_impl.h"

atoll_handle fs_ch = -1;

/* Stdio's rights: a terminal's, without seek and tell, so that
 * wasi-libc's isatty() is true and stdout is line-buffered (a prompt
 * shows before a read). */
#define RIGHTS_TTY (R_FD_DATASYNC | R_FD_READ | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | \
                    R_FD_WRITE | R_POLL_FD_READWRITE | R_FD_FILESTAT_GET)

/* 0-2 are stdio from the start; the preopens follow. */
static struct fd fds[FDS_MAX] = {
    [0] = { .kind = FD_STDIN, .filetype = FS_T_CHAR, .base = RIGHTS_TTY },
    [1] = { .kind = FD_STDOUT, .filetype = FS_T_CHAR, .base = RIGHTS_TTY },
    [2] = { .kind = FD_STDOUT, .filetype = FS_T_CHAR, .base = RIGHTS_TTY },
};

void fd_stdio(uint32_t ttys)
{
    static const uint32_t bit[3] = { ATOLL_WASI_TTY_IN, ATOLL_WASI_TTY_OUT, ATOLL_WASI_TTY_ERR };
    for (int i = 0; i < 3; i++)
        if (!(ttys & bit[i]))
            fds[i].filetype = FS_T_UNKNOWN;
}

struct fd *fd_get(uint32_t fd)
{
    layer_attach();                     /* the preopens come with the start message */
    return fd < FDS_MAX && fds[fd].kind != FD_FREE ? &fds[fd] : NULL;
}

struct fd *fd_new(uint32_t *fd)
{
    for (uint32_t i = 0; i < FDS_MAX; i++) {
        if (fds[i].kind != FD_FREE)
            continue;
        fds[i] = (struct fd){ 0 };
        *fd = i;
        return &fds[i];
    }
    return NULL;
}

/* ---- the file service ---- */

static uint8_t req_buf[sizeof(struct fs_req) + FS_DATA_MAX];
static uint8_t reply_buf[FS_REPLY_MAX];

int32_t fs_call(struct fs_req *h, const void *p1, const void *p2, const struct fs_reply **r,
                const uint8_t **data)
{
    if (fs_ch < 0)
        return E_IO;
    if ((uint64_t)h->len1 + h->len2 > FS_DATA_MAX)
        return E_NAMETOOLONG;
    memcpy(req_buf, h, sizeof *h);
    if (h->len1 && p1 != req_buf + sizeof *h)
        memcpy(req_buf + sizeof *h, p1, h->len1);
    if (h->len2)
        memcpy(req_buf + sizeof *h + h->len1, p2, h->len2);
    size_t len = 0;
    int32_t st = atoll_channel_request(fs_ch, req_buf, sizeof *h + h->len1 + h->len2, reply_buf,
                                       sizeof reply_buf, &len, ATOLL_FOREVER);
    const struct fs_reply *rep = (const struct fs_reply *)reply_buf;
    if (st != ATOLL_OK || len < sizeof *rep || len - sizeof *rep < rep->len)
        return E_IO;
    *r = rep;
    if (data)
        *data = reply_buf + sizeof *rep;
    return (int32_t)rep->err;
}

/* The request buffer's data area, for data copied in from the program
 * straight where fs_call sends it from. */
static uint8_t *req_data(void)
{
    return req_buf + sizeof(struct fs_req);
}

void fd_preopen(const char *name, uint32_t len, const char *attach, uint32_t attach_len)
{
    struct fs_req h = { .op = FS_ATTACH, .len1 = attach_len };
    const struct fs_reply *r;
    uint32_t n;
    struct fd *f = NULL;
    int32_t e = fs_call(&h, attach, NULL, &r, NULL);
    if (!e && !(f = fd_new(&n)))
        e = E_MFILE;
    if (e) {
        atoll_printf("wasi: the folder %s cannot be opened (%s): errno %d\n", name, attach,
                     (int)e);
        return;
    }
    *f = (struct fd){ FD_DIR, FS_T_DIR, 0, r->fid, R_DIR, R_ALL, 0, name, len };
}

/* The descriptor fd with every right of need: E_BADF, E_NOTCAPABLE. */
static int32_t fd_need(uint32_t fd, uint64_t need, struct fd **f)
{
    *f = fd_get(fd);
    if (!*f)
        return E_BADF;
    return ((*f)->base & need) == need ? E_SUCCESS : E_NOTCAPABLE;
}

static int32_t clunk(uint32_t fid)
{
    struct fs_req h = { .op = FS_CLUNK, .fid = fid };
    const struct fs_reply *r;
    return fs_call(&h, NULL, NULL, &r, NULL);
}

/* ---- reads and writes ---- */

struct iovec32 {
    uint32_t ptr, len;
};

/* At most this many iovecs a call (POSIX's IOV_MAX). */
#define IOVS_MAX 1024
static struct iovec32 iov[IOVS_MAX];

/* The iovecs of a call, every buffer and the count's place checked, so
 * that a bad one is E_FAULT with nothing read or written. */
static int32_t iovs_get(uint32_t iovs, uint32_t n, uint32_t count_ptr)
{
    if (n > IOVS_MAX)
        return range(iovs, (uint64_t)n * 8) ? E_FAULT : E_INVAL;
    int32_t e = get(iovs, iov, n * (uint32_t)sizeof iov[0]);
    for (uint32_t i = 0; !e && i < n; i++)
        e = range(iov[i].ptr, iov[i].len);
    return e ? e : range(count_ptr, 4);
}

/* Writes the iovecs to file f at *pos (append: at its end), chunk by
 * chunk, each copied from the program straight into the request; *pos
 * is where the next write goes. */
static int32_t file_write(struct fd *f, uint32_t n, uint64_t *pos, bool append, uint32_t *total)
{
    *total = 0;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t done = 0; done < iov[i].len;) {
            uint32_t k = iov[i].len - done < FS_DATA_MAX ? iov[i].len - done : FS_DATA_MAX;
            int32_t e = get(iov[i].ptr + done, req_data(), k);
            struct fs_req h = { .op = FS_WRITE, .fid = f->fid, .flags = append ? FS_WRITE_APPEND : 0,
                                .len1 = k, .a = *pos };
            const struct fs_reply *r;
            if (!e)
                e = fs_call(&h, req_data(), NULL, &r, NULL);
            if (e)
                return *total ? E_SUCCESS : e;     /* what was written stays written */
            *pos = r->value2;
            *total += (uint32_t)r->value;
            done += (uint32_t)r->value;
            if (r->value < k)
                return E_SUCCESS;
        }
    }
    return E_SUCCESS;
}

static uint8_t io[4096];

static int32_t console_write(uint32_t fd, uint32_t n, uint32_t *total)
{
    *total = 0;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t done = 0; done < iov[i].len;) {
            uint32_t k = iov[i].len - done < sizeof io ? iov[i].len - done : sizeof io;
            int32_t e = get(iov[i].ptr + done, io, k);
            if (e)
                return e;
            if ((fd == 2 ? atoll_write_error(io, k) : atoll_write(io, k)) != ATOLL_OK)
                return E_IO;
            done += k;
            *total += k;
        }
    }
    return E_SUCCESS;
}

WASI(fd_write)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_ptr)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_WRITE, &f);
    if (!e && f->kind != FD_STDOUT && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_ISDIR : E_BADF;
    if (!e)
        e = iovs_get(iovs, iovs_len, nwritten_ptr);
    if (e)
        return e;
    uint32_t total;
    if (f->kind == FD_STDOUT)
        e = console_write(fd, iovs_len, &total);
    else
        e = file_write(f, iovs_len, &f->pos, f->flags & FDFLAG_APPEND, &total);
    return e ? e : put32(nwritten_ptr, total);
}

WASI(fd_pwrite)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t off,
                uint32_t nwritten_ptr)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_WRITE | R_FD_SEEK, &f);
    if (!e && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_ISDIR : E_SPIPE;
    if (!e && off > INT64_MAX)
        e = E_INVAL;
    if (!e)
        e = iovs_get(iovs, iovs_len, nwritten_ptr);
    if (e)
        return e;
    uint32_t total;
    uint64_t pos = off;
    e = file_write(f, iovs_len, &pos, f->flags & FDFLAG_APPEND, &total);
    return e ? e : put32(nwritten_ptr, total);
}

/* Reads file f at pos into the iovecs, until one comes back short. */
static int32_t file_read(struct fd *f, uint32_t n, uint64_t pos, uint32_t *total)
{
    *total = 0;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t done = 0; done < iov[i].len;) {
            uint32_t k = iov[i].len - done < FS_DATA_MAX ? iov[i].len - done : FS_DATA_MAX;
            struct fs_req h = { .op = FS_READ, .fid = f->fid, .a = pos, .b = k };
            const struct fs_reply *r;
            const uint8_t *data;
            int32_t e = fs_call(&h, NULL, NULL, &r, &data);
            if (!e && r->len > k)
                e = E_IO;
            if (!e)
                e = put(iov[i].ptr + done, data, r->len);
            if (e)
                return *total ? E_SUCCESS : e;
            pos += r->len;
            done += r->len;
            *total += r->len;
            if (r->len < k)
                return E_SUCCESS;
        }
    }
    return E_SUCCESS;
}

/* Stdin: into the first iovec with room, the rest of the line being
 * read or the next line (atoll_read waits for it); 0 at end of input. */
static int32_t stdin_read(uint32_t n, uint32_t *got)
{
    *got = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (iov[i].len == 0)
            continue;
        uint32_t want = iov[i].len < sizeof io ? iov[i].len : sizeof io;
        int64_t k = atoll_read(io, want);
        if (k < 0)
            return E_IO;
        *got = (uint32_t)k;
        return put(iov[i].ptr, io, (uint32_t)k);
    }
    return E_SUCCESS;
}

WASI(fd_read)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_READ, &f);
    if (!e && f->kind != FD_STDIN && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_ISDIR : E_BADF;
    /* Every place checked first: input taken is never lost to a bad
     * pointer. */
    if (!e)
        e = iovs_get(iovs, iovs_len, nread_ptr);
    if (e)
        return e;
    uint32_t got;
    if (f->kind == FD_STDIN) {
        e = stdin_read(iovs_len, &got);
    } else {
        e = file_read(f, iovs_len, f->pos, &got);
        if (!e)
            f->pos += got;
    }
    return e ? e : put32(nread_ptr, got);
}

WASI(fd_pread)(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t off, uint32_t nread_ptr)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_READ | R_FD_SEEK, &f);
    if (!e && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_ISDIR : E_SPIPE;
    if (!e && off > INT64_MAX)
        e = E_INVAL;
    if (!e)
        e = iovs_get(iovs, iovs_len, nread_ptr);
    if (e)
        return e;
    uint32_t got;
    e = file_read(f, iovs_len, off, &got);
    return e ? e : put32(nread_ptr, got);
}

/* ---- offsets ---- */

static int32_t file_size(struct fd *f, uint64_t *size)
{
    struct fs_req h = { .op = FS_STAT, .fid = f->fid };
    const struct fs_reply *r;
    const uint8_t *data;
    int32_t e = fs_call(&h, NULL, NULL, &r, &data);
    struct fs_filestat st;
    if (!e && r->len != sizeof st)
        e = E_IO;
    if (!e) {
        memcpy(&st, data, sizeof st);
        *size = st.size;
    }
    return e;
}

WASI(fd_seek)(uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_ptr)
{
    struct fd *f;
    /* A seek to where it is, a tell, needs only the tell right. */
    uint64_t need = whence == 1 && offset == 0 ? R_FD_TELL : R_FD_SEEK;
    f = fd_get(fd);
    if (f && (f->kind == FD_STDIN || f->kind == FD_STDOUT))
        return E_SPIPE;                 /* a terminal, whatever its rights */
    int32_t e = fd_need(fd, need, &f);
    if (!e && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_BADF : E_SPIPE;
    if (!e)
        e = range(newoffset_ptr, 8);
    if (e)
        return e;
    int64_t from;
    uint64_t size;
    switch (whence) {
    case 0: from = 0; break;
    case 1: from = (int64_t)f->pos; break;
    case 2:
        e = file_size(f, &size);
        if (e)
            return e;
        from = (int64_t)size;
        break;
    default: return E_INVAL;
    }
    if ((offset > 0 && from > INT64_MAX - offset) || from + offset < 0)
        return E_INVAL;
    f->pos = (uint64_t)(from + offset);
    return put64(newoffset_ptr, f->pos);
}

WASI(fd_tell)(uint32_t fd, uint32_t offset_ptr)
{
    struct fd *f = fd_get(fd);
    if (f && (f->kind == FD_STDIN || f->kind == FD_STDOUT))
        return E_SPIPE;
    int32_t e = fd_need(fd, R_FD_TELL, &f);
    if (!e && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_BADF : E_SPIPE;
    return e ? e : put64(offset_ptr, f->pos);
}

/* ---- the descriptor itself ---- */

WASI(fd_close)(uint32_t fd)
{
    struct fd *f = fd_get(fd);
    if (!f)
        return E_BADF;
    if (f->kind == FD_FILE || f->kind == FD_DIR)
        clunk(f->fid);                  /* the descriptor is gone whatever it says */
    f->kind = FD_FREE;
    return E_SUCCESS;
}

WASI(fd_renumber)(uint32_t from, uint32_t to)
{
    struct fd *f = fd_get(from), *t = fd_get(to);
    if (!f || !t)
        return E_BADF;
    if (from == to)
        return E_SUCCESS;
    if (t->kind == FD_FILE || t->kind == FD_DIR)
        clunk(t->fid);
    *t = *f;
    f->kind = FD_FREE;
    return E_SUCCESS;
}

WASI(fd_fdstat_get)(uint32_t fd, uint32_t buf)
{
    struct fd *f = fd_get(fd);
    if (!f)
        return E_BADF;
    uint8_t st[24] = { 0 };
    st[0] = f->filetype;
    memcpy(st + 2, &f->flags, 2);
    memcpy(st + 8, &f->base, 8);
    memcpy(st + 16, &f->inheriting, 8);
    return put(buf, st, sizeof st);
}

WASI(fd_fdstat_set_flags)(uint32_t fd, uint32_t flags)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_FDSTAT_SET_FLAGS, &f);
    if (e)
        return e;
    if (flags & ~0x1fu)
        return E_INVAL;
    /* Append and nonblock are the layer's to keep; the sync flags would
     * be the service's promise, which memory cannot make. */
    if (flags & ~(FDFLAG_APPEND | FDFLAG_NONBLOCK))
        return E_NOTSUP;
    if (f->kind != FD_FILE && f->kind != FD_DIR)
        return flags == f->flags ? E_SUCCESS : E_NOTSUP;
    f->flags = (uint16_t)flags;
    return E_SUCCESS;
}

WASI(fd_fdstat_set_rights)(uint32_t fd, uint64_t base, uint64_t inheriting)
{
    struct fd *f = fd_get(fd);
    if (!f)
        return E_BADF;
    /* Rights only shrink. */
    if ((base & ~f->base) || (inheriting & ~f->inheriting))
        return E_NOTCAPABLE;
    f->base = base;
    f->inheriting = inheriting;
    return E_SUCCESS;
}

WASI(fd_filestat_get)(uint32_t fd, uint32_t buf)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_FILESTAT_GET, &f);
    if (e)
        return e;
    if (f->kind == FD_STDIN || f->kind == FD_STDOUT) {
        struct fs_filestat st = { .filetype = FS_T_CHAR, .nlink = 1 };
        return put(buf, &st, sizeof st);
    }
    struct fs_req h = { .op = FS_STAT, .fid = f->fid };
    const struct fs_reply *r;
    const uint8_t *data;
    e = range(buf, sizeof(struct fs_filestat));
    if (!e)
        e = fs_call(&h, NULL, NULL, &r, &data);
    if (!e && r->len != sizeof(struct fs_filestat))
        e = E_IO;
    return e ? e : put(buf, data, sizeof(struct fs_filestat));
}

/* A request on the file fd names that needs only an errno back. */
static int32_t file_op(uint32_t fd, uint64_t need, struct fs_req *h)
{
    struct fd *f;
    int32_t e = fd_need(fd, need, &f);
    if (!e && f->kind != FD_FILE && f->kind != FD_DIR)
        e = E_BADF;
    if (e)
        return e;
    const struct fs_reply *r;
    h->fid = f->fid;
    return fs_call(h, NULL, NULL, &r, NULL);
}

WASI(fd_filestat_set_size)(uint32_t fd, uint64_t size)
{
    struct fs_req h = { .op = FS_SET_SIZE, .a = size };
    if (size > INT64_MAX)
        return fd_get(fd) ? E_INVAL : E_BADF;
    return file_op(fd, R_FD_FILESTAT_SET_SIZE, &h);
}

WASI(fd_filestat_set_times)(uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst)
{
    struct fs_req h = { .op = FS_SET_TIMES, .a = atim, .b = mtim, .flags = fst };
    return file_op(fd, R_FD_FILESTAT_SET_TIMES, &h);
}

WASI(fd_allocate)(uint32_t fd, uint64_t off, uint64_t len)
{
    struct fs_req h = { .op = FS_ALLOCATE, .a = off, .b = len };
    return file_op(fd, R_FD_ALLOCATE, &h);
}

static int32_t fd_sync_any(uint32_t fd, uint64_t need)
{
    struct fd *f = fd_get(fd);
    if (f && (f->kind == FD_STDIN || f->kind == FD_STDOUT))
        return E_SUCCESS;
    struct fs_req h = { .op = FS_SYNC };
    return file_op(fd, need, &h);
}

WASI(fd_sync)(uint32_t fd)
{
    return fd_sync_any(fd, R_FD_SYNC);
}

WASI(fd_datasync)(uint32_t fd)
{
    return fd_sync_any(fd, R_FD_DATASYNC);
}

WASI(fd_advise)(uint32_t fd, uint64_t off, uint64_t len, uint32_t advice)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_ADVISE, &f);
    if (!e && f->kind != FD_FILE)
        e = f->kind == FD_DIR ? E_BADF : E_SPIPE;
    if (!e && (advice > 5 || off > INT64_MAX || len > INT64_MAX))
        e = E_INVAL;
    return e;                           /* advice taken, and nothing to do with it */
}

WASI(fd_readdir)(uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
                 uint32_t used_ptr)
{
    struct fd *f;
    int32_t e = fd_need(fd, R_FD_READDIR, &f);
    if (!e && f->kind != FD_DIR)
        e = E_NOTDIR;
    if (!e)
        e = range(buf, buf_len);
    if (!e)
        e = range(used_ptr, 4);
    if (e)
        return e;
    /* In pieces of at most FS_DATA_MAX: a piece the service filled
     * whole goes on from its last whole entry. */
    uint32_t used = 0;
    while (used < buf_len) {
        uint32_t want = buf_len - used < FS_DATA_MAX ? buf_len - used : FS_DATA_MAX;
        struct fs_req h = { .op = FS_READDIR, .fid = f->fid, .a = cookie, .b = want };
        const struct fs_reply *r;
        const uint8_t *data;
        e = fs_call(&h, NULL, NULL, &r, &data);
        if (!e && r->len > want)
            e = E_IO;
        if (!e)
            e = put(buf + used, data, r->len);
        if (e)
            return e;
        if (r->len < want || used + r->len == buf_len) {
            used += r->len;
            break;
        }
        uint32_t whole = 0;
        for (;;) {
            struct fs_dirent d;
            if (r->len - whole < sizeof d)
                break;
            memcpy(&d, data + whole, sizeof d);
            if (r->len - whole - sizeof d < d.namlen)
                break;
            whole += (uint32_t)sizeof d + d.namlen;
            cookie = d.next;
        }
        if (whole == 0) {               /* one entry larger than a piece */
            used += r->len;
            break;
        }
        used += whole;
    }
    return put32(used_ptr, used);
}

/* ---- preopened folders ---- */

WASI(fd_prestat_get)(uint32_t fd, uint32_t buf)
{
    struct fd *f = fd_get(fd);
    if (!f || !f->preopen)
        return E_BADF;
    uint32_t st[2] = { 0, f->preopen_len };    /* tag 0: a directory */
    return put(buf, st, sizeof st);
}

WASI(fd_prestat_dir_name)(uint32_t fd, uint32_t path, uint32_t len)
{
    struct fd *f = fd_get(fd);
    if (!f || !f->preopen)
        return E_BADF;
    if (len < f->preopen_len)
        return E_NAMETOOLONG;
    return put(path, f->preopen, f->preopen_len);
}
