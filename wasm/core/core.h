/* core.h: the helpers every stage of the engine shares, below decode.
 *
 * They read no cursor and record no error, so any stage may use them
 * without depending on another (docs/engine.md).
 */
#ifndef ATOLL_WASM_CORE_H
#define ATOLL_WASM_CORE_H

#include "module.h"

/* Arena (arena.c): zeroed blocks freed all at once with the module. */
void *wasm_arena_alloc(struct wasm_module *m, size_t size);
void wasm_arena_free_all(struct wasm_module *m);

/* Well-formed UTF-8 (utf8.c), as names must be. */
bool wasm_utf8_valid(const uint8_t *s, size_t n);

/* A value type's name in the text format (valtype.c), "nothing" for no
 * type: the decoder's, the validator's and the disassembler's messages
 * all name types. */
const char *wasm_valtype_name(uint8_t t);

#endif
