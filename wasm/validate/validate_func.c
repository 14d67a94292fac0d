/* validate_func.c: checks one function body and builds its side table.
 *
 * The algorithm is the specification's (its appendix, "Validation
 * Algorithm"): an operand stack of value types and a control stack of
 * frames (validate_stack.c), one pass over the instructions, the side
 * entries a single-pass compiler wants (module.h, struct wasm_side)
 * recorded on the way. This file drives a body: a fast path checks the
 * frequent instructions inline, and wasm_step() (validate_instr.c) does
 * the rest, and every error, with the full rules.
 *
 * The fast path is a set of handlers, one per instruction kind and one per
 * frequent fixed signature, chosen by the opcode byte through a table
 * built from opcodes.def. With GNU C each handler jumps straight to the
 * next one (computed goto), so each has its own indirect jump for the CPU
 * to predict; otherwise a switch in a loop does the same work.
 */
#include "../host.h"
#include "../core/libc.h"
#include "validate.h"

void wasm_vstate_free(struct vstate *vs)
{
    if (!vs)
        return;
    if (vs->vals)
        wasm_host_free(vs->vals - VALS_HEADROOM, vs->cap_vals + VALS_HEADROOM);
    wasm_host_free(vs->ctrls, vs->cap_ctrls * sizeof *vs->ctrls);
    wasm_host_free(vs->side, vs->cap_side * sizeof *vs->side);
    wasm_host_free(vs->locals, vs->cap_locals);
    wasm_host_free(vs->weight, vs->cap_weight * sizeof *vs->weight);
    wasm_host_free(vs, sizeof *vs);
}

