/*
 * The file service's core and memory store on the host, under ASan and
 * UBSan (make test-fs): the protocol given malformed and random requests
 * answers errors and never misbehaves; memfs keeps POSIX's rules where
 * WASI programs lean on them (open files outlive their names, readdir
 * cookies survive removals, a directory cannot move into itself, the
 * image's tree is read-only); the host store (host/hostfs.c) given the
 * same random requests in a scratch folder touches nothing beside it.
 * The WASI suite covers the rest, end to end.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/hostfs.h"
#include "user/fs/fs_core.h"
#include "user/fs/memfs.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (cond) {                                                                         \
            passed++;                                                                       \
        } else {                                                                            \
            failed++;                                                                       \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                     \
            printf(__VA_ARGS__);                                                            \
            printf("\n");                                                                   \
        }                                                                                   \
    } while (0)

static uint64_t clock_now;
static uint64_t now(void)
{
    return ++clock_now;
}

static const char image_bytes[] = "read-only bytes of the image";
static int source(uint64_t off, void *buf, size_t n)
{
    if (off + n > sizeof image_bytes)
        return FS_E_IO;
    memcpy(buf, image_bytes + off, n);
    return FS_E_OK;
}

static struct fs_conn *conn;
static uint8_t reply[FS_REPLY_MAX];
static uint8_t msg[sizeof(struct fs_req) + FS_DATA_MAX + 16];

/* One request; returns its errno, the reply header in *r. */
static uint32_t call(struct fs_req h, const void *p1, const void *p2, struct fs_reply *r)
{
    memcpy(msg, &h, sizeof h);
    memcpy(msg + sizeof h, p1, h.len1);
    memcpy(msg + sizeof h + h.len1, p2, h.len2);
    size_t n = fs_serve(conn, msg, sizeof h + h.len1 + h.len2, reply);
    memcpy(r, reply, sizeof *r);
    if (n != sizeof *r + r->len)
        printf("FAIL: answer length %zu, header says %u\n", n, r->len);
    return r->err;
}

static uint32_t open_at(uint32_t dir, const char *path, uint32_t oflags, uint32_t want,
                        uint32_t *fid)
{
    struct fs_reply r;
    struct fs_req h = { .op = FS_OPEN, .fid = dir, .oflags = oflags, .want = want,
                        .len1 = (uint32_t)strlen(path) };
    uint32_t e = call(h, path, "", &r);
    if (!e)
        *fid = r.fid;
    return e;
}

static uint32_t op1(uint32_t op, uint32_t dir, const char *path)
{
    struct fs_reply r;
    struct fs_req h = { .op = op, .fid = dir, .len1 = (uint32_t)strlen(path) };
    return call(h, path, "", &r);
}

static uint32_t op2(uint32_t op, uint32_t d1, const char *p1, uint32_t d2, const char *p2)
{
    struct fs_reply r;
    struct fs_req h = { .op = op, .fid = d1, .fid2 = d2, .len1 = (uint32_t)strlen(p1),
                        .len2 = (uint32_t)strlen(p2) };
    return call(h, p1, p2, &r);
}

static uint32_t write_at(uint32_t fid, uint64_t off, const char *text)
{
    struct fs_reply r;
    struct fs_req h = { .op = FS_WRITE, .fid = fid, .a = off, .len1 = (uint32_t)strlen(text) };
    return call(h, text, "", &r);
}

static uint32_t read_at(uint32_t fid, uint64_t off, char *out, size_t cap)
{
    struct fs_reply r;
    struct fs_req h = { .op = FS_READ, .fid = fid, .a = off, .b = cap - 1 };
    uint32_t e = call(h, "", "", &r);
    memcpy(out, reply + sizeof r, r.len);
    out[r.len] = 0;
    return e;
}

static uint32_t clunk(uint32_t fid)
{
    struct fs_reply r;
    struct fs_req h = { .op = FS_CLUNK, .fid = fid };
    return call(h, "", "", &r);
}

