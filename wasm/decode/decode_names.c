/* decode_names.c: the "name" custom section, for function names in traps
 * and error reports.
 *
 * Custom sections do not affect validity, so a damaged name section is
 * ignored from the damage on, never an error. Names are copied with a
 * terminating NUL, so callers can print them directly.
 */
#include "decode.h"
#include "../core/libc.h"

static const char *copy_name(struct dec *d, const struct wasm_name *n)
{
    char *s = wasm_arena_alloc(d->m, (size_t)n->len + 1);
    if (s)
        memcpy(s, n->s, n->len);   /* arena blocks come zeroed */
    return s;
}

static bool rd_func_names(struct dec *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(wasm_rd_len(d, &n));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx;
        struct wasm_name name;
        TRY(rd_u32(d, &idx));
        TRY(wasm_rd_name(d, &name));
        if (idx < m->nfuncs && !m->funcs[idx].name)
            m->funcs[idx].name = copy_name(d, &name);
    }
    return true;
}

void wasm_dec_name_section(struct dec *d)
{
    /* Errors here must not fail the module: let them land in a scratch
     * record. */
    wasm_error scratch, *saved = d->err;
    scratch.msg[0] = 0;
    d->err = &scratch;
    const uint8_t *section_end = d->sec_end, *saved_end = d->end;
    d->end = section_end;
    while (d->p < section_end) {
        uint8_t id;
        uint32_t size;
        if (!rd_byte(d, &id) || !wasm_rd_len(d, &size) ||
            size > (size_t)(section_end - d->p))
            break;
        d->end = d->p + size;
        if (id == 0) {
            struct wasm_name name;
            if (wasm_rd_name(d, &name))
                d->m->name = copy_name(d, &name);
        } else if (id == 1) {
            rd_func_names(d);
        }
        d->p = d->end;
        d->end = section_end;
    }
    d->p = section_end;
    d->end = saved_end;
    d->err = saved;
}