/* Equal type lists? Short lists: a loop beats a call to memcmp. */
static inline bool types_eq(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Branch hints: they keep the compiler's registers and straight-line
 * code for the fast path. */
#ifdef __GNUC__
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

/* A LEB128 u32 of at most 4 bytes (28 bits: no range check needed) at p,
 * which has at least 4 readable bytes. Returns its length, or 0 for
 * anything longer, which the careful path then reads. Indexes mostly
 * take one byte. */
static inline uint32_t uleb_short(const uint8_t *p, uint32_t *out)
{
    if (LIKELY(p[0] < 0x80)) {
        *out = p[0];
        return 1;
    }
    if (p[1] < 0x80) {
        *out = (p[0] & 0x7fu) | (uint32_t)p[1] << 7;
        return 2;
    }
    if (p[2] < 0x80) {
        *out = (p[0] & 0x7fu) | (p[1] & 0x7fu) << 7 | (uint32_t)p[2] << 14;
        return 3;
    }
    if (p[3] < 0x80) {
        *out = (p[0] & 0x7fu) | (p[1] & 0x7fu) << 7 | (p[2] & 0x7fu) << 14 |
               (uint32_t)p[3] << 21;
        return 4;
    }
    return 0;
}

/* The length of a LEB128 number of at most 4 bytes at p (4 readable), 0
 * if longer; without branches, since lengths of constants and offsets
 * vary too much to predict. */
static inline uint32_t leb_len4(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    uint32_t ends = ~w & 0x80808080u;   /* bytes without a continuation bit */
    if (!ends)
        return 0;
    return ((uint32_t)__builtin_ctz(ends) >> 3) + 1;
}

/* The same for at most 8 bytes (56 bits: any such s64 is valid). */
static inline uint32_t leb_len8(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t ends = ~w & 0x8080808080808080u;
    if (!ends)
        return 0;
    return ((uint32_t)__builtin_ctzll(ends) >> 3) + 1;
}

/* Are the types just below `top` those of `sig` under `mask` (the top
 * bytes of a little-endian word, as in struct wasm_opinfo)? The stack
 * holds enough of them, or VALS_HEADROOM readable bytes stand in. */
static inline bool top_is(const uint8_t *top, uint32_t sig, uint32_t mask)
{
    uint32_t w;
    memcpy(&w, top - 4, 4);
    return (w & mask) == sig;
}

/* Expands the local runs of f into the scratch array; zeroes the uses. */
static bool load_locals(V *v, const struct wasm_func *f)
{
    struct vstate *vs = v->vs;
    if (f->nlocals > vs->cap_locals)
        TRY(wasm_vgrow(v, (void **)&vs->locals, &vs->cap_locals, f->nlocals, 1));
    if (f->nlocals > vs->cap_weight)
        TRY(wasm_vgrow(v, (void **)&vs->weight, &vs->cap_weight, f->nlocals,
                       sizeof *vs->weight));
    if (f->nlocals)
        memset(vs->weight, 0, f->nlocals * sizeof *vs->weight);
    for (uint32_t i = 0; i < f->nlocal_runs; i++)
        memset(vs->locals + f->locals[i].first, f->locals[i].type,
               f->locals[i].count);
    v->d->vs_nlocals = f->nlocals;
    return true;
}

static bool validate_body(struct dec *d, struct wasm_func *f);

/* f's hot locals (module.h) from the weights its body left in vs. */
static void hot_locals(const struct vstate *vs, struct wasm_func *f)
{
    const uint8_t *ltype = vs->locals;
    const uint32_t *w = vs->weight;
    uint32_t ni = 0, nf = 0;
    f->nhot = 0;
    for (uint32_t j = 0; j < f->nlocals && ni <= WASM_HOT_INT && nf <= WASM_HOT_FLOAT; j++) {
        ni += ltype[j] == WASM_I32 || ltype[j] == WASM_I64;
        nf += ltype[j] == WASM_F32 || ltype[j] == WASM_F64 || ltype[j] == WASM_V128;
    }
    if (ni <= WASM_HOT_INT && nf <= WASM_HOT_FLOAT) {
        for (uint32_t j = 0; j < f->nlocals; j++) {
            uint8_t t = ltype[j];
            if (t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 ||
                t == WASM_V128)
                f->hot[f->nhot++] = j;
        }
        return;
    }
    /* The top ones of each class by weight, kept sorted (ties: the first). */
    uint32_t gi[WASM_HOT_INT], ng = 0, xi[WASM_HOT_FLOAT], nx = 0;
    for (uint32_t j = 0; j < f->nlocals; j++) {
        uint8_t t = ltype[j];
        bool x = t == WASM_F32 || t == WASM_F64 || t == WASM_V128;
        if (!w[j] || (!x && t != WASM_I32 && t != WASM_I64))
            continue;
        uint32_t *list = x ? xi : gi, *n = x ? &nx : &ng;
        uint32_t cap = x ? WASM_HOT_FLOAT : WASM_HOT_INT;
        uint32_t k = *n < cap ? (*n)++ : cap;
        if (k == cap && w[list[cap - 1]] >= w[j])
            continue;
        if (k == cap)
            k = cap - 1;
        while (k > 0 && w[list[k - 1]] < w[j]) {
            list[k] = list[k - 1];
            k--;
        }
        list[k] = j;
    }
    for (uint32_t k = 0; k < ng; k++)
        f->hot[f->nhot++] = gi[k];
    for (uint32_t k = 0; k < nx; k++)
        f->hot[f->nhot++] = xi[k];
}

/* Appends " (at <instruction>)" to a body's error, so a report shows what
 * was being checked. */
static void annotate(struct dec *d)
{
    wasm_error *e = d->err;
    const uint8_t *at = d->insn;
    if (e->func != d->func || !at || at >= d->end)
        return;
    char insn[64];
    if (!wasm_disasm(at, d->end, insn, sizeof insn))
        return;
    size_t n = 0;
    while (e->msg[n])
        n++;
    const char *parts[] = { " (at ", insn, ")" };
    for (int k = 0; k < 3; k++)
        for (const char *s = parts[k]; *s && n + 1 < sizeof e->msg; s++)
            e->msg[n++] = *s;
    e->msg[n] = 0;
}

bool wasm_validate_func(struct dec *d, struct wasm_func *f)
{
    d->insn = NULL;
    if (validate_body(d, f))
        return true;
    annotate(d);
    return false;
}

/* ---- Routing: which handler an opcode byte goes to ---- */

/* Kinds with a handler of the same name. */
#define KIND_HANDLERS(X, R, k)                                               \
    X(NOP, R, k) X(UNREACHABLE, R, k) X(BLOCK, R, k) X(LOOP, R, k)            \
    X(IF, R, k) X(ELSE, R, k) X(END, R, k) X(BR, R, k) X(BR_IF, R, k)        \
    X(RETURN, R, k) X(CALL, R, k) X(CALL_INDIRECT, R, k)                     \
    X(DROP, R, k) X(SELECT, R, k)                                            \
    X(LOCAL_GET, R, k) X(LOCAL_SET, R, k) X(LOCAL_TEE, R, k)                 \
    X(GLOBAL_GET, R, k) X(GLOBAL_SET, R, k) X(I32_CONST, R, k)               \
    X(I64_CONST, R, k) X(F32_CONST, R, k) X(F64_CONST, R, k)                 \
    X(SIMPLE, R, k) X(MEM, R, k)

/* Frequent signatures of SIMPLE and MEM instructions with a handler of
 * their own (the others take the kind's handler): name, pops, push, as in
 * opcodes.def. */
#define SIMPLE_SIGS(X, R, a, b)                                              \
    X(S_II_I, "ii", "i", R, a, b) X(S_I_I, "i", "i", R, a, b)                \
    X(S_LL_L, "II", "I", R, a, b) X(S_LL_I, "II", "i", R, a, b)              \
    X(S_L_L, "I", "I", R, a, b) X(S_L_I, "I", "i", R, a, b)                  \
    X(S_I_L, "i", "I", R, a, b)
#define MEM_SIGS(X, R, a, b)                                                 \
    X(M_I_I, "i", "i", R, a, b) X(M_I_L, "i", "I", R, a, b)                  \
    X(M_II, "ii", "", R, a, b) X(M_IL, "iI", "", R, a, b)

enum {
    H_SLOW,   /* 0: whatever the table does not name */
#define ENUM_K(h, R, k) H_##h,
#define ENUM_S(h, pops, push, R, a, b) H_##h,
    KIND_HANDLERS(ENUM_K, , ) SIMPLE_SIGS(ENUM_S, , , ) MEM_SIGS(ENUM_S, , , )
#undef ENUM_K
#undef ENUM_S
};

/* The operand letters of opcodes.def as valtypes, and a list of them as
 * struct wasm_opinfo's pop_sig and pop_mask (all constant expressions). */
#define VT(c) ((c) == 'i' ? WASM_I32 : (c) == 'I' ? WASM_I64 :               \
               (c) == 'f' ? WASM_F32 : (c) == 'F' ? WASM_F64 :               \
               (c) == 'v' ? WASM_V128 : 0)
