/*
 * upper — echoes each line of its input in upper case, until the end of
 * input (Ctrl+D at the shell):
 *
 *     atoll> run upper
 *     abc
 *     ABC
 */
#include "user/sdk/program.h"

int main(void)
{
    static char buf[256];
    int64_t n;
    while ((n = atoll_read(buf, sizeof buf)) > 0) {
        for (int64_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        atoll_write(buf, (size_t)n);
    }
    return n < 0 ? 1 : 0;
}
