/*
 * Random bytes, for the coral `random` call (the WASI layer's random_get).
 * From the CPU's RDRAND where it has one; without it (or when RDRAND keeps
 * failing), from a SplitMix64 generator seeded with the TSC: not fit for
 * secrets, which random_hardware() tells. The hosted build implements
 * both with Linux's getrandom (host/kernel_host.c).
 */
#ifndef BASE_RANDOM_H
#define BASE_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

/* Fills buf with n random bytes. Never blocks, never fails. */
void random_fill(void *buf, size_t n);

/* Whether random_fill draws from a hardware source. */
bool random_hardware(void);

#endif
