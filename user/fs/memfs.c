/*
 * The file service's store in memory (memfs.h).
 *
 * A directory keeps its entries in the order they were made, each with a
 * sequence number that never changes: a readdir cookie is the number of
 * the next entry to give, so a listing goes on correctly while entries
 * come and go. Cookies 0 and 1 are "." and "..".
 *
 * A node lives while a directory entry names it (links) or a fid or walk
 * holds it (refs): an unlinked file stays readable through an open fid,
 * as POSIX has it.
 */
#include <stdlib.h>
#include <string.h>

#include "user/fs/memfs.h"

#define FILE_MAX 0xffffffffull          /* bytes: a 32-bit store can hold no more */

struct entry {
    struct fs_node *node;
    uint64_t seq;
    uint32_t len;
    char name[];
};

struct fs_node {
    int refs;
    uint32_t links;
    uint8_t type;
    bool ro;
    bool outside;                       /* its bytes are the source's, at src_off */
    uint64_t ino, atim, mtim, ctim;
    uint8_t *data;                      /* a file's bytes, a symlink's text */
    uint64_t size, cap, src_off;
    struct entry **ents;                /* a directory's */
    uint32_t n, ecap;
    uint64_t next_seq;
    struct fs_node *parent;             /* a directory's, while it is linked */
};

struct memfs {
    struct fs_backend be;               /* first: the store is its backend */
    uint64_t (*now)(void);
    memfs_source source;
    struct fs_node *root;
    uint64_t next_ino, bytes;
};

static struct memfs *M(struct fs_backend *be)
{
    return (struct memfs *)be;
}

static struct fs_node *node_new(struct memfs *m, uint8_t type)
{
    struct fs_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->type = type;
    n->ino = ++m->next_ino;
    n->atim = n->mtim = n->ctim = m->now();
    n->next_seq = 2;
    return n;
}

static void node_free(struct memfs *m, struct fs_node *n)
{
    if (!n->outside) {
        m->bytes -= n->cap;
        free(n->data);
    }
    free(n->ents);
    free(n);
}

static void maybe_free(struct memfs *m, struct fs_node *n)
{
    if (n->refs == 0 && n->links == 0)
        node_free(m, n);
}

static struct fs_node *m_dup(struct fs_backend *be, struct fs_node *n)
{
    (void)be;
    n->refs++;
    return n;
}

static void m_put(struct fs_backend *be, struct fs_node *n)
{
    n->refs--;
    maybe_free(M(be), n);
}

static struct entry *find(struct fs_node *dir, const char *name, size_t len, uint32_t *at)
{
    for (uint32_t i = 0; i < dir->n; i++) {
        struct entry *e = dir->ents[i];
        if (e->len == len && memcmp(e->name, name, len) == 0) {
            if (at)
                *at = i;
            return e;
        }
    }
    return NULL;
}

/* Names node in dir (a new link). */
static int link_in(struct memfs *m, struct fs_node *dir, const char *name, size_t len,
                   struct fs_node *node)
{
    /* A removed directory held open takes no new entries: they would
     * be reachable from nowhere (POSIX: ENOENT). */
    if (dir->links == 0)
        return FS_E_NOENT;
    if (dir->n == dir->ecap) {
        uint32_t cap = dir->ecap ? 2 * dir->ecap : 8;
        struct entry **ents = realloc(dir->ents, cap * sizeof *ents);
        if (!ents)
            return FS_E_NOSPC;
        dir->ents = ents;
        dir->ecap = cap;
    }
    struct entry *e = malloc(sizeof *e + len + 1);
    if (!e)
        return FS_E_NOSPC;
    e->node = node;
    e->seq = dir->next_seq++;
    e->len = (uint32_t)len;
    memcpy(e->name, name, len);
    e->name[len] = 0;
    dir->ents[dir->n++] = e;
    node->links++;
    if (node->type == FS_T_DIR)
        node->parent = dir;
    dir->mtim = dir->ctim = m->now();
    return FS_E_OK;
}

/* Removes entry `at` of dir; the node goes when nothing holds it. */
static void unlink_at(struct memfs *m, struct fs_node *dir, uint32_t at)
{
    struct entry *e = dir->ents[at];
    struct fs_node *n = e->node;
    memmove(&dir->ents[at], &dir->ents[at + 1], (dir->n - at - 1) * sizeof dir->ents[0]);
    dir->n--;
    free(e);
    n->links--;
    n->ctim = dir->mtim = dir->ctim = m->now();
    if (n->type == FS_T_DIR && n->links == 0)
        n->parent = NULL;
    maybe_free(m, n);
}

