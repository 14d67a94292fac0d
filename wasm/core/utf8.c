/* utf8.c: is a byte string well-formed UTF-8 (RFC 3629)?
 *
 * Names must be: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
#include "core.h"

bool wasm_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp, min;
        if ((b & 0xe0) == 0xc0) {
            len = 2; cp = b & 0x1f; min = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            len = 3; cp = b & 0x0f; min = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            len = 4; cp = b & 0x07; min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}
