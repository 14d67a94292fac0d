/* wasm.h: the public interface of Atoll's WebAssembly engine.
 *
 * The engine is freestanding C11: the kernel and the Linux tools build it
 * from the same sources. This header is all that code outside wasm/ sees;
 * a module is an opaque handle. What the engine needs from its host
 * (allocation, later code regions and traps) is declared in host.h.
 *
 * Today: decode and validate a binary module (WebAssembly 2.0, SIMD
 * included). The compiler and runtime (issue 4) build on the same handle.
 */
#ifndef ATOLL_WASM_H
#define ATOLL_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wasm_module wasm_module;

#define WASM_NO_FUNC UINT32_MAX

/* Why a module was refused. `msg` starts with the wording of the
 * specification's reference interpreter ("type mismatch", "unknown local",
 * "integer too large"...), which the official tests quote, and may go on
 * with details after it. */
typedef struct wasm_error {
    uint32_t offset;    /* byte offset in the module where the fault lies */
    uint32_t func;      /* function index (imports counted), or WASM_NO_FUNC */
    bool malformed;     /* binary-format error (else: a validation error) */
    char msg[160];      /* NUL-terminated */
} wasm_error;

/* Limits on untrusted input, so that a hostile module costs bounded time
 * and memory. Each exceeded limit is reported like the format error it
 * resembles ("too many locals", "length out of bounds"...). */
typedef struct wasm_limits {
    uint32_t module_size;    /* bytes */
    uint32_t types;          /* entries of the type section */
    uint32_t type_arity;     /* params, and results, of one function type */
    uint32_t imports, funcs, tables, globals, exports;
    uint32_t elem_segments, elem_items, data_segments;
    uint32_t func_size;      /* bytes of one function body */
    uint32_t locals;         /* params plus locals of one function */
    uint32_t depth;          /* nesting of block/loop/if in one body */
    uint32_t stack;          /* operand stack height in one body */
    uint32_t br_table;       /* targets of one br_table */
    bool careful;            /* check every instruction with the full rules,
                                skipping the fast path: for tests that
                                compare the two (they must agree) */
} wasm_limits;

/* Fills *l with generous defaults (of the order of V8's limits). */
void wasm_limits_default(wasm_limits *l);

/* Decodes and validates `len` bytes. On success returns a module that owns
 * a copy of the bytes (the caller may free its buffer) and must be released
 * with wasm_module_free. On failure returns NULL, fills *err (if non-NULL),
 * and leaves nothing allocated. `limits` NULL means the defaults. */
wasm_module *wasm_module_decode(const void *bytes, size_t len,
                                const wasm_limits *limits, wasm_error *err);

/* Releases everything the module holds. NULL is allowed. */
void wasm_module_free(wasm_module *m);

/* Number of functions, imports included. */
uint32_t wasm_module_num_funcs(const wasm_module *m);

/* The name of function `func` from the name section, NUL-terminated, or
 * NULL when it has none (or func is out of range). Valid while m lives. */
const char *wasm_module_func_name(const wasm_module *m, uint32_t func);

/* Writes "offset 0x1c, function 3 (name): type mismatch..." into buf
 * (always NUL-terminated when size > 0). Returns buf. */
char *wasm_error_format(const wasm_error *err, const wasm_module *m,
                        char *buf, size_t size);

/* ---- Compiler and runtime (issue 4; docs/compiler.md) ---- */

typedef struct wasm_store wasm_store;         /* instances that may link */
typedef struct wasm_compiled wasm_compiled;   /* a module's machine code */
typedef struct wasm_instance wasm_instance;

/* Why a call or an instantiation stopped. wasm_trap_message gives the
 * specification's wording ("integer divide by zero"...). */
enum wasm_trap {
    WASM_TRAP_NONE = 0,
    WASM_TRAP_UNREACHABLE, WASM_TRAP_MEMORY_OOB, WASM_TRAP_DIV_ZERO,
    WASM_TRAP_INT_OVERFLOW, WASM_TRAP_BAD_CONVERSION, WASM_TRAP_UNDEF_ELEM,
    WASM_TRAP_UNINIT_ELEM, WASM_TRAP_SIG_MISMATCH, WASM_TRAP_STACK,
    WASM_TRAP_TABLE_OOB, WASM_TRAP_HOST, WASM_TRAP_INTERRUPTED,
    WASM_TRAP_COUNT
};
const char *wasm_trap_message(int trap);

