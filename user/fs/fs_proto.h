/*
 * fs_proto.h — the file service's protocol (docs/files.md).
 *
 * A client (the WASI layer) holds one channel to the file service and
 * names files by fids, numbers the service gives it on that connection,
 * as 9P does: a fid is a reference to a file or directory, valid until
 * the client clunks it or the connection closes. Paths are resolved
 * beneath a directory fid: never above it (".." past it, an absolute path
 * or a symlink leading out is FS_E_NOTCAPABLE), so a fid is a capability
 * for what is below it and nothing else.
 *
 * Every request is one message, a struct fs_req followed by its bytes
 * (one or two paths, or data); every answer is one message, a struct
 * fs_reply followed by its bytes. Errors are WASI preview-1 errno
 * values, since the WASI layer is the client the protocol was cut for;
 * filestat and dirent bytes are WASI's layout for the same reason, so
 * the layer copies them through unchanged.
 *
 * Rights (read-only, write) are the client's business except where the
 * service must refuse: a read-only tree (the image's files) answers
 * FS_E_ROFS to anything that would change it, and a fid opened without
 * FS_OPEN_WRITE cannot write.
 */
#ifndef ATOLL_FS_PROTO_H
#define ATOLL_FS_PROTO_H

#include <stdint.h>

/* The service's registry name is ATOLL_FS_SERVICE (program_abi.h). */

/* The most bytes one request or answer carries after its header: a read
 * or write moves at most this much; a path is at most FS_PATH_MAX. */
#define FS_DATA_MAX   (60u * 1024)
#define FS_PATH_MAX   4096u
#define FS_NAME_MAX   255u
/* Fids one connection may hold at once. */
#define FS_FIDS_MAX   1024u

enum fs_op {
    FS_ATTACH = 1,    /* path1: a root the service exports -> fid (a directory) */
    FS_OPEN,          /* fid, path1, lookup, oflags, fdflags, want -> fid, value = filetype */
    FS_CLUNK,         /* fid */
    FS_READ,          /* fid, a = offset, b = count -> data */
    FS_WRITE,         /* fid, a = offset (ignored with FS_WRITE_APPEND in flags), data
                       * -> value = bytes written, value2 = offset after them */
    FS_STAT,          /* fid -> struct fs_filestat */
    FS_STAT_PATH,     /* fid, path1, lookup -> struct fs_filestat */
    FS_SET_SIZE,      /* fid, a = size */
    FS_SET_TIMES,     /* fid, a = atim, b = mtim, flags = fstflags */
    FS_SET_TIMES_PATH,/* fid, path1, lookup, a, b, flags = fstflags */
    FS_READDIR,       /* fid, a = cookie, b = room -> WASI dirents, as many as fit
                       * whole; value = 1 if the listing ended within them */
    FS_MKDIR,         /* fid, path1 */
    FS_RMDIR,         /* fid, path1 */
    FS_UNLINK,        /* fid, path1 */
    FS_SYMLINK,       /* fid, path1 = the link's text, path2 = where it goes */
    FS_READLINK,      /* fid, path1 -> the text (whole: value = its length) */
    FS_RENAME,        /* fid, path1, fid2, path2 */
    FS_LINK,          /* fid, path1, lookup, fid2, path2 */
    FS_SYNC,          /* fid: what was written is kept (a no-op in memory) */
    FS_ALLOCATE,      /* fid, a = offset, b = length: the file is at least a + b long */
    FS_OP_END
};

/* lookup: follow a symlink in the last component too. */
#define FS_LOOKUP_FOLLOW  1u
/* oflags: WASI's values. */
#define FS_O_CREAT        1u
#define FS_O_DIRECTORY    2u
#define FS_O_EXCL         4u
#define FS_O_TRUNC        8u
/* want: what the fid will be used for. */
#define FS_OPEN_READ      1u
#define FS_OPEN_WRITE     2u
/* write flags. */
#define FS_WRITE_APPEND   1u
/* fstflags: WASI's values. */
#define FS_ATIM           1u
#define FS_ATIM_NOW       2u
#define FS_MTIM           4u
#define FS_MTIM_NOW       8u

struct fs_req {
    uint32_t op;
    uint32_t fid;
    uint32_t fid2;
    uint32_t flags;     /* lookup, fstflags or write flags, by op */
    uint32_t oflags;
    uint32_t want;
    uint32_t len1;      /* bytes of path1 (or data) after the header */
    uint32_t len2;      /* bytes of path2 after path1 */
    uint64_t a, b;
};
_Static_assert(sizeof(struct fs_req) == 48, "fs_req layout");

struct fs_reply {
    uint32_t err;       /* a WASI errno; 0 on success */
    uint32_t fid;       /* FS_ATTACH, FS_OPEN: the new fid */
    uint64_t value;
    uint64_t value2;
    uint32_t len;       /* bytes after the header */
    uint32_t pad;
};
_Static_assert(sizeof(struct fs_reply) == 32, "fs_reply layout");

/* The longest answer: a reader's (and fs_serve's) room. */
#define FS_REPLY_MAX (sizeof(struct fs_reply) + FS_DATA_MAX)

/* WASI's filestat (64 bytes) and the header of its dirent (24 bytes). */
struct fs_filestat {
    uint64_t dev, ino;
    uint8_t filetype, pad[7];
    uint64_t nlink, size, atim, mtim, ctim;
};
_Static_assert(sizeof(struct fs_filestat) == 64, "filestat layout");

struct fs_dirent {
    uint64_t next;      /* the cookie of the entry after this one */
    uint64_t ino;
    uint32_t namlen;
    uint8_t type, pad[3];
};
_Static_assert(sizeof(struct fs_dirent) == 24, "dirent layout");

/* WASI filetypes. */
enum {
    FS_T_UNKNOWN = 0, FS_T_BLOCK = 1, FS_T_CHAR = 2, FS_T_DIR = 3, FS_T_FILE = 4,
    FS_T_SYMLINK = 7,
};

/* The WASI errno values the service answers with. */
enum {
    FS_E_OK = 0, FS_E_ACCES = 2, FS_E_AGAIN = 6, FS_E_BADF = 8, FS_E_BUSY = 10,
    FS_E_EXIST = 20, FS_E_FAULT = 21, FS_E_FBIG = 22, FS_E_INVAL = 28, FS_E_IO = 29,
    FS_E_ISDIR = 31, FS_E_LOOP = 32, FS_E_MFILE = 33, FS_E_MLINK = 34,
    FS_E_NAMETOOLONG = 37, FS_E_NOENT = 44, FS_E_NOMEM = 48, FS_E_NOSPC = 51,
    FS_E_NOSYS = 52, FS_E_NOTDIR = 54, FS_E_NOTEMPTY = 55, FS_E_NOTSUP = 58,
    FS_E_OVERFLOW = 61, FS_E_PERM = 63, FS_E_ROFS = 69, FS_E_XDEV = 75,
    FS_E_NOTCAPABLE = 76,
};

#endif
