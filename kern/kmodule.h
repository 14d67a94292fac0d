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
    struct account *acct;       /* who pays for it, or NULL */
    uint64_t charged;           /* what it was charged */
};

/* Largest binary module_create accepts. */
#define KMODULE_MAX_BYTES (64u << 20)

/*
 * Decodes, validates and compiles `len` bytes (which the caller keeps;
 * they are copied first, so a guest changing them meanwhile cannot make
 * the kernel compile other bytes than it validated). On success returns a
 * module holding one reference. On failure returns NULL, sets *status to
 * 1 (the bytes are not a valid module, or too big) or 2 (the kernel ran
 * out of memory or regions, while copying, decoding or compiling; or the
 * compiler failed; or past acct's limit), and writes the reason
 * into why. With an account (may be NULL), the binary's size plus its
 * machine code's are charged to it until the module goes (the module
 * holds a reference). May take long (compilation), never blocks on
 * another thread.
 */
struct account;
struct kmodule *kmodule_create(const void *bytes, uint64_t len, struct account *acct,
                               int *status, char *why, size_t why_size);

#endif
