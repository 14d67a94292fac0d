/*
 * service.c — the service registry's client side (program_abi.h,
 * docs/programs.md "Services"): register a name, accept connections,
 * look a name up. The registry is the launcher's (the shell's), reached on
 * the channel it grants every program (ATOLL_REGISTRY_GRANT). It is built
 * for both runtimes: a program on wasi-libc and a freestanding one
 * (with program.c).
 */
#include "user/sdk/service.h"

#define REGISTRY (ATOLL_GRANTED + ATOLL_REGISTRY_GRANT)

/* Sends a request (op, name) to the registry with handle h (or -1) and
 * waits for its answer: the registry's status (>= 0), and a handle in
 * *out; or -result of the channel call that failed. */
static int32_t registry_call(uint32_t op, const char *name, atoll_handle h, atoll_handle *out)
{
    static uint8_t msg[4 + ATOLL_REG_NAME_MAX];
    size_t n = strlen(name);
    if (n == 0 || n > ATOLL_REG_NAME_MAX)
        return -ATOLL_EINVAL;
    memcpy(msg, &op, 4);
    memcpy(msg + 4, name, n);
    int32_t r = atoll_channel_write(REGISTRY, ATOLL_SELF, atoll_off(msg), (int64_t)(4 + n), h,
                                    -1, -1, -1);
    if (r != ATOLL_OK)
        return -r;
    for (;;) {
        uint32_t status = 0;
        size_t len = 0;
        int32_t nh = 0, obs = 0;
        atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
        r = atoll_channel_recv(REGISTRY, &status, sizeof status, &len, hs, &nh);
        if (r == ATOLL_EWOULDBLOCK) {
            r = atoll_wait_one(REGISTRY, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED,
                               ATOLL_FOREVER, &obs);
            if (r != ATOLL_OK)
                return -r;
            continue;
        }
        if (r != ATOLL_OK)
            return -r;
        if (out && nh > 0)
            *out = hs[0];
        for (int32_t i = out ? 1 : 0; i < nh; i++)
            atoll_handle_drop(hs[i]);
        return len == 4 && status <= ATOLL_REG_BAD ? (int32_t)status : ATOLL_REG_BAD;
    }
}

int32_t atoll_service_register(const char *name, atoll_handle *listen)
{
    atoll_handle mine, theirs;
    int32_t r = atoll_channel_create(&mine, &theirs);
    if (r != ATOLL_OK)
        return -r;
    r = registry_call(ATOLL_REG_REGISTER, name, theirs, NULL);
    if (r != ATOLL_REG_OK) {
        atoll_handle_drop(mine);
        if (atoll_handle_kind(theirs) != ATOLL_KIND_INVALID)
            atoll_handle_drop(theirs);          /* the request never left */
        return r;
    }
    *listen = mine;
    return ATOLL_REG_OK;
}

int32_t atoll_service_accept(atoll_handle listen, atoll_handle *conn)
{
    uint32_t op = 0;
    size_t len = 0;
    int32_t nh = 0;
    atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
    int32_t r = atoll_channel_recv(listen, &op, sizeof op, &len, hs, &nh);
    if (r != ATOLL_OK)
        return r;
    if (op != ATOLL_REG_CONNECT || len != 4 || nh != 1 ||
        atoll_handle_kind(hs[0]) != ATOLL_KIND_CHANNEL) {
        for (int32_t i = 0; i < nh; i++)
            atoll_handle_drop(hs[i]);
        return ATOLL_EINVAL;
    }
    *conn = hs[0];
    return ATOLL_OK;
}

int32_t atoll_service_lookup(const char *name, atoll_handle *ch)
{
    *ch = -1;
    int32_t r = registry_call(ATOLL_REG_LOOKUP, name, -1, ch);
    if (r != ATOLL_REG_OK && *ch >= 0) {
        atoll_handle_drop(*ch);
        *ch = -1;
    }
    return r;
}
