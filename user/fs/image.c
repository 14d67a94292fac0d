/*
 * The image's files as a read-only memfs tree (image.h).
 */
#include "lib/fmt.h"
#include "user/fs/image.h"
#include "user/lib/ustar_header.h"
#include "user/sdk/atoll.h"

#define BLOCK USTAR_BLOCK

static atoll_handle area = -1;

int image_read(uint64_t off, void *buf, size_t n)
{
    return atoll_vma_write(area, ATOLL_SELF, (int64_t)off, atoll_off(buf), (int64_t)n) ==
                   ATOLL_OK
               ? FS_E_OK
               : FS_E_IO;
}

/* A NUL-terminated field of at most len bytes. */
static size_t field(const uint8_t *f, size_t len)
{
    size_t n = 0;
    while (n < len && f[n])
        n++;
    return n;
}

/* Adds one entry at path (its components checked) of type t. */
static int add(struct fs_backend *be, struct fs_node *root, const char *path, size_t len,
               uint8_t t, uint64_t off, uint64_t size, const char *link, size_t link_len)
{
    struct fs_node *dir = be->dup(be, root);
    int e = FS_E_OK;
    size_t pos = 0;
    for (;;) {
        while (pos < len && path[pos] == '/')
            pos++;
        size_t start = pos;
        while (pos < len && path[pos] != '/')
            pos++;
        size_t n = pos - start;
        const char *name = path + start;
        size_t next = pos;
        while (next < len && path[next] == '/')
            next++;
        bool last = next == len;
        if (n == 0) {                   /* "" or "./": the root itself */
            break;
        }
        if (n == 1 && name[0] == '.') {
            if (last)
                break;
            continue;
        }
        if ((n == 2 && name[0] == '.' && name[1] == '.') || n > FS_NAME_MAX) {
            e = FS_E_INVAL;
            break;
        }
        if (!last || t == '5') {
            struct fs_node *sub = memfs_add_dir(be, dir, name, n, true, &e);
            be->put(be, dir);
            dir = sub;
            if (e || last)
                break;
            continue;
        }
        if (t == '2')
            e = memfs_add_symlink(be, dir, name, n, link, link_len);
        else
            e = memfs_add_file(be, dir, name, n, off, size);
        break;
    }
    if (dir)
        be->put(be, dir);
    return e;
}

int image_load(struct fs_backend *be, struct fs_node *root, int32_t vma, int64_t size,
               char *why, size_t why_size)
{
    static uint8_t h[BLOCK];
    static char path[256 + 1 + 155];
    area = vma;
    why[0] = 0;
    int files = 0;
    for (int64_t off = 0; off + BLOCK <= size;) {
        if (image_read((uint64_t)off, h, BLOCK)) {
            fmt_snprintf(why, why_size, "unreadable at %lld", (long long)off);
            return files;
        }
        int64_t ssize = 0;
        enum ustar_check check = ustar_header(h, &ssize);
        if (check == USTAR_END)
            return files;
        if (check != USTAR_OK) {
            fmt_snprintf(why, why_size, "a damaged header at %lld", (long long)off);
            return files;
        }
        uint64_t fsize = (uint64_t)ssize;
        int64_t data = off + BLOCK;
        if (fsize > (uint64_t)(size - data)) {
            fmt_snprintf(why, why_size, "an entry at %lld runs past the archive", (long long)off);
            return files;
        }
        size_t plen = field(h + USTAR_OFF_PREFIX, USTAR_LEN_PREFIX), nlen = field(h + USTAR_OFF_NAME, USTAR_LEN_NAME);
        memcpy(path, h + USTAR_OFF_PREFIX, plen);
        if (plen)
            path[plen++] = '/';
        memcpy(path + plen, h, nlen);
        plen += nlen;
        uint8_t t = h[USTAR_OFF_TYPE] ? h[USTAR_OFF_TYPE] : '0';
        if (t == '0' || t == '5' || t == '2') {
            int e = add(be, root, path, plen, t, (uint64_t)data, fsize,
                        (const char *)h + USTAR_OFF_LINK, field(h + USTAR_OFF_LINK, USTAR_LEN_LINK));
            if (e && !why[0]) {
                path[plen] = 0;
                fmt_snprintf(why, why_size, "%s: errno %d (left out)", path, e);
            }
            files += !e && t == '0';
        }
        off = data + (int64_t)((fsize + BLOCK - 1) / BLOCK * BLOCK);
    }
    return files;
}
