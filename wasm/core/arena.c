/* arena.c: the module's memory, freed all at once.
 *
 * A module is built by many small allocations and dies whole, so it takes
 * them from chunks: no per-object free, and a failed decode releases
 * everything with one call. Blocks come back zeroed.
 */
#include "../host.h"
#include "core.h"
#include "libc.h"

#define CHUNK_SIZE (64 * 1024)

struct wasm_arena_chunk {
    struct wasm_arena_chunk *next;
    size_t size, used;        /* bytes of data[] */
    _Alignas(16) unsigned char data[];
};

void *wasm_arena_alloc(struct wasm_module *m, size_t size)
{
    struct wasm_arena_chunk *c = m->arena;
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if (!c || c->size - c->used < size) {
        size_t want = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        if (want > SIZE_MAX - sizeof *c)
            return NULL;
        c = wasm_host_alloc(sizeof *c + want);
        if (!c)
            return NULL;
        c->size = want;
        c->used = 0;
        /* A big block gets its own chunk behind the current one, so the
         * current chunk's free space is not lost. */
        if (m->arena && want > CHUNK_SIZE) {
            c->next = m->arena->next;
            m->arena->next = c;
        } else {
            c->next = m->arena;
            m->arena = c;
        }
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

void wasm_arena_free_all(struct wasm_module *m)
{
    struct wasm_arena_chunk *c = m->arena;
    while (c) {
        struct wasm_arena_chunk *next = c->next;
        wasm_host_free(c, sizeof *c + c->size);
        c = next;
    }
    m->arena = NULL;
}
