/* fuzz_decode.c: libFuzzer target over decode + validate.
 *
 * Any input must either be refused with an error or give a module whose
 * side tables are consistent with its code; crashes, hangs and sanitizer
 * reports are bugs. Built by `make fuzz` with -fsanitize=fuzzer,address,
 * undefined; every crash found becomes a file in tests/fuzz/regressions/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../wasm/module.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    wasm_module *m = wasm_module_decode(data, size, NULL, &err);
    if (m)
        check_module(m);
    else
        check(err.msg[0] != 0);
    wasm_module_free(m);
    return 0;
}
