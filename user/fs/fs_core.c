/*
 * The file service's protocol engine (fs_core.h): fids, path walks and
 * the answer to each request, over a store (fs_backend.h).
 *
 * A walk resolves a path beneath a directory fid one name at a time: "."
 * stays, ".." goes back up the walk's own stack (never above the fid: its
 * root is the bottom of the stack), a symlink's text is spliced in front
 * of the rest of the path (an absolute one leaves the sandbox), at most
 * SYMLINKS_MAX of them. The last name is left to the operation, which
 * knows whether it must exist, be made, or be followed.
 */
#include <stdlib.h>
#include <string.h>

#include "user/fs/fs_core.h"

#define SYMLINKS_MAX 40         /* as Linux's MAXSYMLINKS */
#define DEPTH_MAX    256        /* directories deep a walk may go */

struct fid {
    struct fs_node *node;       /* NULL: the slot is free */
    uint8_t type;               /* FS_T_* */
    uint8_t want;               /* FS_OPEN_* it was opened for */
};

struct fs_conn {
    struct fs_backend *be;
    struct fid fids[FS_FIDS_MAX];
};

struct walk {
    struct fs_backend *be;
    struct fs_node *stack[DEPTH_MAX + 1];   /* [0]: the fid's node, not held */
    int depth;
    char name[FS_NAME_MAX + 1];             /* the last name; */
    size_t nlen;                            /* 0: the path names stack[depth] itself */
    bool slash;                             /* the path ended in '/' */
    char buf[2][2 * FS_PATH_MAX];           /* the rest of the path, symlinks spliced */
};

/* Two walks at most per request (rename, link); one thread serves. */
static struct walk walks[2];

struct fs_conn *fs_conn_new(struct fs_backend *be)
{
    struct fs_conn *c = calloc(1, sizeof *c);
    if (c)
        c->be = be;
    return c;
}

void fs_conn_free(struct fs_conn *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < FS_FIDS_MAX; i++)
        if (c->fids[i].node)
            c->be->put(c->be, c->fids[i].node);
    free(c);
}

static void walk_done(struct walk *w)
{
    while (w->depth > 0)
        w->be->put(w->be, w->stack[w->depth--]);
}

static struct fs_node *walk_dir(const struct walk *w)
{
    return w->stack[w->depth];
}

static int node_type(struct fs_backend *be, struct fs_node *n, uint8_t *type)
{
    struct fs_filestat st;
    int e = be->stat(be, n, &st);
    if (!e)
        *type = st.filetype;
    return e;
}

/* Walks path beneath root. On success the caller owns w (walk_done) and
 * the target is walk_dir(w) itself (nlen 0) or its entry w->name, which
 * need not exist. follow: a symlink as the last name is followed too (a
 * trailing '/' follows it as well). */
