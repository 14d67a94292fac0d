/* asm_ctl.c: control transfer: jumps, conditional jumps and calls to
 * labels (rel8 backwards when it fits, rel32 chained forwards), short
 * forward skips, indirect jumps and calls.
 */
#include "emit.h"

/* A jump to a known target: EB/70+cc rel8 when it reaches, else the rel32
 * form (`op32` of `len32` bytes before its rel32). */
static void jump_to(x64_asm *a, uint8_t op8, const uint8_t *op32, unsigned len32,
                    uint32_t target)
{
    uint8_t *s = x64__begin(a), *p = s;
    int64_t d8 = (int64_t)target - (a->pos + 2);
    if (fits8(d8)) {
        *p++ = op8;
        *p++ = (uint8_t)d8;
    } else {
        for (unsigned i = 0; i < len32; i++)
            *p++ = op32[i];
        p = put32(p, target - (a->pos + len32 + 4));
    }
    x64__end(a, s, p);
}

/* A rel32 jump or call to a label: chained if unbound. */
static void jump_label(x64_asm *a, const uint8_t *op32, unsigned len32, x64_label *l)
{
    uint8_t *s = x64__begin(a), *p = s;
    for (unsigned i = 0; i < len32; i++)
        *p++ = op32[i];
    uint32_t field = a->pos + len32;
    x64__end(a, s, put32(p, 0));
    x64__use(a, l, field, 0);
}

void x64_jmp(x64_asm *a, x64_label *l)
{
    static const uint8_t e9 = 0xE9;
    if (l->bound)
        jump_to(a, 0xEB, &e9, 1, l->bound - 1);
    else
        jump_label(a, &e9, 1, l);
}

void x64_jcc(x64_asm *a, x64_cc cc, x64_label *l)
{
    uint8_t op[2] = { 0x0F, (uint8_t)(0x80 | cc) };
    if (l->bound)
        jump_to(a, (uint8_t)(0x70 | cc), op, 2, l->bound - 1);
    else
        jump_label(a, op, 2, l);
}

bool x64_drop_jmp(x64_asm *a, x64_label *l)
{
    if ((a->err & X64_ERR_SPACE) || !l->head || l->bound)
        return false;
    uint32_t field = l->head - 1;
    /* The head use is that jmp if its field ends here after an E9 byte: a
     * jcc has 0F 8x there, a call E8, a [rip+label] operand a ModRM byte
     * with mod 00 (at most 0x3D), and data fields are of other kinds. */
    if (field + 4 != a->pos || field == 0 || a->buf[field - 1] != 0xE9)
        return false;
    uint32_t w = get32(a->buf + field);
    if ((w & 7) != 0)
        return false;
    l->head = (w >> 3) ? field - (w >> 3) + 1 : 0;
    a->pos = field - 1;
    return true;
}

void x64_call(x64_asm *a, x64_label *l)
{
    static const uint8_t e8 = 0xE8;
    jump_label(a, &e8, 1, l);
}

void x64_jmp_to(x64_asm *a, uint32_t target)
{
    static const uint8_t e9 = 0xE9;
    jump_to(a, 0xEB, &e9, 1, target);
}

void x64_call_to(x64_asm *a, uint32_t target)
{
    x64_call_rel32(a, (int32_t)(target - (a->pos + 5)));
}

uint32_t x64_call_rel32(x64_asm *a, int32_t rel)
{
    uint8_t *s = x64__begin(a);
    uint32_t field = a->pos + 1;
    s[0] = 0xE8;
    x64__end(a, s, put32(s + 1, (uint32_t)rel));
    return field;
}

static uint32_t short_fwd(x64_asm *a, uint8_t op)
{
    uint8_t b[2] = { op, 0 };
    x64__raw(a, b, 2);
    return a->pos - 1;
}

uint32_t x64_jmp8_fwd(x64_asm *a) { return short_fwd(a, 0xEB); }
uint32_t x64_jcc8_fwd(x64_asm *a, x64_cc cc) { return short_fwd(a, (uint8_t)(0x70 | cc)); }

void x64_patch8(x64_asm *a, uint32_t handle)
{
    uint32_t d = a->pos - (handle + 1);
    if (d > 127)
        a->err |= X64_ERR_RANGE;
    else if (!(a->err & X64_ERR_SPACE))
        a->buf[handle] = (uint8_t)d;
}

/* Indirect forms, FF /4 (jmp) and FF /2 (call): 64-bit without REX.W. */
void x64_jmp_r(x64_asm *a, int r) { emit_rr(a, OP(0, 0, 0xFF), 4, (unsigned)r); }
void x64_jmp_m(x64_asm *a, x64_mem m) { emit_rm(a, OP(0, 0, 0xFF), 4, m); }
void x64_call_r(x64_asm *a, int r) { emit_rr(a, OP(0, 0, 0xFF), 2, (unsigned)r); }
void x64_call_m(x64_asm *a, x64_mem m) { emit_rm(a, OP(0, 0, 0xFF), 2, m); }

void x64_ret(x64_asm *a)
{
    static const uint8_t c3 = 0xC3;
    x64__raw(a, &c3, 1);
}
