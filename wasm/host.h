/* host.h: everything the engine needs from its host, and nothing else.
 *
 * The engine is freestanding: it calls these functions instead of libc or
 * kernel services. host/ implements them on Linux; the kernel implements
 * them over its own heap. The list grows with the compiler and runtime
 * (code regions, linear memories, traps) but stays this one header.
 */
#ifndef ATOLL_WASM_HOST_H
#define ATOLL_WASM_HOST_H

#include <stddef.h>

/* Returns `size` bytes aligned for any C object, or NULL when out of
 * memory; the engine turns NULL into an error, never a crash. The contents
 * are undefined. */
void *wasm_host_alloc(size_t size);

/* Releases a block from wasm_host_alloc; `size` is the size it was asked
 * with (a kernel allocator may want it). NULL is allowed. */
void wasm_host_free(void *p, size_t size);

#endif
