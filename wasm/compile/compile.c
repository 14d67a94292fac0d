/* compile.c: the compiler's driver. wasm_compile reads as the pipeline:
 *
 *   lay out the vmctx  ->  for each defined function, straight into a
 *   code region: prologue, one pass over its code (each instruction to
 *   its handler), trap stubs, frame size  ->  seal the region (executable,
 *   never writable again) with the trap table as its owner.
 *
 * One pass per function, no IR: the side table (module.h) resolves block
 * ends, branch targets and operand types, so every instruction is
 * emitted as it is read. Code emitted after an unconditional branch is
 * dead until its block ends: it is read (immediates skipped, side entries
 * consumed) but not emitted.
 */
#include "compile.h"
#include "../host.h"
#include "../core/libc.h"

bool cc_fail(struct cc *c, const char *msg)
{
    if (!c->failed && c->err) {
        wasm_error *e = c->err;
        memset(e, 0, sizeof *e);
        e->func = c->fidx;
        e->offset = c->f ? c->f->code_offset + (uint32_t)(c->p - c->code) : 0;
        size_t n = 0;
        while (msg[n] && n + 1 < sizeof e->msg) {
            e->msg[n] = msg[n];
            n++;
        }
    }
    c->failed = true;
    return false;
}

/* cc_trap_site with the table full: grows it, then records. */
void cc_trap_site_grow(struct cc *c, uint8_t kind)
{
    uint32_t cap = c->captraps ? 2 * c->captraps : 256;
    struct wasm_trap_site *t = wasm_host_alloc(cap * sizeof *t);
    if (!t) {
        cc_fail(c, "out of memory");
        return;
    }
    if (c->ntraps)
        memcpy(t, c->traps, c->ntraps * sizeof *t);
    wasm_host_free(c->traps, c->captraps * sizeof *t);
    c->traps = t;
    c->captraps = cap;
    c->traps[c->ntraps++] = (struct wasm_trap_site){ x64_pos(&c->a), kind };
}

