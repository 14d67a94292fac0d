/*
 * ustar (POSIX.1-1988) headers: 512-byte blocks, the file's bytes after
 * its header, padded to a block. Fields used here:
 *
 *   offset  size  field
 *   0       100   name (NUL-terminated unless it fills the field)
 *   124     12    size, octal
 *   148     8     checksum, octal: the sum of the header's bytes, with
 *                 this field counted as spaces
 *   156     1     type: '0' or NUL a regular file; others are skipped
 *   257     6     magic "ustar"
 *   345     155   prefix of the name (ignored: only the last component
 *                 of the name is kept)
 *
 * PAX extended headers ('x', 'g') are skipped like any other type, so an
 * archive written by Python's tarfile reads as its plain ustar headers.
 */
#include "user/userboot/ustar.h"

#include <stdbool.h>

#define OFF_NAME 0
#define LEN_NAME 100
#define OFF_SIZE 124
#define LEN_SIZE 12
#define OFF_SUM 148
#define LEN_SUM 8
#define OFF_TYPE 156
#define OFF_MAGIC 257

/* Parses an octal field: optional leading spaces, digits, then NUL or
 * space (or the field's end). Returns false for anything else, or for a
 * value of 2^40 or more. */
static bool octal(const uint8_t *f, int n, int64_t *out)
{
    int i = 0;
    int64_t v = 0;
    while (i < n && f[i] == ' ')
        i++;
    int digits = 0;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
        v = v * 8 + (f[i] - '0');
        if (v >= (int64_t)1 << 40)
            return false;
    }
    if (digits == 0)
        return false;
    for (; i < n; i++)
        if (f[i] != 0 && f[i] != ' ')
            return false;
    *out = v;
    return true;
}

static bool zero_block(const uint8_t *b)
{
    for (int i = 0; i < TAR_BLOCK; i++)
        if (b[i])
            return false;
    return true;
}

static bool checksum_ok(const uint8_t *b)
{
    int64_t want;
    if (!octal(b + OFF_SUM, LEN_SUM, &want))
        return false;
    int64_t sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += (i >= OFF_SUM && i < OFF_SUM + LEN_SUM) ? ' ' : b[i];
    return sum == want;
}

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
        if (zero_block(b))
            return n;
        if (memcmp(b + OFF_MAGIC, "ustar", 5) != 0)
            FAIL("offset %lld: not a ustar header", (long long)off);
        if (!checksum_ok(b))
            FAIL("offset %lld: bad header checksum", (long long)off);
        int64_t len;
        if (!octal(b + OFF_SIZE, LEN_SIZE, &len))
            FAIL("offset %lld: bad size field", (long long)off);
        int64_t data = off + TAR_BLOCK;
        if (len > size - data)
            FAIL("offset %lld: size %lld runs past the end (%lld)", (long long)off,
                 (long long)len, (long long)size);
        int64_t next = data + (len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;

        char type = (char)b[OFF_TYPE];
        if (type == '0' || type == 0) {
            const uint8_t *name = b + OFF_NAME;
            const uint8_t *end = NULL;
            for (int i = 0; i < LEN_NAME && !end; i++)
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
