/* spectest.c: the `spectest` host module of the specification's test
 * suite: print functions (which print nothing here: the tests check
 * results, not output), four globals of value 666, a table of 10..20
 * funcrefs, and a memory of 1..2 pages. Made through the engine's host
 * object API, the way the kernel's `coral` module is. */
#include <string.h>

#include "spectest.h"

struct spec {
    wasm_store *store;
    struct { const char *name; wasm_extern x; } ex[16];
    int n;
};
static struct spec spec;

static int print_fn(void *env, uint64_t *vals)
{
    (void)env;
    (void)vals;
    return 0;
}

static bool add(const char *name, wasm_extern x)
{
    spec.ex[spec.n].name = name;
    spec.ex[spec.n++].x = x;
    return true;
}

static bool fn(const char *name, const char *params)
{
    wasm_extern x;
    return wasm_host_func_new(spec.store, (const uint8_t *)params, (uint32_t)strlen(params),
                              NULL, 0, print_fn, NULL, &x) && add(name, x);
}

static bool global(const char *name, uint8_t type, uint64_t bits)
{
    wasm_extern x;
    return wasm_global_new(spec.store, type, false, bits, &x) && add(name, x);
}

bool spectest_init(wasm_store *s)
{
    wasm_extern x;
    if (spec.store == s)
        return true;
    spec.store = s;
    spec.n = 0;
    return fn("print", "") && fn("print_i32", "\x7f") && fn("print_i64", "\x7e") &&
           fn("print_f32", "\x7d") && fn("print_f64", "\x7c") &&
           fn("print_i32_f32", "\x7f\x7d") && fn("print_f64_f64", "\x7c\x7c") &&
           global("global_i32", 0x7f, 666) && global("global_i64", 0x7e, 666) &&
           global("global_f32", 0x7d, 0x4426a666u) &&        /* 666.6f */
           global("global_f64", 0x7c, 0x4084d4cccccccccdull) && /* 666.6 */
           wasm_table_new(s, 0x70, 10, 20, true, &x) && add("table", x) &&
           wasm_memory_new(s, 1, 2, true, &x) && add("memory", x);
}

bool spectest_lookup(wasm_store *s, const char *field, wasm_extern *out)
{
    if (!spectest_init(s))
        return false;
    for (int i = 0; i < spec.n; i++)
        if (!strcmp(spec.ex[i].name, field)) {
            *out = spec.ex[i].x;
            return true;
        }
    return false;
}

void spectest_forget(void)
{
    spec.store = NULL;
    spec.n = 0;
}
