/* Command-line lookup over a private copy of the loader's string. */
#include "base/cmdline.h"

#include "lib/string.h"

/* As long as the longest line a loader's information carries (the boot
 * record keeps 512 bytes: boot/bootinfo.h); longer ones are cut. */
#define CMDLINE_MAX 512

static char line[CMDLINE_MAX];
static bool test_mode;

void cmdline_init(const char *cmdline)
{
    size_t n = strnlen(cmdline, sizeof line - 1);
    memcpy(line, cmdline, n);
    line[n] = 0;
    char tmp[4];
    test_mode = cmdline_get("test", tmp, sizeof tmp);
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t wlen = (size_t)(p - w);
        if (wlen >= klen && strncmp(w, key, klen) == 0 && (wlen == klen || w[klen] == '=')) {
            const char *v = wlen == klen ? w + klen : w + klen + 1;
            size_t vlen = (size_t)(p - v);
            if (size) {
                size_t n = vlen < size - 1 ? vlen : size - 1;
                memcpy(buf, v, n);
                buf[n] = 0;
            }
            return true;
        }
    }
    return false;
}

unsigned long cmdline_get_ulong(const char *key, unsigned long def)
{
    char buf[24];
    if (!cmdline_get(key, buf, sizeof buf) || !buf[0])
        return def;
    unsigned long v = 0;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || v > (~0ul - 9) / 10)
            return def;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    return v;
}

bool cmdline_test_mode(void)
{
    return test_mode;
}
