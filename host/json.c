/* json.c: a small JSON reader (RFC 8259) for the host tools; see json.h.
 *
 * Recursive descent over a cursor and an end pointer, one value per call,
 * depth bounded by JSON_MAX_DEPTH. Strings are decoded into a buffer of
 * their own with their length kept, so a NUL inside one is an ordinary
 * byte. On error the partly built tree is freed and the message says
 * where (line and column of the offending byte) and why.
 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *start, *p, *end;
    char *err;
    size_t size;
    bool failed;
};

static bool fail(struct parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->failed)
        return false;
    ps->failed = true;
    unsigned line = 1, col = 1;
    for (const char *q = ps->start; q < at; q++) {
        if (*q == '\n')
            line++, col = 1;
        else
            col++;
    }
    int n = snprintf(ps->err, ps->size, "line %u, column %u: ", line, col);
    if (n >= 0 && (size_t)n < ps->size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static void skip_space(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* A growing byte buffer for a string being decoded. */
struct buf {
    char *b;
    size_t len, cap;
};

static bool put(struct parser *ps, struct buf *b, const char *bytes, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nb = realloc(b->b, cap);
        if (!nb)
            return fail(ps, ps->p, "out of memory");
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->len, bytes, n);
    b->len += n;
    b->b[b->len] = 0;
    return true;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* \uXXXX at ps->p (just past the backslash and 'u'), with the low half of
 * a surrogate pair if one follows; appends the code point as UTF-8. */