static int walk(struct walk *w, struct fs_backend *be, struct fs_node *root, const char *path,
                size_t len, bool follow)
{
    w->be = be;
    w->depth = 0;
    w->stack[0] = root;
    w->nlen = 0;
    w->slash = false;
    if (len == 0)
        return FS_E_NOENT;
    if (len > FS_PATH_MAX)
        return FS_E_NAMETOOLONG;
    if (memchr(path, 0, len))
        return FS_E_INVAL;
    if (path[0] == '/')
        return FS_E_NOTCAPABLE;
    int cur = 0, links = 0;
    char *rem = w->buf[cur];
    memcpy(rem, path, len);
    size_t rlen = len, pos = 0;
    for (;;) {
        while (pos < rlen && rem[pos] == '/')
            pos++;
        if (pos == rlen) {
            w->slash = true;            /* "dir/": the directory itself */
            return FS_E_OK;
        }
        size_t start = pos;
        while (pos < rlen && rem[pos] != '/')
            pos++;
        const char *name = rem + start;
        size_t n = pos - start, after = pos;
        while (after < rlen && rem[after] == '/')
            after++;
        bool last = after == rlen, trailing = last && pos < rlen;
        int e = FS_E_OK;
        if (n > FS_NAME_MAX) {
            e = FS_E_NAMETOOLONG;
        } else if (n == 1 && name[0] == '.') {
            if (last) {
                w->slash = trailing;
                return FS_E_OK;
            }
            continue;
        } else if (n == 2 && name[0] == '.' && name[1] == '.') {
            if (w->depth == 0) {
                e = FS_E_NOTCAPABLE;
            } else {
                be->put(be, w->stack[w->depth--]);
                if (last) {
                    w->slash = trailing;
                    return FS_E_OK;
                }
                continue;
            }
        }
        if (e) {
            walk_done(w);
            return e;
        }
        if (last && !follow && !trailing) {
            memcpy(w->name, name, n);
            w->name[n] = 0;
            w->nlen = n;
            return FS_E_OK;
        }
        struct fs_node *node;
        uint8_t type = FS_T_UNKNOWN;
        e = be->lookup(be, walk_dir(w), name, n, &node);
        if (e == FS_E_NOENT && last) {
            memcpy(w->name, name, n);   /* to be made, or not found by the op */
            w->name[n] = 0;
            w->nlen = n;
            w->slash = trailing;
            return FS_E_OK;
        }
        if (!e) {
            e = node_type(be, node, &type);
            if (e)
                be->put(be, node);
        }
        if (e) {
            walk_done(w);
            return e;
        }
        if (type == FS_T_SYMLINK) {
            char *next = w->buf[cur ^ 1];
            size_t tlen = 0, rest = rlen - pos;
            e = ++links > SYMLINKS_MAX ? FS_E_LOOP
                                       : be->readlink(be, node, next, FS_PATH_MAX, &tlen);
            be->put(be, node);
            /* The text and the rest must fit the buffer together: each
             * splice may lengthen the path. */
            if (!e && (tlen > FS_PATH_MAX || tlen + rest > sizeof w->buf[0]))
                e = FS_E_NAMETOOLONG;
            else if (!e && tlen == 0)
                e = FS_E_NOENT;
            else if (!e && next[0] == '/')
                e = FS_E_NOTCAPABLE;
            if (e) {
                walk_done(w);
                return e;
            }
            memmove(next + tlen, rem + pos, rest);   /* the rest, its slashes kept */
            cur ^= 1;
            rem = next;
            rlen = tlen + rest;
            pos = 0;
            continue;
        }
        if (last) {
            be->put(be, node);
            memcpy(w->name, name, n);
            w->name[n] = 0;
            w->nlen = n;
            w->slash = trailing;
            return FS_E_OK;
        }
        if (type != FS_T_DIR || w->depth == DEPTH_MAX) {
            be->put(be, node);
            walk_done(w);
            return type != FS_T_DIR ? FS_E_NOTDIR : FS_E_NAMETOOLONG;
        }
        w->stack[++w->depth] = node;
    }
}

/* ---- fids ---- */

static struct fid *fid_get(struct fs_conn *c, uint32_t fid)
{
    return fid < FS_FIDS_MAX && c->fids[fid].node ? &c->fids[fid] : NULL;
}

/* A fid for node (taken over, even on failure). */
static int fid_new(struct fs_conn *c, struct fs_node *node, uint8_t want, uint32_t *out)
{
    uint8_t type;
    int e = node_type(c->be, node, &type);
    for (uint32_t i = 0; !e && i < FS_FIDS_MAX; i++) {
        if (c->fids[i].node)
            continue;
        c->fids[i] = (struct fid){ node, type, want };
        *out = i;
        return FS_E_OK;
    }
    c->be->put(c->be, node);
    return e ? e : FS_E_MFILE;
}

/* ---- requests ---- */

struct req {
    const struct fs_req *h;
    const char *p1, *p2;        /* path1 (or data) and path2 */
    struct fs_reply *r;
    uint8_t *out;               /* the answer's bytes, FS_DATA_MAX */
};

