/*
 * The `coral` native module: the system interface programs import
 * (docs/design.md "The system interface"; docs/abi.md is the reference).
 * Its functions are host functions made in each component's store, with
 * the component as their environment: every handle argument is resolved
 * in that component's handle space.
 *
 * Every function checks all its arguments before it changes anything
 * (decode, then act) and answers bad ones with result 1, never a trap and
 * never a kernel fault.
 */
#ifndef KERN_CORAL_H
#define KERN_CORAL_H

#include <stdbool.h>
#include <stddef.h>

#include "wasm/wasm.h"

struct component;

/* Makes the coral functions in c's store (c->coral). False when out of
 * memory. */
bool coral_make(struct component *c);

/* The coral function named name (len bytes), made for c; false when
 * there is none. */
bool coral_lookup(struct component *c, const char *name, size_t len, wasm_extern *out);

/* How many functions coral has, and the name of function i (for docs and
 * tests); NULL past the end. */
unsigned coral_num_funcs(void);
const char *coral_func_name(unsigned i);

#endif