/* An external value: what an import is given and an export yields.
 * kind is 0 func, 1 table, 2 memory, 3 global (the binary's codes). */
typedef struct wasm_extern {
    uint8_t kind;
    void *obj;          /* wasm_funcinst, _table_inst, _memory_inst, _global_inst */
} wasm_extern;

/* A new, empty store. Calls into it may use `stack_budget` bytes of the
 * caller's stack below the outermost entry (0: 4 MiB) before they trap
 * with "call stack exhausted". NULL when out of memory. */
wasm_store *wasm_store_new(size_t stack_budget);
/* Caps the linear-memory pages (64 KiB) the store's memories hold in all
 * (0: no cap beyond each memory's maximum): a memory that would pass it is
 * not made (instantiation fails, "out of memory") and memory.grow returns
 * -1. wasm_store_pages tells how many they hold now. */
void wasm_store_set_page_limit(wasm_store *s, uint64_t pages);
uint64_t wasm_store_pages(const wasm_store *s);
/* The same for table elements (each costs the host 8 bytes): a table
 * past it is not made, table.grow returns -1. */
void wasm_store_set_elem_limit(wasm_store *s, uint64_t elems);

/* Frees the store and every instance and host object in it. */
void wasm_store_free(wasm_store *s);

/* Compiles every function of a validated module. The result refers to m,
 * which must outlive it. NULL on failure, with *err filled. */
wasm_compiled *wasm_compile(const wasm_module *m, wasm_error *err);
void wasm_compiled_free(wasm_compiled *c);
/* SIMD code uses AVX's three-operand (VEX) forms where they save copies
 * when the CPU has AVX; false makes later compiles use the SSE4.1 forms
 * only (tests cover both on one machine). Not thread-safe: set it before
 * compiling. */
void wasm_compile_use_avx(bool on);

/* What compiling m will take, in bytes, about (the code region it starts
 * with, its tables, its scratch), known before compiling: a host checks
 * it against what it can give. Growth past the first region is possible
 * for code that expands more than usual; each allocation still goes
 * through the host, which may refuse it. */
size_t wasm_compile_estimate(const wasm_module *m);

/* Bytes of machine code c holds (its code region, whole pages), for a
 * host that accounts for what a guest's modules cost it. */
size_t wasm_compiled_code_size(const wasm_compiled *c);

/* Instantiates per WebAssembly 2.0: imports[i] for the module's import i
 * (checked: "unknown import", "incompatible import type"), globals, tables
 * and memories made, element and data segments applied in order, the start
 * function run. On failure returns NULL and fills *err; a trap during
 * segments or start leaves its effects on imported objects, as the
 * specification says, and *trap (if non-NULL) gets its kind (else 0).
 * The instance belongs to the store. */
wasm_instance *wasm_instantiate(wasm_store *s, wasm_compiled *c,
                                const wasm_extern *imports, uint32_t nimports,
                                wasm_error *err, int *trap);

/* Like wasm_instantiate, but calls prestart(ctx, instance) once the
 * instance exists and its segments are applied, before its start function
 * runs: an embedder fills tables of the instance there (the kernel gives
 * an instance handles to its own memory). If prestart returns false,
 * instantiation fails with "instantiation refused by the host". NULL
 * prestart is wasm_instantiate. */
typedef bool (*wasm_prestart_fn)(void *ctx, wasm_instance *in);
wasm_instance *wasm_instantiate_with(wasm_store *s, wasm_compiled *c,
                                     const wasm_extern *imports, uint32_t nimports,
                                     wasm_prestart_fn prestart, void *ctx,
                                     wasm_error *err, int *trap);

/* What an instance holds, by index: its memory 0 (false when it has
 * none), and table i of its index space (imports first; *imported says
 * which it is). The externs stay valid while the store lives. */
bool wasm_instance_memory(const wasm_instance *in, wasm_extern *out);
uint32_t wasm_instance_num_tables(const wasm_instance *in);
bool wasm_instance_table(const wasm_instance *in, uint32_t i, wasm_extern *out,
                         bool *imported);
const wasm_module *wasm_instance_module(const wasm_instance *in);

/* Tables from the host's side. Elements are 64-bit: null is 0, an
 * externref is the host's value. wasm_table_set stores only into externref
 * tables (a funcref is the engine's to make, never the host's); get and
 * set return false for an index out of range. */
