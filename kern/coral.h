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

/* Registers coral as the components' native module (component.h:
 * component_set_natives): every component made afterwards has its
 * functions in its store, and its instances import them as "coral". Once,
 * at boot, before the first component. */
void coral_init(void);

/* How many functions coral has, and the name of function i (for docs and
 * tests); NULL past the end. */
unsigned coral_num_funcs(void);
const char *coral_func_name(unsigned i);

#endif