/* Immediates were validated: these readers need no bounds checks. */
uint32_t cc_u32_long(struct cc *c)
{
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b = *c->p++;
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

int64_t cc_s64(struct cc *c)
{
    uint64_t v = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = *c->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}



/* cc_side's failure (compile.h). */
const struct wasm_side *cc_side_out_of_step(struct cc *c)
{
    static const struct wasm_side none = { 0, 0, 0, 0 };
    cc_fail(c, "side table out of step");
    return &none;
}

/* Skips the immediates of an instruction in dead code, consuming the
 * side entries of the kinds that have them outside control flow. */
static void skip(struct cc *c, const struct wasm_opinfo *oi)
{
    switch (oi->kind) {
    case WASM_K_MEM: cc_u32(c); cc_u32(c); break;
    case WASM_K_MEM_LANE: cc_u32(c); cc_u32(c); c->p++; break;
    case WASM_K_LANE: c->p++; break;
    case WASM_K_SHUFFLE: case WASM_K_V128_CONST: c->p += 16; break;
    case WASM_K_I32_CONST: case WASM_K_I64_CONST: cc_s64(c); break;
    case WASM_K_F32_CONST: c->p += 4; break;
    case WASM_K_F64_CONST: c->p += 8; break;
    case WASM_K_CALL: case WASM_K_LOCAL_GET: case WASM_K_LOCAL_SET:
    case WASM_K_LOCAL_TEE: case WASM_K_GLOBAL_GET: case WASM_K_GLOBAL_SET:
    case WASM_K_TABLE_GET: case WASM_K_TABLE_SET: case WASM_K_REF_FUNC:
    case WASM_K_DATA_DROP: case WASM_K_ELEM_DROP: case WASM_K_TABLE_GROW:
    case WASM_K_TABLE_SIZE: case WASM_K_TABLE_FILL:
        cc_u32(c);
        break;
    case WASM_K_CALL_INDIRECT: case WASM_K_TABLE_INIT: case WASM_K_TABLE_COPY:
        cc_u32(c); cc_u32(c); break;
    case WASM_K_MEMORY_SIZE: case WASM_K_MEMORY_GROW: case WASM_K_REF_NULL:
    case WASM_K_MEMORY_FILL:
        c->p++; break;
    case WASM_K_MEMORY_COPY: c->p += 2; break;
    case WASM_K_MEMORY_INIT: cc_u32(c); c->p++; break;
    case WASM_K_DROP: case WASM_K_SELECT:
        cc_side(c);
        break;
    case WASM_K_SELECT_T: {
        uint32_t n = cc_u32(c);
        c->p += n;
        cc_side(c);
        break;
    }
    default: break;
    }
}

/* Dispatch: the CLASS column of opcodes.def names the handler family of
 * every instruction, so the tables below are read from it, not guessed.
 * Live code goes to the class's handler; dead code (after an
 * unconditional branch, to its block's end) only to control flow, which
 * ends it and consumes side entries, every other class just skipping
 * immediates. One-byte opcodes and 0xfd codes are dispatched from
 * per-code tables made from these once per compile (make_dispatch). */
static bool illegal(struct cc *c, const struct wasm_opinfo *oi)
{
    (void)oi;
    return cc_fail(c, "unknown opcode");
}

static bool dead(struct cc *c, const struct wasm_opinfo *oi)
{
    skip(c, oi);
    return true;
}

/* Control flow has a handler per kind: their immediates, side entries
 * and effect on the control stack all differ. */
static const cc_handler control[WASM_K_SELECT_T + 1] = {
    [WASM_K_UNREACHABLE] = cc_k_unreachable, [WASM_K_NOP] = cc_k_nop,
    [WASM_K_BLOCK] = cc_k_block, [WASM_K_LOOP] = cc_k_block,
    [WASM_K_IF] = cc_k_if, [WASM_K_ELSE] = cc_k_else,
    [WASM_K_END] = cc_k_end, [WASM_K_BR] = cc_k_br,
    [WASM_K_BR_IF] = cc_k_br_if, [WASM_K_BR_TABLE] = cc_k_br_table,
    [WASM_K_RETURN] = cc_k_return, [WASM_K_CALL] = cc_k_call,
    [WASM_K_CALL_INDIRECT] = cc_k_call_indirect, [WASM_K_DROP] = cc_k_drop,
    [WASM_K_SELECT] = cc_k_select, [WASM_K_SELECT_T] = cc_k_select,
};

static cc_handler control_handler(uint8_t kind)
{
    if (kind < sizeof control / sizeof *control && control[kind])
        return control[kind];
    return illegal;      /* a CTL row of a kind with no handler here */
}

/* Class CTL from the class tables (prefixed instructions): the per-code
 * tables call the kind's handler directly. */
static bool ctl(struct cc *c, const struct wasm_opinfo *oi)
{
    return control_handler(oi->kind)(c, oi);
}

static const cc_handler live_class[WASM_C_COUNT] = {
    [WASM_C_ILLEGAL] = illegal,       [WASM_C_CTL] = ctl,
    [WASM_C_VAR] = cc_variable,       [WASM_C_SET] = cc_k_local_set,
    [WASM_C_MEM] = cc_k_mem,          [WASM_C_MEMORY] = cc_memory,
    [WASM_C_TAB] = cc_table,          [WASM_C_INT] = cc_int,
    [WASM_C_FLT] = cc_float,          [WASM_C_VMEM] = cc_simd_mem,
    [WASM_C_VINT] = cc_simd_int,      [WASM_C_VFLT] = cc_simd_float,
};

static const cc_handler dead_class[WASM_C_COUNT] = {
    [WASM_C_ILLEGAL] = illegal,       [WASM_C_CTL] = ctl,
    [WASM_C_VAR] = dead,              [WASM_C_SET] = dead,
    [WASM_C_MEM] = dead,              [WASM_C_MEMORY] = dead,
    [WASM_C_TAB] = dead,              [WASM_C_INT] = dead,
    [WASM_C_FLT] = dead,              [WASM_C_VMEM] = dead,
    [WASM_C_VINT] = dead,             [WASM_C_VFLT] = dead,
};

/* The per-byte tables of one-byte opcodes and the live table of 0xfd
 * codes (0xfc ones, rare, use the class tables): a control instruction
 * straight to its kind's handler, and the frequent i32 instructions to
 * handlers of their own (cc_int_handler). Dead 0xfd code needs no table:
 * none of it is control flow. */
static void make_dispatch(cc_handler *live, cc_handler *dead, cc_handler *fd)
{
    for (unsigned b = 0; b < 256; b++) {
        const struct wasm_opinfo *oi = &wasm_ops_base[b];
        if (oi->cls == WASM_C_CTL) {
            live[b] = dead[b] = control_handler(oi->kind);
            continue;
        }
        live[b] = live_class[oi->cls];
        dead[b] = dead_class[oi->cls];
        if (oi->cls == WASM_C_INT && cc_int_handler(oi->op))
            live[b] = cc_int_handler(oi->op);
    }
    for (unsigned k = 0; k < 256; k++) {
        const struct wasm_opinfo *oi = &wasm_ops_fd[k];
        fd[k] = oi->cls == WASM_C_CTL ? control_handler(oi->kind) : live_class[oi->cls];
    }
}

/* Tests turn the VEX forms off to run the legacy ones on an AVX CPU. */
static bool avx_off;

void wasm_compile_use_avx(bool on)
{
    avx_off = !on;
}

/* Wasm bytes of the bodies of defined functions from index `from` on. */
static size_t body_bytes_from(const struct wasm_module *m, uint32_t from)
{
    size_t n = 0;
    for (uint32_t i = from; i < m->nfuncs; i++)
        n += m->funcs[i].code_len;
    return n;
}

/* The code region is full (the encoder asks before it runs out): a larger
 * one, the code so far copied into it. Its size is what the rest would
 * take at the ratio of machine code to Wasm seen so far, plus an eighth,
 * and at least an eighth more than now (so the copies stay linear in the
 * code's size). Not a doubling: the kernel commits a region whole, and a
 * module whose code runs a little over the first guess would hold three
 * times its code at the peak (old and new regions) and twice afterwards:
 * 146 MB of regions for the 49 MB of code of a 25 MB module (bench/large). */
static void *grow(void *ctx, void *old, size_t used, size_t *cap)
{
    const struct cc *c = ctx;
    const struct wasm_module *m = c->m;
    if (*cap >= X64_MAX_CODE)
        return NULL;
    size_t left = body_bytes_from(m, c->fidx);
    size_t done = body_bytes_from(m, m->nfunc_imports) - left;
    uint64_t want = (uint64_t)*cap + *cap / 8;
    if (done > 0) {
        uint64_t rest = (uint64_t)left * used / done;
        uint64_t est = used + rest + rest / 8 + (uint64_t)(m->nfuncs - c->fidx) * 64 + 65536;
        if (est > want)
            want = est;
    } else if (want < 2 * (uint64_t)*cap) {
        want = 2 * (uint64_t)*cap;      /* within the first function: no ratio yet */
    }
    size_t n = want > X64_MAX_CODE ? X64_MAX_CODE : ((size_t)want + 4095) & ~(size_t)4095;
    void *p = wasm_host_code_alloc(n);
    if (!p)
        return NULL;
    memcpy(p, old, used);
    wasm_host_code_free(old, *cap);
    *cap = n;
    return p;
}

/* Does the function hold v128 values anywhere? (Its operand stack can
 * only get one from a v128 local, a 0xfd instruction, or a global or
 * function type of the module.) */
static bool has_v128(const struct cc *c, const struct wasm_func *f)
{
    if (c->mod_v128 || f->simd)
        return true;
    for (uint32_t r = 0; r < f->nlocal_runs; r++)
        if (f->locals[r].type == WASM_V128)
            return true;
    return false;
}

static bool module_v128(const struct wasm_module *m)
{
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const struct wasm_functype *t = &m->types[i];
        if (cc_nslots(t->params, t->nparams) != t->nparams ||
            cc_nslots(t->results, t->nresults) != t->nresults)
            return true;
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (m->globals[i].type == WASM_V128)
            return true;
    return false;
}

/* The 16-byte layout (compile.h): params at [rbp + 16 + 8 * slot], a
 * v128 taking two slots; declared locals below the save area, 8 or 16
 * bytes each; then 16-byte home slots. */
static void layout_v16(struct cc *c)
{
    int32_t up = 16, down = 8 + SAVE_AREA;
    for (uint32_t j = 0; j < c->nlocals; j++) {
        int32_t size = c->ltype[j] == WASM_V128 ? 16 : 8;
        if (j < c->nparams) {
            c->loff[j] = up;
            up += size;
        } else {
            down += size;
            c->loff[j] = -down;
        }
    }
    c->lbytes = (uint32_t)(down - 8 - SAVE_AREA);
    c->slot0 = -(down + 16);
}

static bool compile_func(struct cc *c, uint32_t fi)
{
    const struct wasm_module *m = c->m;
    const struct wasm_func *f = &m->funcs[fi];
    c->fidx = fi;
    c->f = f;
    c->ft = &m->types[f->type];
    c->code = c->p = f->code;
    c->end = f->code + f->code_len;
    c->si = 0;
    c->side = f->side;
    c->nside = f->nside;
    c->nparams = c->ft->nparams;
    c->nlocals = f->nlocals;
    for (uint32_t r = 0; r < f->nlocal_runs; r++)
        memset(c->ltype + f->locals[r].first, f->locals[r].type, f->locals[r].count);
    for (uint32_t k = 0; k < c->npin; k++)      /* the last function's pins */
        c->lpin[c->pin_local[k]] = 0;
    c->npin = 0;
    c->nvs = c->ncs = 0;
    c->free = CC_REGS;
    c->xfree = CC_XREGS;
    c->dead = false;
    c->fused = -1;
    c->out_slots = 0;
    c->nvpool = 0;
    memset(c->trap, 0, sizeof c->trap);
    memset(&c->dyn_trap, 0, sizeof c->dyn_trap);
    c->v16 = has_v128(c, f);
    if (c->v16) {
        if (!c->simd_ok && !x64_cpu_simd())
            return cc_fail(c, "SIMD (v128) needs a CPU with SSE4.1 and SSSE3");
        c->simd_ok = true;
        c->avx = !avx_off && x64_cpu_avx();
        layout_v16(c);
    }

    /* The locals to pin: the validator counted their uses (module.h). */
    c->ncand = f->nhot;
    memcpy(c->cand, f->hot, f->nhot * sizeof *c->cand);
    if (!cc_prologue(c))
        return false;
    static const struct wasm_opinfo none = { .kind = WASM_K_ILLEGAL, .prefix = 0xfc };
    while (c->p < c->end && !c->failed) {
        c->ipc = (uint32_t)(c->p - c->code);
        uint8_t b = *c->p++;
        /* The two most frequent instructions (two in five in SQLite) only
         * push a lazy value: done here, without a dispatch. */
        if (b == 0x20 && !c->dead) {
            if (!cc_push_local(c, cc_u32(c)))
                return false;
            continue;
        }
        if (b == 0x41 && !c->dead) {
            if (!cc_push_const(c, WASM_I32, (uint32_t)cc_s32(c)))
                return false;
            continue;
        }
        const struct wasm_opinfo *oi = &wasm_ops_base[b];
        if (__builtin_expect(b >= 0xfc, 0)) {
            if (b == 0xfd) {
                uint32_t code = cc_u32(c);
                if (code >= 256)
                    return cc_fail(c, "unknown opcode");
                if (!(c->dead ? dead : c->hfd[code])(c, &wasm_ops_fd[code]))
                    return false;
                continue;
            }
            if (b == 0xfc) {
                uint32_t code = cc_u32(c);
                oi = code < WASM_FC_CODES ? &wasm_ops_fc[code] : &none;
            }
        }
        cc_handler h;
        if (__builtin_expect(oi->prefix == 0, 1))
            h = (c->dead ? c->hdead : c->hlive)[b];
        else
            h = (c->dead ? dead_class : live_class)[oi->cls];
        if (!h(c, oi))
            return false;
    }
    if (c->failed)
        return false;
    if (c->si != f->nside)
        return cc_fail(c, "side table out of step");

    /* Out-of-line trap stubs: one ud2 per kind used. */
    for (int k = 1; k < WASM_TRAP_COUNT; k++)
        if (c->trap[k].head) {
            x64_bind(&c->a, &c->trap[k]);
            cc_trap_site(c, (uint8_t)k);
            x64_ud2(&c->a);
        }
    if (c->dyn_trap.head) {
        x64_bind(&c->a, &c->dyn_trap);
        cc_trap_site(c, WASM_TRAP_DYNAMIC);
        x64_ud2(&c->a);
    }
    cc_vpool_emit(c);
    uint64_t frame = 8 + SAVE_AREA + 8 * (uint64_t)(c->nlocals - c->nparams) +
                     8 * ((uint64_t)f->max_stack + 1) + 8 * (uint64_t)c->out_slots;
    if (c->v16)
        frame = 8 + SAVE_AREA + (uint64_t)c->lbytes + 16 * ((uint64_t)f->max_stack + 1) +
                8 * (uint64_t)c->out_slots;
    frame = (frame + 15) & ~(uint64_t)15;
    if (frame > INT32_MAX / 2)
        return cc_fail(c, "frame too large");
    x64_patch32(&c->a, c->frame_patch, (uint32_t)frame);
    /* A function that calls no Wasm function cannot recurse: when its
     * frame is small too, it fits in the slack below the stack limit that
     * its caller checked (docs/compiler.md asks hosts for 64 KiB). */
    if (!c->calls && frame <= 4096 && c->check_end - c->check_at >= 2 &&
        c->check_end - c->check_at < 128 && !x64_failed(&c->a)) {
        c->a.buf[c->check_at] = 0xeb;                           /* jmp rel8 */
        c->a.buf[c->check_at + 1] = (uint8_t)(c->check_end - c->check_at - 2);
    }
    return !c->failed;
}

/* The code region compile starts with, sized from the bodies: x86-64
 * code runs about twice the size of the Wasm code (2.08 times for SQLite,
 * at -O2 and at -O0, bench/large), so 2.25 times and 64 bytes a function
 * rarely grow (each growth copies the region) and are rarely much too
 * large (then the code is copied into one that fits, at the end). */
static size_t initial_code_cap(const wasm_module *m)
{
    size_t code_bytes = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        code_bytes += m->funcs[i].code_len;
    size_t ndef = m->nfuncs - m->nfunc_imports;
    size_t cap = 4096 + ndef * 64 + code_bytes * 9 / 4;
    return cap > X64_MAX_CODE ? X64_MAX_CODE : (cap + 4095) & ~(size_t)4095;
}

size_t wasm_compile_estimate(const wasm_module *m)
{
    size_t ndef = m->nfuncs - m->nfunc_imports;
    /* The code region, the per-function labels and offsets, and the trap
     * table (a few sites a function); the per-function scratch is small. */
    return initial_code_cap(m) + (ndef + 1) * (sizeof(x64_label) + sizeof(uint32_t)) +
           ndef * 4 * 8 + 64 * 1024;
}

wasm_compiled *wasm_compile(const wasm_module *m, wasm_error *err)
{
    struct cc cc, *c = &cc;
    memset(c, 0, sizeof *c);
    c->m = m;
    c->err = err;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    wasm_compiled *out = wasm_host_alloc(sizeof *out);
    if (!out)
        return NULL;
    memset(out, 0, sizeof *out);
    out->m = m;
    wasm_layout_init(&out->layout, m);
    c->layout = &out->layout;

    /* Per-function scratch, sized for the largest function. */
    uint32_t maxl = 1, maxs = 1, maxd = 1;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const struct wasm_func *f = &m->funcs[i];
        if (f->nlocals > maxl) maxl = f->nlocals;
        if (f->max_stack > maxs) maxs = f->max_stack;
        if (f->max_depth > maxd) maxd = f->max_depth;
    }
    c->capvs = maxs + 4;
    c->capcs = maxd + 2;
    /* The code is emitted straight into a code region (writable until
     * sealed). */
    size_t cap = initial_code_cap(m);
    uint8_t *buf = wasm_host_code_alloc(cap);
    c->ltype = wasm_host_alloc(maxl);
    c->lpin = wasm_host_alloc(maxl);
    c->hlive = wasm_host_alloc(3 * 256 * sizeof *c->hlive);
    c->hdead = c->hlive ? c->hlive + 256 : NULL;
    c->hfd = c->hlive ? c->hlive + 512 : NULL;
    c->loff = wasm_host_alloc(maxl * sizeof *c->loff);
    c->mod_v128 = module_v128(m);
    if (c->hlive)
        make_dispatch(c->hlive, c->hdead, c->hfd);
    if (c->lpin)
        memset(c->lpin, 0, maxl);
    c->vs = wasm_host_alloc(c->capvs * sizeof *c->vs);
    c->cs = wasm_host_alloc(c->capcs * sizeof *c->cs);
    c->funcs = wasm_host_alloc((ndef + 1) * sizeof *c->funcs);
    c->vpool = wasm_host_alloc(CC_VPOOL * sizeof *c->vpool);
    out->code.func_off = wasm_host_alloc((ndef + 1) * sizeof(uint32_t));
    bool ok = buf && c->ltype && c->lpin && c->loff && c->hlive && c->vs && c->cs && c->funcs &&
              c->vpool && out->code.func_off;
    if (buf)
        x64_init(&c->a, buf, cap, grow, c);
    if (!ok)
        cc_fail(c, "out of memory");
    else
        memset(c->funcs, 0, (ndef + 1) * sizeof *c->funcs);

    /* The pipeline. */
    for (uint32_t i = 0; ok && i < ndef; i++) {
        x64_align(&c->a, 16, true);
        x64_bind(&c->a, &c->funcs[i]);
        out->code.func_off[i] = x64_pos(&c->a);
        ok = wasm_host_interrupted() ? cc_fail(c, "interrupted: asked to stop while compiling")
                                     : compile_func(c, m->nfunc_imports + i);
    }
    if (ok && x64_failed(&c->a))
        ok = cc_fail(c, "code buffer overflow");

    /* The region as it is, or (more than a quarter of it unused) the code
     * copied into one that fits. */
    size_t used = x64_pos(&c->a), size = c->a.cap;
    size_t fit = used ? (used + 4095) & ~(size_t)4095 : 4096;
    uint8_t *code = c->a.buf;
    if (ok && size - fit > size / 4) {
        uint8_t *small = wasm_host_code_alloc(fit);
        if (small) {
            memcpy(small, code, used);
            wasm_host_code_free(code, size);
            code = small;
            size = fit;
        }
    }
    if (ok) {
        out->code.base = code;
        out->code.size = size;
        out->code.traps = c->traps;
        out->code.ntraps = c->ntraps;
        out->code.captraps = c->captraps;
        out->code.nfuncs = ndef;
        out->code.first_func = m->nfunc_imports;
        out->code.m = m;
        c->traps = NULL;
        c->captraps = 0;
        if (!wasm_host_code_seal(code, size, &out->code)) {
            wasm_host_code_free(code, size);
            out->code.base = NULL;
            ok = cc_fail(c, "cannot seal code");
        }
    } else if (code) {
        wasm_host_code_free(code, size);
    }
    wasm_host_free(c->ltype, maxl);
    wasm_host_free(c->lpin, maxl);
    wasm_host_free(c->hlive, 3 * 256 * sizeof *c->hlive);
    wasm_host_free(c->loff, maxl * sizeof *c->loff);
    wasm_host_free(c->vs, c->capvs * sizeof *c->vs);
    wasm_host_free(c->cs, c->capcs * sizeof *c->cs);
    wasm_host_free(c->funcs, (ndef + 1) * sizeof *c->funcs);
    wasm_host_free(c->vpool, CC_VPOOL * sizeof *c->vpool);
    wasm_host_free(c->traps, c->captraps * sizeof *c->traps);
    if (!ok) {
        wasm_compiled_free(out);
        return NULL;
    }
    return out;
}

size_t wasm_compiled_code_size(const wasm_compiled *c)
{
    return c->code.size;
}

void wasm_compiled_free(wasm_compiled *c)
{
    if (!c)
        return;
    wasm_host_code_free(c->code.base, c->code.size);
    wasm_host_free(c->code.traps, c->code.captraps * sizeof *c->code.traps);
    wasm_host_free(c->code.func_off, (c->m->nfuncs - c->m->nfunc_imports + 1) * sizeof(uint32_t));
    wasm_host_free(c, sizeof *c);
}