uint8_t wasm_table_elem(const wasm_extern *t);
uint32_t wasm_table_size(const wasm_extern *t);
bool wasm_table_get(const wasm_extern *t, uint32_t i, uint64_t *val);
bool wasm_table_set(const wasm_extern *t, uint32_t i, uint64_t val);

/* Looks an export up by name (len bytes, any of them); false when there
 * is none. */
bool wasm_instance_export(const wasm_instance *inst, const char *name, size_t len,
                          wasm_extern *out);

/* Import i of a module, for an embedder resolving them: names point into
 * the module (not NUL-terminated), kind as in wasm_extern. False when i is
 * out of range. */
typedef struct wasm_import_desc {
    const char *module, *field;
    uint32_t module_len, field_len;
    uint8_t kind;
    /* Tables: element type (0x70 funcref, 0x6f externref) and limits in
     * elements; memories: limits in 64 KiB pages; 0 otherwise. */
    uint8_t elem;
    bool has_max;
    uint32_t min, max;
} wasm_import_desc;
uint32_t wasm_module_num_imports(const wasm_module *m);
bool wasm_module_import(const wasm_module *m, uint32_t i, wasm_import_desc *out);
/* The type of import i when it is a function: valtype bytes of its params
 * and results (into the module). False when i is out of range or not a
 * function. */
bool wasm_module_import_func_type(const wasm_module *m, uint32_t i, uint32_t *np,
                                  const uint8_t **params, uint32_t *nr,
                                  const uint8_t **results);
/* Export i of a module: its name (into the module, not NUL-terminated)
 * and kind. False when i is out of range. */
uint32_t wasm_module_num_exports(const wasm_module *m);
bool wasm_module_export(const wasm_module *m, uint32_t i, const char **name,
                        uint32_t *len, uint8_t *kind);

/* The type of a function: valtype bytes of its params and results. */
void wasm_func_type(const wasm_extern *fn, uint32_t *np, const uint8_t **params,
                    uint32_t *nr, const uint8_t **results);

/* Calls a function. vals holds its arguments on entry and its results on
 * return, in 8-byte slots, as many as the larger of the two lists takes:
 * i32 in the low 32 bits, floats as bit patterns, references as their
 * 64-bit value (null 0), and a v128 in TWO consecutive slots, its low 64
 * bits (lanes 0.. in little-endian order) first. Returns
 * WASM_TRAP_NONE or the trap that ended the call; wasm_store_trap_func
 * names the function that trapped. */
int wasm_call(wasm_store *s, const wasm_extern *fn, uint64_t *vals);

/* The function of the last trap: its index, and its name from the name
 * section, else an export's name, else NULL. Valid until the next trap. */
const char *wasm_store_trap_func(const wasm_store *s, uint32_t *func);
/* The module of the function of the last trap (NULL when the trap was
 * not in compiled code): an embedder maps it to the instance it named. */
const wasm_module *wasm_store_trap_module(const wasm_store *s);

/* Host objects, for imports (the spectest module, the kernel's coral).
 * A host function gets its env and the argument/result slots, as
 * wasm_call's vals (a v128 in two slots); it returns WASM_TRAP_NONE or a trap. Types are strings
 * of valtype bytes (e.g. "\x7f\x7f" for two i32). All belong to the store;
 * each returns false when out of memory. */
typedef int (*wasm_host_fn)(void *env, uint64_t *vals);
bool wasm_host_func_new(wasm_store *s, const uint8_t *params, uint32_t np,
                        const uint8_t *results, uint32_t nr,
                        wasm_host_fn fn, void *env, wasm_extern *out);
bool wasm_global_new(wasm_store *s, uint8_t type, bool mut, uint64_t bits,
                     wasm_extern *out);
bool wasm_memory_new(wasm_store *s, uint32_t min, uint32_t max, bool has_max,
                     wasm_extern *out);
bool wasm_table_new(wasm_store *s, uint8_t elem, uint32_t min, uint32_t max,
                    bool has_max, wasm_extern *out);
/* A global's value and type (a v128's low 64 bits); wasm_global_bits
 * gives all 16 bytes of its cell, low half first. */
uint64_t wasm_global_value(const wasm_extern *g, uint8_t *type);
void wasm_global_bits(const wasm_extern *g, uint64_t out[2]);
/* A memory's bytes and current size in bytes: valid until it grows (the
 * base does not move, but bytes past *size are not accessible). */
uint8_t *wasm_memory_data(const wasm_extern *mem, uint64_t *size);

#endif
