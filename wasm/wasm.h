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

#endif
