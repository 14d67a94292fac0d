/*
 * The WASI layer's path calls (docs/wasi.md): each checks the directory
 * descriptor's rights, copies its path(s) in and sends one request to the
 * file service, which walks the path beneath that directory's fid
 * (user/fs/fs_core.c: nothing above it can be reached).
 */
#include "user/wasi/wasi_impl.h"

#define LOOKUP_FOLLOW 1u

static char path1[FS_PATH_MAX], path2[FS_PATH_MAX];

/* The directory descriptor fd with rights need, and the path at
 * [ptr, ptr + len) of the program's memory in buf. */
static int32_t dir_path(uint32_t fd, uint64_t need, uint32_t ptr, uint32_t len, char *buf,
                        struct fd **d)
{
    *d = fd_get(fd);
    if (!*d)
        return E_BADF;
    if ((*d)->kind != FD_DIR)
        return E_NOTDIR;
    if (((*d)->base & need) != need)
        return E_NOTCAPABLE;
    if (len > FS_PATH_MAX)
        return range(ptr, len) ? E_FAULT : E_NAMETOOLONG;
    return get(ptr, buf, len);
}

/* A request with one path that answers only an errno. */
static int32_t path_op(uint32_t op, uint32_t fd, uint64_t need, uint32_t ptr, uint32_t len)
{
    struct fd *d;
    int32_t e = dir_path(fd, need, ptr, len, path1, &d);
    if (e)
        return e;
    struct fs_req h = { .op = op, .fid = d->fid, .len1 = len };
    const struct fs_reply *r;
    return fs_call(&h, path1, NULL, &r, NULL);
}

WASI(path_create_directory)(uint32_t fd, uint32_t path, uint32_t len)
{
    return path_op(FS_MKDIR, fd, R_PATH_CREATE_DIRECTORY, path, len);
}

WASI(path_remove_directory)(uint32_t fd, uint32_t path, uint32_t len)
{
    return path_op(FS_RMDIR, fd, R_PATH_REMOVE_DIRECTORY, path, len);
}

WASI(path_unlink_file)(uint32_t fd, uint32_t path, uint32_t len)
{
    return path_op(FS_UNLINK, fd, R_PATH_UNLINK_FILE, path, len);
}

WASI(path_filestat_get)(uint32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint32_t buf)
{
    struct fd *d;
    int32_t e = dir_path(fd, R_PATH_FILESTAT_GET, path, len, path1, &d);
    if (!e)
        e = range(buf, sizeof(struct fs_filestat));
    if (e)
        return e;
    struct fs_req h = { .op = FS_STAT_PATH, .fid = d->fid, .flags = flags & LOOKUP_FOLLOW,
                        .len1 = len };
    const struct fs_reply *r;
    const uint8_t *data;
    e = fs_call(&h, path1, NULL, &r, &data);
    if (!e && r->len != sizeof(struct fs_filestat))
        e = E_IO;
    return e ? e : put(buf, data, sizeof(struct fs_filestat));
}

WASI(path_filestat_set_times)(uint32_t fd, uint32_t flags, uint32_t path, uint32_t len,
                              uint64_t atim, uint64_t mtim, uint32_t fst)
{
    struct fd *d;
    int32_t e = dir_path(fd, R_PATH_FILESTAT_SET_TIMES, path, len, path1, &d);
    if (e)
        return e;
    struct fs_req h = { .op = FS_SET_TIMES_PATH, .fid = d->fid, .flags = fst,
                        .oflags = flags & LOOKUP_FOLLOW, .len1 = len, .a = atim, .b = mtim };
    const struct fs_reply *r;
    return fs_call(&h, path1, NULL, &r, NULL);
}

WASI(path_readlink)(uint32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buf_len,
                    uint32_t used_ptr)
{
    struct fd *d;
    int32_t e = dir_path(fd, R_PATH_READLINK, path, len, path1, &d);
    if (!e)
        e = range(buf, buf_len);
    if (!e)
        e = range(used_ptr, 4);
    if (e)
        return e;
    struct fs_req h = { .op = FS_READLINK, .fid = d->fid, .len1 = len };
    const struct fs_reply *r;
    const uint8_t *data;
    e = fs_call(&h, path1, NULL, &r, &data);
    if (e)
        return e;
    /* As POSIX's readlink: cut to the buffer. */
    uint32_t n = r->len < buf_len ? r->len : buf_len;
    e = put(buf, data, n);
    return e ? e : put32(used_ptr, n);
}

/* Two directories, two paths: rename and link. */
static int32_t two_paths(uint32_t op, uint32_t flags, uint32_t fd1, uint64_t need1,
                         uint32_t p1, uint32_t l1, uint32_t fd2, uint64_t need2, uint32_t p2,
                         uint32_t l2)
{
    struct fd *d1, *d2;
    int32_t e = dir_path(fd1, need1, p1, l1, path1, &d1);
    if (!e)
        e = dir_path(fd2, need2, p2, l2, path2, &d2);
    if (e)
        return e;
    struct fs_req h = { .op = op, .fid = d1->fid, .fid2 = d2->fid, .flags = flags,
                        .len1 = l1, .len2 = l2 };
    const struct fs_reply *r;
    return fs_call(&h, path1, path2, &r, NULL);
}

