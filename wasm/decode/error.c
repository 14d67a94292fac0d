/* error.c: recording and formatting errors.
 *
 * Only the first error of a decode is kept: later ones are consequences.
 * The formatter is a small printf subset (%s %u %x %c, with a width for
 * %x), since wasm/ has no libc.
 */
#include <stdarg.h>

#include "decode.h"
#include "../core/libc.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_uint(struct out *o, uint64_t v, unsigned base, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        put(o, tmp[--n]);
}

static size_t vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (s && *s)
                put(&o, *s++);
            break;
        }
        case 'u': put_uint(&o, va_arg(ap, unsigned), 10, width); break;
        case 'x': put_uint(&o, va_arg(ap, unsigned), 16, width); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case '%': put(&o, '%'); break;
        default: put(&o, '?'); break;
        }
        if (!*fmt)
            break;
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return o.len;
}

static size_t fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    size_t n = vfmt(buf, size, f, ap);
    va_end(ap);
    return n;
}

static bool record(struct dec *d, const uint8_t *at, bool malformed,
                   const char *f, va_list ap)
{
    wasm_error *e = d->err;
    if (e->msg[0])
        return false;
    e->offset = (uint32_t)(at - d->base);
    e->func = d->func;
    e->malformed = malformed;
    vfmt(e->msg, sizeof e->msg, f, ap);
    return false;
}

bool wasm_dec_malformed(struct dec *d, const uint8_t *at, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    record(d, at, true, f, ap);
    va_end(ap);
    return false;
}

bool wasm_dec_invalid(struct dec *d, const uint8_t *at, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    record(d, at, false, f, ap);
    va_end(ap);
    return false;
}

bool wasm_dec_eof(struct dec *d)
{
    return wasm_dec_malformed(d, d->end, "unexpected end of section or function");
}

char *wasm_error_format(const wasm_error *err, const wasm_module *m,
                        char *buf, size_t size)
{
    const char *name = NULL;
    if (err->func == WASM_NO_FUNC) {
        fmt(buf, size, "offset 0x%x: %s", err->offset, err->msg);
        return buf;
    }
    if (m)
        name = wasm_module_func_name(m, err->func);
    if (name)
        fmt(buf, size, "offset 0x%x, function %u (%s): %s", err->offset,
            err->func, name, err->msg);
    else
        fmt(buf, size, "offset 0x%x, function %u: %s", err->offset,
            err->func, err->msg);
    return buf;
}
