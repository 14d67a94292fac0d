/* spectest.h: the `spectest` module the official tests import, made of
 * host objects in a store (host/spectest.c); for atoll-spec and atoll-run. */
#ifndef ATOLL_HOST_SPECTEST_H
#define ATOLL_HOST_SPECTEST_H

#include <stdbool.h>

#include "../wasm/wasm.h"

/* Makes spectest's objects in store s (once per store); false when out
 * of memory. */
bool spectest_init(wasm_store *s);
/* The export `field` of spectest, if it has that kind; false if none. */
bool spectest_lookup(wasm_store *s, const char *field, wasm_extern *out);
/* Forgets the objects made (call before freeing their store). */
void spectest_forget(void);

#endif