static int need_dir(struct fs_conn *c, uint32_t fid, struct fid **f)
{
    *f = fid_get(c, fid);
    if (!*f)
        return FS_E_BADF;
    return (*f)->type == FS_T_DIR ? FS_E_OK : FS_E_NOTDIR;
}

/* Walks path (p, len bytes) beneath directory fid into w, as walk does:
 * on success the caller owns w (walk_done). */
static int walk_fid(struct fs_conn *c, uint32_t fid, const char *p, uint32_t len, bool follow,
                    struct walk *w)
{
    struct fid *d;
    int e = need_dir(c, fid, &d);
    return e ? e : walk(w, c->be, d->node, p, len, follow);
}

static int do_attach(struct fs_conn *c, struct req *q)
{
    struct fs_node *n;
    int e = c->be->attach(c->be, q->p1, q->h->len1, &n);
    if (e)
        return e;
    uint8_t type;
    if ((e = node_type(c->be, n, &type)) == FS_E_OK && type != FS_T_DIR)
        e = FS_E_NOTDIR;
    if (e) {
        c->be->put(c->be, n);
        return e;
    }
    return fid_new(c, n, FS_OPEN_READ, &q->r->fid);
}

static int do_open(struct fs_conn *c, struct req *q)
{
    const struct fs_req *h = q->h;
    struct fid *d;
    int e = need_dir(c, h->fid, &d);
    if (e)
        return e;
    uint32_t want = h->want & (FS_OPEN_READ | FS_OPEN_WRITE), oflags = h->oflags;
    if (oflags & ~(FS_O_CREAT | FS_O_DIRECTORY | FS_O_EXCL | FS_O_TRUNC))
        return FS_E_INVAL;
    struct walk *w = &walks[0];
    e = walk(w, c->be, d->node, q->p1, h->len1, h->flags & FS_LOOKUP_FOLLOW);
    if (e)
        return e;
    struct fs_node *n = NULL;
    if (w->nlen == 0) {
        if ((oflags & (FS_O_CREAT | FS_O_EXCL)) == (FS_O_CREAT | FS_O_EXCL))
            e = FS_E_EXIST;
        else if ((want & FS_OPEN_WRITE) || (oflags & FS_O_TRUNC))
            e = FS_E_ISDIR;
        else
            e = c->be->reopen(c->be, walk_dir(w), want, &n);
    } else {
        if (w->slash && (oflags & FS_O_CREAT))
            e = FS_E_ISDIR;
        else
            e = c->be->open(c->be, walk_dir(w), w->name, w->nlen,
                            oflags | (w->slash ? FS_O_DIRECTORY : 0), want, &n);
    }
    walk_done(w);
    if (e)
        return e;
    e = fid_new(c, n, (uint8_t)want, &q->r->fid);
    if (!e)
        q->r->value = c->fids[q->r->fid].type;
    return e;
}

static int do_clunk(struct fs_conn *c, struct req *q)
{
    struct fid *f = fid_get(c, q->h->fid);
    if (!f)
        return FS_E_BADF;
    c->be->put(c->be, f->node);
    f->node = NULL;
    return FS_E_OK;
}

static int need_file(struct fs_conn *c, uint32_t fid, uint8_t want, struct fid **f)
{
    *f = fid_get(c, fid);
    if (!*f)
        return FS_E_BADF;
    if ((*f)->type == FS_T_DIR)
        return FS_E_ISDIR;
    return ((*f)->want & want) == want ? FS_E_OK : FS_E_BADF;
}

static int do_read(struct fs_conn *c, struct req *q)
{
    struct fid *f;
    int e = need_file(c, q->h->fid, FS_OPEN_READ, &f);
    if (e)
        return e;
    size_t n = q->h->b < FS_DATA_MAX ? (size_t)q->h->b : FS_DATA_MAX, got = 0;
    e = c->be->read(c->be, f->node, q->h->a, q->out, n, &got);
    if (!e)
        q->r->len = (uint32_t)got;
    return e;
}

