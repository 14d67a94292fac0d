/* linux_memory.c: code regions and linear memories for the engine on Linux
 * (wasm/host.h), on mmap and mprotect.
 *
 * Code is mapped read-write, then read-execute once sealed: never both.
 * A linear memory is a PROT_NONE reservation (MAP_NORESERVE: 8 GiB of
 * address space, no memory) whose pages become read-write as it grows.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE   /* MAP_ANONYMOUS, MAP_NORESERVE under -std=c11 */
#endif
#include <stdbool.h>
#include <sys/mman.h>

#include "../wasm/host.h"
#include "linux_trap.h"

void *wasm_host_code_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

bool wasm_host_code_seal(void *p, size_t size, void *owner)
{
    if (mprotect(p, size, PROT_READ | PROT_EXEC))
        return false;
    if (!linux_trap_register(p, size, owner)) {
        mprotect(p, size, PROT_READ | PROT_WRITE);
        return false;
    }
    return true;
}

void wasm_host_code_free(void *p, size_t size)
{
    if (!p)
        return;
    linux_trap_unregister(p);
    munmap(p, size);
}

void *wasm_host_mem_reserve(size_t size)
{
    void *p = mmap(NULL, size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

bool wasm_host_mem_commit(void *base, size_t from, size_t to)
{
    /* Fresh anonymous pages read as zero; a page committed before (a
     * memory never shrinks) is not committed again. */
    if (to <= from)
        return true;
    return mprotect((char *)base + from, to - from, PROT_READ | PROT_WRITE) == 0;
}

void wasm_host_mem_release(void *base, size_t size)
{
    if (base)
        munmap(base, size);
}