#define SIG_OF(pops)                                                         \
    ((uint32_t)((uint64_t)(VT((pops "\0\0")[0]) | VT((pops "\0\0")[1]) << 8 | \
                           VT((pops "\0\0")[2]) << 16)                        \
                << (8 * (5 - sizeof(pops)))))
#define MASK_OF(pops) ((uint32_t)((uint64_t)0xffffffffu << (8 * (5 - sizeof(pops)))))
#define STREQ(a, b)                                                          \
    (sizeof(a) == sizeof(b) && (a "\0\0")[0] == (b "\0\0")[0] &&             \
     (a "\0\0")[1] == (b "\0\0")[1] && (a "\0\0")[2] == (b "\0\0")[2])

/* The handler of a row of opcodes.def, as R(name). Prefixed opcodes all
 * take the slow path (their first byte is 0xfc or 0xfd). */
#define ROUTE_K(h, R, k) (k) == WASM_K_##h ? R(h) :
#define ROUTE_S(h, ps, pu, R, pops, push) STREQ(pops, ps) && STREQ(push, pu) ? R(h) :
#define ROUTE(R, pfx, kind, pops, push)                                      \
    ((pfx) != 0 ? R(SLOW) :                                                  \
     WASM_K_##kind == WASM_K_SIMPLE ?                                        \
         (SIMPLE_SIGS(ROUTE_S, R, pops, push) R(SIMPLE)) :                   \
     WASM_K_##kind == WASM_K_MEM ? (MEM_SIGS(ROUTE_S, R, pops, push) R(MEM)) : \
     (KIND_HANDLERS(ROUTE_K, R, WASM_K_##kind) R(SLOW)))
/* All rows of a prefix share one slot, 0xfc, itself a prefix: the table
 * initializers override one another there, on purpose. */
#define ROUTE_ROW(R, pfx, code, kind, pops, push) \
    [(pfx) != 0 ? 0xfc : (code)] = ROUTE(R, pfx, kind, pops, push),

#if defined(__GNUC__) && !defined(WASM_NO_COMPUTED_GOTO)
#define THREADED 1
#define R_LABEL(h) &&h_##h
#define HANDLER(h) h_##h:
#define NEXT() do { SLOW_IF(p >= fast_end); goto *jump[*p]; } while (0)
#define SWITCH_BEGIN
#define SWITCH_END
#else
#define THREADED 0
#define R_ID(h) H_##h
#define HANDLER(h) case H_##h:
#define NEXT() goto next
#define SWITCH_BEGIN next: SLOW_IF(p >= fast_end); switch (route[*p]) {
#define SWITCH_END default: goto slow; }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma clang diagnostic ignored "-Winitializer-overrides"
#endif
static const uint8_t route[256] = {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) \
    ROUTE_ROW(R_ID, pfx, code, kind, pops, push)
#include "../core/opcodes.def"
#undef OP
};
#pragma GCC diagnostic pop
#endif

/* ---- Handler pieces ---- */

/* Leaves the fast path for wasm_step(), which redoes the instruction. */
#define SLOW_IF(cond) do { if (UNLIKELY(cond)) goto slow; } while (0)

/* The pc of the instruction at p, for side entries. */
#define PC ((uint32_t)(p - code))

/* The stack is about to reach height h: within the array? A height not
 * above the maximum so far was reached before, so is; only a new maximum
 * needs the check (the capacity never passes the stack limit). */
#define ROOM(h) do {                                                         \
        uint32_t h_ = (h);                                                   \
        if (h_ > max) {                                                      \
            SLOW_IF(h_ > vs->cap_vals);                                      \
            max = h_;                                                        \
        }                                                                    \
    } while (0)

/* A fixed-signature instruction of `len` bytes, operands `pops` and result
 * `push` as in opcodes.def (string literals: the checks fold to
 * constants). The result takes the place of the bottom operand, so when
 * it has the same type nothing is stored. */
#define FIXED(pops, push, len_) do {                                         \
        const uint32_t npop_ = sizeof(pops) - 1;                             \
        const uint8_t res_ = VT((push "")[0]), bottom_ = VT((pops "")[0]);   \
        SLOW_IF(nvals - base < npop_ ||                                      \
                !top_is(vals + nvals, SIG_OF(pops), MASK_OF(pops)));         \
        nvals -= npop_;                                                      \
        if (res_) {                                                          \
            if (res_ != bottom_)                                             \
                vals[nvals] = res_;                                          \
            nvals++;                                                         \
        }                                                                    \
        p += (len_);                                                         \
    } while (0)

