/*
 * memfs.h — a store of the file service (fs_backend.h) in memory: the
 * kernel's file service (fsd.c) keeps the image's files and /tmp in it.
 *
 * A node may be read-only (the image's files: every change is
 * FS_E_ROFS) and a read-only file's bytes may live outside the store
 * (memfs_add_file: the image archive, read through a callback), so the
 * image costs no copy.
 */
#ifndef ATOLL_MEMFS_H
#define ATOLL_MEMFS_H

#include "user/fs/fs_backend.h"

/* Reads n bytes at off of an outside file's source into buf. */
typedef int (*memfs_source)(uint64_t off, void *buf, size_t n);

/* A new store with an empty, writable root; now() gives the time stamps
 * (ns). NULL: out of memory. */
struct fs_backend *memfs_new(uint64_t (*now)(void), memfs_source source);

/* Frees the store and every node in it; nothing may hold one. */
void memfs_free(struct fs_backend *be);

/* Its root directory (a reference: put it). */
struct fs_node *memfs_root(struct fs_backend *be);

/* Building the image's tree: a directory, or a read-only file of size
 * bytes at off in the source, or a symlink, named name in dir (made
 * read-only when ro). Returns a reference to the new node (a directory
 * already there is reused), or NULL with *err. */
struct fs_node *memfs_add_dir(struct fs_backend *be, struct fs_node *dir, const char *name,
                              size_t len, bool ro, int *err);
int memfs_add_file(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                   uint64_t off, uint64_t size);
int memfs_add_symlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                      const char *target, size_t tlen);
/* A null device (a character device: reads are at their end, writes
 * are taken and dropped), named name in dir: /dev/null. */
int memfs_add_null(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len);
/* Makes a directory read-only (after its entries were added). */
void memfs_seal(struct fs_node *dir);

/* attach(name) of this store: "/" is the root; any other name is a path
 * of directories below it ("/tmp"). */

/* Bytes of file data held (for `sys`-style figures and tests). */
uint64_t memfs_bytes(struct fs_backend *be);

#endif
