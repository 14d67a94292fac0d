/*
 * spin — says so, then loops forever: a program for the scheduler. The
 * timer preempts it, the shell stays responsive, and `kill` ends it.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    puts("spin: looping forever (kill me)");
    fflush(stdout); /* the loop never returns to stdio: the line must be out */
    for (volatile uint32_t n = 0;; n++)
        ;
}
