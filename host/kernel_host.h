/*
 * What host/kernel_host.c offers the program that drives the hosted
 * Coral layer (host/atoll_coral.c), beyond the kernel's own interfaces.
 */
#ifndef ATOLL_HOST_KERNEL_HOST_H
#define ATOLL_HOST_KERNEL_HOST_H

#include <stdbool.h>
#include <stdint.h>


#endif
