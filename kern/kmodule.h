/*
 * Modules as kernel objects: Wasm bytes decoded, validated and compiled
 * once, then instantiated any number of times, in any component. A module
 * object owns its decoded module and its machine code; instances keep a
 * reference to it for as long as their code may run.
 */
#ifndef KERN_KMODULE_H
#define KERN_KMODULE_H

#include <stddef.h>
#include <stdint.h>

#include "kern/object.h"
#include "wasm/wasm.h"

struct kmodule {
    struct kobj k;
    wasm_module *m;
    wasm_compiled *c;
    uint64_t size;              /* bytes of the binary */
};

/* Largest binary module_create accepts. */
#define KMODULE_MAX_BYTES (64u << 20)

/*
 * Decodes, validates and compiles `len` bytes (which the caller keeps;
 * they are copied first, so a guest changing them meanwhile cannot make
 * the kernel compile other bytes than it validated). On success returns a
 * module holding one reference. On failure returns NULL, sets *status to
 * 1 (the bytes are not a valid module, or too big) or 2 (out of memory,
 * or the compiler failed), and writes the reason into why. May take long
 * (compilation), never blocks on another thread.
 */
struct kmodule *kmodule_create(const void *bytes, uint64_t len, int *status,
                               char *why, size_t why_size);

#endif
