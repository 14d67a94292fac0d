/*
 * hello — the smallest program: a greeting, then its arguments.
 *
 *     run hello            Hello, World!
 *     run hello a b        Hello, World!
 *                          argv[1] = a
 *                          argv[2] = b
 */
#include "user/sdk/program.h"

int main(int argc, char **argv)
{
    atoll_puts("Hello, World!");
    for (int i = 1; i < argc; i++)
        atoll_printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