WASI(path_rename)(uint32_t fd, uint32_t opath, uint32_t olen, uint32_t nfd, uint32_t npath,
                  uint32_t nlen)
{
    return two_paths(FS_RENAME, 0, fd, R_PATH_RENAME_SOURCE, opath, olen, nfd,
                     R_PATH_RENAME_TARGET, npath, nlen);
}

WASI(path_link)(uint32_t ofd, uint32_t oflags, uint32_t opath, uint32_t olen, uint32_t nfd,
                uint32_t npath, uint32_t nlen)
{
    return two_paths(FS_LINK, oflags & LOOKUP_FOLLOW, ofd, R_PATH_LINK_SOURCE, opath, olen,
                     nfd, R_PATH_LINK_TARGET, npath, nlen);
}

WASI(path_symlink)(uint32_t opath, uint32_t olen, uint32_t fd, uint32_t npath, uint32_t nlen)
{
    struct fd *d;
    int32_t e = dir_path(fd, R_PATH_SYMLINK, npath, nlen, path2, &d);
    if (!e && olen > FS_PATH_MAX)
        e = range(opath, olen) ? E_FAULT : E_NAMETOOLONG;
    if (!e)
        e = get(opath, path1, olen);
    if (e)
        return e;
    struct fs_req h = { .op = FS_SYMLINK, .fid = d->fid, .len1 = olen, .len2 = nlen };
    const struct fs_reply *r;
    return fs_call(&h, path1, path2, &r, NULL);
}

#define O_CREAT     1u
#define O_DIRECTORY 2u
#define O_EXCL      4u
#define O_TRUNC     8u

WASI(path_open)(uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t len, uint32_t oflags,
                uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t fd_ptr)
{
    uint64_t need = R_PATH_OPEN;
    if (oflags & O_CREAT)
        need |= R_PATH_CREATE_FILE;
    if (oflags & O_TRUNC)
        need |= R_PATH_FILESTAT_SET_SIZE;
    struct fd *d;
    int32_t e = dir_path(fd, need, path, len, path1, &d);
    if (!e && (oflags & ~0xfu))
        e = E_INVAL;
    if (!e && (fdflags & ~0x1fu))
        e = E_INVAL;
    if (!e)
        e = range(fd_ptr, 4);
    if (e)
        return e;
    /* A new descriptor has at most what the directory passes on. */
    base &= d->inheriting;
    inheriting &= d->inheriting;
    /* Writing is asked for by the write right, append or truncation:
     * on a directory that is E_ISDIR. The rights to size a file ask for
     * it too, but what cannot be written (a directory, the read-only
     * image, a host file without write permission) is then opened to
     * read: a C library asks for every right it might use. */
    bool write = (base & R_FD_WRITE) || (fdflags & FDFLAG_APPEND) || (oflags & O_TRUNC);
    bool size_only = !write && (base & (R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE));
    uint32_t want = (base & (R_FD_READ | R_FD_READDIR) ? FS_OPEN_READ : 0) |
                    (write || size_only ? FS_OPEN_WRITE : 0);
    struct fs_req h = { .op = FS_OPEN, .fid = d->fid, .flags = dirflags & LOOKUP_FOLLOW,
                        .oflags = oflags, .want = want, .len1 = len };
    const struct fs_reply *r;
    e = fs_call(&h, path1, NULL, &r, NULL);
    if ((e == E_ISDIR || e == E_ROFS || e == E_ACCES) && size_only && !(oflags & O_CREAT)) {
        h.want = want & ~FS_OPEN_WRITE;
        e = fs_call(&h, path1, NULL, &r, NULL);
    }
    if (e)
        return e;
    uint32_t fid = r->fid, type = (uint32_t)r->value, n;
    struct fd *f = fd_new(&n);
    if (!f) {
        struct fs_req c = { .op = FS_CLUNK, .fid = fid };
        fs_call(&c, NULL, NULL, &r, NULL);
        return E_MFILE;
    }
    bool dir = type == FS_T_DIR;
    *f = (struct fd){ dir ? FD_DIR : FD_FILE, (uint8_t)type, (uint16_t)fdflags, fid,
                      base & (dir ? R_DIR : R_FILE), inheriting, 0, NULL, 0 };
    e = put32(fd_ptr, n);
    if (e) {
        struct fs_req c = { .op = FS_CLUNK, .fid = fid };
        fs_call(&c, NULL, NULL, &r, NULL);
        f->kind = FD_FREE;
    }
    return e;
}
