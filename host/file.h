/* file.h: reading whole files, for the engine's Linux tools. */
#ifndef ATOLL_HOST_FILE_H
#define ATOLL_HOST_FILE_H

#include <stddef.h>

/* Reads the file at path into memory from malloc (the caller frees it),
 * with a NUL after its last byte so that text can be parsed as a string;
 * *len gets the size without that NUL. NULL when the file cannot be opened
 * or read, with errno saying why. */
char *host_read_file(const char *path, size_t *len);

#endif
