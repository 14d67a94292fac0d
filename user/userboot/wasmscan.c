/*
 * The module header, then sections (id, LEB128 size, contents) read only
 * as far as the export section: the import section (2) for module names,
 * the export section (7) for the entry. Other sections are skipped by
 * their size. The bytes are fetched from the memory area through a small
 * window, so a module of any size is read without copying it whole.
 */
#include "user/userboot/wasmscan.h"

#define WINDOW 256
#define SEC_IMPORT 2
#define SEC_EXPORT 7

struct reader {
    atoll_handle vma;
    int64_t pos, end;  /* absolute offsets in the area */
    int64_t win_off;   /* the window holds [win_off, win_off + win_len) */
    int64_t win_len;
    const char *err;   /* the first error; reads after it return 0 */
    uint8_t win[WINDOW];
};

static void fail(struct reader *r, const char *why)
{
    if (!r->err)
        r->err = why;
}

static uint8_t byte(struct reader *r)
{
    if (r->err)
        return 0;
    if (r->pos >= r->end) {
        fail(r, "truncated");
        return 0;
    }
    if (r->pos < r->win_off || r->pos >= r->win_off + r->win_len) {
        int64_t n = r->end - r->pos < WINDOW ? r->end - r->pos : WINDOW;
        if (atoll_vma_write(r->vma, ATOLL_SELF, r->pos, atoll_off(r->win), n) != ATOLL_OK) {
            fail(r, "cannot be read");
            return 0;
        }
        r->win_off = r->pos;
        r->win_len = n;
    }
    return r->win[r->pos++ - r->win_off];
}

/* An unsigned LEB128 of at most `bits` bits (32 or 64). */
static uint64_t leb(struct reader *r, int bits)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b = byte(r);
        if (r->err)
            return 0;
        if (shift + 7 >= bits && ((b & 0x80) || (b & 0x7F) >> (bits - shift))) {
            fail(r, "malformed LEB128 number");
            return 0;
        }
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
}

static uint32_t u32(struct reader *r)
{
    return (uint32_t)leb(r, 32);
}

static void skip(struct reader *r, uint64_t n)
{
    if (r->err)
        return;
    if (n > (uint64_t)(r->end - r->pos)) {
        fail(r, "truncated");
        return;
    }
    r->pos += (int64_t)n;
}

/* A name into buf (NUL-terminated) if it fits in cap - 1 bytes; a longer
 * one is skipped and *fits is false. */
static uint32_t name(struct reader *r, char *buf, size_t cap, bool *fits)
{
    uint32_t n = u32(r);
    *fits = n < cap;
    if (!*fits) {
        skip(r, n);
        return n;
    }
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (char)byte(r);
    buf[n] = 0;
    return n;
}

static void limits(struct reader *r)
{
    uint8_t flags = byte(r);
    leb(r, 64);
    if (flags & 1)
        leb(r, 64);
}

/* A dependency name must be usable as a file name: printable, no '/'. */
static bool plain(const char *s)
{
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7E || *s == '/')
            return false;
    return true;
}

static void imports(struct reader *r, struct wasm_scan *out)
{
    char mod[WASM_NAME_MAX + 1], field[8];
    bool fits, unused;
    for (uint32_t n = u32(r); n > 0 && !r->err; n--) {
        uint32_t len = name(r, mod, sizeof mod, &fits);
        name(r, field, sizeof field, &unused);
        switch (byte(r)) {
        case 0: u32(r); break;              /* function: type index */
        case 1: byte(r); limits(r); break;  /* table: type, limits */
        case 2: limits(r); break;           /* memory */
        case 3: byte(r); byte(r); break;    /* global: type, mutability */
        case 4: byte(r); u32(r); break;     /* tag: attribute, type */
        default: fail(r, "unknown import kind"); return;
        }
        if (r->err)
            return;
        if (!fits || len == 0) {
            fail(r, "imports from a module name too long to be an instance name");
            return;
        }
        if (strcmp(mod, "env") == 0)
            out->uses_env = true;
        if (strcmp(mod, "coral") == 0 || strcmp(mod, "env") == 0)
            continue;
        if (!plain(mod)) {
            fail(r, "imports from a module name that is no file name");
            return;
        }
        int i = 0;
        while (i < out->ndeps && strcmp(out->deps[i], mod) != 0)
            i++;
        if (i < out->ndeps)
            continue;
        if (out->ndeps == WASM_DEPS_MAX) {
            fail(r, "imports from too many modules");
            return;
        }
        memcpy(out->deps[out->ndeps++], mod, (size_t)len + 1);
    }
}

static void exports(struct reader *r, const char *entry, struct wasm_scan *out)
{
    char buf[WASM_NAME_MAX + 1];
    bool fits;
    for (uint32_t n = u32(r); n > 0 && !r->err; n--) {
        name(r, buf, sizeof buf, &fits);
        uint8_t kind = byte(r);
        u32(r);
        if (fits && kind == 0 && strcmp(buf, entry) == 0)
            out->has_entry = true;
    }
}

const char *wasm_scan(atoll_handle vma, int64_t off, int64_t len,
                      const char *entry, struct wasm_scan *out)
{
    static struct reader r;
    static const uint8_t header[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    memset(out, 0, sizeof *out);
    if (off < 0 || len < 0 || len > INT64_MAX - off)
        return "cannot be read";
    r = (struct reader){ .vma = vma, .pos = off, .end = off + len };
    for (int i = 0; i < 8; i++)
        if (byte(&r) != header[i] && !r.err)
            return "is not a Wasm module (bad header)";
    if (r.err)
        return "is not a Wasm module (too short)";
    while (r.pos < r.end && !r.err) {
        uint8_t id = byte(&r);
        uint32_t size = u32(&r);
        if (r.err)
            break;
        if (size > (uint64_t)(r.end - r.pos)) {
            fail(&r, "truncated");
            break;
        }
        int64_t end = r.end, next = r.pos + size;
        r.end = next; /* a section is read within its size */
        if (id == SEC_IMPORT)
            imports(&r, out);
        else if (id == SEC_EXPORT)
            exports(&r, entry, out);
        r.end = end;
        if (id == SEC_EXPORT)
            break;
        r.pos = next;
    }
    return r.err;
}
