/*
 * Byte-at-a-time memory and string routines, with rep movs/stos for the
 * bulk cases on x86 (fast on every CPU with ERMSB, correct everywhere) and
 * Wasm's memory.copy/memory.fill where the userland is built with bulk
 * memory (-mbulk-memory).
 * Also built into the host unit tests, where the names are prefixed to stay
 * clear of libc (see tests/unit).
 */
#include "lib/string.h"

#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
#if defined(__x86_64__) && !defined(LIB_PORTABLE)
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
#elif defined(__wasm_bulk_memory__)
    /* One memory.copy: the engine's bulk copy, not a loop of loads. */
    __builtin_memcpy(dst, src, n);
#else
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
#endif
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
#if defined(__wasm_bulk_memory__) && !defined(__x86_64__)
    __builtin_memmove(dst, src, n);     /* memory.copy allows overlap */
    return dst;
#endif
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
#if defined(__x86_64__) && !defined(LIB_PORTABLE)
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
#elif defined(__wasm_bulk_memory__)
    __builtin_memset(dst, c, n);        /* memory.fill */
#else
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
#endif
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}