static int do_write(struct fs_conn *c, struct req *q)
{
    struct fid *f;
    int e = need_file(c, q->h->fid, FS_OPEN_WRITE, &f);
    if (e)
        return e;
    if (q->h->a > INT64_MAX - (uint64_t)q->h->len1)
        return FS_E_FBIG;
    size_t done = 0;
    uint64_t end = 0;
    e = c->be->write(c->be, f->node, q->h->a, q->h->flags & FS_WRITE_APPEND, q->p1, q->h->len1,
                     &done, &end);
    q->r->value = done;
    q->r->value2 = end;
    return e;
}

static int stat_out(struct fs_conn *c, struct req *q, struct fs_node *n)
{
    struct fs_filestat st;
    int e = c->be->stat(c->be, n, &st);
    if (!e) {
        memcpy(q->out, &st, sizeof st);
        q->r->len = sizeof st;
    }
    return e;
}

static int do_stat(struct fs_conn *c, struct req *q)
{
    struct fid *f = fid_get(c, q->h->fid);
    return f ? stat_out(c, q, f->node) : FS_E_BADF;
}

/* The node a finished walk names, which must exist (a directory if the
 * path ended in '/'): stat and times act on it. */
static int walk_target(struct fs_conn *c, struct walk *w, struct fs_node **n)
{
    if (w->nlen == 0) {
        *n = c->be->dup(c->be, walk_dir(w));
        return FS_E_OK;
    }
    int e = c->be->lookup(c->be, walk_dir(w), w->name, w->nlen, n);
    uint8_t type;
    if (!e && w->slash && ((e = node_type(c->be, *n, &type)) != FS_E_OK || type != FS_T_DIR)) {
        c->be->put(c->be, *n);
        e = e ? e : FS_E_NOTDIR;
    }
    return e;
}

static int do_stat_path(struct fs_conn *c, struct req *q)
{
    struct walk *w = &walks[0];
    int e = walk_fid(c, q->h->fid, q->p1, q->h->len1, q->h->flags & FS_LOOKUP_FOLLOW, w);
    if (e)
        return e;
    struct fs_node *n;
    e = walk_target(c, w, &n);
    if (!e) {
        e = stat_out(c, q, n);
        c->be->put(c->be, n);
    }
    walk_done(w);
    return e;
}

static int do_set_size(struct fs_conn *c, struct req *q)
{
    struct fid *f;
    int e = need_file(c, q->h->fid, FS_OPEN_WRITE, &f);
    if (!e && q->h->a > INT64_MAX)
        e = FS_E_FBIG;
    return e ? e : c->be->set_size(c->be, f->node, q->h->a);
}

static int times_valid(uint32_t fst)
{
    if (fst & ~(FS_ATIM | FS_ATIM_NOW | FS_MTIM | FS_MTIM_NOW))
        return FS_E_INVAL;
    if ((fst & FS_ATIM && fst & FS_ATIM_NOW) || (fst & FS_MTIM && fst & FS_MTIM_NOW))
        return FS_E_INVAL;
    return FS_E_OK;
}

static int do_set_times(struct fs_conn *c, struct req *q)
{
    struct fid *f = fid_get(c, q->h->fid);
    int e = f ? times_valid(q->h->flags) : FS_E_BADF;
    return e ? e : c->be->set_times(c->be, f->node, q->h->a, q->h->b, q->h->flags);
}