static int m_attach(struct fs_backend *be, const char *name, size_t len, struct fs_node **out)
{
    struct fs_node *n = M(be)->root;
    for (size_t pos = 0; pos < len;) {
        while (pos < len && name[pos] == '/')
            pos++;
        size_t start = pos;
        while (pos < len && name[pos] != '/')
            pos++;
        if (pos == start)
            break;
        struct entry *e = n->type == FS_T_DIR ? find(n, name + start, pos - start, NULL) : NULL;
        if (!e || e->node->type != FS_T_DIR)
            return FS_E_NOENT;
        n = e->node;
    }
    *out = m_dup(be, n);
    return FS_E_OK;
}

static int m_lookup(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                    struct fs_node **out)
{
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e = find(dir, name, len, NULL);
    if (!e)
        return FS_E_NOENT;
    *out = m_dup(be, e->node);
    return FS_E_OK;
}

static int m_stat(struct fs_backend *be, struct fs_node *n, struct fs_filestat *st)
{
    (void)be;
    memset(st, 0, sizeof *st);
    st->dev = 1;
    st->ino = n->ino;
    st->filetype = n->type;
    st->nlink = n->links;
    if (n->type == FS_T_DIR) {
        st->nlink = n->links + 1;       /* its entry and its "." */
        for (uint32_t i = 0; i < n->n; i++)
            st->nlink += n->ents[i]->node->type == FS_T_DIR;   /* their ".." */
    }
    st->size = n->type == FS_T_DIR ? 0 : n->size;
    st->atim = n->atim;
    st->mtim = n->mtim;
    st->ctim = n->ctim;
    return FS_E_OK;
}

static int m_readlink(struct fs_backend *be, struct fs_node *n, char *buf, size_t cap,
                      size_t *len)
{
    (void)be;
    if (n->type != FS_T_SYMLINK)
        return FS_E_INVAL;
    memcpy(buf, n->data, n->size < cap ? n->size : cap);
    *len = n->size;
    return FS_E_OK;
}

/* The bytes of file n are at least size long (zeros added). */
static int grow(struct memfs *m, struct fs_node *n, uint64_t size)
{
    if (size > FILE_MAX)
        return FS_E_FBIG;
    if (size > n->cap) {
        uint64_t cap = n->cap ? n->cap : 64;
        while (cap < size)
            cap = cap * 2 > FILE_MAX ? FILE_MAX : cap * 2;
        uint8_t *d = realloc(n->data, cap);
        if (!d)
            return FS_E_NOSPC;
        m->bytes += cap - n->cap;
        n->data = d;
        n->cap = cap;
    }
    if (size > n->size)
        memset(n->data + n->size, 0, size - n->size);
    return FS_E_OK;
}

static int m_set_size(struct fs_backend *be, struct fs_node *n, uint64_t size)
{
    struct memfs *m = M(be);
    if (n->type == FS_T_CHAR)
        return FS_E_OK;                 /* O_TRUNC on the null device: nothing to cut */
    if (n->ro)
        return FS_E_ROFS;
    if (n->type != FS_T_FILE)
        return n->type == FS_T_DIR ? FS_E_ISDIR : FS_E_INVAL;
    int e = grow(m, n, size);
    if (e)
        return e;
    /* A file cut to less than a quarter gives memory back. */
    if (size < n->cap / 4 && n->cap > 4096) {
        uint8_t *d = realloc(n->data, size ? size : 1);
        if (d) {
            m->bytes -= n->cap - (size ? size : 1);
            n->data = d;
            n->cap = size ? size : 1;
        }
    }
    n->size = size;
    n->mtim = n->ctim = m->now();
    return FS_E_OK;
}

/* A new node of type in dir under name: the checks every maker shares.
 * building: the image's tree is being made, so a read-only dir takes it. */
static int make(struct memfs *m, struct fs_node *dir, const char *name, size_t len,
                uint8_t type, bool building, struct fs_node **out)
{
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    if (find(dir, name, len, NULL))
        return FS_E_EXIST;
    if (dir->ro && !building)
        return FS_E_ROFS;
    struct fs_node *n = node_new(m, type);
    if (!n)
        return FS_E_NOSPC;
    int e = link_in(m, dir, name, len, n);
    if (e) {
        node_free(m, n);
        return e;
    }
    *out = n;
    return FS_E_OK;
}

