/* fuzz_decode.c: libFuzzer target over decode + validate.
 *
 * Any input must either be refused with an error or give a module whose
 * side tables are consistent with its code, and the validator's fast path
 * must agree with its careful path (limits.careful) on the result, the
 * error, and every side table; crashes, hangs and sanitizer reports are
 * bugs. Built by `make fuzz` with -fsanitize=fuzzer,address,
 * undefined; every crash found becomes a file in tests/fuzz/regressions/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../wasm/core/module.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

/* The invariants the compiler will rely on. */
static void check_module(const wasm_module *m)
{
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const struct wasm_func *f = &m->funcs[i];
        check(f->code && f->code_len > 0 && f->code[f->code_len - 1] == 0x0b);
        check(f->max_depth >= 1);
        uint32_t last = 0;
        for (uint32_t k = 0; k < f->nside; k++) {
            const struct wasm_side *s = &f->side[k];
            check(s->pc < f->code_len && s->pc >= last);
            last = s->pc;
        }
    }
}

/* The fast path and the careful path must agree on everything. */
static void compare(const wasm_module *a, const wasm_module *b)
{
    check(a->nfuncs == b->nfuncs);
    for (uint32_t i = a->nfunc_imports; i < a->nfuncs; i++) {
        const struct wasm_func *f = &a->funcs[i], *g = &b->funcs[i];
        check(f->max_stack == g->max_stack && f->max_depth == g->max_depth);
        check(f->nside == g->nside && f->code_len == g->code_len);
        check(!f->nside || !memcmp(f->side, g->side, f->nside * sizeof *f->side));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err, err2;
    wasm_limits careful;
    wasm_limits_default(&careful);
    careful.careful = true;
    wasm_module *m = wasm_module_decode(data, size, NULL, &err);
    wasm_module *m2 = wasm_module_decode(data, size, &careful, &err2);
    check(!m == !m2);
    if (m) {
        check_module(m);
        compare(m, m2);
    } else {
        check(err.msg[0] != 0);
        check(!strcmp(err.msg, err2.msg) && err.offset == err2.offset &&
              err.func == err2.func);
    }
    wasm_module_free(m);
    wasm_module_free(m2);
    return 0;
}
