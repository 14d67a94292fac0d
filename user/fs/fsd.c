/*
 * fsd — the kernel's file service (docs/files.md): a Wasm program that
 * serves the file protocol (fs_proto.h) to every program that connects
 * to "fs", from a memfs store: the image's files, read-only, at "/", a
 * writable, in-memory "/tmp", and "/dev/null".
 *
 * userboot starts it at boot with two more grants than a program gets
 * (program_abi.h): the listening end of "fs", which userboot registered
 * for it (so that no program can be started before the name exists),
 * and the image's files archive. One thread serves every connection in
 * turn from a wait set; a request never blocks it. A client that sends
 * more than it reads (its reply cannot be queued) is cut off: no client
 * can stall the service for the others.
 */
#include <stdlib.h>

#include "user/fs/fs_core.h"
#include "user/fs/image.h"
#include "user/fs/memfs.h"
#include "user/sdk/atoll.h"
#include "user/sdk/program_abi.h"
#include "user/sdk/service.h"

#define LISTEN (ATOLL_GRANTED + ATOLL_FS_LISTEN_GRANT)
#define IMAGE  (ATOLL_GRANTED + ATOLL_FS_IMAGE_GRANT)
#define CONNS_MAX 256
#define REQUESTS_PER_TURN 16

struct conn {
    atoll_handle ch;            /* -1: free */
    struct fs_conn *fs;
};

static struct conn conns[CONNS_MAX];
static uint8_t req[ATOLL_CHANNEL_MSG_MAX];
static uint8_t reply[FS_REPLY_MAX];
static struct fs_backend *store;
static atoll_handle ws;

static uint64_t now(void)
{
    return (uint64_t)atoll_clock_ns();
}

static void drop(int i)
{
    atoll_waitset_remove(ws, i + 1);
    atoll_handle_drop(conns[i].ch);
    fs_conn_free(conns[i].fs);
    conns[i].ch = -1;
    conns[i].fs = NULL;
}

/* Connections arrive as CONNECT messages on the listening end. */
static void accept_all(void)
{
    atoll_handle conn;
    for (;;) {
        int32_t r = atoll_service_accept(LISTEN, &conn);
        if (r == ATOLL_EINVAL)
            continue;                   /* not a connection: accept dropped it */
        if (r != ATOLL_OK)
            return;                     /* none left (or a message too long: never sent) */
        int i = 0;
        while (i < CONNS_MAX && conns[i].ch >= 0)
            i++;
        struct fs_conn *fs = i < CONNS_MAX ? fs_conn_new(store) : NULL;
        if (!fs || atoll_waitset_add(ws, conn, ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED,
                                     i + 1) != ATOLL_OK) {
            atoll_logf("fsd: a connection refused (%s)\n", fs ? "wait set full" : "no room");
            fs_conn_free(fs);
            atoll_handle_drop(conn);
            continue;
        }
        conns[i] = (struct conn){ conn, fs };
    }
}

static void serve(int i)
{
    for (int k = 0; k < REQUESTS_PER_TURN; k++) {
        size_t len = 0;
        int32_t nh = 0;
        atoll_handle hs[ATOLL_CHANNEL_MSG_HANDLES];
        int32_t r = atoll_channel_recv(conns[i].ch, req, sizeof req, &len, hs, &nh);
        if (r == ATOLL_EWOULDBLOCK)
            return;
        if (r != ATOLL_OK) {            /* the client is gone */
            drop(i);
            return;
        }
        for (int32_t j = 0; j < nh; j++)
            atoll_handle_drop(hs[j]);   /* the protocol carries none */
        size_t n = fs_serve(conns[i].fs, req, len, reply);
        if (atoll_channel_send(conns[i].ch, reply, n, NULL, 0) != ATOLL_OK) {
            drop(i);
            return;
        }
    }
}

/* The entry userboot starts (program_abi.h): fsd needs none of a
 * program's runtime (arguments, console), only its grants. */
ATOLL_EXPORT(atoll_start) int32_t atoll_start(void)
{
    for (int i = 0; i < CONNS_MAX; i++)
        conns[i].ch = -1;
    int64_t size = 0;
    bool image = atoll_handle_kind(IMAGE) == ATOLL_KIND_VMA && atoll_vma_size(IMAGE, &size) ==
                                                                   ATOLL_OK;
    store = memfs_new(now, image_read);
    struct fs_node *root = store ? memfs_root(store) : NULL;
    int err = FS_E_OK;
    struct fs_node *tmp = root ? memfs_add_dir(store, root, "tmp", 3, false, &err) : NULL;
    if (!tmp || atoll_waitset_create(&ws) != ATOLL_OK ||
        atoll_waitset_add(ws, LISTEN, ATOLL_SIGNAL_READABLE, 0) != ATOLL_OK) {
        atoll_log("fsd: cannot start (out of memory, or no listening end)\n");
        return 1;
    }
    store->put(store, tmp);
    /* /dev/null, which programs and libraries take for granted. */
    struct fs_node *dev = memfs_add_dir(store, root, "dev", 3, true, &err);
    if (!dev || memfs_add_null(store, dev, "null", 4) != FS_E_OK) {
        atoll_log("fsd: cannot make /dev/null (out of memory)\n");
        return 1;
    }
    memfs_seal(dev);
    store->put(store, dev);
    char why[160];
    int files = image ? image_load(store, root, IMAGE, size, why, sizeof why) : 0;
    if (image && why[0])
        atoll_logf("fsd: the image's files: %s\n", why);
    memfs_seal(root);
    store->put(store, root);
    atoll_logf("fsd: serving %d files of the image at /, and /tmp\n", files);
    for (;;) {
        int64_t key = 0;
        int32_t obs = 0;
        if (atoll_waitset_wait(ws, ATOLL_FOREVER, &key, &obs) != ATOLL_OK)
            continue;
        if (key == 0)
            accept_all();
        else if (key >= 1 && key <= CONNS_MAX && conns[key - 1].ch >= 0)
            serve((int)key - 1);
    }
}
