/* leb128.c: LEB128 integers, lengths and names.
 *
 * The checks follow the specification's reference interpreter, whose
 * messages the tests quote: an encoding longer than ceil(N/7) bytes is
 * "integer representation too long"; unused bits of the last byte that
 * are not a zero (or, signed, a sign) extension are "integer too large".
 */
#include "decode.h"

/* Unsigned, at most `bits` bits. */
static bool leb_u(struct dec *d, int bits, uint64_t *out)
{
    uint64_t r = 0;
    int shift = 0;
    for (int n = bits;; n -= 7, shift += 7) {
        uint8_t b;
        if (n <= 0)
            return wasm_dec_malformed(d, d->p, "integer representation too long");
        TRY(rd_byte(d, &b));
        if (n < 7 && (b & 0x7f) >= (1u << n))
            return wasm_dec_malformed(d, d->p - 1, "integer too large");
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    *out = r;
    return true;
}

/* Signed, at most `bits` bits, sign-extended to 64. */
static bool leb_s(struct dec *d, int bits, int64_t *out)
{
    uint64_t r = 0;
    int shift = 0;
    for (int n = bits;; n -= 7, shift += 7) {
        uint8_t b;
        if (n <= 0)
            return wasm_dec_malformed(d, d->p, "integer representation too long");
        TRY(rd_byte(d, &b));
        if (n < 7) {
            uint8_t mask = (uint8_t)((0xffu << (n - 1)) & 0x7f);
            if ((b & mask) != 0 && (b & mask) != mask)
                return wasm_dec_malformed(d, d->p - 1, "integer too large");
        }
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            if ((b & 0x40) && shift + 7 < 64)
                r |= ~(uint64_t)0 << (shift + 7);
            break;
        }
    }
    *out = (int64_t)r;
    return true;
}

bool wasm_leb_u32_slow(struct dec *d, uint32_t *out)
{
    uint64_t v;
    TRY(leb_u(d, 32, &v));
    *out = (uint32_t)v;
    return true;
}

bool wasm_leb_u1(struct dec *d, uint32_t *out)
{
    uint64_t v;
    TRY(leb_u(d, 1, &v));
    *out = (uint32_t)v;
    return true;
}

bool wasm_leb_s32(struct dec *d, int32_t *out)
{
    int64_t v;
    TRY(leb_s(d, 32, &v));
    *out = (int32_t)v;
    return true;
}

bool wasm_leb_s33(struct dec *d, int64_t *out)
{
    return leb_s(d, 33, out);
}

bool wasm_leb_s64(struct dec *d, int64_t *out)
{
    return leb_s(d, 64, out);
}

bool wasm_rd_len(struct dec *d, uint32_t *out)
{
    const uint8_t *at = d->p;
    TRY(rd_u32(d, out));
    if (*out > (size_t)(d->end - at))
        return wasm_dec_malformed(d, at, "length out of bounds");
    return true;
}

bool wasm_rd_name(struct dec *d, struct wasm_name *out)
{
    const uint8_t *at = d->p, *s;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    TRY(rd_bytes(d, n, &s));
    if (!wasm_utf8_valid(s, n))
        return wasm_dec_malformed(d, at, "malformed UTF-8 encoding");
    out->s = (const char *)s;
    out->len = n;
    return true;
}
