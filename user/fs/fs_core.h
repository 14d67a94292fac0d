/*
 * fs_core.h — the file service's protocol engine (fs_proto.h), over any
 * store (fs_backend.h): the fids of one connection, path walks, and the
 * answer to each request. It does no I/O of its own, so the same code
 * serves the kernel's file service (fsd.c, in Wasm, on channels) and
 * atoll-run's (host/wasi_run.c, native, on host folders).
 */
#ifndef ATOLL_FS_CORE_H
#define ATOLL_FS_CORE_H

#include <stddef.h>

#include "user/fs/fs_backend.h"

struct fs_conn;

/* A new connection to store be (NULL: out of memory), and its end: every
 * fid it still holds is let go. */
struct fs_conn *fs_conn_new(struct fs_backend *be);
void fs_conn_free(struct fs_conn *c);

/* Answers one request of len bytes into reply (FS_REPLY_MAX bytes):
 * returns the answer's length. A malformed request is answered
 * FS_E_INVAL; nothing a client sends can harm the service or another
 * connection. */
size_t fs_serve(struct fs_conn *c, const void *req, size_t len, void *reply);

#endif
