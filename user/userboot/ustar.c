/*
 * The programs archive as a list of its regular files (ustar.h): each
 * header checked by user/lib/ustar_header.c; only the last component of
 * a name is kept (the prefix field is ignored). PAX extended headers
 * ('x', 'g') are skipped like any other type, so an archive written by
 * Python's tarfile reads as its plain ustar headers.
 */
#include "user/userboot/ustar.h"

#include "user/lib/ustar_header.h"

int tar_scan(atoll_handle vma, int64_t size, struct tar_entry *out, int max,
             char *err, size_t err_size)
{
    static uint8_t b[TAR_BLOCK];
    int n = 0;
    if (err && err_size)
        err[0] = 0;
#define FAIL(...)                                          \
    do {                                                   \
        if (err)                                           \
            fmt_snprintf(err, err_size, __VA_ARGS__);      \
        return n;                                          \
    } while (0)

    for (int64_t off = 0; size - off >= TAR_BLOCK;) {
        if (atoll_vma_write(vma, ATOLL_SELF, off, atoll_off(b), TAR_BLOCK) != ATOLL_OK)
            FAIL("offset %lld: cannot read the header", (long long)off);
        int64_t len = 0;
        switch (ustar_header(b, &len)) {
        case USTAR_END:
            return n;
        case USTAR_NOT_USTAR:
            FAIL("offset %lld: not a ustar header", (long long)off);
        case USTAR_BAD_SUM:
            FAIL("offset %lld: bad header checksum", (long long)off);
        case USTAR_BAD_SIZE:
            FAIL("offset %lld: bad size field", (long long)off);
        case USTAR_OK:
            break;
        }
        int64_t data = off + TAR_BLOCK;
        if (len > size - data)
            FAIL("offset %lld: size %lld runs past the end (%lld)", (long long)off,
                 (long long)len, (long long)size);
        int64_t next = data + (len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;

        char type = (char)b[USTAR_OFF_TYPE];
        if (type == '0' || type == 0) {
            const uint8_t *name = b + USTAR_OFF_NAME;
            const uint8_t *end = NULL;
            for (int i = 0; i < USTAR_LEN_NAME && !end; i++)
                if (name[i] == 0)
                    end = name + i;
            const uint8_t *base = name;
            for (const uint8_t *p = name; end && p < end; p++)
                if (*p == '/')
                    base = p + 1;
            if (!end) {
                if (err)
                    fmt_snprintf(err, err_size, "offset %lld: name without NUL, skipped",
                                 (long long)off);
            } else if (base == end) {
                if (err)
                    fmt_snprintf(err, err_size, "offset %lld: empty name, skipped",
                                 (long long)off);
            } else if (n == max) {
                FAIL("more than %d files: the rest are ignored", max);
            } else {
                struct tar_entry *e = &out[n++];
                memcpy(e->name, base, (size_t)(end - base));
                e->name[end - base] = 0;
                e->off = data;
                e->size = len;
            }
        }
        if (next > size)
            return n; /* the last file's padding is cut: fine */
        off = next;
    }
    return n;
#undef FAIL
}
