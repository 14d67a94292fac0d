/*
 * pingd — a service: registers the name "ping" and answers every message
 * on every connection with the same bytes. One wait set watches the
 * registry's connection requests and every connection, so pingd uses no
 * CPU between messages. Run it in the background (run pingd &), then
 * `run ping hello`.
 *
 * Ordinary C (stdio) that also calls the kernel: the SDK's atoll.h and
 * service.h, through its own env shim (docs/programs.md).
 */
#include <stdio.h>

#include "user/sdk/atoll.h"
#include "user/sdk/service.h"

#define MAX_CONNS 64
#define LISTEN_KEY (-1)

static uint8_t msg[ATOLL_CHANNEL_MSG_MAX];
static atoll_handle conns[MAX_CONNS];

static void add_conn(atoll_handle ws, atoll_handle c)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        if (conns[i] < 0 &&
            atoll_waitset_add(ws, c, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED, i) ==
                ATOLL_OK) {
            conns[i] = c;
            return;
        }
    }
    atoll_handle_drop(c);               /* too many: the client sees it closed */
}

static void drop_conn(atoll_handle ws, int i)
{
    atoll_waitset_remove(ws, i);
    atoll_handle_drop(conns[i]);
    conns[i] = -1;
}

/* Echoes what is queued on connection i; drops it once its client left. */
static void serve(atoll_handle ws, int i)
{
    for (;;) {
        size_t len = 0;
        int32_t nh = 0;
        atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
        int32_t r = atoll_channel_recv(conns[i], msg, sizeof msg, &len, hs, &nh);
        if (r == ATOLL_EWOULDBLOCK)
            return;
        if (r != ATOLL_OK) {
            drop_conn(ws, i);
            return;
        }
        for (int32_t k = 0; k < nh; k++)
            atoll_handle_drop(hs[k]);   /* bytes only */
        if (atoll_channel_send(conns[i], msg, len, NULL, 0) != ATOLL_OK) {
            drop_conn(ws, i);
            return;
        }
    }
}

int main(void)
{
    atoll_handle listen, ws;
    for (int i = 0; i < MAX_CONNS; i++)
        conns[i] = -1;
    int32_t r = atoll_service_register("ping", &listen);
    if (r != ATOLL_REG_OK) {
        printf("pingd: cannot register ping (%d)\n", (int)r);
        return 1;
    }
    if (atoll_waitset_create(&ws) != ATOLL_OK ||
        atoll_waitset_add(ws, listen, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED,
                          LISTEN_KEY) != ATOLL_OK) {
        puts("pingd: no wait set");
        return 1;
    }
    puts("pingd: serving ping");
    fflush(stdout); /* before the wait: a background job's line is out now */
    for (;;) {
        int64_t key;
        int32_t obs;
        if (atoll_waitset_wait(ws, ATOLL_FOREVER, &key, &obs) != ATOLL_OK)
            return 1;
        if (key == LISTEN_KEY) {
            atoll_handle c;
            if (atoll_service_accept(listen, &c) == ATOLL_OK)
                add_conn(ws, c);
            else if (obs & ATOLL_SIGNAL_PEER_CLOSED)
                return 0;               /* the registry is gone */
        } else {
            serve(ws, (int)key);
        }
    }
}