/* A memory instruction's immediate: alignment (one byte, at most the
 * natural one) and an offset of up to 4 bytes; sets len to the
 * instruction's length. */
#define MEMARG() do {                                                        \
        SLOW_IF(!has_memory || p[1] > wasm_ops_base[*p].arg ||               \
                (len = leb_len4(p + 2)) == 0);                               \
        len += 2;                                                            \
    } while (0)

/* block, loop, if (which pops an i32 first) with an empty or single-value
 * block type; type indexes take the slow path. */
#define OPEN(kind_) do {                                                     \
        const uint32_t need_ = (kind_) == WASM_K_IF;                         \
        uint8_t bt = p[1];                                                   \
        SLOW_IF(v.nside >= vs->cap_side || v.nctrls >= vs->cap_ctrls ||      \
                v.nctrls >= d->lim->depth ||                                 \
                nvals - base < need_ ||                                      \
                (need_ && vals[nvals - 1] != WASM_I32) ||                    \
                (bt != 0x40 && !is_numvec(bt) && !is_ref(bt)));              \
        nvals -= need_;                                                      \
        vs->side[v.nside] = (struct wasm_side){ PC, 0, 0, 0 };               \
        uint32_t w_ = frame_weight(cur->weight, (kind_), v.nctrls - 1);      \
        cur = &vs->ctrls[v.nctrls++];                                        \
        *cur = (struct ctrl){ (kind_), false, nvals, 0, bt != 0x40, NULL,    \
                              bt != 0x40 ? p + 1 : NULL, v.nside++, w_ };    \
        if (v.nctrls > v.max_ctrls)                                          \
            v.max_ctrls = v.nctrls;                                          \
        base = nvals;                                                        \
        p += 2;                                                              \
    } while (0)

/* Leaves the operand stack just checked by a call: pops the n params
 * (top `drop` values in all) and pushes the results. */
