/*
 * The memory the kernel keeps for itself: guest-driven allocations (Wasm
 * memory pages, memory areas, modules) are refused once they would leave
 * less than the reserve free, so a program that takes all it can starves
 * neither the kernel nor the other components (they may be refused too,
 * but nothing panics and what is freed comes back).
 */
#ifndef KERN_RESERVE_H
#define KERN_RESERVE_H

#include <stdbool.h>
#include <stdint.h>

/* Whether a guest may take `bytes` more of RAM now. */
bool reserve_guest_may_take(uint64_t bytes);

/* The reserve, in bytes (for reports). */
uint64_t reserve_bytes(void);

#endif
