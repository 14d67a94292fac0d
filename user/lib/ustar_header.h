/*
 * ustar_header.h — one ustar (POSIX.1-1988) header checked as untrusted
 * input, for every reader of the boot image's archives (userboot's
 * programs, fsd's files). Pure: no I/O, no C library.
 *
 *   offset  size  field
 *   0       100   name (NUL-terminated unless it fills the field)
 *   124     12    size, octal
 *   148     8     checksum, octal: the sum of the header's bytes, with
 *                 this field counted as spaces
 *   156     1     type ('0' or NUL a file, '5' a directory, '2' a symlink)
 *   157     100   the symlink's target
 *   257     6     magic "ustar"
 *   345     155   prefix of the name
 */
#ifndef ATOLL_USTAR_HEADER_H
#define ATOLL_USTAR_HEADER_H

#include <stdbool.h>
#include <stdint.h>

#define USTAR_BLOCK     512
#define USTAR_OFF_NAME  0
#define USTAR_LEN_NAME  100
#define USTAR_OFF_TYPE  156
#define USTAR_OFF_LINK  157
#define USTAR_LEN_LINK  100
#define USTAR_OFF_PREFIX 345
#define USTAR_LEN_PREFIX 155

enum ustar_check {
    USTAR_OK,           /* a header: *size is its file's bytes */
    USTAR_END,          /* a zero block: the archive's end marker */
    USTAR_NOT_USTAR,    /* no "ustar" magic */
    USTAR_BAD_SUM,      /* the checksum does not match */
    USTAR_BAD_SIZE,     /* the size field is not octal, or 2^40 or more */
};

/* Checks the 512-byte block b: what it is, and for a header its size. */
enum ustar_check ustar_header(const uint8_t *b, int64_t *size);

#endif