#define CALL_RESULTS(ft_, drop) do {                                         \
        uint32_t nr_ = (ft_)->nresults;                                      \
        ROOM(nvals - (drop) + nr_);                                          \
        nvals -= (drop);                                                     \
        for (uint32_t i_ = 0; i_ < nr_; i_++)                                \
            vals[nvals++] = (ft_)->results[i_];                              \
    } while (0)

static bool validate_body(struct dec *d, struct wasm_func *f)
{
    if (!d->vs) {
        d->vs = wasm_host_alloc(sizeof *d->vs);
        if (!d->vs)
            return wasm_dec_invalid(d, d->p, "out of memory");
        memset(d->vs, 0, sizeof *d->vs);
    }
    struct vstate *vs = d->vs;
    const struct wasm_module *m = d->m;
    V v = { .d = d, .vs = vs, .code = d->p, .at = d->p };
    const struct wasm_functype *ft = &m->types[f->type];
    TRY(load_locals(&v, f));
    d->simd = false;
    if (!vs->vals)
        TRY(wasm_vals_init(&v));
    TRY(wasm_push_ctrl(&v, WASM_K_BLOCK, NULL, 0, ft->results, ft->nresults, WASM_NONE));

#if THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma clang diagnostic ignored "-Winitializer-overrides"
#endif
    static const void *const jump[256] = {
        [0 ... 255] = &&h_SLOW,
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) \
    ROUTE_ROW(R_LABEL, pfx, code, kind, pops, push)
#include "../core/opcodes.def"
#undef OP
    };
#pragma GCC diagnostic pop
#endif

    /* Constants of the body. The fast path reads at most 16 bytes from an
     * instruction's start, so within 16 bytes of the module's end (and
     * always, when asked to be careful) wasm_step() reads instead. */
    const uint8_t *code = v.code, *end = d->end;
    const uint8_t *fast_end = d->lim->careful || end - code < 16 ? code : end - 16;
    const uint8_t *locals = vs->locals;
    uint32_t *const weight = vs->weight;
    const uint32_t nlocals = f->nlocals;
    const bool has_memory = m->nmemories != 0;

    /* The hot state: the operand stack's fields of v and vs in locals,
     * written back before each wasm_step() (SAVE) and read again after it
     * (LOAD), since wasm_step() may grow the array; base is the operand
     * height of the current frame, cur. The rest stays in v and vs: fewer
     * locals leave the registers to these. */
    const uint8_t *p;
    uint8_t *vals;
    uint32_t nvals, max, base;
    struct ctrl *cur;
    uint32_t x, len, n;
#define SAVE() (d->p = p, v.nvals = nvals, v.max_vals = max)
#define LOAD() (p = d->p, vals = vs->vals, nvals = v.nvals, max = v.max_vals, \
                cur = &vs->ctrls[v.nctrls - 1], base = cur->height)
    LOAD();
    NEXT();

    /* Each handler decides before it changes anything, so SLOW_IF()
     * can redo the instruction with the full rules. All run in reachable
     * code, where every operand type is known (nonzero). */
    SWITCH_BEGIN
    HANDLER(LOCAL_GET) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= nlocals);
        ROOM(nvals + 1);
        vals[nvals++] = locals[x];
        weight[x] += cur->weight;
        p += 1 + len;
        NEXT();
    }
    HANDLER(LOCAL_SET) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= nlocals ||
                nvals == base || vals[nvals - 1] != locals[x]);
        nvals--;
        weight[x] += cur->weight;
        p += 1 + len;
        NEXT();
    }
    HANDLER(LOCAL_TEE) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= nlocals ||
                nvals == base || vals[nvals - 1] != locals[x]);
        weight[x] += cur->weight;
        p += 1 + len;
        NEXT();
    }
    HANDLER(GLOBAL_GET) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= m->nglobals);
        ROOM(nvals + 1);
        vals[nvals++] = m->globals[x].type;
        p += 1 + len;
        NEXT();
    }
    HANDLER(GLOBAL_SET) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= m->nglobals ||
                !m->globals[x].mut || nvals == base ||
                vals[nvals - 1] != m->globals[x].type);
        nvals--;
        p += 1 + len;
        NEXT();
    }
    /* Up to 4 LEB bytes hold 28 bits: always a valid s32; up to 8, 56
     * bits: always a valid s64. */
    HANDLER(I32_CONST) {
        SLOW_IF((len = leb_len4(p + 1)) == 0);
        ROOM(nvals + 1);
        vals[nvals++] = WASM_I32;
        p += 1 + len;
        NEXT();
    }
    HANDLER(I64_CONST) {
        SLOW_IF((len = leb_len8(p + 1)) == 0);
        ROOM(nvals + 1);
        vals[nvals++] = WASM_I64;
        p += 1 + len;
        NEXT();
    }
    HANDLER(F32_CONST) {
        ROOM(nvals + 1);
        vals[nvals++] = WASM_F32;
        p += 5;
        NEXT();
    }
    HANDLER(F64_CONST) {
        ROOM(nvals + 1);
        vals[nvals++] = WASM_F64;
        p += 9;
        NEXT();
    }

