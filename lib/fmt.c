/*
 * The one formatter behind the kernel log, panics and snprintf. Output goes
 * through a callback, so the log can stream to the serial port without a
 * line buffer and snprintf can truncate safely.
 */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

enum { F_LEFT = 1, F_ZERO = 2, F_SPACE = 4, F_PLUS = 8, F_ALT = 16 };

struct out {
    fmt_putc_fn putc;
    void *ctx;
    int count;
};

static void emit(struct out *o, char c)
{
    o->putc(c, o->ctx);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

/* Formats one integer: digits, then sign/prefix, precision and width. */
static void format_int(struct out *o, uint64_t v, bool neg, unsigned base,
                       bool upper, int flags, int width, int prec)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    if (v == 0 && prec != 0)
        tmp[n++] = '0';
    while (v) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    const char *prefix = "";
    if (neg)
        prefix = "-";
    else if (flags & F_PLUS)
        prefix = "+";
    else if (flags & F_SPACE)
        prefix = " ";
    if ((flags & F_ALT) && base == 16 && n > 0)
        prefix = upper ? "0X" : "0x";
    int plen = 0;
    while (prefix[plen])
        plen++;
    int zeros = prec > n ? prec - n : 0;
    int total = plen + zeros + n;
    if (!(flags & F_LEFT) && (flags & F_ZERO) && prec < 0) {
        zeros += width > total ? width - total : 0;
        total = plen + zeros + n;
    }
    if (!(flags & F_LEFT))
        pad(o, ' ', width - total);
    for (int i = 0; i < plen; i++)
        emit(o, prefix[i]);
    pad(o, '0', zeros);
    while (n)
        emit(o, tmp[--n]);
    if (flags & F_LEFT)
        pad(o, ' ', width - total);
}

int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { putc, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        const char *start = p++;
        int flags = 0;
        for (;; p++) {
            if (*p == '-') flags |= F_LEFT;
            else if (*p == '0') flags |= F_ZERO;
            else if (*p == ' ') flags |= F_SPACE;
            else if (*p == '+') flags |= F_PLUS;
            else if (*p == '#') flags |= F_ALT;
            else break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(args, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        int prec = -1;
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        int len = 0; /* 0 int, 1 long/size_t/ptrdiff, 2 long long/intmax, -1 short, -2 char */
        if (*p == 'h') {
            len = -1;
            if (*++p == 'h') { len = -2; p++; }
        } else if (*p == 'l') {
            len = 1;
            if (*++p == 'l') { len = 2; p++; }
        } else if (*p == 'z' || *p == 't') {
            /* size_t and ptrdiff_t have the size of long on x86-64 and on
             * wasm32 (where this file is built for user programs too). */
            _Static_assert(sizeof(size_t) == sizeof(long), "size_t is long-sized");
            len = 1;
            p++;
        } else if (*p == 'j') {
            len = 2;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v;
            if (len >= 1) v = len == 1 ? va_arg(args, long) : va_arg(args, long long);
            else v = va_arg(args, int);
            if (len == -1) v = (short)v;
            if (len == -2) v = (signed char)v;
            uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
            format_int(&o, mag, v < 0, 10, false, flags, width, prec);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            uint64_t v;
            if (len >= 1) v = len == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned long long);
            else v = va_arg(args, unsigned);
            if (len == -1) v = (unsigned short)v;
            if (len == -2) v = (unsigned char)v;
            unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            format_int(&o, v, false, base, *p == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(args, void *);
            format_int(&o, v, false, 16, false, F_ALT | F_ZERO, 18, -1);
            break;
        }
        case 'c': {
            char c = (char)va_arg(args, int);
            if (!(flags & F_LEFT)) pad(&o, ' ', width - 1);
            emit(&o, c);
            if (flags & F_LEFT) pad(&o, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s) s = "(null)";
            int n = 0;
            while (s[n] && (prec < 0 || n < prec))
                n++;
            if (!(flags & F_LEFT)) pad(&o, ' ', width - n);
            for (int i = 0; i < n; i++)
                emit(&o, s[i]);
            if (flags & F_LEFT) pad(&o, ' ', width - n);
            break;
        }
        case '%':
            emit(&o, '%');
            break;
        default:
            /* Unknown or truncated conversion: show it as written. */
            for (const char *q = start; q <= p && *q; q++)
                emit(&o, *q);
            if (!*p)
                p--;
            break;
        }
    }
    va_end(args);
    return o.count;
}

struct bufctx {
    char *buf;
    size_t size;
    size_t pos;
};

static void buf_putc(char c, void *ctx)
{
    struct bufctx *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct bufctx b = { buf, size, 0 };
    int n = fmt_vformat(buf_putc, &b, fmt, ap);
    if (size > 0)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