static int do_set_times_path(struct fs_conn *c, struct req *q)
{
    struct fid *d;
    int e = need_dir(c, q->h->fid, &d);
    if (!e)
        e = times_valid(q->h->flags);
    struct walk *w = &walks[0];
    if (!e)
        e = walk(w, c->be, d->node, q->p1, q->h->len1, q->h->oflags & FS_LOOKUP_FOLLOW);
    if (e)
        return e;
    if (w->nlen == 0) {
        e = c->be->set_times(c->be, walk_dir(w), q->h->a, q->h->b, q->h->flags);
    } else {
        struct fs_node *n;
        e = walk_target(c, w, &n);      /* it must exist, and be a directory with '/' */
        if (!e) {
            c->be->put(c->be, n);
            e = c->be->set_times_at(c->be, walk_dir(w), w->name, w->nlen, q->h->a, q->h->b,
                                    q->h->flags);
        }
    }
    walk_done(w);
    return e;
}

/* Entries from the cookie on, as many bytes as asked: the last one may be
 * cut, as WASI's fd_readdir fills the buffer whole to say there is more. */
static int do_readdir(struct fs_conn *c, struct req *q)
{
    struct fid *d;
    int e = need_dir(c, q->h->fid, &d);
    if (e)
        return e;
    size_t room = q->h->b < FS_DATA_MAX ? (size_t)q->h->b : FS_DATA_MAX, used = 0;
    uint64_t cookie = q->h->a;
    static char name[FS_NAME_MAX + 1];
    while (used < room) {
        struct fs_dirent de;
        bool end = false;
        e = c->be->readdir(c->be, d->node, cookie, &de, name, &end);
        if (e)
            return e;
        if (end) {
            q->r->value = 1;
            break;
        }
        size_t n = room - used < sizeof de ? room - used : sizeof de;
        memcpy(q->out + used, &de, n);
        used += n;
        n = room - used < de.namlen ? room - used : de.namlen;
        memcpy(q->out + used, name, n);
        used += n;
        cookie = de.next;
    }
    q->r->len = (uint32_t)used;
    return FS_E_OK;
}

static int do_mkdir(struct fs_conn *c, struct req *q)
{
    struct walk *w = &walks[0];
    int e = walk_fid(c, q->h->fid, q->p1, q->h->len1, false, w);
    if (e)
        return e;
    e = w->nlen == 0 ? FS_E_EXIST : c->be->mkdir(c->be, walk_dir(w), w->name, w->nlen);
    walk_done(w);
    return e;
}

/* rmdir and unlink: a name ending in '/' must be a directory. */
static int do_remove(struct fs_conn *c, struct req *q, bool dir)
{
    struct walk *w = &walks[0];
    int e = walk_fid(c, q->h->fid, q->p1, q->h->len1, false, w);
    if (e)
        return e;
    if (w->nlen == 0) {
        e = dir ? FS_E_INVAL : FS_E_ISDIR;
    } else if (w->slash) {
        struct fs_node *n;
        uint8_t type = 0;
        e = c->be->lookup(c->be, walk_dir(w), w->name, w->nlen, &n);
        if (!e) {
            e = node_type(c->be, n, &type);
            c->be->put(c->be, n);
        }
        if (!e && type != FS_T_DIR)
            e = FS_E_NOTDIR;
        if (!e && !dir)
            e = FS_E_ISDIR;
    }
    if (!e)
        e = dir ? c->be->rmdir(c->be, walk_dir(w), w->name, w->nlen)
                : c->be->unlink(c->be, walk_dir(w), w->name, w->nlen);
    walk_done(w);
    return e;
}

static int do_symlink(struct fs_conn *c, struct req *q)
{
    struct fid *d;
    int e = need_dir(c, q->h->fid, &d);
    if (!e && (q->h->len1 == 0 || memchr(q->p1, 0, q->h->len1)))
        e = q->h->len1 ? FS_E_INVAL : FS_E_NOENT;
    if (!e && q->h->len1 > FS_PATH_MAX)
        e = FS_E_NAMETOOLONG;
    /* A link out of every sandbox could never be followed: refuse it now. */
    if (!e && q->p1[0] == '/')
        e = FS_E_NOTCAPABLE;
    struct walk *w = &walks[0];
    if (!e)
        e = walk(w, c->be, d->node, q->p2, q->h->len2, false);
    if (e)
        return e;
    if (w->nlen == 0) {
        e = FS_E_EXIST;
    } else if (w->slash) {
        /* "link/" names a directory: one there already is EXIST, none
         * NOENT (a symlink is not one). */
        struct fs_node *n;
        e = c->be->lookup(c->be, walk_dir(w), w->name, w->nlen, &n);
        if (!e) {
            c->be->put(c->be, n);
            e = FS_E_EXIST;
        }
    }
    if (!e)
        e = c->be->symlink(c->be, walk_dir(w), w->name, w->nlen, q->p1, q->h->len1);
    walk_done(w);
    return e;
}