#define SIMPLE_HANDLER(h, pops, push, R, a, b) \
    HANDLER(h) { FIXED(pops, push, 1); NEXT(); }
#define MEM_HANDLER(h, pops, push, R, a, b) \
    HANDLER(h) { MEMARG(); FIXED(pops, push, len); NEXT(); }
    SIMPLE_SIGS(SIMPLE_HANDLER, , , )
    MEM_SIGS(MEM_HANDLER, , , )
#undef SIMPLE_HANDLER
#undef MEM_HANDLER
    HANDLER(MEM) {
        MEMARG();
        goto fixed;
    }
    HANDLER(SIMPLE) {
        len = 1;
    fixed: {
        /* Any other signature, from the opcode table. */
        const struct wasm_opinfo *oi = &wasm_ops_base[*p];
        n = oi->npop;
        SLOW_IF(nvals - base < n || !top_is(vals + nvals, oi->pop_sig, oi->pop_mask));
        uint32_t h = nvals - n;
        if (oi->push) {
            ROOM(h + 1);
            vals[h++] = oi->push;
        }
        nvals = h;
        p += len;
        NEXT();
    }
    }

    HANDLER(DROP) {
        SLOW_IF(nvals == base || v.nside >= vs->cap_side);
        vs->side[v.nside++] = (struct wasm_side){ PC, vals[--nvals], 0, 0 };
        p++;
        NEXT();
    }
    HANDLER(SELECT) {
        /* Pops an i32 and two operands of one numeric or vector type. */
        SLOW_IF(nvals - base < 3 || v.nside >= vs->cap_side ||
                vals[nvals - 1] != WASM_I32 || vals[nvals - 2] != vals[nvals - 3] ||
                !is_numvec(vals[nvals - 2]));
        nvals -= 2;
        vs->side[v.nside++] = (struct wasm_side){ PC, vals[nvals - 1], 0, 0 };
        p++;
        NEXT();
    }
    HANDLER(CALL) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= m->nfuncs);
        const struct wasm_functype *t = &m->types[m->funcs[x].type];
        n = t->nparams;
        SLOW_IF(nvals - base < n || !types_eq(vals + nvals - n, t->params, n));
        CALL_RESULTS(t, n);
        p += 1 + len;
        NEXT();
    }
    HANDLER(CALL_INDIRECT) {
        /* A type index, then a table of funcref; pops an i32 index, then
         * the type's params. */
        uint32_t tab, len2;
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= m->ntypes ||
                (len2 = uleb_short(p + 1 + len, &tab)) == 0 ||
                tab >= m->ntables || m->tables[tab].elem != WASM_FUNCREF);
        const struct wasm_functype *t = &m->types[x];
        n = t->nparams;
        SLOW_IF(nvals - base <= n || vals[nvals - 1] != WASM_I32 ||
                !types_eq(vals + nvals - 1 - n, t->params, n));
        CALL_RESULTS(t, n + 1);
        p += 1 + len + len2;
        NEXT();
    }

    HANDLER(NOP) {
        p++;
        NEXT();
    }
    HANDLER(BLOCK) {
        OPEN(WASM_K_BLOCK);
        NEXT();
    }
    HANDLER(LOOP) {
        OPEN(WASM_K_LOOP);
        NEXT();
    }
    HANDLER(IF) {
        OPEN(WASM_K_IF);
        NEXT();
    }
    HANDLER(END) {
        /* The frame's results are on the stack and nothing else; they stay
         * where they are, now in the outer frame. */
        n = cur->nresults;
        SLOW_IF((cur->kind == WASM_K_IF && (n || cur->nparams)) ||
                nvals - base != n || !types_eq(vals + base, cur->results, n));
        p++;
        goto close;
    }
    HANDLER(ELSE) {
        /* As end for the then-branch, whose params are none. */
        n = cur->nresults;
        SLOW_IF(cur->kind != WASM_K_IF || cur->nparams ||
                nvals - base != n || !types_eq(vals + base, cur->results, n));
        p++;
        goto other_branch;
    }
    HANDLER(BR_IF) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= v.nctrls ||
                v.nside >= vs->cap_side || nvals == base || vals[nvals - 1] != WASM_I32);
        struct ctrl *t = cur - x;
        n = label_arity(t);
        SLOW_IF(nvals - base <= n ||
                !types_eq(vals + nvals - 1 - n, label_types(t), n));
        nvals--;
        vs->side[v.nside++] = (struct wasm_side){ PC, n, t->height, t->side };
        if (t->side != WASM_NONE)
            vs->side[t->side].c++;
        p += 1 + len;
        NEXT();
    }
    HANDLER(BR) {
        SLOW_IF((len = uleb_short(p + 1, &x)) == 0 || x >= v.nctrls ||
                v.nside >= vs->cap_side);
        struct ctrl *t = cur - x;
        n = label_arity(t);
        SLOW_IF(nvals - base < n || !types_eq(vals + nvals - n, label_types(t), n));
        vs->side[v.nside++] = (struct wasm_side){ PC, n, t->height, t->side };
        if (t->side != WASM_NONE)
            vs->side[t->side].c++;
        p += 1 + len;
        goto dead;
    }
    HANDLER(RETURN) {
        n = vs->ctrls->nresults;
        SLOW_IF(nvals - base < n || !types_eq(vals + nvals - n, vs->ctrls->results, n));
        p++;
        goto dead;
    }
    HANDLER(UNREACHABLE) {
        p++;
        goto dead;
    }
    HANDLER(SLOW)
        goto slow;
    SWITCH_END