static void malformed(uint32_t root)
{
    struct fs_reply r;
    size_t n = fs_serve(conn, msg, 3, reply);
    memcpy(&r, reply, sizeof r);
    CHECK(n == sizeof r && r.err == FS_E_INVAL, "a short request: %u", r.err);
    struct fs_req h = { .op = FS_OPEN, .fid = root, .len1 = 5 };
    memcpy(msg, &h, sizeof h);
    n = fs_serve(conn, msg, sizeof h + 2, reply);   /* says 5 bytes, has 2 */
    memcpy(&r, reply, sizeof r);
    CHECK(r.err == FS_E_INVAL, "lengths that do not add up: %u", r.err);
    h = (struct fs_req){ .op = FS_OPEN, .fid = root, .len1 = 0xffffffffu, .len2 = 2 };
    memcpy(msg, &h, sizeof h);
    n = fs_serve(conn, msg, sizeof h + 1, reply);   /* len1 + len2 wraps 32 bits */
    memcpy(&r, reply, sizeof r);
    CHECK(r.err == FS_E_INVAL, "lengths that wrap: %u", r.err);
    h = (struct fs_req){ .op = 9999 };
    CHECK(call(h, "", "", &r) == FS_E_NOSYS, "an unknown op");
    h = (struct fs_req){ .op = 0 };
    CHECK(call(h, "", "", &r) == FS_E_NOSYS, "op 0");
    h = (struct fs_req){ .op = FS_READ, .fid = 0xffffffffu, .b = 10 };
    CHECK(call(h, "", "", &r) == FS_E_BADF, "a fid past the table");
    h = (struct fs_req){ .op = FS_READ, .fid = 77, .b = 10 };
    CHECK(call(h, "", "", &r) == FS_E_BADF, "a fid never given");
    h = (struct fs_req){ .op = FS_MKDIR, .fid = root, .len1 = 3 };
    CHECK(call(h, "a\0b", "", &r) == FS_E_INVAL, "a NUL inside a path");
    CHECK(op1(FS_MKDIR, root, "") == FS_E_NOENT, "an empty path");
    CHECK(op1(FS_MKDIR, root, "/abs") == FS_E_NOTCAPABLE, "an absolute path");
    CHECK(op1(FS_MKDIR, root, "../up") == FS_E_NOTCAPABLE, "..");
    static char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    CHECK(op1(FS_MKDIR, root, longname) == FS_E_NAMETOOLONG, "a 299-byte name");
    static char longpath[5000];
    for (size_t i = 0; i + 2 < sizeof longpath; i += 2)
        memcpy(longpath + i, "a/", 2);
    CHECK(op1(FS_STAT_PATH, root, longpath) == FS_E_NAMETOOLONG, "a 5000-byte path");
    h = (struct fs_req){ .op = FS_READ, .fid = root, .b = 1ull << 40 };
    CHECK(call(h, "", "", &r) == FS_E_ISDIR, "read of a directory");
    h = (struct fs_req){ .op = FS_READDIR, .fid = root, .a = ~0ull, .b = ~0ull };
    CHECK(call(h, "", "", &r) == FS_E_OK && r.len == 0, "readdir from a cookie past the end");
    h = (struct fs_req){ .op = FS_SET_TIMES, .fid = root, .flags = FS_ATIM | FS_ATIM_NOW };
    CHECK(call(h, "", "", &r) == FS_E_INVAL, "atim and atim-now together");
}

/* Random requests, some with real fids and paths: none may crash, leak
 * (ASan) or answer past its header's length. */
static void random_requests(uint32_t root)
{
    static const char *paths[] = { "f", "d", "d/f", "..", ".", "d/../f", "l", "x/y/z", "/" };
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        struct fs_req h;
        memset(&h, 0, sizeof h);
        h.op = (uint32_t)(seed % (FS_OP_END + 2));
        h.fid = (seed >> 8) % 4 ? (uint32_t)((seed >> 12) % 6) : (uint32_t)(seed >> 20);
        h.fid2 = root;
        h.flags = (uint32_t)(seed >> 24) & 0xf;
        h.oflags = (uint32_t)(seed >> 28) & 0x1f;
        h.want = (uint32_t)(seed >> 33) & 3;
        h.a = (seed >> 35) % 3 ? (seed >> 40) % 5000 : seed;
        h.b = (seed >> 37) % 3 ? (seed >> 42) % 70000 : ~seed;
        const char *p1 = paths[(seed >> 45) % 9], *p2 = paths[(seed >> 50) % 9];
        h.len1 = (uint32_t)strlen(p1);
        h.len2 = (uint32_t)strlen(p2);
        struct fs_reply r;
        call(h, p1, p2, &r);
        if (h.op == FS_OPEN && !r.err && r.fid > 6)
            clunk(r.fid);               /* keep the table from filling */
    }
    CHECK(1, "200000 random requests");
}

