/*
 * programs_test — a program for tests/user/test_programs.mjs: what the
 * examples do not show. argv[1] picks the behaviour:
 *
 *   args A B ...    prints each argument as [A] on its own line; checks
 *                   that argv[argc] is NULL (exit status 9 if not)
 *   exit N          exits with status N
 *   flood N         prints N lines "line I ........" (64 bytes each)
 *   bytes N         writes the bytes 0..N-1 mod 251 (the ring's wrap)
 *   trap            divides by zero after printing a line
 *   printf          a long formatted line (printf has no length limit)
 *   console         prints whether output goes to a console
 */
#include "user/sdk/program.h"

static int num(const char *s)
{
    int n = 0;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return n;
}

static volatile int zero, seven = 7;

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (strcmp(what, "args") == 0) {
        for (int i = 0; i < argc; i++)
            atoll_printf("[%s]\n", argv[i]);
        return argv[argc] == NULL ? argc : 9;
    }
    if (strcmp(what, "exit") == 0)
        return argc > 2 ? num(argv[2]) : -1;
    if (strcmp(what, "flood") == 0) {
        int n = argc > 2 ? num(argv[2]) : 0;
        for (int i = 0; i < n; i++)
            atoll_printf("line %6d ...................................................\n", i);
        return 0;
    }
    if (strcmp(what, "bytes") == 0) {
        static unsigned char b[4096];
        int n = argc > 2 ? num(argv[2]) : 0;
        for (int i = 0; i < n;) {
            int part = n - i < (int)sizeof b ? n - i : (int)sizeof b;
            for (int j = 0; j < part; j++)
                b[j] = (unsigned char)((i + j) % 251);
            if (atoll_write(b, (size_t)part) != ATOLL_OK)
                return 1;
            i += part;
        }
        return 0;
    }
    if (strcmp(what, "trap") == 0) {
        atoll_puts("about to divide by zero");
        return seven / zero; /* not 1 / x, which LLVM turns into a select */
    }
    if (strcmp(what, "printf") == 0) {
        atoll_printf("%s|%0600d|%s\n", "start", 42, "end");
        return 0;
    }
    if (strcmp(what, "console") == 0) {
        atoll_printf("console=%d\n", atoll_has_console());
        return 0;
    }
    atoll_puts("programs_test: args | exit N | flood N | bytes N | trap | printf | console");
    return 2;
}
