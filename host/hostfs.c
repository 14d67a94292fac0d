/*
 * The file service's store on host folders (hostfs.h). A node is a file
 * descriptor: O_PATH for what a walk only passes through or looks at, a
 * real open for what is read, written or listed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hostfs.h"

struct fs_node {
    int fd;
    int refs;
};

#define ROOTS_MAX 64
static char *roots[ROOTS_MAX];
static int nroots;

int hostfs_add_root(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    close(fd);
    if (nroots == ROOTS_MAX) {
        errno = EMFILE;
        return -1;
    }
    roots[nroots++] = strdup(path);
    return 0;
}

static int err(int e)
{
    switch (e) {
    case EACCES: return FS_E_ACCES;
    case EAGAIN: return FS_E_AGAIN;
    case EBADF: return FS_E_BADF;
    case EBUSY: return FS_E_BUSY;
    case EEXIST: return FS_E_EXIST;
    case EFAULT: return FS_E_FAULT;
    case EFBIG: return FS_E_FBIG;
    case EINVAL: return FS_E_INVAL;
    case EISDIR: return FS_E_ISDIR;
    case ELOOP: return FS_E_LOOP;
    case EMFILE: case ENFILE: return FS_E_MFILE;
    case EMLINK: return FS_E_MLINK;
    case ENAMETOOLONG: return FS_E_NAMETOOLONG;
    case ENOENT: return FS_E_NOENT;
    case ENOMEM: return FS_E_NOMEM;
    case ENOSPC: case EDQUOT: return FS_E_NOSPC;
    case ENOTDIR: return FS_E_NOTDIR;
    case ENOTEMPTY: return FS_E_NOTEMPTY;
    case EOPNOTSUPP: return FS_E_NOTSUP;
    case EOVERFLOW: return FS_E_OVERFLOW;
    case EPERM: return FS_E_PERM;
    case EROFS: return FS_E_ROFS;
    case EXDEV: return FS_E_XDEV;
    default: return FS_E_IO;
    }
}

static int node_new(int fd, struct fs_node **out)
{
    struct fs_node *n = malloc(sizeof *n);
    if (!n) {
        close(fd);
        return FS_E_NOMEM;
    }
    n->fd = fd;
    n->refs = 1;
    *out = n;
    return FS_E_OK;
}

/* The name as a C string (names never hold a NUL: the core checks). */
static const char *cname(const char *name, size_t len)
{
    static char buf[2][FS_NAME_MAX + 1];
    static int which;
    which ^= 1;
    memcpy(buf[which], name, len);
    buf[which][len] = 0;
    return buf[which];
}