int main(void)
{
    struct fs_backend *be = memfs_new(now, source);
    struct fs_node *top = memfs_root(be);
    int err;
    struct fs_node *img = memfs_add_dir(be, top, "img", 3, true, &err);
    CHECK(img && memfs_add_file(be, img, "data", 4, 0, sizeof image_bytes - 1) == FS_E_OK,
          "an image file");
    CHECK(memfs_add_null(be, img, "null", 4) == FS_E_OK, "a null device");
    memfs_seal(img);
    be->put(be, img);
    be->put(be, top);
    conn = fs_conn_new(be);
    struct fs_reply r;
    struct fs_req h = { .op = FS_ATTACH, .len1 = 1 };
    CHECK(call(h, "/", "", &r) == FS_E_OK, "attach /");
    uint32_t root = r.fid, f, g, d, i2;

    malformed(root);

    /* The image is read-only, and read from its source. */
    char buf[128];
    CHECK(open_at(root, "img/data", 0, FS_OPEN_READ, &i2) == FS_E_OK, "open the image file");
    CHECK(read_at(i2, 0, buf, sizeof buf) == 0 && !strcmp(buf, image_bytes), "read: %s", buf);
    CHECK(open_at(root, "img/data", 0, FS_OPEN_WRITE, &f) == FS_E_ROFS, "write to the image");
    CHECK(open_at(root, "img/new", FS_O_CREAT, FS_OPEN_WRITE, &f) == FS_E_ROFS, "create there");
    CHECK(op1(FS_UNLINK, root, "img/data") == FS_E_ROFS, "unlink there");
    clunk(i2);

    /* The null device takes writes (even in the read-only tree) and
     * reads as empty. */
    CHECK(open_at(root, "img/null", FS_O_TRUNC, FS_OPEN_READ | FS_OPEN_WRITE, &f) == FS_E_OK,
          "open img/null to write, truncating");
    CHECK(write_at(f, 0, "dropped") == 0, "a write to it");
    CHECK(read_at(f, 0, buf, sizeof buf) == 0 && buf[0] == 0, "a read of it: nothing");
    clunk(f);

    /* An open file outlives its name. */
    CHECK(open_at(root, "f", FS_O_CREAT, 3, &f) == FS_E_OK, "create f");
    CHECK(write_at(f, 0, "hello") == 0, "write");
    CHECK(op1(FS_UNLINK, root, "f") == 0, "unlink f while open");
    CHECK(read_at(f, 0, buf, sizeof buf) == 0 && !strcmp(buf, "hello"), "still read: %s", buf);
    CHECK(write_at(f, 10, "x") == 0 && read_at(f, 0, buf, sizeof buf) == 0 &&
          !memcmp(buf, "hello\0\0\0\0\0x", 11), "a hole reads as zeros");
    clunk(f);

    /* Readdir cookies survive removals. */
    CHECK(op1(FS_MKDIR, root, "d") == 0, "mkdir d");
    const char *names[] = { "d/a", "d/b", "d/c", "d/e" };
    for (int k = 0; k < 4; k++)
        CHECK(open_at(root, names[k], FS_O_CREAT, 0, &g) == 0 && clunk(g) == 0, "create");
    CHECK(open_at(root, "d", FS_O_DIRECTORY, FS_OPEN_READ, &d) == 0, "open d");
    h = (struct fs_req){ .op = FS_READDIR, .fid = d, .a = 0, .b = 3 * 24 + 4 };
    CHECK(call(h, "", "", &r) == 0, "readdir . .. a");
    struct fs_dirent de;
    memcpy(&de, reply + sizeof r + 24 + 1 + 24 + 2, sizeof de);
    uint64_t next = de.next;
    CHECK(op1(FS_UNLINK, root, "d/a") == 0 && op1(FS_UNLINK, root, "d/b") == 0, "remove a, b");
    h = (struct fs_req){ .op = FS_READDIR, .fid = d, .a = next, .b = 1000 };
    CHECK(call(h, "", "", &r) == 0 && r.len == 2 * (24 + 1), "the rest: c and e (%u)", r.len);
    clunk(d);

    /* A directory cannot move into itself; renames over files. */
    CHECK(op1(FS_MKDIR, root, "d/sub") == 0, "mkdir d/sub");
    CHECK(op2(FS_RENAME, root, "d", root, "d/sub/d") == FS_E_INVAL, "d into d/sub");
    CHECK(op2(FS_RENAME, root, "d/c", root, "d/e") == 0, "c over e");
    CHECK(op2(FS_RENAME, root, "d/e", root, "d/sub") == FS_E_ISDIR, "a file over a dir");
    CHECK(op1(FS_RMDIR, root, "d") == FS_E_NOTEMPTY, "rmdir a full dir");
    CHECK(op2(FS_LINK, root, "d/e", root, "d/e2") == 0, "link");
    CHECK(op2(FS_LINK, root, "d/sub", root, "d/sub2") == FS_E_PERM, "no links to a dir");
    CHECK(op2(FS_SYMLINK, root, "../../..", root, "up") == 0, "a symlink up");
    /* A symlink whose text starts with itself: each splice puts the
     * whole text back in front of the rest, and the path grows by 4 KB a
     * step; it must be refused, not overrun the walk's buffer. */
    static char ltext[4000];
    memcpy(ltext, "s/", 2);
    for (size_t i = 2; i + 2 < sizeof ltext; i += 2)
        memcpy(ltext + i, "./", 2);
    CHECK(op2(FS_SYMLINK, root, ltext, root, "s") == 0, "a long symlink s");
    CHECK(op1(FS_STAT_PATH, root, "s/x") == FS_E_NAMETOOLONG, "s/x is refused, not overrun");
    CHECK(open_at(root, "up/x", 0, 0, &g) == FS_E_NOTCAPABLE, "followed, it leaves: refused");

    /* A removed directory held open takes no new entries. */
    CHECK(op1(FS_MKDIR, root, "gone") == 0 && open_at(root, "gone", FS_O_DIRECTORY, 0, &g) == 0,
          "mkdir and open gone");
    CHECK(op1(FS_RMDIR, root, "gone") == 0, "rmdir it while open");
    CHECK(op1(FS_MKDIR, g, "x") == FS_E_NOENT, "mkdir inside it");
    CHECK(open_at(g, "f", FS_O_CREAT, 0, &f) == FS_E_NOENT, "create inside it");
    clunk(g);

    random_requests(root);

    fs_conn_free(conn);                 /* every fid let go */
    memfs_free(be);                     /* then every node: ASan sees no leak */

    /* The host store: the same requests in a scratch folder, beside a
     * file that must stay as it is and a folder that must stay empty. */
    char top_dir[] = "/tmp/atoll-test-fs-XXXXXX";
    CHECK(mkdtemp(top_dir) != NULL, "mkdtemp");
    char scratch[64], beside[80], sentinel[80];
    snprintf(scratch, sizeof scratch, "%s/scratch", top_dir);
    snprintf(beside, sizeof beside, "%s/beside", top_dir);
    snprintf(sentinel, sizeof sentinel, "%s/sentinel", top_dir);
    CHECK(mkdir(scratch, 0777) == 0 && mkdir(beside, 0777) == 0, "mkdir scratch, beside");
    FILE *sf = fopen(sentinel, "w");
    CHECK(sf && fputs("untouched", sf) >= 0 && fclose(sf) == 0, "the sentinel");
    CHECK(hostfs_add_root(scratch) == 0, "hostfs_add_root");
    conn = fs_conn_new(hostfs());
    h = (struct fs_req){ .op = FS_ATTACH, .len1 = (uint32_t)strlen(scratch) };
    CHECK(call(h, scratch, "", &r) == FS_E_OK, "attach the scratch folder");
    h = (struct fs_req){ .op = FS_ATTACH, .len1 = (uint32_t)strlen(top_dir) };
    CHECK(call(h, top_dir, "", &r) == FS_E_NOENT, "a folder not added cannot be attached");
    CHECK(op2(FS_SYMLINK, 0, "../beside", 0, "out") == 0, "a symlink out of it (made)");
    random_requests(0);
    /* The random requests may have clunked fid 0: attach again. */
    h = (struct fs_req){ .op = FS_ATTACH, .len1 = (uint32_t)strlen(scratch) };
    CHECK(call(h, scratch, "", &r) == FS_E_OK, "attach it again");
    CHECK(open_at(r.fid, "out/x", FS_O_CREAT, FS_OPEN_WRITE, &f) == FS_E_NOTCAPABLE,
          "followed, it is refused");
    fs_conn_free(conn);
    sf = fopen(sentinel, "r");
    char text[32] = "";
    CHECK(sf && fgets(text, sizeof text, sf) && !strcmp(text, "untouched") && !fclose(sf),
          "the file beside it is untouched: %s", text);
    DIR *dd = opendir(beside);
    int entries = 0;
    for (struct dirent *e; dd && (e = readdir(dd));)
        entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    CHECK(dd && entries == 0 && !closedir(dd), "the folder beside it is empty (%d)", entries);
    dd = opendir(top_dir);
    entries = 0;
    for (struct dirent *e; dd && (e = readdir(dd));)
        entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    CHECK(dd && entries == 3 && !closedir(dd), "nothing new beside it (%d entries)", entries);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", top_dir);
    CHECK(system(cmd) == 0, "clean up");
    printf("fs: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
