/*
 * hello — the smallest program: ordinary C on wasi-libc, a greeting, then
 * its arguments.
 *
 *     run hello            Hello, World!
 *     run hello a b        Hello, World!
 *                          argv[1] = a
 *                          argv[2] = b
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    puts("Hello, World!");
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
