/*
 * printf-style formatting into a buffer, with no allocation and no floats.
 * Supports %d %i %u %x %X %o %c %s %p %%, the flags '-', '0', ' ', '+', '#',
 * a width and a precision (also as '*'), and the length modifiers hh h l ll
 * z t j. Unknown conversions are copied through verbatim so a bad format
 * string is visible rather than fatal.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the full output would have had, like C99 vsnprintf. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Streams formatted output to putc(ch, ctx) without any buffer limit;
 * returns the number of characters produced. */
typedef void (*fmt_putc_fn)(char ch, void *ctx);
int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap);

#endif