static int h_attach(struct fs_backend *be, const char *name, size_t len, struct fs_node **out)
{
    (void)be;
    for (int i = 0; i < nroots; i++) {
        if (strlen(roots[i]) != len || memcmp(roots[i], name, len))
            continue;
        int fd = open(roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? err(errno) : node_new(fd, out);
    }
    return FS_E_NOENT;
}

static struct fs_node *h_dup(struct fs_backend *be, struct fs_node *n)
{
    (void)be;
    n->refs++;
    return n;
}

static void h_put(struct fs_backend *be, struct fs_node *n)
{
    (void)be;
    if (--n->refs == 0) {
        close(n->fd);
        free(n);
    }
}

static int h_lookup(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                    struct fs_node **out)
{
    (void)be;
    int fd = openat(dir->fd, cname(name, len), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    return fd < 0 ? err(errno) : node_new(fd, out);
}

static uint8_t type_of(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFDIR: return FS_T_DIR;
    case S_IFREG: return FS_T_FILE;
    case S_IFLNK: return FS_T_SYMLINK;
    case S_IFCHR: return FS_T_CHAR;
    case S_IFBLK: return FS_T_BLOCK;
    default: return FS_T_UNKNOWN;
    }
}

static uint64_t ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int h_stat(struct fs_backend *be, struct fs_node *n, struct fs_filestat *st)
{
    (void)be;
    struct stat s;
    if (fstatat(n->fd, "", &s, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
        return err(errno);
    memset(st, 0, sizeof *st);
    st->dev = s.st_dev;
    st->ino = s.st_ino;
    st->filetype = type_of(s.st_mode);
    st->nlink = s.st_nlink;
    st->size = (uint64_t)s.st_size;
    st->atim = ns(s.st_atim);
    st->mtim = ns(s.st_mtim);
    st->ctim = ns(s.st_ctim);
    return FS_E_OK;
}

static int h_readlink(struct fs_backend *be, struct fs_node *n, char *buf, size_t cap,
                      size_t *len)
{
    (void)be;
    ssize_t k = readlinkat(n->fd, "", buf, cap);
    if (k < 0)
        return err(errno);
    *len = (size_t)k;
    struct stat s;
    if ((size_t)k == cap && fstatat(n->fd, "", &s, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) == 0 &&
        (size_t)s.st_size > cap)
        *len = (size_t)s.st_size;
    return FS_E_OK;
}

static int access_flags(uint32_t want)
{
    if ((want & FS_OPEN_READ) && (want & FS_OPEN_WRITE))
        return O_RDWR;
    return want & FS_OPEN_WRITE ? O_WRONLY : O_RDONLY;
}

static int h_open(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                  uint32_t oflags, uint32_t want, struct fs_node **out)
{
    (void)be;
    int flags = O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | access_flags(want);
    if (oflags & FS_O_CREAT)
        flags |= O_CREAT;
    if (oflags & FS_O_EXCL)
        flags |= O_EXCL;
    if (oflags & FS_O_TRUNC)
        flags |= O_TRUNC;
    if (oflags & FS_O_DIRECTORY)
        flags |= O_DIRECTORY;
    const char *cn = cname(name, len);
    int fd = openat(dir->fd, cn, flags, 0666);
    /* A file opened for no reading or writing (to look at, or whose mode
     * forbids reading) is still a file: O_PATH. */
    if (fd < 0 && errno == EACCES && !(want & (FS_OPEN_READ | FS_OPEN_WRITE)) &&
        !(oflags & (FS_O_CREAT | FS_O_TRUNC)))
        fd = openat(dir->fd, cn, O_PATH | O_NOFOLLOW | O_CLOEXEC |
                                     (oflags & FS_O_DIRECTORY ? O_DIRECTORY : 0));
    /* Linux's O_NOFOLLOW on a symlink is ELOOP; under O_DIRECTORY it may
     * say ENOTDIR, which WASI allows too. */
    if (fd < 0)
        return err(errno);
    /* The file service waits for nothing: the fd's reads never block. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_PATH) == 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return node_new(fd, out);
}

static int h_reopen(struct fs_backend *be, struct fs_node *n, uint32_t want,
                    struct fs_node **out)
{
    (void)be;
    int fd = openat(n->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == EACCES && !(want & FS_OPEN_READ))
        return (*out = h_dup(be, n)), FS_E_OK;
    return fd < 0 ? err(errno) : node_new(fd, out);
}

static int h_mkdir(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    (void)be;
    return mkdirat(dir->fd, cname(name, len), 0777) < 0 ? err(errno) : FS_E_OK;
}

static int h_symlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                     const char *target, size_t tlen)
{
    (void)be;
    char *t = strndup(target, tlen);
    if (!t)
        return FS_E_NOMEM;
    int r = symlinkat(t, dir->fd, cname(name, len));
    free(t);
    return r < 0 ? err(errno) : FS_E_OK;
}

static int h_unlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    (void)be;
    return unlinkat(dir->fd, cname(name, len), 0) < 0 ? err(errno) : FS_E_OK;
}

static int h_rmdir(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    (void)be;
    return unlinkat(dir->fd, cname(name, len), AT_REMOVEDIR) < 0 ? err(errno) : FS_E_OK;
}

static int h_rename(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                    struct fs_node *d2, const char *n2, size_t l2)
{
    (void)be;
    return renameat(d1->fd, cname(n1, l1), d2->fd, cname(n2, l2)) < 0 ? err(errno) : FS_E_OK;
}

static int h_link(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                  struct fs_node *d2, const char *n2, size_t l2)
{
    (void)be;
    return linkat(d1->fd, cname(n1, l1), d2->fd, cname(n2, l2), 0) < 0 ? err(errno)
                                                                        : FS_E_OK;
}

static int h_read(struct fs_backend *be, struct fs_node *n, uint64_t off, void *buf,
                  size_t len, size_t *got)
{
    (void)be;
    ssize_t k = pread(n->fd, buf, len, (off_t)off);
    if (k < 0)
        return err(errno);
    *got = (size_t)k;
    return FS_E_OK;
}

static int h_write(struct fs_backend *be, struct fs_node *n, uint64_t off, bool append,
                   const void *buf, size_t len, size_t *done, uint64_t *end)
{
    (void)be;
    struct stat s;
    if (append) {
        if (fstat(n->fd, &s) < 0)
            return err(errno);
        off = (uint64_t)s.st_size;
    }
    ssize_t k = pwrite(n->fd, buf, len, (off_t)off);
    if (k < 0)
        return err(errno);
    *done = (size_t)k;
    *end = off + (uint64_t)k;
    return FS_E_OK;
}

static int h_set_size(struct fs_backend *be, struct fs_node *n, uint64_t size)
{
    (void)be;
    return ftruncate(n->fd, (off_t)size) < 0 ? err(errno) : FS_E_OK;
}

static void times(struct timespec ts[2], uint64_t atim, uint64_t mtim, uint32_t fst)
{
    ts[0].tv_sec = (time_t)(atim / 1000000000u);
    ts[0].tv_nsec = (long)(atim % 1000000000u);
    ts[1].tv_sec = (time_t)(mtim / 1000000000u);
    ts[1].tv_nsec = (long)(mtim % 1000000000u);
    if (fst & FS_ATIM_NOW)
        ts[0].tv_nsec = UTIME_NOW;
    else if (!(fst & FS_ATIM))
        ts[0].tv_nsec = UTIME_OMIT;
    if (fst & FS_MTIM_NOW)
        ts[1].tv_nsec = UTIME_NOW;
    else if (!(fst & FS_MTIM))
        ts[1].tv_nsec = UTIME_OMIT;
}

/* Through /proc/self/fd, so that an O_PATH node works as well. */
static int h_set_times(struct fs_backend *be, struct fs_node *n, uint64_t atim, uint64_t mtim,
                       uint32_t fst)
{
    (void)be;
    struct timespec ts[2];
    times(ts, atim, mtim, fst);
    char path[40];
    snprintf(path, sizeof path, "/proc/self/fd/%d", n->fd);
    return utimensat(AT_FDCWD, path, ts, 0) < 0 ? err(errno) : FS_E_OK;
}

static int h_set_times_at(struct fs_backend *be, struct fs_node *dir, const char *name,
                          size_t len, uint64_t atim, uint64_t mtim, uint32_t fst)
{
    (void)be;
    struct timespec ts[2];
    times(ts, atim, mtim, fst);
    return utimensat(dir->fd, cname(name, len), ts, AT_SYMLINK_NOFOLLOW) < 0 ? err(errno)
                                                                             : FS_E_OK;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* One entry a call: seek to the cookie (a d_off of getdents), read. */
static int h_readdir(struct fs_backend *be, struct fs_node *dir, uint64_t cookie,
                     struct fs_dirent *d, char *name, bool *end)
{
    (void)be;
    static _Alignas(8) char buf[4096];
    if (lseek(dir->fd, (off_t)cookie, SEEK_SET) < 0)
        return err(errno);
    long k = syscall(SYS_getdents64, dir->fd, buf, sizeof buf);
    if (k < 0)
        return err(errno);
    if (k == 0) {
        *end = true;
        return FS_E_OK;
    }
    struct linux_dirent64 *e = (struct linux_dirent64 *)buf;
    size_t len = strlen(e->d_name);
    memset(d, 0, sizeof *d);
    d->next = (uint64_t)e->d_off;
    d->ino = e->d_ino;
    d->namlen = (uint32_t)len;
    memcpy(name, e->d_name, len);
    switch (e->d_type) {
    case DT_DIR: d->type = FS_T_DIR; break;
    case DT_REG: d->type = FS_T_FILE; break;
    case DT_LNK: d->type = FS_T_SYMLINK; break;
    case DT_CHR: d->type = FS_T_CHAR; break;
    case DT_BLK: d->type = FS_T_BLOCK; break;
    default: {
        struct stat s;
        d->type = fstatat(dir->fd, e->d_name, &s, AT_SYMLINK_NOFOLLOW) == 0 ? type_of(s.st_mode)
                                                                          : FS_T_UNKNOWN;
    }
    }
    return FS_E_OK;
}

static int h_sync(struct fs_backend *be, struct fs_node *n)
{
    (void)be;
    return fsync(n->fd) < 0 && errno != EBADF && errno != EINVAL ? err(errno) : FS_E_OK;
}

static struct fs_backend store = {
    .attach = h_attach, .dup = h_dup, .put = h_put, .lookup = h_lookup, .stat = h_stat,
    .readlink = h_readlink, .open = h_open, .reopen = h_reopen, .mkdir = h_mkdir,
    .symlink = h_symlink, .unlink = h_unlink, .rmdir = h_rmdir, .rename = h_rename,
    .link = h_link, .read = h_read, .write = h_write, .set_size = h_set_size,
    .set_times = h_set_times, .set_times_at = h_set_times_at, .readdir = h_readdir,
    .sync = h_sync,
};

struct fs_backend *hostfs(void)
{
    return &store;
}