static int do_readlink(struct fs_conn *c, struct req *q)
{
    struct walk *w = &walks[0];
    int e = walk_fid(c, q->h->fid, q->p1, q->h->len1, false, w);
    if (e)
        return e;
    struct fs_node *n = NULL;
    uint8_t type = 0;
    e = w->nlen == 0 ? FS_E_INVAL : c->be->lookup(c->be, walk_dir(w), w->name, w->nlen, &n);
    if (!e) {
        e = node_type(c->be, n, &type);
        if (!e && (type != FS_T_SYMLINK || w->slash))
            e = FS_E_INVAL;
        size_t len = 0;
        if (!e)
            e = c->be->readlink(c->be, n, (char *)q->out, FS_DATA_MAX, &len);
        if (!e) {
            q->r->value = len;
            q->r->len = (uint32_t)(len < FS_DATA_MAX ? len : FS_DATA_MAX);
        }
        c->be->put(c->be, n);
    }
    walk_done(w);
    return e;
}

/* The type of an existing entry (FS_E_NOENT if none). */
static int entry_type(struct fs_conn *c, struct walk *w, uint8_t *type)
{
    struct fs_node *n;
    int e = c->be->lookup(c->be, walk_dir(w), w->name, w->nlen, &n);
    if (!e) {
        e = node_type(c->be, n, type);
        c->be->put(c->be, n);
    }
    return e;
}

static int do_rename(struct fs_conn *c, struct req *q)
{
    struct fid *d1, *d2;
    int e = need_dir(c, q->h->fid, &d1);
    if (!e)
        e = need_dir(c, q->h->fid2, &d2);
    struct walk *w1 = &walks[0], *w2 = &walks[1];
    if (!e)
        e = walk(w1, c->be, d1->node, q->p1, q->h->len1, false);
    if (e)
        return e;
    e = walk(w2, c->be, d2->node, q->p2, q->h->len2, false);
    if (e) {
        walk_done(w1);
        return e;
    }
    uint8_t t1 = 0, t2 = 0;
    if (w1->nlen == 0 || w2->nlen == 0)
        e = FS_E_BUSY;
    if (!e)
        e = entry_type(c, w1, &t1);
    if (!e && t1 != FS_T_DIR && (w1->slash || w2->slash))
        e = FS_E_NOTDIR;
    if (!e) {
        int e2 = entry_type(c, w2, &t2);
        if (e2 == FS_E_OK && t2 == FS_T_DIR && t1 != FS_T_DIR)
            e = FS_E_ISDIR;
        else if (e2 == FS_E_OK && t2 != FS_T_DIR && t1 == FS_T_DIR)
            e = FS_E_NOTDIR;
    }
    if (!e)
        e = c->be->rename(c->be, walk_dir(w1), w1->name, w1->nlen, walk_dir(w2), w2->name,
                          w2->nlen);
    walk_done(w2);
    walk_done(w1);
    return e;
}

