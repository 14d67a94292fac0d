/*
 * image.h — the image's files (a ustar archive in a memory area, the
 * boot module "files": make iso FILES=folder) as a read-only tree of a
 * memfs store. The archive is untrusted input: each header is checked
 * (magic, checksum, octal fields, the size against the area) before its
 * entry is believed, and a path with ".." is refused.
 */
#ifndef ATOLL_FS_IMAGE_H
#define ATOLL_FS_IMAGE_H

#include "user/fs/memfs.h"

/* The memfs source reading the archive area (set by image_load). */
int image_read(uint64_t off, void *buf, size_t n);

/* Adds the archive in area (size bytes) below root; returns the files
 * added, and in why (why_size bytes) the first problem, if any: entries
 * before it are kept. */
int image_load(struct fs_backend *be, struct fs_node *root, int32_t area, int64_t size,
               char *why, size_t why_size);

#endif
