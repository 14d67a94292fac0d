/* asm.c: the encoder's core: the code buffer, the one legacy
 * prefix/REX/ModRM/SIB writer every instruction goes through, label patch
 * chains, and data (constant pools, jump tables, absolute slots).
 *
 * Patch chains (TinyCC's scheme, with a kind per use): the 4-byte field of
 * an unbound use holds `delta << 3 | kind`, delta being the distance back to
 * the label's previous use (0 ends the chain). Binding walks the chain from
 * l->head and overwrites each field with its final value, so a label costs
 * 8 bytes and no allocation however many uses it has.
 */
#include "emit.h"
#include "../core/libc.h"

void x64_init(x64_asm *a, void *buf, size_t cap, x64_grow_fn grow, void *ctx)
{
    memset(a, 0, sizeof *a);
    a->buf = buf;
    a->cap = (uint32_t)(cap > X64_MAX_CODE ? X64_MAX_CODE : cap);
    a->grow = grow;
    a->grow_ctx = ctx;
}

/* Fewer than X64_MAX_INSN bytes left: grow, or sink into the scratch area
 * for good (later bytes would be useless once earlier ones are lost). */
uint8_t *x64__slow_begin(x64_asm *a)
{
    if (!(a->err & X64_ERR_SPACE) && a->grow && a->cap < X64_MAX_CODE) {
        size_t cap = a->cap;
        uint8_t *nb = a->grow(a->grow_ctx, a->buf, a->pos, &cap);
        if (nb && cap >= (size_t)a->pos + X64_MAX_INSN) {
            a->buf = nb;
            a->cap = (uint32_t)(cap > X64_MAX_CODE ? X64_MAX_CODE : cap);
            return a->buf + a->pos;
        }
    }
    a->err |= X64_ERR_SPACE;
    return a->scratch;
}

void x64__raw(x64_asm *a, const uint8_t *b, unsigned n)
{
    uint8_t *s = x64__begin(a);
    memcpy(s, b, n);
    x64__end(a, s, s + n);
}

/* ---- Labels ---- */

static void patch(x64_asm *a, uint32_t field, unsigned kind, uint32_t target)
{
    uint32_t v;
    if (kind <= 4)
        v = target - (field + 4 + kind);
    else if (kind == FIX_SELFREL)
        v = target - field;
    else
        v = target;  /* FIX_ABS64: the offset, made absolute by x64_relocate */
    put32(a->buf + field, v);
}

void x64__use(x64_asm *a, x64_label *l, uint32_t field, unsigned kind)
{
    if (a->err & X64_ERR_SPACE)
        return;  /* the field may lie in the scratch area: nothing to keep */
    if (l->bound) {
        patch(a, field, kind, l->bound - 1);
        return;
    }
    uint32_t delta = l->head ? field - (l->head - 1) : 0;
    put32(a->buf + field, delta << 3 | kind);
    l->head = field + 1;
}

void x64__fix(x64_asm *a, uint8_t *start, uint8_t *end)
{
    x64_label *l = a->fix_label;
    uint32_t tail = (uint32_t)(end - start) - a->fix_field - 4;
    a->fix_label = NULL;
    x64__use(a, l, a->pos + a->fix_field, tail);
}

void x64_bind(x64_asm *a, x64_label *l)
{
    uint32_t target = a->pos;
    uint32_t h = l->head;
    l->bound = target + 1;
    l->head = 0;
    if (a->err & X64_ERR_SPACE)
        return;  /* fields past the overflow were never stored */
    while (h) {
        uint32_t f = h - 1, w = get32(a->buf + f);
        patch(a, f, w & 7, target);
        h = (w >> 3) ? f - (w >> 3) + 1 : 0;
    }
}

void x64_patch32(x64_asm *a, uint32_t off, uint32_t v)
{
    if (!(a->err & X64_ERR_SPACE) && off + 4 <= a->cap)
        put32(a->buf + off, v);
}

/* ---- Data ---- */

void x64_data8(x64_asm *a, uint8_t v) { x64__raw(a, &v, 1); }

void x64_data16(x64_asm *a, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    x64__raw(a, b, 2);
}

void x64_data32(x64_asm *a, uint32_t v)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, put32(s, v));
}

void x64_data64(x64_asm *a, uint64_t v)
{
    uint8_t *s = x64__begin(a);
    x64__end(a, s, put_imm(s, 8, (int64_t)v));
}

void x64_data128(x64_asm *a, uint64_t lo, uint64_t hi)
{
    x64_data64(a, lo);
    x64_data64(a, hi);
}

void x64_bytes(x64_asm *a, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        unsigned k = n > X64_MAX_INSN ? X64_MAX_INSN : (unsigned)n;
        x64__raw(a, b, k);
        b += k;
        n -= k;
    }
}

void x64_align(x64_asm *a, unsigned align, bool code)
{
    unsigned n = (0u - a->pos) & (align - 1);
    if (code) {
        x64_nop(a, n);
        return;
    }
    static const uint8_t zero[X64_MAX_INSN];
    while (n) {
        unsigned k = n > X64_MAX_INSN ? X64_MAX_INSN : n;
        x64__raw(a, zero, k);
        n -= k;
    }
}

void x64_data_selfrel32(x64_asm *a, x64_label *l)
{
    uint32_t field = a->pos;
    x64_data32(a, 0);
    x64__use(a, l, field, FIX_SELFREL);
}

void x64_data_rel32(x64_asm *a, const x64_label *l, const x64_label *anchor)
{
    if (!l->bound || !anchor->bound)
        a->err |= X64_ERR_LABEL;
    x64_data32(a, l->bound - anchor->bound);
}

/* The slot's low half takes part in the label's chain, its high half
 * links the slots for x64_relocate (offset + 1 of the previous, 0 ends). */
void x64_data_abs64(x64_asm *a, x64_label *l)
{
    uint32_t field = a->pos;
    uint8_t *s = x64__begin(a);
    put32(s, 0);
    put32(s + 4, a->reloc_head);
    x64__end(a, s, s + 8);
    if (a->err & X64_ERR_SPACE)
        return;
    a->reloc_head = field + 1;
    x64__use(a, l, field, FIX_ABS64);
}

void x64_relocate(const x64_asm *a, void *code, uint64_t base)
{
    uint8_t *c = code;
    for (uint32_t h = a->reloc_head; h;) {
        uint32_t off = h - 1;
        uint64_t v = base + get32(a->buf + off);
        h = get32(a->buf + off + 4);
        put_imm(c + off, 8, (int64_t)v);
    }
}