static int do_link(struct fs_conn *c, struct req *q)
{
    struct fid *d1, *d2;
    int e = need_dir(c, q->h->fid, &d1);
    if (!e)
        e = need_dir(c, q->h->fid2, &d2);
    struct walk *w1 = &walks[0], *w2 = &walks[1];
    if (!e)
        e = walk(w1, c->be, d1->node, q->p1, q->h->len1, q->h->flags & FS_LOOKUP_FOLLOW);
    if (e)
        return e;
    e = walk(w2, c->be, d2->node, q->p2, q->h->len2, false);
    if (e) {
        walk_done(w1);
        return e;
    }
    uint8_t t1 = 0, t2 = 0;
    if (w2->nlen == 0)
        e = FS_E_EXIST;
    else if (w1->nlen == 0)
        e = FS_E_PERM;                  /* a directory: no hard links to one */
    if (!e)
        e = entry_type(c, w1, &t1);
    if (!e && t1 == FS_T_DIR)
        e = FS_E_PERM;
    if (!e && w1->slash)
        e = FS_E_NOTDIR;
    if (!e && entry_type(c, w2, &t2) == FS_E_OK)
        e = FS_E_EXIST;
    if (!e && w2->slash)
        e = FS_E_NOENT;
    if (!e)
        e = c->be->link(c->be, walk_dir(w1), w1->name, w1->nlen, walk_dir(w2), w2->name,
                        w2->nlen);
    walk_done(w2);
    walk_done(w1);
    return e;
}

static int do_sync(struct fs_conn *c, struct req *q)
{
    struct fid *f = fid_get(c, q->h->fid);
    return f ? c->be->sync(c->be, f->node) : FS_E_BADF;
}

static int do_allocate(struct fs_conn *c, struct req *q)
{
    struct fid *f;
    int e = need_file(c, q->h->fid, FS_OPEN_WRITE, &f);
    if (e)
        return e;
    if (q->h->a > INT64_MAX || q->h->b > INT64_MAX - q->h->a)
        return FS_E_FBIG;
    struct fs_filestat st;
    e = c->be->stat(c->be, f->node, &st);
    if (!e && st.size < q->h->a + q->h->b)
        e = c->be->set_size(c->be, f->node, q->h->a + q->h->b);
    return e;
}

size_t fs_serve(struct fs_conn *c, const void *req, size_t len, void *reply)
{
    struct fs_reply *r = reply;
    memset(r, 0, sizeof *r);
    struct fs_req h;
    if (len < sizeof h) {
        r->err = FS_E_INVAL;
        return sizeof *r;
    }
    memcpy(&h, req, sizeof h);
    const char *body = (const char *)req + sizeof h;
    if ((uint64_t)h.len1 + h.len2 != len - sizeof h) {
        r->err = FS_E_INVAL;
        return sizeof *r;
    }
    struct req q = { &h, body, body + h.len1, r, (uint8_t *)reply + sizeof *r };
    static int (*const ops[FS_OP_END])(struct fs_conn *, struct req *) = {
        [FS_ATTACH] = do_attach,     [FS_OPEN] = do_open,
        [FS_CLUNK] = do_clunk,       [FS_READ] = do_read,
        [FS_WRITE] = do_write,       [FS_STAT] = do_stat,
        [FS_STAT_PATH] = do_stat_path, [FS_SET_SIZE] = do_set_size,
        [FS_SET_TIMES] = do_set_times, [FS_SET_TIMES_PATH] = do_set_times_path,
        [FS_READDIR] = do_readdir,   [FS_MKDIR] = do_mkdir,
        [FS_SYMLINK] = do_symlink,   [FS_READLINK] = do_readlink,
        [FS_RENAME] = do_rename,     [FS_LINK] = do_link,
        [FS_SYNC] = do_sync,         [FS_ALLOCATE] = do_allocate,
    };
    int e;
    if (h.op == FS_RMDIR || h.op == FS_UNLINK)
        e = do_remove(c, &q, h.op == FS_RMDIR);
    else if (h.op < FS_OP_END && ops[h.op])
        e = ops[h.op](c, &q);
    else
        e = FS_E_NOSYS;
    r->err = (uint32_t)e;
    if (e)
        r->len = 0;
    return sizeof *r + r->len;
}
