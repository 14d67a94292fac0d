/*
 * wasi-hello — an ordinary C program on Debian's wasi-libc, built as
 * every program is (user/sdk/program.mk); it calls nothing of the SDK, so
 * it runs on any WASI host too (build/atoll-run, node:wasi). It prints its arguments and a float, reads
 * lines of input until end of input when asked to (`-r`), and exits
 * with the status given after `-x`.
 *
 *     atoll> run wasi-hello a b
 *     hello from WASI: 3 arguments, pi is about 3.14159
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("hello from WASI: %d arguments, pi is about %.5f\n", argc, 3.14159265);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) == 0)
        printf("clock: %s\n", t.tv_sec > 0 || t.tv_nsec > 0 ? "running" : "stopped");
    char *copy = malloc(64);
    snprintf(copy, 64, "%s", "malloc works");
    puts(copy);
    free(copy);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0) {
            char line[256];
            int n = 0;
            while (fgets(line, sizeof line, stdin))
                printf("line %d: %s", ++n, line);
            printf("end of input after %d lines\n", n);
        }
        if (strcmp(argv[i], "-x") == 0 && i + 1 < argc) {
            fflush(stdout);
            exit(atoi(argv[i + 1]));
        }
    }
    return 0;
}