static int m_open(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                  uint32_t oflags, uint32_t want, struct fs_node **out)
{
    struct memfs *m = M(be);
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e = find(dir, name, len, NULL);
    if (!e) {
        if (!(oflags & FS_O_CREAT))
            return FS_E_NOENT;
        if (oflags & FS_O_DIRECTORY)
            return FS_E_INVAL;
        struct fs_node *n;
        int err = make(m, dir, name, len, FS_T_FILE, false, &n);
        if (!err)
            *out = m_dup(be, n);
        return err;
    }
    struct fs_node *n = e->node;
    bool writes = (want & FS_OPEN_WRITE) || (oflags & FS_O_TRUNC);
    if ((oflags & (FS_O_CREAT | FS_O_EXCL)) == (FS_O_CREAT | FS_O_EXCL))
        return FS_E_EXIST;
    if (n->type == FS_T_SYMLINK)
        return FS_E_LOOP;               /* O_NOFOLLOW: the walk follows, not open */
    if ((oflags & FS_O_DIRECTORY) && n->type != FS_T_DIR)
        return FS_E_NOTDIR;
    if (n->type == FS_T_DIR && writes)
        return FS_E_ISDIR;
    if (writes && n->ro)
        return FS_E_ROFS;
    if (oflags & FS_O_TRUNC) {
        int err = m_set_size(be, n, 0);
        if (err)
            return err;
    }
    *out = m_dup(be, n);
    return FS_E_OK;
}

static int m_reopen(struct fs_backend *be, struct fs_node *n, uint32_t want,
                    struct fs_node **out)
{
    (void)want;
    *out = m_dup(be, n);
    return FS_E_OK;
}

static int m_mkdir(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    struct fs_node *n;
    return make(M(be), dir, name, len, FS_T_DIR, false, &n);
}

static int set_text(struct memfs *m, struct fs_node *n, const char *target, size_t tlen)
{
    n->data = malloc(tlen ? tlen : 1);
    if (!n->data)
        return FS_E_NOSPC;
    memcpy(n->data, target, tlen);
    n->size = tlen;
    n->cap = tlen ? tlen : 1;
    m->bytes += n->cap;
    return FS_E_OK;
}

static int m_symlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                     const char *target, size_t tlen)
{
    struct memfs *m = M(be);
    struct fs_node *n;
    uint32_t at;
    int e = make(m, dir, name, len, FS_T_SYMLINK, false, &n);
    if (!e && (e = set_text(m, n, target, tlen)) != FS_E_OK && find(dir, name, len, &at))
        unlink_at(m, dir, at);
    return e;
}

static int m_unlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    uint32_t at;
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e = find(dir, name, len, &at);
    if (!e)
        return FS_E_NOENT;
    if (e->node->type == FS_T_DIR)
        return FS_E_ISDIR;
    if (dir->ro)
        return FS_E_ROFS;
    unlink_at(M(be), dir, at);
    return FS_E_OK;
}

static int m_rmdir(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    uint32_t at;
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e = find(dir, name, len, &at);
    if (!e)
        return FS_E_NOENT;
    if (e->node->type != FS_T_DIR)
        return FS_E_NOTDIR;
    if (e->node->n)
        return FS_E_NOTEMPTY;
    if (dir->ro || e->node->ro)
        return FS_E_ROFS;
    unlink_at(M(be), dir, at);
    return FS_E_OK;
}

