/* linux_hello.c: the program linux_prims execs for its spawn figure
 * (gcc -O2 -static): the Linux counterpart of a component with one export
 * to run. Writes one line, exits 0. */
#include <unistd.h>

int main(void)
{
    static const char msg[] = "hello\n";
    return write(1, msg, sizeof msg - 1) == sizeof msg - 1 ? 0 : 1;
}
