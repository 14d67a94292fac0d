/*
 * The SDK's helpers on top of the shim's calls: serial logging and names
 * for result codes, trap kinds and component states. Everything else a C
 * program needs from a C library (memcpy, strlen, snprintf) is wasi-libc
 * in a program (user/sdk/program.mk), the kernel's lib/ built for wasm32
 * in the freestanding userland.
 */
#include "user/sdk/atoll.h"

#include <stdarg.h>

#ifdef __wasi__
#include <stdio.h>
#define fmt_vsnprintf vsnprintf /* wasi-libc's, floats included */
#endif

/* log_write takes at most this many bytes per call. */
#define LOG_WRITE_MAX 65536

int32_t atoll_log(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        size_t part = n < LOG_WRITE_MAX ? n : LOG_WRITE_MAX;
        int32_t r = atoll_log_write(ATOLL_SELF, atoll_off(s), (int64_t)part);
        if (r != ATOLL_OK)
            return r;
        s += part;
        n -= part;
    }
    return ATOLL_OK;
}

int32_t atoll_logf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return atoll_log(buf);
}

const char *atoll_result_name(int32_t r)
{
    static const char *const names[] = {
        "ok", "invalid parameters", "internal error", "unknown error", "trapped",
        "missing right", "would block", "peer closed", "timed out", "buffer too small",
        "revoked",
    };
    if (r < 0 || (size_t)r >= sizeof names / sizeof names[0])
        return "?";
    return names[r];
}

int32_t atoll_channel_send(atoll_handle ch, const void *buf, size_t len,
                           const atoll_handle *hs, int32_t nh)
{
    atoll_handle h[ATOLL_CHANNEL_MSG_HANDLES] = { -1, -1, -1, -1 };
    if (nh < 0 || nh > ATOLL_CHANNEL_MSG_HANDLES)
        return ATOLL_EINVAL;
    for (int32_t i = 0; i < nh; i++)
        h[i] = hs[i];
    return atoll_channel_write(ch, ATOLL_SELF, atoll_off(buf), (int64_t)len, h[0], h[1], h[2],
                               h[3]);
}

int32_t atoll_channel_recv(atoll_handle ch, void *buf, size_t cap, size_t *len,
                           atoll_handle hs[4], int32_t *nh)
{
    int64_t n = 0;
    int32_t r = atoll_channel_read(ch, ATOLL_SELF, atoll_off(buf), (int64_t)cap, &n, nh,
                                   &hs[0], &hs[1], &hs[2], &hs[3]);
    *len = (size_t)n;
    return r;
}

int32_t atoll_channel_request(atoll_handle ch, const void *req, size_t len, void *reply,
                              size_t cap, size_t *reply_len, int64_t deadline)
{
    int64_t n = 0;
    int32_t nh = 0;
    atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
    int32_t r = atoll_channel_call(ch, ATOLL_SELF, atoll_off(req), (int64_t)len,
                                   atoll_off(reply), (int64_t)cap, deadline, -1, -1, -1, -1, &n,
                                   &nh, &hs[0], &hs[1], &hs[2], &hs[3]);
    for (int32_t i = 0; r == ATOLL_OK && i < nh && i < ATOLL_CHANNEL_MSG_HANDLES; i++)
        atoll_handle_drop(hs[i]);
    *reply_len = (size_t)n;
    return r;
}

const char *atoll_trap_name(int64_t kind)
{
    static const char *const names[] = {
        "?", "unreachable", "out of bounds memory access",
        "integer divide by zero", "integer overflow",
        "invalid conversion to integer", "undefined element",
        "uninitialized element", "indirect call type mismatch",
        "call stack exhausted", "out of bounds table access", "host",
        "interrupted",
    };
    if (kind < 1 || kind >= (int64_t)(sizeof names / sizeof names[0]))
        return "?";
    return names[kind];
}

const char *atoll_state_name(int32_t state)
{
    static const char *const names[] = { "idle", "running", "trapped", "killed", "exited" };
    if (state < 0 || (size_t)state >= sizeof names / sizeof names[0])
        return "?";
    return names[state];
}
