/*
 * hostfs.h — a store of the file service (user/fs/fs_backend.h) on
 * folders of the host: atoll-run's --dir.
 *
 * Only the folders added here can be attached, each by the host path it
 * was added with. Everything below one is reached one name at a time
 * with openat(2) and O_NOFOLLOW, so the core's walk decides where a
 * symlink or ".." leads, and nothing outside an added folder is ever
 * opened.
 */
#ifndef ATOLL_HOSTFS_H
#define ATOLL_HOSTFS_H

#include "user/fs/fs_backend.h"

/* The store (one per process). */
struct fs_backend *hostfs(void);

/* Allows path (a folder) to be attached: 0, or -1 with errno when it
 * cannot be opened as a directory. */
int hostfs_add_root(const char *path);

#endif
