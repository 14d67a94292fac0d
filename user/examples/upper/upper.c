/*
 * upper — echoes each line of its input (stdin) in upper case, until the
 * end of input (Ctrl+D at the shell):
 *
 *     atoll> run upper
 *     abc
 *     ABC
 */
#include <ctype.h>
#include <stdio.h>

int main(void)
{
    int c;
    while ((c = getchar()) != EOF)
        putchar(toupper(c));
    return ferror(stdin) ? 1 : 0;
}
