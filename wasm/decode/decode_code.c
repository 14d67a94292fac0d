/* decode_code.c: the code section: each body's locals, then its
 * instructions through the validator.
 */
#include "decode.h"
#include "../host.h"

/* Reads the local declarations of f into runs (params first). */
static bool rd_locals(struct dec *d, struct wasm_func *f)
{
    const struct wasm_functype *ft = &d->m->types[f->type];
    const uint8_t *at = d->p;
    uint32_t ngroups;
    TRY(wasm_rd_len(d, &ngroups));
    struct wasm_locals *runs =
        wasm_arena_alloc(d->m, ((size_t)ft->nparams + ngroups) * sizeof *runs);
    if (!runs)
        return wasm_dec_invalid(d, at, "out of memory");
    uint32_t nruns = 0;
    uint64_t total = 0;
    for (uint32_t i = 0; i < ft->nparams; i++) {
        runs[nruns++] = (struct wasm_locals){ (uint32_t)total, 1, ft->params[i] };
        total++;
    }
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t count;
        uint8_t t;
        TRY(rd_u32(d, &count));
        TRY(wasm_rd_valtype(d, &t));
        /* The specification's bound is 2^32 - 1; ours is the limit. */
        if (total + count > d->lim->locals)
            return wasm_dec_malformed(d, at, "too many locals");
        if (count)
            runs[nruns++] = (struct wasm_locals){ (uint32_t)total, count, t };
        total += count;
    }
    f->nlocals = (uint32_t)total;
    f->nlocal_runs = nruns;
    f->locals = runs;
    return true;
}

bool wasm_dec_code_section(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    const uint8_t *at = d->p;
    TRY(rd_u32(d, &n));
    d->ncodes = n;
    TRY(wasm_dec_ensure_declared(d));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size;
        at = d->p;
        TRY(wasm_rd_len(d, &size));
        if (size > d->lim->func_size)
            return wasm_dec_malformed(d, at, "function body larger than the limit");
        const uint8_t *body_end = d->p + size;
        if (i >= d->nfunc_decls) {
            /* More bodies than functions: reported after the last section,
             * as the reference interpreter does. */
            d->p = body_end;
            continue;
        }
        if (wasm_host_interrupted())
            return wasm_dec_invalid(d, d->p, "interrupted: asked to stop while decoding");
        struct wasm_func *f = &m->funcs[m->nfunc_imports + i];
        d->func = m->nfunc_imports + i;
        TRY(rd_locals(d, f));
        f->code = d->p;
        f->code_offset = (uint32_t)(d->p - d->base);
        TRY(wasm_validate_func(d, f));
        f->code_len = (uint32_t)(d->p - f->code);
        if (d->p != body_end)
            return wasm_dec_malformed(d, d->p, "section size mismatch");
    }
    d->func = WASM_NO_FUNC;
    return true;
}
