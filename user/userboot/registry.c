/*
 * The service registry (see registry.h and program_abi.h). A name maps to
 * the registry's end of the channel its service reads connection requests
 * from; the name is free again once that channel's reader has closed
 * (the service ended or dropped it), which a lookup or a register finds
 * out by the peer-closed signal. Every handle a request brings that the
 * protocol has no use for is dropped, so a confused or hostile program
 * cannot make the shell hold its objects.
 */
#include "user/userboot/registry.h"

#include "user/sdk/program_abi.h"

#define REQUESTS_PER_TICK 8

struct service {
    char name[ATOLL_REG_NAME_MAX + 1];
    atoll_handle conn;          /* -1: free */
};

static struct service services[REGISTRY_MAX];
static bool ready;
/* A request is at most 4 + ATOLL_REG_NAME_MAX bytes; a longer one must
 * still be taken off the queue, so the buffer holds the largest message. */
static uint8_t req[ATOLL_CHANNEL_MSG_MAX];

static void init(void)
{
    for (int i = 0; i < REGISTRY_MAX; i++)
        services[i].conn = -1;
    ready = true;
}

/* Forgets s if its service is gone. True when it is alive. */
static bool alive(struct service *s)
{
    int32_t obs = 0;
    if (s->conn < 0)
        return false;
    if (atoll_wait_one(s->conn, ATOLL_SIGNAL_PEER_CLOSED, 0, &obs) == ATOLL_ETIMEDOUT)
        return true;
    atoll_handle_drop(s->conn);
    s->conn = -1;
    return false;
}

static struct service *find(const char *name)
{
    for (int i = 0; i < REGISTRY_MAX; i++)
        if (alive(&services[i]) && strcmp(services[i].name, name) == 0)
            return &services[i];
    return NULL;
}

static uint32_t do_register(const char *name, atoll_handle conn)
{
    if (conn < 0 || atoll_handle_kind(conn) != ATOLL_KIND_CHANNEL)
        return ATOLL_REG_BAD;
    if (find(name))
        return ATOLL_REG_TAKEN;
    for (int i = 0; i < REGISTRY_MAX; i++) {
        struct service *s = &services[i];
        if (!alive(s)) {
            memcpy(s->name, name, strlen(name) + 1);
            s->conn = conn;
            return ATOLL_REG_OK;
        }
    }
    return ATOLL_REG_BAD;
}

/* A new channel to the service: one end sent to it, the other in *out. */
static uint32_t do_lookup(const char *name, atoll_handle *out)
{
    struct service *s = find(name);
    if (!s)
        return ATOLL_REG_NO_NAME;
    atoll_handle mine, theirs;
    if (atoll_channel_create(&mine, &theirs) != ATOLL_OK)
        return ATOLL_REG_BAD;
    uint32_t op = ATOLL_REG_CONNECT;
    int32_t r = atoll_channel_write(s->conn, ATOLL_SELF, atoll_off(&op), 4, theirs, -1, -1, -1);
    if (r != ATOLL_OK) {
        atoll_handle_drop(mine);
        atoll_handle_drop(theirs);
        if (r == ATOLL_EPEER)
            alive(s);               /* forget it */
        return r == ATOLL_EPEER ? ATOLL_REG_NO_NAME : ATOLL_REG_BAD;
    }
    *out = mine;
    return ATOLL_REG_OK;
}

uint32_t registry_claim(const char *name, atoll_handle *listen)
{
    if (!ready)
        init();
    atoll_handle mine, theirs;
    if (strlen(name) > ATOLL_REG_NAME_MAX || atoll_channel_create(&mine, &theirs) != ATOLL_OK)
        return ATOLL_REG_BAD;
    uint32_t r = do_register(name, mine);
    if (r != ATOLL_REG_OK) {
        atoll_handle_drop(mine);
        atoll_handle_drop(theirs);
        return r;
    }
    *listen = theirs;
    return ATOLL_REG_OK;
}

void registry_release(const char *name)
{
    struct service *s = find(name);
    if (s) {
        atoll_handle_drop(s->conn);
        s->conn = -1;
    }
}

uint32_t registry_connect(const char *name, atoll_handle *out)
{
    if (!ready)
        init();
    return do_lookup(name, out);
}

/* Answers a request; a handle that cannot be delivered is dropped. */
static void answer(atoll_handle reg, uint32_t status, atoll_handle h)
{
    if (atoll_channel_write(reg, ATOLL_SELF, atoll_off(&status), 4, h, -1, -1, -1) != ATOLL_OK &&
        h >= 0)
        atoll_handle_drop(h);
}

void registry_serve(atoll_handle reg)
{
    if (!ready)
        init();
    for (int k = 0; k < REQUESTS_PER_TICK; k++) {
        size_t len = 0;
        int32_t nh = 0;
        atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
        if (atoll_channel_recv(reg, req, sizeof req, &len, hs, &nh) != ATOLL_OK)
            return;
        uint32_t op = 0;
        char name[ATOLL_REG_NAME_MAX + 1];
        bool ok = len >= 5 && len <= 4 + ATOLL_REG_NAME_MAX;
        if (ok) {
            memcpy(&op, req, 4);
            memcpy(name, req + 4, len - 4);
            name[len - 4] = 0;
            ok = strlen(name) == len - 4;       /* no NUL inside */
        }
        uint32_t status = ATOLL_REG_BAD;
        atoll_handle out = -1;
        if (ok && op == ATOLL_REG_REGISTER && nh == 1) {
            status = do_register(name, hs[0]);
            if (status == ATOLL_REG_OK)
                hs[0] = -1;                     /* kept */
        } else if (ok && op == ATOLL_REG_LOOKUP) {
            status = do_lookup(name, &out);
        }
        for (int i = 0; i < nh; i++)
            if (hs[i] >= 0)
                atoll_handle_drop(hs[i]);
        answer(reg, status, out);
    }
}

void registry_list(void (*fn)(const char *name))
{
    for (int i = 0; i < REGISTRY_MAX; i++)
        if (alive(&services[i]))
            fn(services[i].name);
}
