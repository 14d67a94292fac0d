/*
 * A small reader of Wasm module bytes held in a memory area: what a
 * launcher needs before it instantiates a module, namely the module names
 * it imports from and whether it exports a program's entry. The bytes are
 * untrusted: every read is checked against the module's end, and a module
 * the reader cannot follow is refused (the kernel validates it in full
 * later anyway).
 */
#ifndef USERBOOT_WASMSCAN_H
#define USERBOOT_WASMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "user/sdk/atoll.h"

#define WASM_NAME_MAX 64 /* an instance name, as the kernel limits it */
#define WASM_DEPS_MAX 8  /* module names one module may import from */

struct wasm_scan {
    /* Distinct import module names other than "coral" and "env", in the
     * order of their first import; each 1..WASM_NAME_MAX bytes. */
    char deps[WASM_DEPS_MAX][WASM_NAME_MAX + 1];
    int ndeps;
    bool has_entry; /* exports a function named `entry` */
    bool uses_env;  /* imports from "env", the SDK shim */
};

/* Reads bytes [off, off + len) of vma. Returns NULL, or a message saying
 * why the module was refused (not Wasm, truncated, a name too long or with
 * bytes a file name cannot have, too many dependencies). */
const char *wasm_scan(atoll_handle vma, int64_t off, int64_t len,
                      const char *entry, struct wasm_scan *out);

#endif
