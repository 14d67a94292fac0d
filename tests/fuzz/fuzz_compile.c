/* fuzz_compile.c: libFuzzer target over decode + validate + compile + run.
 *
 * A valid input is compiled (wasm_compile), instantiated with dummy
 * imports (functions that return zeros, fresh tables, memories and
 * globals of the declared types), and each exported function is called
 * with zero arguments. Each instantiation and call is bounded in time by
 * the engine's interrupt (linux_trap_timeout, an "interrupted" trap) and
 * the store's memory by a page cap, so a guest's endless loop or
 * memory.grow is an ordinary outcome. The compiler may refuse a valid
 * module only with a message (SIMD until issue 9); traps are ordinary;
 * crashes, sanitizer reports and hangs are bugs. Built by `make fuzz`
 * (ASan + UBSan); every crash found becomes a file in
 * tests/fuzz/regressions/, which test-engine replays.
 *
 * Run libFuzzer with -timeout=0 or a timeout above a few seconds: its
 * own timeout uses SIGALRM too, which the engine's interrupt takes over.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "../../host/linux_trap.h"
#include "../../wasm/core/module.h"
#include "../../wasm/wasm.h"

enum {
    CALL_MS = 20,         /* per call and per instantiation */
    MAX_CALLS = 64,       /* exports called per input */
    PAGE_CAP = 1024,      /* 64 MiB of linear memory per store */
};

static void check(int ok)
{
    if (!ok)
        abort();
}

static void disarm(void)
{
    struct itimerval t = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &t, NULL);
}

/* The slots of vals a list of types takes: a v128 takes two. */
static uint32_t slots(const uint8_t *types, uint32_t n)
{
    uint32_t k = n;
    for (uint32_t i = 0; i < n; i++)
        k += types[i] == 0x7b;
    return k;
}

/* Any imported function: zero results. env is the number of their slots. */
static int dummy(void *env, uint64_t *vals)
{
    memset(vals, 0, (size_t)(uintptr_t)env * sizeof *vals);
    return WASM_TRAP_NONE;
}

/* The dummy for import i; false if the store cannot make it (say a
 * memory bigger than the cap), and then nothing is instantiated. */
static bool make_import(wasm_store *s, const wasm_module *m, uint32_t i, wasm_extern *out)
{
    const struct wasm_import *imp = &m->imports[i];
    wasm_import_desc d;
    check(wasm_module_import(m, i, &d));
    switch (imp->kind) {
    case 0: {
        const struct wasm_functype *t = &m->types[m->funcs[imp->index].type];
        return wasm_host_func_new(s, t->params, t->nparams, t->results, t->nresults, dummy,
                                  (void *)(uintptr_t)slots(t->results, t->nresults), out);
    }
    case 1:
        return d.min <= 100000 && wasm_table_new(s, d.elem, d.min, d.max, d.has_max, out);
    case 2:
        return d.min <= PAGE_CAP && wasm_memory_new(s, d.min, d.max, d.has_max, out);
    default: {
        const struct wasm_global *g = &m->globals[imp->index];
        return wasm_global_new(s, g->type, g->mut, 0, out);
    }
    }
}

static void run(const wasm_module *m, wasm_compiled *c)
{
    wasm_store *s = wasm_store_new(0);
    check(s != NULL);
    wasm_store_set_page_limit(s, PAGE_CAP);
    uint32_t n = wasm_module_num_imports(m);
    wasm_extern *im = calloc(n + 1, sizeof *im);
    check(im != NULL);
    for (uint32_t i = 0; i < n; i++)
        if (!make_import(s, m, i, &im[i]))
            goto out;
    wasm_error err;
    int trap = 0;
    linux_trap_timeout(CALL_MS);
    wasm_instance *in = wasm_instantiate(s, c, im, n, &err, &trap);
    disarm();
    if (!in) {
        check(trap || err.msg[0]);
        goto out;
    }
    uint32_t calls = 0;
    for (uint32_t i = 0; i < wasm_module_num_exports(m) && calls < MAX_CALLS; i++) {
        const char *name;
        uint32_t nlen, np, nr;
        uint8_t kind;
        const uint8_t *params, *results;
        wasm_extern fn;
        check(wasm_module_export(m, i, &name, &nlen, &kind));
        if (kind != 0)
            continue;
        check(wasm_instance_export(in, name, nlen, &fn));
        wasm_func_type(&fn, &np, &params, &nr, &results);
        uint32_t sp = slots(params, np), sr = slots(results, nr);
        uint64_t *vals = calloc((sp > sr ? sp : sr) + 1, sizeof *vals);
        check(vals != NULL);
        calls++;
        linux_trap_timeout(CALL_MS);
        int t = wasm_call(s, &fn, vals);
        disarm();
        check(t >= 0 && t < WASM_TRAP_COUNT);
        free(vals);
    }
out:
    free(im);
    wasm_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    wasm_module *m = wasm_module_decode(data, size, NULL, &err);
    if (!m)
        return 0;
    wasm_compiled *c = wasm_compile(m, &err);
    if (c) {
        run(m, c);
        wasm_compiled_free(c);
    } else {
        check(err.msg[0] != 0);
    }
    wasm_module_free(m);
    return 0;
}
