/* vmctx.h: every layout that compiled code depends on.
 *
 * Internal to wasm/. Compiled code reads these structures at fixed offsets
 * (VMCTX_*, STORE_*, ...), so each offset is a constant here and checked
 * against the C layout with _Static_assert. docs/compiler.md describes
 * the vmctx; struct wasm_layout places its per-module arrays.
 */
#ifndef ATOLL_WASM_VMCTX_H
#define ATOLL_WASM_VMCTX_H

#include <stddef.h>
#include <stdint.h>

#include "../core/module.h"

struct wasm_store;
struct wasm_instance;

/* Runtime helpers that compiled code calls (System V, vmctx first). Each
 * returns a trap kind (0 = none) unless said otherwise. */
enum {
    WASM_HELPER_MEMORY_GROW,  /* (vmctx, delta) -> old pages or -1 */
    WASM_HELPER_MEMORY_FILL,  /* (vmctx, dst, byte, n) */
    WASM_HELPER_MEMORY_COPY,  /* (vmctx, dst, src, n) */
    WASM_HELPER_MEMORY_INIT,  /* (vmctx, seg, dst, src, n) */
    WASM_HELPER_DATA_DROP,    /* (vmctx, seg) -> 0 */
    WASM_HELPER_TABLE_GROW,   /* (vmctx, table, init, delta) -> old size or -1 */
    WASM_HELPER_TABLE_FILL,   /* (vmctx, table, i, ref, n) */
    WASM_HELPER_TABLE_COPY,   /* (vmctx, dst_table, src_table, d, s, n) */
    WASM_HELPER_TABLE_INIT,   /* (vmctx, table, seg, d, s, n) */
    WASM_HELPER_ELEM_DROP,    /* (vmctx, seg) -> 0 */
    WASM_HELPER_COUNT
};

/* The fixed header of every vmctx; per-module arrays follow. */
struct wasm_vmctx {
    uint8_t *mem0_base;             /* memory 0's base (r14), NULL if none */
    struct wasm_store *store;       /* stack limit and unwind point */
    struct wasm_memory_inst *mem0;  /* memory 0, NULL if none */
    struct wasm_instance *inst;     /* owner */
    void *helpers[WASM_HELPER_COUNT];
};
#define VMCTX_MEM0_BASE 0
#define VMCTX_STORE     8
#define VMCTX_MEM0      16
#define VMCTX_HELPERS   32
_Static_assert(offsetof(struct wasm_vmctx, mem0_base) == VMCTX_MEM0_BASE, "vmctx");
_Static_assert(offsetof(struct wasm_vmctx, store) == VMCTX_STORE, "vmctx");
_Static_assert(offsetof(struct wasm_vmctx, mem0) == VMCTX_MEM0, "vmctx");
_Static_assert(offsetof(struct wasm_vmctx, helpers) == VMCTX_HELPERS, "vmctx");

/* Where the per-module arrays of a vmctx lie, from the module alone. */
struct wasm_layout {
    uint32_t funcs;      /* struct wasm_funcinst *[nfuncs] */
    uint32_t globals;    /* struct wasm_global_inst *[nglobals] */
    uint32_t tables;     /* struct wasm_table_inst *[ntables] */
    uint32_t sigs;       /* uint32_t[ntypes]: canonical signature ids */
    uint32_t size;       /* of the whole vmctx */
};
void wasm_layout_init(struct wasm_layout *l, const struct wasm_module *m);

/* A function as a value: what funcref holds and what calls go through. */
struct wasm_funcinst {
    void *code;          /* entry point */
    void *vmctx;         /* callee's vmctx, or its host record */
    uint32_t sig;        /* canonical signature id in the store */
    uint32_t index;      /* function index in its module (WASM_NONE: host) */
    const struct wasm_functype *type;
    struct wasm_instance *inst;   /* NULL for a host function */
};
#define FUNCINST_CODE  0
#define FUNCINST_VMCTX 8
#define FUNCINST_SIG   16
_Static_assert(offsetof(struct wasm_funcinst, code) == FUNCINST_CODE, "funcinst");
_Static_assert(offsetof(struct wasm_funcinst, vmctx) == FUNCINST_VMCTX, "funcinst");
_Static_assert(offsetof(struct wasm_funcinst, sig) == FUNCINST_SIG, "funcinst");

/* A host function's record: its first two words mirror the vmctx header
 * so that r15 may point at it (the trampoline, the trap path). */
struct wasm_hostfunc {
    void *zero;                  /* mem0_base: none */
    struct wasm_store *store;
    int (*fn)(void *env, uint64_t *vals);
    void *env;
    struct wasm_functype type;
    uint8_t types[];             /* params then results */
};
#define HOSTFUNC_FN  16
#define HOSTFUNC_ENV 24
_Static_assert(offsetof(struct wasm_hostfunc, store) == VMCTX_STORE, "hostfunc");
_Static_assert(offsetof(struct wasm_hostfunc, fn) == HOSTFUNC_FN, "hostfunc");
_Static_assert(offsetof(struct wasm_hostfunc, env) == HOSTFUNC_ENV, "hostfunc");

struct wasm_table_inst {
    uint64_t *elems;     /* size entries: funcinst pointers or externrefs, 0 = null */
    uint32_t size;
    uint32_t max;        /* UINT32_MAX when unbounded */
    uint32_t cap;        /* allocated entries */
    uint8_t elem;        /* WASM_FUNCREF or WASM_EXTERNREF */
    struct wasm_store *store;   /* whose element budget it counts in */
};
#define TABLE_ELEMS 0
#define TABLE_SIZE  8
_Static_assert(offsetof(struct wasm_table_inst, elems) == TABLE_ELEMS, "table");
_Static_assert(offsetof(struct wasm_table_inst, size) == TABLE_SIZE, "table");

struct wasm_memory_inst {
    uint8_t *base;       /* reservation of WASM_MEM_RESERVE bytes */
    uint32_t pages;      /* committed, in 64 KiB pages */
    uint32_t max;        /* in pages, <= WASM_PAGE_LIMIT */
    struct wasm_store *store;   /* whose page budget it counts in */
};
#define MEMORY_PAGES 8
_Static_assert(offsetof(struct wasm_memory_inst, pages) == MEMORY_PAGES, "memory");
/* 4 GiB of index, 4 GiB of offset, and room for a 16-byte access. */
#define WASM_MEM_RESERVE ((size_t)8 << 30 | (size_t)1 << 16)

/* Values sit in the low bytes of a 16-byte cell (room for v128). */
struct wasm_global_inst {
    uint64_t bits[2];
    uint8_t type;
    uint8_t mut;
};
_Static_assert(offsetof(struct wasm_global_inst, bits) == 0, "global");

/* The store, as compiled code and the stubs see its head. */
#define STORE_STACK_LIMIT 0
#define STORE_UNWIND_SP   8

#endif
