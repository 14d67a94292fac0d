/* decode.h: the decoder's internal state and its byte cursor.
 *
 * Every read of untrusted bytes goes through struct dec: `p` moves toward
 * `end`, and no helper reads at or past `end`. `end` is the module's end:
 * like the specification's reference interpreter (whose error messages the
 * tests quote), sections and bodies are read from the whole module and
 * their sizes checked once they are read ("section size mismatch").
 * Helpers return false after recording the first error in d->err; callers
 * pass the false up (TRY).
 */
#ifndef ATOLL_WASM_DECODE_H
#define ATOLL_WASM_DECODE_H

#include "../core/core.h"
#include "../core/module.h"
#include "../core/opcodes.h"

#define TRY(x) do { if (!(x)) return false; } while (0)

struct vstate;

struct dec {
    const uint8_t *base;      /* start of the module (offsets count from it) */
    const uint8_t *p;         /* next byte to read */
    const uint8_t *end;       /* end of readable bytes (the module's end) */
    const uint8_t *mod_end;   /* end of the module */
    const uint8_t *sec_end;   /* end of the current section, by its size */
    struct wasm_module *m;
    const wasm_limits *lim;
    wasm_error *err;
    uint32_t func;            /* function being read, for errors */
    bool simd;                /* it has a 0xfd instruction (so far) */
    uint32_t nfunc_decls;     /* entries of the function section */
    uint32_t ncodes;          /* entries of the code section */
    uint8_t *declared;        /* bitset: functions ref.func may name */
    const uint8_t *data_use;  /* first memory.init/data.drop with no data
                                 count section yet, for the final check */
    uint32_t data_use_func, data_use_idx;
    struct vstate *vs;        /* validator scratch, reused by every body */
    uint32_t vs_nlocals;      /* locals of the body being validated */
    const uint8_t *insn;      /* instruction being validated, for errors */
};

/* Errors. Both return false. `at` is where the fault lies. */
bool wasm_dec_malformed(struct dec *d, const uint8_t *at, const char *fmt, ...);
bool wasm_dec_invalid(struct dec *d, const uint8_t *at, const char *fmt, ...);
/* Ran out of bytes. */
bool wasm_dec_eof(struct dec *d);

/* Bounded reads (leb128.c holds the slow paths). */
bool wasm_leb_u32_slow(struct dec *d, uint32_t *out);
bool wasm_leb_s32(struct dec *d, int32_t *out);
bool wasm_leb_s33(struct dec *d, int64_t *out);
bool wasm_leb_s64(struct dec *d, int64_t *out);
bool wasm_leb_u1(struct dec *d, uint32_t *out);

static inline bool rd_byte(struct dec *d, uint8_t *out)
{
    if (d->p >= d->end)
        return wasm_dec_eof(d), false;   /* visibly false, for -Wmaybe-uninitialized */
    *out = *d->p++;
    return true;
}

static inline bool rd_u32(struct dec *d, uint32_t *out)
{
    if (d->p < d->end && *d->p < 0x80) {
        *out = *d->p++;
        return true;
    }
    return wasm_leb_u32_slow(d, out);
}

static inline bool rd_bytes(struct dec *d, size_t n, const uint8_t **out)
{
    if ((size_t)(d->end - d->p) < n)
        return wasm_dec_eof(d), false;   /* visibly false, for -Wmaybe-uninitialized */
    *out = d->p;
    d->p += n;
    return true;
}

/* A length (of a name, data or section): refused when longer than the
 * bytes left from its own start ("length out of bounds"). */
bool wasm_rd_len(struct dec *d, uint32_t *out);
/* A name: length, bytes, well-formed UTF-8. */
bool wasm_rd_name(struct dec *d, struct wasm_name *out);

/* Types (decode_types.c). */
bool wasm_rd_valtype(struct dec *d, uint8_t *out);
bool wasm_rd_reftype(struct dec *d, uint8_t *out);

/* Constant expressions (decode_const.c): reads one up to its end and
 * checks it produces `type`. `nglobals` is how many globals it may read. */
bool wasm_rd_const_expr(struct dec *d, uint8_t type, uint32_t nglobals,
                   struct wasm_init *out);

bool wasm_dec_ensure_declared(struct dec *d);

/* Sections. */
bool wasm_dec_type_section(struct dec *d);
bool wasm_dec_import_section(struct dec *d);
bool wasm_dec_func_section(struct dec *d);
bool wasm_dec_table_section(struct dec *d);
bool wasm_dec_memory_section(struct dec *d);
bool wasm_dec_global_section(struct dec *d);
bool wasm_dec_export_section(struct dec *d);
bool wasm_dec_start_section(struct dec *d);
bool wasm_dec_elem_section(struct dec *d);
bool wasm_dec_datacount_section(struct dec *d);
bool wasm_dec_code_section(struct dec *d);
bool wasm_dec_data_section(struct dec *d);
void wasm_dec_name_section(struct dec *d);   /* best effort, never fails */

/* Function bodies (validate_func.c). */
bool wasm_validate_func(struct dec *d, struct wasm_func *f);
void wasm_vstate_free(struct vstate *vs);

/* Lookup of an instruction after its first byte has been read. Here, not
 * in the validator, because constant expressions read instructions too
 * (decode_const.c) and decode comes before validate; inline, as it was in
 * the validator's step (wasm_step), which every prefixed instruction and
 * every instruction of the slow path goes through. */
static inline bool wasm_rd_opinfo(struct dec *d, uint8_t b, const struct wasm_opinfo **out)
{
    const uint8_t *at = d->p - 1;
    const struct wasm_opinfo *oi = &wasm_ops_base[b];
    if (b == 0xfc || b == 0xfd) {
        uint32_t code;
        TRY(rd_u32(d, &code));
        if (b == 0xfc)
            oi = code < WASM_FC_CODES ? &wasm_ops_fc[code] : NULL;
        else
            oi = code < 256 ? &wasm_ops_fd[code] : NULL;
        d->simd |= b == 0xfd;
        if (!oi || !oi->kind)
            return wasm_dec_malformed(d, at, "illegal opcode %02x %x", b, code);
    } else if (!oi->kind) {
        return wasm_dec_malformed(d, at, "illegal opcode %02x", b);
    }
    *out = oi;
    return true;
}

static inline bool is_numvec(uint8_t t)
{
    return t >= WASM_V128 && t <= WASM_I32;
}

static inline bool is_ref(uint8_t t)
{
    return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

/* Bitset helpers for d->declared. */
static inline void bit_set(uint8_t *bits, uint32_t i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }
static inline bool bit_get(const uint8_t *bits, uint32_t i) { return bits[i >> 3] >> (i & 7) & 1; }

#endif
