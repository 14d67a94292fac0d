/* The periodic timer interrupt. */
#ifndef DEV_TIMER_H
#define DEV_TIMER_H

#include <stdint.h>

/* Starts the periodic tick at hz interrupts per second. */
void timer_init(unsigned hz);

#endif