static bool unicode_escape(struct parser *ps, struct buf *b, const char *esc)
{
    if (ps->end - ps->p < 4 || hex4(ps->p) < 0)
        return fail(ps, esc, "\\u needs four hex digits");
    uint32_t c = (uint32_t)hex4(ps->p);
    ps->p += 4;
    if (c >= 0xdc00 && c <= 0xdfff)
        return fail(ps, esc, "lone low surrogate \\u%04x", (unsigned)c);
    if (c >= 0xd800 && c <= 0xdbff) {
        int lo;
        if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
            (lo = hex4(ps->p + 2)) < 0xdc00 || lo > 0xdfff)
            return fail(ps, esc, "high surrogate \\u%04x without its low half",
                        (unsigned)c);
        c = 0x10000 + ((c - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
        ps->p += 6;
    }
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xc0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xe0 | c >> 12);
        u[1] = (char)(0x80 | (c >> 6 & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | c >> 18);
        u[1] = (char)(0x80 | (c >> 12 & 0x3f));
        u[2] = (char)(0x80 | (c >> 6 & 0x3f));
        u[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return put(ps, b, u, n);
}

/* A string at ps->p (on its opening quote): its decoded bytes in *out
 * (malloc'd, NUL-terminated past *len). */
static bool string(struct parser *ps, char **out, size_t *len)
{
    const char *open = ps->p++;
    struct buf b = { NULL, 0, 0 };
    if (!put(ps, &b, "", 0))
        return false;
    for (;;) {
        const char *run = ps->p;
        while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
               (unsigned char)*ps->p >= 0x20)
            ps->p++;
        if (!put(ps, &b, run, (size_t)(ps->p - run)))
            goto bad;
        if (ps->p >= ps->end) {
            fail(ps, open, "unterminated string");
            goto bad;
        }
        if (*ps->p == '"')
            break;
        if ((unsigned char)*ps->p < 0x20) {
            fail(ps, ps->p, "control character 0x%02x in a string",
                 (unsigned)(unsigned char)*ps->p);
            goto bad;
        }
        const char *esc = ps->p++;
        if (ps->p >= ps->end) {
            fail(ps, open, "unterminated string");
            goto bad;
        }
        char c = *ps->p++, d;
        switch (c) {
        case '"': d = '"'; break;
        case '\\': d = '\\'; break;
        case '/': d = '/'; break;
        case 'b': d = '\b'; break;
        case 'f': d = '\f'; break;
        case 'n': d = '\n'; break;
        case 'r': d = '\r'; break;
        case 't': d = '\t'; break;
        case 'u':
            if (!unicode_escape(ps, &b, esc))
                goto bad;
            continue;
        default:
            fail(ps, esc, "bad escape \\%c", c >= 0x20 && c < 0x7f ? c : '?');
            goto bad;
        }
        if (!put(ps, &b, &d, 1))
            goto bad;
    }
    ps->p++;
    *out = b.b;
    *len = b.len;
    return true;
bad:
    free(b.b);
    return false;
}

/* A number, checked against the grammar; kept as its text. */
static bool number(struct parser *ps, struct json *v)
{
    const char *s = ps->p, *p = s, *e = ps->end;
    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (p < e && *p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    else
        return fail(ps, s, "bad number");
    if (p < e && *p == '.') {
        p++;
        if (!(p < e && *p >= '0' && *p <= '9'))
            return fail(ps, s, "bad number: no digit after '.'");
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (!(p < e && *p >= '0' && *p <= '9'))
            return fail(ps, s, "bad number: no digit in the exponent");
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    v->len = (size_t)(p - s);
    v->str = malloc(v->len + 1);
    if (!v->str)
        return fail(ps, s, "out of memory");
    memcpy(v->str, s, v->len);
    v->str[v->len] = 0;
    v->type = JSON_NUMBER;
    ps->p = p;
    return true;
}

static void clear(struct json *v)
{
    for (size_t i = 0; i < v->n; i++) {
        clear(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_lens);
    free(v->str);
}

static bool value(struct parser *ps, struct json *v, int depth);

/* Room for one more item (and key, in an object) in v. */
static bool grow(struct parser *ps, struct json *v, size_t *cap)
{
    if (v->n < *cap)
        return true;
    size_t ncap = *cap ? 2 * *cap : 4;
    struct json *items = realloc(v->items, ncap * sizeof *items);
    if (!items)
        return fail(ps, ps->p, "out of memory");
    v->items = items;
    if (v->type == JSON_OBJECT) {
        char **keys = realloc(v->keys, ncap * sizeof *keys);
        if (!keys)
            return fail(ps, ps->p, "out of memory");
        v->keys = keys;
        size_t *lens = realloc(v->key_lens, ncap * sizeof *lens);
        if (!lens)
            return fail(ps, ps->p, "out of memory");
        v->key_lens = lens;
    }
    *cap = ncap;
    return true;
}

/* An array or object at ps->p (on '[' or '{'). */
static bool container(struct parser *ps, struct json *v, int depth)
{
    const char *open = ps->p;
    bool obj = *ps->p++ == '{';
    char close = obj ? '}' : ']';
    size_t cap = 0;
    v->type = obj ? JSON_OBJECT : JSON_ARRAY;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return true;
    }
    for (;;) {
        skip_space(ps);
        if (!grow(ps, v, &cap))
            return false;
        if (obj) {
            if (ps->p >= ps->end)
                return fail(ps, open, "unterminated object");
            if (*ps->p != '"')
                return fail(ps, ps->p, "expected a member name (a string)");
            if (!string(ps, &v->keys[v->n], &v->key_lens[v->n]))
                return false;
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(v->keys[v->n]);
                return fail(ps, ps->p, "expected ':' after a member name");
            }
            ps->p++;
        }
        memset(&v->items[v->n], 0, sizeof v->items[v->n]);
        bool ok = value(ps, &v->items[v->n], depth + 1);
        v->n++;         /* even on failure: clear() frees what was built */
        if (!ok)
            return false;
        skip_space(ps);
        if (ps->p >= ps->end)
            return fail(ps, open, obj ? "unterminated object" : "unterminated array");
        if (*ps->p == close) {
            ps->p++;
            return true;
        }
        if (*ps->p != ',')
            return fail(ps, ps->p, "expected ',' or '%c'", close);
        ps->p++;
    }
}

static bool literal(struct parser *ps, const char *word, enum json_type t,
                    struct json *v)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
        return fail(ps, ps->p, "unexpected '%c'",
                    *ps->p >= 0x20 && *ps->p < 0x7f ? *ps->p : '?');
    ps->p += n;
    v->type = t;
    return true;
}

static bool value(struct parser *ps, struct json *v, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return fail(ps, ps->p, "nested deeper than %d", JSON_MAX_DEPTH);
    skip_space(ps);
    if (ps->p >= ps->end)
        return fail(ps, ps->p, "unexpected end of input");
    switch (*ps->p) {
    case '{':
    case '[':
        return container(ps, v, depth);
    case '"':
        v->type = JSON_STRING;
        return string(ps, &v->str, &v->len);
    case 't':
        return literal(ps, "true", JSON_TRUE, v);
    case 'f':
        return literal(ps, "false", JSON_FALSE, v);
    case 'n':
        return literal(ps, "null", JSON_NULL, v);
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            return number(ps, v);
        return fail(ps, ps->p, "unexpected '%c'",
                    *ps->p >= 0x20 && *ps->p < 0x7f ? *ps->p : '?');
    }
}

struct json *json_parse(const char *text, size_t len, char *err, size_t size)
{
    struct parser ps = { text, text, text + len, err, size, false };
    struct json *v = calloc(1, sizeof *v);
    if (size)
        err[0] = 0;
    if (!v) {
        snprintf(err, size, "out of memory");
        return NULL;
    }
    if (value(&ps, v, 1)) {
        skip_space(&ps);
        if (ps.p == ps.end)
            return v;
        fail(&ps, ps.p, "unexpected data after the value");
    }
    json_free(v);
    return NULL;
}

void json_free(struct json *v)
{
    if (!v)
        return;
    clear(v);
    free(v);
}

const struct json *json_get(const struct json *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < v->n; i++)
        if (v->key_lens[i] == n && !memcmp(v->keys[i], key, n))
            return &v->items[i];
    return NULL;
}

const char *json_str(const struct json *v, const char *key, size_t *len)
{
    const struct json *s = json_get(v, key);
    if (!s || s->type != JSON_STRING)
        return NULL;
    if (len)
        *len = s->len;
    return s->str;
}

long long json_int(const struct json *v, const char *key, long long def)
{
    const struct json *s = json_get(v, key);
    if (!s || s->type != JSON_NUMBER)
        return def;
    char *end;
    errno = 0;
    if (strpbrk(s->str, ".eE")) {
        double d = strtod(s->str, &end);
        if (errno || !(d > -9.2e18 && d < 9.2e18))
            return def;
        return (long long)d;
    }
    long long r = strtoll(s->str, &end, 10);
    return errno ? def : r;
}
