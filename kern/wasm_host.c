/*
 * The kernel's side of the engine's host interface (wasm/host.h): engine
 * memory comes from the kernel heap. Code regions, linear memories and
 * traps join here as the runtime grows (docs/compiler.md).
 */
#include "wasm/host.h"

#include "mm/heap.h"

void *wasm_host_alloc(size_t size)
{
    return kmalloc(size);
}

void wasm_host_free(void *p, size_t size)
{
    (void)size;
    kfree(p);
}
