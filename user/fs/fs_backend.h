/*
 * fs_backend.h — what the file service's core (fs_core.c) needs of a
 * store of files: one function per step of a path walk or per operation
 * on one file, each on a directory and a single name (never a path: the
 * core walks paths itself, so symlinks, ".." and the sandbox of a fid are
 * handled once, above every store).
 *
 * Stores: memfs.c (files in memory, the kernel's fsd) and host/hostfs.c
 * (a Linux folder, atoll-run's --dir).
 *
 * Nodes are counted references to a file, directory or symlink: every
 * function that gives one (*out) gives the caller a reference, which it
 * returns with put. A name is 1..FS_NAME_MAX bytes with no '/' or NUL and
 * is never "." or "..". Every function returns FS_E_OK or a WASI errno
 * (fs_proto.h); none blocks for long (stores are memory or local files).
 */
#ifndef ATOLL_FS_BACKEND_H
#define ATOLL_FS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user/fs/fs_proto.h"

struct fs_node;

struct fs_backend {
    /* A root the store exports, by the name the launcher gave it. */
    int (*attach)(struct fs_backend *be, const char *name, size_t len, struct fs_node **out);
    struct fs_node *(*dup)(struct fs_backend *be, struct fs_node *n);
    void (*put)(struct fs_backend *be, struct fs_node *n);
    /* The entry `name` of directory dir, not followed if a symlink:
     * FS_E_NOENT, FS_E_NOTDIR when dir is not a directory. */
    int (*lookup)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                  struct fs_node **out);
    int (*stat)(struct fs_backend *be, struct fs_node *n, struct fs_filestat *st);
    /* A symlink's text, whole, cut to cap bytes (*len is the whole length). */
    int (*readlink)(struct fs_backend *be, struct fs_node *n, char *buf, size_t cap, size_t *len);
    /* Opens (creating with FS_O_CREAT) the entry name of dir for the uses
     * in want, as open(2) with O_NOFOLLOW: a symlink there is FS_E_LOOP.
     * oflags FS_O_DIRECTORY: it must be a directory; FS_O_TRUNC cuts a
     * file to 0. A directory opened for writing is FS_E_ISDIR. */
    int (*open)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                uint32_t oflags, uint32_t want, struct fs_node **out);
    /* A node to use for the uses in want, for a node reached by a walk
     * (a directory named by "." or ".."): n itself where that is enough. */
    int (*reopen)(struct fs_backend *be, struct fs_node *n, uint32_t want, struct fs_node **out);
    int (*mkdir)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len);
    int (*symlink)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                   const char *target, size_t tlen);
    /* unlink: a file or symlink (a directory: FS_E_ISDIR); rmdir: an empty
     * directory (FS_E_NOTEMPTY, FS_E_NOTDIR). */
    int (*unlink)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len);
    int (*rmdir)(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len);
    int (*rename)(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                  struct fs_node *d2, const char *n2, size_t l2);
    int (*link)(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                struct fs_node *d2, const char *n2, size_t l2);
    int (*read)(struct fs_backend *be, struct fs_node *n, uint64_t off, void *buf, size_t len,
                size_t *got);
    /* Writes at off, or at the end with append; *end is the offset after
     * the bytes written. */
    int (*write)(struct fs_backend *be, struct fs_node *n, uint64_t off, bool append,
                 const void *buf, size_t len, size_t *done, uint64_t *end);
    int (*set_size)(struct fs_backend *be, struct fs_node *n, uint64_t size);
    /* fstflags as WASI's; set_times_at does not follow a symlink at name. */
    int (*set_times)(struct fs_backend *be, struct fs_node *n, uint64_t atim, uint64_t mtim,
                     uint32_t fst);
    int (*set_times_at)(struct fs_backend *be, struct fs_node *dir, const char *name,
                        size_t len, uint64_t atim, uint64_t mtim, uint32_t fst);
    /* The directory entry at cookie (0 is the first; "." and ".." are
     * entries), its name into name (FS_NAME_MAX + 1 bytes) and the
     * cookie of the next in d->next; *end when there is none at cookie. */
    int (*readdir)(struct fs_backend *be, struct fs_node *dir, uint64_t cookie,
                   struct fs_dirent *d, char *name, bool *end);
    int (*sync)(struct fs_backend *be, struct fs_node *n);
};

#endif
