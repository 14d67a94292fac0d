/*
 * A reader of ustar archives held in a memory area (the programs of the
 * boot image). The archive is untrusted input: every header is checked
 * (magic, checksum, octal fields, sizes against the area's end) before
 * its entry is believed.
 */
#ifndef USERBOOT_USTAR_H
#define USERBOOT_USTAR_H

#include <stdint.h>

#include "user/sdk/atoll.h"

#define TAR_BLOCK 512
#define TAR_NAME_MAX 100 /* a stored name (the last path component) */
#define TAR_ENTRIES_MAX 256

struct tar_entry {
    char name[TAR_NAME_MAX + 1]; /* the last component of the path */
    int64_t off;                 /* the file's bytes in the area */
    int64_t size;
};

/* Reads the regular files of the ustar archive in bytes [0, size) of vma
 * into out (at most max). Returns how many were read; stops at the end
 * marker (a zero block), at the area's end, or at the first damaged
 * header, in which case err (if not NULL) says where and why and the
 * entries before it are still returned. Entries whose name has no NUL in
 * its field, or ends in '/', are skipped (err says so too). */
int tar_scan(atoll_handle vma, int64_t size, struct tar_entry *out, int max,
             char *err, size_t err_size);

#endif
