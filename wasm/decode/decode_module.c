/* decode_module.c: the entry point: header, the section loop, the checks
 * that span sections, and the module's lifetime.
 *
 * Decoding and validation are one pass: each section is checked as it is
 * read, against the sections before it (the binary format orders them so
 * that this works). On any error everything allocated is released.
 */
#include "decode.h"
#include "../host.h"
#include "../core/libc.h"

void wasm_limits_default(wasm_limits *l)
{
    l->module_size = 1u << 30;
    l->types = 1000000;
    l->type_arity = 1000;
    l->imports = 100000;
    l->funcs = 1000000;
    l->tables = 100000;
    l->globals = 1000000;
    l->exports = 100000;
    l->elem_segments = 10000000;
    l->elem_items = 10000000;
    l->data_segments = 100000;
    l->func_size = 7654321;
    l->locals = 50000;
    l->depth = 10000;
    l->stack = 100000;
    l->br_table = 1000000;
    l->careful = false;
}

/* Sections must come in this order (custom sections anywhere); the data
 * count section (12) sits between element (9) and code (10). */
static const uint8_t section_rank[13] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10 };

static bool dec_custom_section(struct dec *d)
{
    struct wasm_name name;
    TRY(wasm_rd_name(d, &name));
    /* The reference interpreter skips size minus what the name took; a
     * size that runs past the module (rd_len allows up to its own LEB
     * bytes) cannot be skipped either. */
    if (d->p > d->sec_end || d->sec_end > d->mod_end)
        return wasm_dec_eof(d);
    if (name.len == 4 && !memcmp(name.s, "name", 4))
        wasm_dec_name_section(d);
    d->p = d->sec_end;
    return true;
}

static bool dec_section(struct dec *d, uint8_t id)
{
    switch (id) {
    case 0: return dec_custom_section(d);
    case 1: return wasm_dec_type_section(d);
    case 2: return wasm_dec_import_section(d);
    case 3: return wasm_dec_func_section(d);
    case 4: return wasm_dec_table_section(d);
    case 5: return wasm_dec_memory_section(d);
    case 6: return wasm_dec_global_section(d);
    case 7: return wasm_dec_export_section(d);
    case 8: return wasm_dec_start_section(d);
    case 9: return wasm_dec_elem_section(d);
    case 10: return wasm_dec_code_section(d);
    case 11: return wasm_dec_data_section(d);
    default: return wasm_dec_datacount_section(d);
    }
}

static bool dec_module(struct dec *d)
{
    static const uint8_t magic[4] = { 0x00, 0x61, 0x73, 0x6d };
    static const uint8_t version[4] = { 0x01, 0x00, 0x00, 0x00 };
    const uint8_t *b;
    TRY(rd_bytes(d, 4, &b));
    if (memcmp(b, magic, 4))
        return wasm_dec_malformed(d, b, "magic header not detected");
    TRY(rd_bytes(d, 4, &b));
    if (memcmp(b, version, 4))
        return wasm_dec_malformed(d, b, "unknown binary version");

    uint8_t last = 0;
    while (d->p < d->mod_end) {
        const uint8_t *at = d->p;
        uint8_t id = *d->p++;
        uint32_t size;
        if (id > 12)
            return wasm_dec_malformed(d, at, "malformed section id");
        TRY(wasm_rd_len(d, &size));
        if (id) {
            if (section_rank[id] <= last)
                return wasm_dec_malformed(d, at, "unexpected content after last section");
            last = section_rank[id];
        }
        d->sec_end = d->p + size;
        TRY(dec_section(d, id));
        if (d->p != d->sec_end)
            return wasm_dec_malformed(d, d->p, "section size mismatch");
    }
    if (d->nfunc_decls != d->ncodes)
        return wasm_dec_malformed(d, d->p, "function and code section have inconsistent lengths");
    if (d->m->has_datacount && d->m->datacount != d->m->ndatas)
        return wasm_dec_malformed(d, d->p, "data count and data section have inconsistent lengths");
    if (d->data_use) {
        /* memory.init or data.drop with no data count section: malformed
         * if there are data segments, else the index is simply unknown. */
        d->func = d->data_use_func;
        if (d->m->ndatas)
            return wasm_dec_malformed(d, d->data_use, "data count section required");
        return wasm_dec_invalid(d, d->data_use, "unknown data segment %u", d->data_use_idx);
    }
    return true;
}

wasm_module *wasm_module_decode(const void *bytes, size_t len,
                                const wasm_limits *limits, wasm_error *err)
{
    wasm_error scratch;
    wasm_limits defaults;
    if (!err)
        err = &scratch;
    memset(err, 0, sizeof *err);
    err->func = WASM_NO_FUNC;
    if (!limits) {
        wasm_limits_default(&defaults);
        limits = &defaults;
    }
    struct dec d = { .err = err, .lim = limits, .func = WASM_NO_FUNC };
    if (len > limits->module_size) {
        err->malformed = true;
        memcpy(err->msg, "module larger than the limit", 29);
        return NULL;
    }
    struct wasm_module *m = wasm_host_alloc(sizeof *m);
    if (!m) {
        memcpy(err->msg, "out of memory", 14);
        return NULL;
    }
    memset(m, 0, sizeof *m);
    m->bytes = wasm_host_alloc(len ? len : 1);
    if (!m->bytes) {
        wasm_host_free(m, sizeof *m);
        memcpy(err->msg, "out of memory", 14);
        return NULL;
    }
    if (len)
        memcpy(m->bytes, bytes, len);
    m->len = len;
    d.m = m;
    d.base = d.p = m->bytes;
    d.end = d.mod_end = m->bytes + len;
    bool ok = dec_module(&d);
    wasm_vstate_free(d.vs);
    if (!ok) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

void wasm_module_free(wasm_module *m)
{
    if (!m)
        return;
    wasm_arena_free_all(m);
    wasm_host_free(m->bytes, m->len ? m->len : 1);
    wasm_host_free(m, sizeof *m);
}

uint32_t wasm_module_num_funcs(const wasm_module *m)
{
    return m->nfuncs;
}

const char *wasm_module_func_name(const wasm_module *m, uint32_t func)
{
    return func < m->nfuncs ? m->funcs[func].name : NULL;
}
