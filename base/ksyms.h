/*
 * The kernel's own symbol table, generated from the linked image (a second
 * link fills in the .ksyms section; see mk/kernel.mk), for panics and
 * backtraces.
 */
#ifndef BASE_KSYMS_H
#define BASE_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* Finds the function containing addr. Returns its name and sets *offset, or
 * returns NULL when addr is outside every known function. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

/* Address of a function by exact name, 0 if unknown (used by tests). */
uintptr_t ksym_address(const char *name);

/* Formats "name+0xoff" or the bare address into buf. */
void ksym_format(uintptr_t addr, char *buf, size_t size);

#endif
