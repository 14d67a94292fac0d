/*
 * spin — says so, then loops forever: a program for the scheduler. The
 * timer preempts it, the shell stays responsive, and `kill` ends it.
 */
#include "user/sdk/program.h"

int main(void)
{
    atoll_puts("spin: looping forever (kill me)");
    for (volatile uint32_t n = 0;; n++)
        ;
}
