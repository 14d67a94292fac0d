/* module.h: the decoded, validated module, as the compiler reads it.
 *
 * Internal to wasm/. Everything here is immutable after wasm_module_decode
 * returns and lives in the module's arena; names and code point into the
 * module's own copy of the bytes. Index spaces (funcs, tables, memories,
 * globals) hold imports first, as in the specification.
 *
 * What a single-pass compiler needs beyond the bytes is precomputed per
 * function (struct wasm_func): local types, maximum operand-stack height
 * and nesting depth, and the side table (struct wasm_side), one entry per
 * instruction that needs one, in code order. See docs/engine.md.
 */
#ifndef ATOLL_WASM_MODULE_H
#define ATOLL_WASM_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../wasm.h"

/* Value types, as their binary codes. 0 is "unknown" in the validator (the
 * operand of dead code), and is what side entries hold for such operands. */
enum {
    WASM_I32 = 0x7f, WASM_I64 = 0x7e, WASM_F32 = 0x7d, WASM_F64 = 0x7c,
    WASM_V128 = 0x7b, WASM_FUNCREF = 0x70, WASM_EXTERNREF = 0x6f,
};

enum { WASM_EXT_FUNC = 0, WASM_EXT_TABLE = 1, WASM_EXT_MEMORY = 2,
       WASM_EXT_GLOBAL = 3 };

#define WASM_NONE UINT32_MAX     /* "no index" in the fields below */
#define WASM_PAGE_LIMIT 65536u   /* pages of a 32-bit memory */

struct wasm_name {
    const char *s;   /* into the module's bytes: NOT NUL-terminated */
    uint32_t len;
};

struct wasm_functype {
    uint32_t nparams, nresults;
    const uint8_t *params, *results;   /* valtypes */
};

struct wasm_bounds {
    uint32_t min, max;
    bool has_max;
};

/* A constant expression. In 2.0 a valid one is a single instruction. */
struct wasm_init {
    uint16_t op;          /* enum wasm_op: *_CONST, REF_NULL, REF_FUNC, GLOBAL_GET */
    uint8_t type;         /* valtype it produces */
    uint32_t index;       /* REF_FUNC: function; GLOBAL_GET: global */
    uint64_t bits[2];     /* constants as bit patterns, low half first */
};

struct wasm_import {
    struct wasm_name module, field;
    uint8_t kind;         /* WASM_EXT_* */
    uint32_t index;       /* in the index space of its kind */
};

/* One side-table entry. Which instructions get one, and what the fields
 * mean:
 *   block, loop, if  a = pc of the matching end, b = pc of else (if only;
 *                    0 when none), c = number of branches to this label
 *                    (0: no merge needed at the label)
 *   br, br_if        a = arity of the target label, b = operand-stack
 *                    height at the target (below its values), c = index of
 *                    the target's block entry (WASM_NONE: the function)
 *   br_table         a = arity, b = targets including the default (n+1);
 *                    then n+1 entries like br's, one per target, in order
 *   drop, select     a = type of the operand (0 in unreachable code)
 * pc is the instruction's offset from the start of wasm_func.code. */
struct wasm_side {
    uint32_t pc, a, b, c;
};

/* Local types as runs, so that a body declaring 50000 locals in three
 * bytes costs 12 bytes here, not 50000. */
struct wasm_locals {
    uint32_t first;           /* index of the run's first local */
    uint32_t count;
    uint8_t type;
};

#define WASM_HOT_INT 3
#define WASM_HOT_FLOAT 4

struct wasm_func {
    uint32_t type;            /* type index */
    uint32_t import;          /* import index, WASM_NONE if defined here */
    const char *name;         /* from the name section (NUL-terminated copy), or NULL */
    /* Defined functions only: */
    const uint8_t *code;      /* first instruction (after the locals) */
    uint32_t code_len;        /* up to and including the final end */
    uint32_t code_offset;     /* of `code` in the module, for error reports */
    uint32_t nlocals;         /* params + declared locals */
    uint32_t nlocal_runs;     /* runs of equal type, params first */
    const struct wasm_locals *locals; /* per param, then per declaration */
    uint32_t max_stack;       /* max operand-stack height, in values */
    uint32_t max_depth;       /* max control-stack depth (the body is 1) */
    uint32_t nside;
    const struct wasm_side *side;
    /* The locals worth keeping in registers, for the compiler: up to
     * WASM_HOT_INT i32/i64 ones, then up to WASM_HOT_FLOAT f32/f64/v128 ones,
     * busiest first by uses (local.get/set/tee, each counting 8 times more
     * per enclosing loop, up to three), never one without uses. When the
     * function has no more such locals than that, all of them, in index
     * order, used or not. Counted by the validator as it reads the body. */
    uint32_t hot[WASM_HOT_INT + WASM_HOT_FLOAT];
    uint32_t nhot;
    bool simd;                /* the body has a 0xfd (SIMD) instruction */
};

struct wasm_table {
    uint8_t elem;             /* WASM_FUNCREF or WASM_EXTERNREF */
    struct wasm_bounds lim;
    uint32_t import;
};

struct wasm_memory {
    struct wasm_bounds lim;   /* in 64 KiB pages */
    uint32_t import;
};

struct wasm_global {
    uint8_t type;
    bool mut;
    uint32_t import;
    struct wasm_init init;    /* defined globals only */
};

struct wasm_export {
    struct wasm_name name;
    uint8_t kind;             /* WASM_EXT_* */
    uint32_t index;
};

enum { WASM_SEG_ACTIVE, WASM_SEG_PASSIVE, WASM_SEG_DECLARATIVE };

struct wasm_elem {
    uint8_t mode;             /* WASM_SEG_* */
    uint8_t type;             /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;           /* active only */
    struct wasm_init offset;  /* active only */
    uint32_t count;
    const struct wasm_init *items;  /* REF_FUNC, REF_NULL or GLOBAL_GET */
};

struct wasm_data {
    uint8_t mode;             /* WASM_SEG_ACTIVE or WASM_SEG_PASSIVE */
    uint32_t memory;
    struct wasm_init offset;
    const uint8_t *bytes;
    uint32_t len;
};

struct wasm_arena_chunk;

struct wasm_module {
    uint8_t *bytes;           /* our copy of the input */
    size_t len;
    struct wasm_arena_chunk *arena;

    uint32_t ntypes, nimports, nfuncs, ntables, nmemories, nglobals;
    uint32_t nexports, nelems, ndatas;
    /* how many of each index space are imports */
    uint32_t nfunc_imports, ntable_imports, nmemory_imports, nglobal_imports;
    struct wasm_functype *types;
    struct wasm_import *imports;
    struct wasm_func *funcs;
    struct wasm_table *tables;
    struct wasm_memory *memories;
    struct wasm_global *globals;
    struct wasm_export *exports;
    struct wasm_elem *elems;
    struct wasm_data *datas;
    bool has_start;
    uint32_t start;
    bool has_datacount;
    uint32_t datacount;
    const char *name;         /* module name from the name section, or NULL */
};

#endif
