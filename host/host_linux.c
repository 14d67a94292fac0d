/* host_linux.c: the engine's host interface (wasm/host.h) on Linux.
 *
 * Allocation is libc's. Code regions, memories and traps will join here
 * with the runtime (issue 4).
 */
#include <stdlib.h>

#include "../wasm/host.h"

void *wasm_host_alloc(size_t size)
{
    return malloc(size ? size : 1);
}

void wasm_host_free(void *p, size_t size)
{
    (void)size;
    free(p);
}

/* Nothing on Linux asks the engine to stop early. */
_Bool wasm_host_interrupted(void)
{
    return 0;
}
