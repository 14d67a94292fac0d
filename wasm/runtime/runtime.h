/* runtime.h: the runtime's internal structures: stores, compiled code,
 * instances, trap tables.
 *
 * Internal to wasm/. What compiled code reads at fixed offsets is in
 * vmctx.h; this header holds the rest, and the functions the runtime's
 * files share.
 */
#ifndef ATOLL_WASM_RUNTIME_H
#define ATOLL_WASM_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/module.h"
#include "vmctx.h"
#include "../wasm.h"

/* One instruction that may fault, and what its fault means. */
struct wasm_trap_site {
    uint32_t off;        /* from the start of the code region */
    uint8_t kind;        /* enum wasm_trap, or WASM_TRAP_DYNAMIC */
};
/* The kind is in eax (a helper returned it). */
#define WASM_TRAP_DYNAMIC 0xff

/* A sealed code region and what the trap path needs to know about it:
 * the `owner` given to wasm_host_code_seal. */
struct wasm_code {
    uint8_t *base;
    size_t size;
    struct wasm_trap_site *traps;   /* sorted by offset */
    uint32_t ntraps, captraps;      /* entries, and allocated */
    uint32_t nfuncs;                /* defined functions with code here */
    uint32_t *func_off;             /* their start offsets, ascending */
    uint32_t first_func;            /* index of the first (imports before) */
    const struct wasm_module *m;    /* for names; NULL for the stubs */
};

struct wasm_compiled {
    const struct wasm_module *m;
    struct wasm_layout layout;
    struct wasm_code code;
};

/* Everything a store frees with itself. */
struct wasm_obj {
    struct wasm_obj *next;
    uint8_t kind;        /* WASM_EXT_*, or 4 = instance */
    size_t size;         /* of this allocation, header included */
};

struct wasm_store {
    uintptr_t stack_limit;      /* STORE_STACK_LIMIT: prologues compare rsp */
    uintptr_t unwind_sp;        /* STORE_UNWIND_SP: the entry stub's rsp */
    size_t stack_budget;
    uint32_t depth;             /* nesting of wasm_call */
    /* The last trap. */
    int trap_kind;
    uint32_t trap_func;
    const struct wasm_module *trap_module;
    char trap_name[64];         /* an export's name, when the name section has none */
    /* Stubs: entry, its landing pad, the host-function trampoline. */
    struct wasm_code stubs;
    int (*entry)(void *code, void *vmctx, uint64_t *vals, uint64_t nslots);
    void *landing, *host_tramp;
    /* Canonical signatures: equal types get equal ids. */
    struct wasm_functype *sigs;
    uint32_t nsigs, capsigs;
    struct wasm_obj *objs;
    /* Linear-memory pages the store's memories may hold in all (0: no
     * limit beyond each memory's maximum), and hold now. */
    uint64_t page_limit, pages;
    /* The same for table elements (8 bytes of host memory each). */
    uint64_t elem_limit, elems;
};

struct wasm_instance {
    struct wasm_obj obj;
    struct wasm_store *store;
    struct wasm_compiled *c;
    const struct wasm_module *m;
    struct wasm_vmctx *vmctx;
    struct wasm_funcinst *funcs;     /* defined functions */
    uint8_t *elem_dropped, *data_dropped;
};

/* store.c */
void *wasm_store_obj(struct wasm_store *s, uint8_t kind, size_t size);
bool wasm_store_sig(struct wasm_store *s, const struct wasm_functype *t, uint32_t *id);
bool wasm_stubs_make(struct wasm_store *s);   /* stubs.c */

/* Vmctx access. */
static inline struct wasm_funcinst **wasm_vm_funcs(struct wasm_vmctx *v,
                                                   const struct wasm_layout *l)
{
    return (struct wasm_funcinst **)((uint8_t *)v + l->funcs);
}
static inline struct wasm_global_inst **wasm_vm_globals(struct wasm_vmctx *v,
                                                        const struct wasm_layout *l)
{
    return (struct wasm_global_inst **)((uint8_t *)v + l->globals);
}
static inline struct wasm_table_inst **wasm_vm_tables(struct wasm_vmctx *v,
                                                      const struct wasm_layout *l)
{
    return (struct wasm_table_inst **)((uint8_t *)v + l->tables);
}
static inline uint32_t *wasm_vm_sigs(struct wasm_vmctx *v, const struct wasm_layout *l)
{
    return (uint32_t *)((uint8_t *)v + l->sigs);
}

/* runtime_mem.c, runtime_table.c: objects and the helpers. */
/* memmove that leaves xmm12..15 as they were (helpers' bulk copies). */
void wasm_rt_copy(void *dst, const void *src, size_t n);
bool wasm_memory_make(struct wasm_store *s, uint32_t min, uint32_t max,
                      struct wasm_memory_inst **out);
bool wasm_table_make(struct wasm_store *s, uint8_t elem, uint32_t min, uint32_t max,
                     struct wasm_table_inst **out);
void wasm_memory_release(struct wasm_memory_inst *mem);
void wasm_table_release(struct wasm_table_inst *t);
extern void *const wasm_helpers[WASM_HELPER_COUNT];
int wasm_rt_table_init(struct wasm_vmctx *v, uint32_t t, uint32_t seg, uint32_t d,
                       uint32_t s, uint32_t n);
int wasm_rt_memory_init(struct wasm_vmctx *v, uint32_t seg, uint32_t d, uint32_t s,
                        uint32_t n);
/* A constant expression's value in an instance under construction. */
void wasm_eval_init(struct wasm_vmctx *v, const struct wasm_layout *l,
                    const struct wasm_init *e, uint64_t out[2]);

/* trap.c */
int wasm_run(struct wasm_store *s, struct wasm_funcinst *f, uint64_t *vals);

#endif
