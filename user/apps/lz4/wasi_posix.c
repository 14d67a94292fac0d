/*
 * The two POSIX calls lz4's command-line tool makes that wasi-libc does
 * not have. After writing an output file, lz4 copies the input's owner
 * and permission bits onto it (programs/util.h, UTIL_setFileStat) and
 * only counts the failures; WASI preview 1 has neither owners nor
 * permission bits, so there is nothing to copy: both calls fail with
 * ENOTSUP, which is the truth, and the file keeps what the file service
 * gave it.
 */
#include <errno.h>

#include "wasi_posix.h"

int chown(const char *path, uid_t owner, gid_t group)
{
    (void)path, (void)owner, (void)group;
    errno = ENOTSUP;
    return -1;
}

int chmod(const char *path, mode_t mode)
{
    (void)path, (void)mode;
    errno = ENOTSUP;
    return -1;
}
