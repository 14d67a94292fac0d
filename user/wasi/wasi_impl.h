/*
 * wasi_impl.h — what the WASI layer's files share (docs/wasi.md): the
 * program's memory, the descriptor table, the file service.
 */
#ifndef ATOLL_WASI_IMPL_H
#define ATOLL_WASI_IMPL_H

#include <stdbool.h>

#include "user/fs/fs_proto.h"
#include "user/sdk/program.h"

/* WASI errno values (preview 1). */
enum {
    E_SUCCESS = 0, E_ACCES = 2, E_BADF = 8, E_EXIST = 20, E_FAULT = 21, E_INVAL = 28,
    E_IO = 29, E_ISDIR = 31, E_MFILE = 33, E_NAMETOOLONG = 37, E_NOENT = 44, E_NOMEM = 48,
    E_NOSYS = 52, E_NOTDIR = 54, E_NOTSOCK = 57, E_NOTSUP = 58, E_OVERFLOW = 61,
    E_ROFS = 69, E_SPIPE = 70, E_NOTCAPABLE = 76,
};

#define WASI(name) __attribute__((export_name(#name))) int32_t wasi_##name
#define U32 __attribute__((unused)) uint32_t
#define U64 __attribute__((unused)) uint64_t

/* ---- the program's memory (wasi.c) ---- */

/* Reads the start message once (the program's memory, the environment,
 * the preopened folders): E_IO when it is missing or malformed. */
int32_t layer_attach(void);
/* Copies n bytes between the program's memory at ptr and the layer's:
 * E_FAULT when [ptr, ptr + n) is not all inside the program's memory. */
int32_t get(uint32_t ptr, void *dst, uint32_t n);
int32_t put(uint32_t ptr, const void *src, uint32_t n);
int32_t put32(uint32_t ptr, uint32_t v);
int32_t put64(uint32_t ptr, uint64_t v);
/* E_FAULT unless [ptr, ptr + n) lies in the program's memory: for a call
 * that must refuse before it writes anything. */
int32_t range(uint32_t ptr, uint64_t n);

/* ---- descriptors (wasi_fd.c) ---- */

/* WASI's rights bits. */
#define R_FD_DATASYNC        (1ull << 0)
#define R_FD_READ            (1ull << 1)
#define R_FD_SEEK            (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define R_FD_SYNC            (1ull << 4)
#define R_FD_TELL            (1ull << 5)
#define R_FD_WRITE           (1ull << 6)
#define R_FD_ADVISE          (1ull << 7)
#define R_FD_ALLOCATE        (1ull << 8)
#define R_PATH_CREATE_DIRECTORY (1ull << 9)
#define R_PATH_CREATE_FILE   (1ull << 10)
#define R_PATH_LINK_SOURCE   (1ull << 11)
#define R_PATH_LINK_TARGET   (1ull << 12)
#define R_PATH_OPEN          (1ull << 13)
#define R_FD_READDIR         (1ull << 14)
#define R_PATH_READLINK      (1ull << 15)
#define R_PATH_RENAME_SOURCE (1ull << 16)
#define R_PATH_RENAME_TARGET (1ull << 17)
#define R_PATH_FILESTAT_GET  (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define R_FD_FILESTAT_GET    (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define R_PATH_SYMLINK       (1ull << 24)
#define R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define R_PATH_UNLINK_FILE   (1ull << 26)
#define R_POLL_FD_READWRITE  (1ull << 27)
#define R_ALL                ((1ull << 30) - 1)

/* What a regular file can use, and a directory. */
#define R_FILE (R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | \
                R_FD_TELL | R_FD_WRITE | R_FD_ADVISE | R_FD_ALLOCATE | R_FD_FILESTAT_GET | \
                R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES | R_POLL_FD_READWRITE)
#define R_DIR  (R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_DATASYNC | R_PATH_CREATE_DIRECTORY | \
                R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET | R_PATH_OPEN | \
                R_FD_READDIR | R_PATH_READLINK | R_PATH_RENAME_SOURCE | \
                R_PATH_RENAME_TARGET | R_PATH_FILESTAT_GET | R_PATH_FILESTAT_SET_SIZE | \
                R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_TIMES | \
                R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE)

enum fd_kind { FD_FREE, FD_STDIN, FD_STDOUT, FD_FILE, FD_DIR };

#define FDFLAG_APPEND   1u
#define FDFLAG_NONBLOCK 4u

struct fd {
    uint8_t kind;               /* enum fd_kind */
    uint8_t filetype;
    uint16_t flags;             /* WASI fdflags */
    uint32_t fid;               /* the file service's, for FD_FILE and FD_DIR */
    uint64_t base, inheriting;  /* rights */
    uint64_t pos;               /* FD_FILE: the offset of the next read or write */
    const char *preopen;        /* a preopened folder's name, or NULL */
    uint32_t preopen_len;
};

#define FDS_MAX 1024

/* The descriptor fd if it is open (NULL: E_BADF). */
struct fd *fd_get(uint32_t fd);
/* Stdio as the launcher says it is (ATOLL_WASI_TTY_*): a terminal, or a
 * stream of unknown type (a pipe, a file), which isatty() is false for. */
void fd_stdio(uint32_t ttys);
/* A new descriptor, the lowest free (NULL: E_MFILE). */
struct fd *fd_new(uint32_t *fd);
/* Opens the preopened folder `name` as attach (the file service's
 * root): a new descriptor; reports on the console when it cannot. */
void fd_preopen(const char *name, uint32_t len, const char *attach, uint32_t attach_len);

/* ---- the file service (wasi_fd.c) ---- */

/* The channel to it, from the start message (-1: none). */
extern atoll_handle fs_ch;
/* Sends request h with path1/data p1 (h->len1 bytes) and path2 p2
 * (h->len2), waits for the answer: its errno (E_IO when the service
 * cannot be reached), its header in *r and its bytes in *data. */
int32_t fs_call(struct fs_req *h, const void *p1, const void *p2, const struct fs_reply **r,
                const uint8_t **data);

#endif