dead:
    /* The rest of the frame is unreachable. */
    nvals = base;
    cur->unreachable = true;
unreachable:
    /* Dead code takes the slow path, but for an else or end reached with
     * nothing pushed in it: an end's results (one at most, here) go on the
     * outer frame's stack. */
    SLOW_IF(p >= fast_end || nvals != base);
    if (*p == 0x05) {
        SLOW_IF(cur->kind != WASM_K_IF || cur->nparams);
        p++;
        goto other_branch;
    }
    SLOW_IF(*p != 0x0b);
    n = cur->nresults;
    SLOW_IF(cur->kind == WASM_K_IF && (n || cur->nparams));
    if (v.nctrls > 1) {
        SLOW_IF(n > 1);
        ROOM(nvals + n);
        if (n)
            vals[nvals++] = cur->results[0];
    }
    p++;
close:
    /* The frame of an end at p - 1 is checked: pop it. */
    if (cur->side != WASM_NONE)
        vs->side[cur->side].a = (uint32_t)(p - 1 - code);
    if (--v.nctrls) {
        cur--;
        base = cur->height;
        if (cur->unreachable)
            goto unreachable;
        NEXT();
    }
    SAVE();   /* the body's end */
    goto done;
other_branch:
    /* The then-branch of the frame of an else at p - 1 is checked. */
    vs->side[cur->side].b = (uint32_t)(p - 1 - code);
    cur->kind = WASM_K_ELSE;
    cur->unreachable = false;
    nvals = base;
    NEXT();

slow:
    SAVE();
    TRY(wasm_step(&v));
    if (v.nctrls) {
        LOAD();
        if (cur->unreachable)
            goto unreachable;
        NEXT();
    }
#undef SAVE
#undef LOAD

done:
    hot_locals(vs, f);
    f->simd = d->simd;
    f->max_stack = v.max_vals;
    f->max_depth = v.max_ctrls;
    f->nside = v.nside;
    if (v.nside) {
        struct wasm_side *s = wasm_arena_alloc(d->m, (size_t)v.nside * sizeof *s);
        if (!s)
            return wasm_dec_invalid(d, d->p, "out of memory");
        memcpy(s, vs->side, (size_t)v.nside * sizeof *s);
        f->side = s;
    }
    return true;
}
