/*
 * One ustar header checked (ustar_header.h).
 */
#include "user/lib/ustar_header.h"

#define OFF_SIZE  124
#define LEN_SIZE  12
#define OFF_SUM   148
#define LEN_SUM   8
#define OFF_MAGIC 257

/* An octal field: optional leading spaces, digits, then NUL or space (or
 * the field's end). False for anything else, or for 2^40 or more. */
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

enum ustar_check ustar_header(const uint8_t *b, int64_t *size)
{
    bool zero = true;
    for (int i = 0; i < USTAR_BLOCK && zero; i++)
        zero = b[i] == 0;
    if (zero)
        return USTAR_END;
    static const char magic[5] = { 'u', 's', 't', 'a', 'r' };
    for (int i = 0; i < 5; i++)
        if (b[OFF_MAGIC + i] != (uint8_t)magic[i])
            return USTAR_NOT_USTAR;
    int64_t want, sum = 0;
    for (int i = 0; i < USTAR_BLOCK; i++)
        sum += (i >= OFF_SUM && i < OFF_SUM + LEN_SUM) ? ' ' : b[i];
    if (!octal(b + OFF_SUM, LEN_SUM, &want) || sum != want)
        return USTAR_BAD_SUM;
    return octal(b + OFF_SIZE, LEN_SIZE, size) ? USTAR_OK : USTAR_BAD_SIZE;
}
