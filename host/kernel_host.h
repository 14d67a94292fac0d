/*
 * What host/kernel_host.c offers the program that drives the hosted
 * Coral layer (host/atoll_coral.c), beyond the kernel's own interfaces.
 */
#ifndef ATOLL_HOST_KERNEL_HOST_H
#define ATOLL_HOST_KERNEL_HOST_H

#include <stdbool.h>
#include <stdint.h>

/* Queues a scancode as the keyboard's interrupt would, and runs the
 * keyboard's notify (kern/component.c wakes the component taking keys).
 * False when the queue is full. */
bool host_keyboard_push(uint8_t code);

#endif
