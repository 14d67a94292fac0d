/* The WASI hello world of bench/wasi/measure.py: start to exit. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    return 0;
}
