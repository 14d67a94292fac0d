/* runtime_mem.c: linear memories, and the helpers compiled code calls for
 * memory.grow and bulk memory (memory.fill/copy/init, data.drop).
 *
 * A memory is a reservation of WASM_MEM_RESERVE bytes that never moves;
 * growing commits pages in place, so the base compiled code keeps in r14
 * stays valid. Helpers return a trap kind (0 = none); they check bounds
 * before writing anything, as 2.0 says.
 */
#include "../core/libc.h"
#include "../host.h"
#include "runtime.h"

#define PAGE ((uint64_t)1 << 16)

bool wasm_memory_make(struct wasm_store *s, uint32_t min, uint32_t max,
                      struct wasm_memory_inst **out)
{
    if (s->page_limit && min > s->page_limit - s->pages)
        return false;
    struct wasm_memory_inst *m = wasm_store_obj(s, WASM_EXT_MEMORY, sizeof *m);
    if (!m)
        return false;
    m->store = s;
    m->max = max > WASM_PAGE_LIMIT ? WASM_PAGE_LIMIT : max;
    m->base = wasm_host_mem_reserve(WASM_MEM_RESERVE);
    if (!m->base)
        return false;
    if (!wasm_host_mem_commit(m->base, 0, (size_t)(min * PAGE)))
        return false;
    m->pages = min;
    s->pages += min;
    *out = m;
    return true;
}

void wasm_memory_release(struct wasm_memory_inst *m)
{
    wasm_host_mem_release(m->base, WASM_MEM_RESERVE);
    m->base = NULL;
}

static uint32_t memory_grow(struct wasm_vmctx *v, uint32_t delta)
{
    struct wasm_memory_inst *m = v->mem0;
    struct wasm_store *s = m->store;
    uint32_t old = m->pages;
    if (delta > m->max - old)
        return UINT32_MAX;
    /* The owning store's budget (an imported memory counts in its
     * creator's store, whoever grows it). */
    if (s->page_limit && delta > s->page_limit - s->pages)
        return UINT32_MAX;
    if (!wasm_host_mem_commit(m->base, (size_t)(old * PAGE),
                              (size_t)((old + (uint64_t)delta) * PAGE)))
        return UINT32_MAX;
    m->pages = old + delta;
    s->pages += delta;
    return old;
}

/* Bulk copies keep xmm12..15. Compiled code may hold its callers' hot
 * locals there across a helper call (docs/compiler.md: a function parks
 * only its own pins), and a host's memmove may use them for a big block
 * (glibc's SSE2 large-copy loop does; the kernel's never touches an xmm
 * register). Below KEEP_XMM_FROM bytes no libc copy reaches such a loop,
 * and saving would cost as much as the copy. */
#define KEEP_XMM_FROM 4096

void wasm_rt_copy(void *dst, const void *src, size_t n)
{
    if (n < KEEP_XMM_FROM) {
        memmove(dst, src, n);
        return;
    }
    uint8_t save[64] __attribute__((aligned(16)));
    __asm__ volatile("movdqa %%xmm12, 0(%0)\n movdqa %%xmm13, 16(%0)\n"
                     "movdqa %%xmm14, 32(%0)\n movdqa %%xmm15, 48(%0)"
                     : : "r"(save) : "memory");
    memmove(dst, src, n);
    __asm__ volatile("movdqa 0(%0), %%xmm12\n movdqa 16(%0), %%xmm13\n"
                     "movdqa 32(%0), %%xmm14\n movdqa 48(%0), %%xmm15"
                     : : "r"(save) : "memory");
}

static uint64_t mem_bytes(const struct wasm_vmctx *v)
{
    return v->mem0 ? (uint64_t)v->mem0->pages * PAGE : 0;
}

static int memory_fill(struct wasm_vmctx *v, uint32_t d, uint32_t val, uint32_t n)
{
    if ((uint64_t)d + n > mem_bytes(v))
        return WASM_TRAP_MEMORY_OOB;
    memset(v->mem0_base + d, (int)(val & 0xff), n);
    return 0;
}

static int memory_copy(struct wasm_vmctx *v, uint32_t d, uint32_t s, uint32_t n)
{
    uint64_t size = mem_bytes(v);
    if ((uint64_t)d + n > size || (uint64_t)s + n > size)
        return WASM_TRAP_MEMORY_OOB;
    wasm_rt_copy(v->mem0_base + d, v->mem0_base + s, n);
    return 0;
}

int wasm_rt_memory_init(struct wasm_vmctx *v, uint32_t seg, uint32_t d, uint32_t s,
                        uint32_t n)
{
    const struct wasm_data *ds = &v->inst->m->datas[seg];
    uint32_t len = v->inst->data_dropped[seg] ? 0 : ds->len;
    if ((uint64_t)s + n > len || (uint64_t)d + n > mem_bytes(v))
        return WASM_TRAP_MEMORY_OOB;
    if (n)
        wasm_rt_copy(v->mem0_base + d, ds->bytes + s, n);
    return 0;
}

static int data_drop(struct wasm_vmctx *v, uint32_t seg)
{
    v->inst->data_dropped[seg] = 1;
    return 0;
}

/* The helper table every vmctx copies; the table helpers are defined in
 * runtime_table.c. */
uint32_t wasm_rt_table_grow(struct wasm_vmctx *v, uint32_t t, uint64_t init, uint32_t delta);
int wasm_rt_table_fill(struct wasm_vmctx *v, uint32_t t, uint32_t i, uint64_t ref, uint32_t n);
int wasm_rt_table_copy(struct wasm_vmctx *v, uint32_t dt, uint32_t st, uint32_t d,
                       uint32_t s, uint32_t n);
int wasm_rt_elem_drop(struct wasm_vmctx *v, uint32_t seg);

void *const wasm_helpers[WASM_HELPER_COUNT] = {
    [WASM_HELPER_MEMORY_GROW] = (void *)memory_grow,
    [WASM_HELPER_MEMORY_FILL] = (void *)memory_fill,
    [WASM_HELPER_MEMORY_COPY] = (void *)memory_copy,
    [WASM_HELPER_MEMORY_INIT] = (void *)wasm_rt_memory_init,
    [WASM_HELPER_DATA_DROP] = (void *)data_drop,
    [WASM_HELPER_TABLE_GROW] = (void *)wasm_rt_table_grow,
    [WASM_HELPER_TABLE_FILL] = (void *)wasm_rt_table_fill,
    [WASM_HELPER_TABLE_COPY] = (void *)wasm_rt_table_copy,
    [WASM_HELPER_TABLE_INIT] = (void *)wasm_rt_table_init,
    [WASM_HELPER_ELEM_DROP] = (void *)wasm_rt_elem_drop,
};