static int m_rename(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                    struct fs_node *d2, const char *n2, size_t l2)
{
    struct memfs *m = M(be);
    uint32_t at1, at2;
    if (d1->type != FS_T_DIR || d2->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e1 = find(d1, n1, l1, &at1);
    if (!e1)
        return FS_E_NOENT;
    struct fs_node *n = e1->node;
    if (d1->ro || d2->ro)
        return FS_E_ROFS;
    struct entry *e2 = find(d2, n2, l2, &at2);
    if (e2 && e2->node == n)
        return FS_E_OK;                 /* the same file under both names */
    /* A directory cannot go inside itself. */
    if (n->type == FS_T_DIR)
        for (struct fs_node *p = d2; p; p = p->parent)
            if (p == n)
                return FS_E_INVAL;
    if (e2) {
        struct fs_node *t = e2->node;
        if (t->type == FS_T_DIR && n->type != FS_T_DIR)
            return FS_E_ISDIR;
        if (t->type != FS_T_DIR && n->type == FS_T_DIR)
            return FS_E_NOTDIR;
        if (t->type == FS_T_DIR && t->n)
            return FS_E_NOTEMPTY;
    }
    /* Link first, so that running out of memory changes nothing. */
    n->refs++;
    int e = link_in(m, d2, n2, l2, n);
    if (!e) {
        find(d1, n1, l1, &at1);
        unlink_at(m, d1, at1);
        if (e2) {
            find(d2, n2, l2, &at2);     /* the old one: the first of the name */
            unlink_at(m, d2, at2);
        }
    }
    n->refs--;
    maybe_free(m, n);
    return e;
}

static int m_link(struct fs_backend *be, struct fs_node *d1, const char *n1, size_t l1,
                  struct fs_node *d2, const char *n2, size_t l2)
{
    if (d1->type != FS_T_DIR || d2->type != FS_T_DIR)
        return FS_E_NOTDIR;
    struct entry *e1 = find(d1, n1, l1, NULL);
    if (!e1)
        return FS_E_NOENT;
    if (e1->node->type == FS_T_DIR)
        return FS_E_PERM;
    if (find(d2, n2, l2, NULL))
        return FS_E_EXIST;
    if (d2->ro)
        return FS_E_ROFS;
    int e = link_in(M(be), d2, n2, l2, e1->node);
    if (!e)
        e1->node->ctim = M(be)->now();
    return e;
}

static int m_read(struct fs_backend *be, struct fs_node *n, uint64_t off, void *buf, size_t len,
                  size_t *got)
{
    if (n->type == FS_T_CHAR) {          /* the null device: always at its end */
        *got = 0;
        return FS_E_OK;
    }
    if (n->type != FS_T_FILE)
        return n->type == FS_T_DIR ? FS_E_ISDIR : FS_E_INVAL;
    *got = 0;
    if (off >= n->size)
        return FS_E_OK;
    size_t k = n->size - off < len ? (size_t)(n->size - off) : len;
    if (n->outside) {
        int e = M(be)->source(n->src_off + off, buf, k);
        if (e)
            return e;
    } else {
        memcpy(buf, n->data + off, k);
    }
    *got = k;
    return FS_E_OK;
}

static int m_write(struct fs_backend *be, struct fs_node *n, uint64_t off, bool append,
                   const void *buf, size_t len, size_t *done, uint64_t *end)
{
    struct memfs *m = M(be);
    if (n->type == FS_T_CHAR) {          /* the null device: takes all, keeps nothing */
        *done = len;
        *end = off + len;
        return FS_E_OK;
    }
    if (n->type != FS_T_FILE)
        return n->type == FS_T_DIR ? FS_E_ISDIR : FS_E_INVAL;
    if (n->ro)
        return FS_E_ROFS;
    if (append)
        off = n->size;
    if (off + len < off || off + len > FILE_MAX)
        return FS_E_FBIG;
    int e = grow(m, n, off + len);
    if (e)
        return e;
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtim = n->ctim = m->now();
    *done = len;
    *end = off + len;
    return FS_E_OK;
}

static void stamp(struct memfs *m, struct fs_node *n, uint64_t atim, uint64_t mtim,
                  uint32_t fst)
{
    uint64_t now = m->now();
    if (fst & FS_ATIM)
        n->atim = atim;
    if (fst & FS_ATIM_NOW)
        n->atim = now;
    if (fst & FS_MTIM)
        n->mtim = mtim;
    if (fst & FS_MTIM_NOW)
        n->mtim = now;
    n->ctim = now;
}

static int m_set_times(struct fs_backend *be, struct fs_node *n, uint64_t atim, uint64_t mtim,
                       uint32_t fst)
{
    if (n->ro)
        return FS_E_ROFS;
    stamp(M(be), n, atim, mtim, fst);
    return FS_E_OK;
}

static int m_set_times_at(struct fs_backend *be, struct fs_node *dir, const char *name,
                          size_t len, uint64_t atim, uint64_t mtim, uint32_t fst)
{
    struct entry *e = dir->type == FS_T_DIR ? find(dir, name, len, NULL) : NULL;
    if (!e)
        return dir->type == FS_T_DIR ? FS_E_NOENT : FS_E_NOTDIR;
    return m_set_times(be, e->node, atim, mtim, fst);
}

static int m_readdir(struct fs_backend *be, struct fs_node *dir, uint64_t cookie,
                     struct fs_dirent *d, char *name, bool *end)
{
    (void)be;
    if (dir->type != FS_T_DIR)
        return FS_E_NOTDIR;
    memset(d, 0, sizeof *d);
    *end = false;
    if (cookie < 2) {
        struct fs_node *n = cookie == 0 || !dir->parent ? dir : dir->parent;
        d->next = cookie + 1;
        d->ino = n->ino;
        d->namlen = (uint32_t)cookie + 1;
        d->type = FS_T_DIR;
        memcpy(name, "..", d->namlen);
        return FS_E_OK;
    }
    for (uint32_t i = 0; i < dir->n; i++) {
        struct entry *e = dir->ents[i];
        if (e->seq < cookie)
            continue;
        d->next = e->seq + 1;
        d->ino = e->node->ino;
        d->namlen = e->len;
        d->type = e->node->type;
        memcpy(name, e->name, e->len);
        return FS_E_OK;
    }
    *end = true;
    return FS_E_OK;
}

static int m_sync(struct fs_backend *be, struct fs_node *n)
{
    (void)be, (void)n;
    return FS_E_OK;                     /* memory is as kept as it gets */
}

struct fs_backend *memfs_new(uint64_t (*now)(void), memfs_source source)
{
    struct memfs *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->be = (struct fs_backend){
        .attach = m_attach, .dup = m_dup, .put = m_put, .lookup = m_lookup, .stat = m_stat,
        .readlink = m_readlink, .open = m_open, .reopen = m_reopen, .mkdir = m_mkdir,
        .symlink = m_symlink, .unlink = m_unlink, .rmdir = m_rmdir, .rename = m_rename,
        .link = m_link, .read = m_read, .write = m_write, .set_size = m_set_size,
        .set_times = m_set_times, .set_times_at = m_set_times_at, .readdir = m_readdir,
        .sync = m_sync,
    };
    m->now = now;
    m->source = source;
    m->root = node_new(m, FS_T_DIR);
    if (!m->root) {
        free(m);
        return NULL;
    }
    m->root->links = 1;                 /* the store names it */
    return &m->be;
}

struct fs_node *memfs_root(struct fs_backend *be)
{
    return m_dup(be, M(be)->root);
}

struct fs_node *memfs_add_dir(struct fs_backend *be, struct fs_node *dir, const char *name,
                              size_t len, bool ro, int *err)
{
    struct entry *e = find(dir, name, len, NULL);
    if (e) {
        *err = e->node->type == FS_T_DIR ? FS_E_OK : FS_E_EXIST;
        return *err ? NULL : m_dup(be, e->node);
    }
    struct fs_node *n;
    *err = make(M(be), dir, name, len, FS_T_DIR, true, &n);
    if (*err)
        return NULL;
    n->ro = ro;
    return m_dup(be, n);
}

int memfs_add_file(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                   uint64_t off, uint64_t size)
{
    struct fs_node *n;
    int e = make(M(be), dir, name, len, FS_T_FILE, true, &n);
    if (e)
        return e;
    n->ro = true;
    n->outside = true;
    n->src_off = off;
    n->size = size;
    return FS_E_OK;
}

int memfs_add_symlink(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len,
                      const char *target, size_t tlen)
{
    struct fs_node *n;
    int e = make(M(be), dir, name, len, FS_T_SYMLINK, true, &n);
    if (!e && (e = set_text(M(be), n, target, tlen)) == FS_E_OK)
        n->ro = true;
    return e;
}

int memfs_add_null(struct fs_backend *be, struct fs_node *dir, const char *name, size_t len)
{
    struct fs_node *n;
    int e = make(M(be), dir, name, len, FS_T_CHAR, true, &n);
    return e;
}

void memfs_seal(struct fs_node *dir)
{
    dir->ro = true;
}

/* Drops one link to n; a directory whose last link goes drops its
 * entries' links in turn. */
static void unlink_tree(struct memfs *m, struct fs_node *n)
{
    n->links--;
    if (n->type == FS_T_DIR && n->links == 0) {
        for (uint32_t i = 0; i < n->n; i++) {
            unlink_tree(m, n->ents[i]->node);
            free(n->ents[i]);
        }
        n->n = 0;
    }
    maybe_free(m, n);
}

void memfs_free(struct fs_backend *be)
{
    struct memfs *m = M(be);
    unlink_tree(m, m->root);
    free(m);
}

uint64_t memfs_bytes(struct fs_backend *be)
{
    return M(be)->bytes;
}
