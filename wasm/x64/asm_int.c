/* asm_int.c: integer instructions. Each picks the encoding GNU as picks
 * (reg-reg ALU ops in the r/m,reg direction, short accumulator and imm8
 * forms), so that the test compares bytes with `as` exactly.
 */
#include "emit.h"

/* Byte forms of most opcodes are the word form with bit 0 clear. */
static inline uint32_t sized(uint32_t opc, x64_sz sz)
{
    return sz == X64_S8 ? opc & ~1u : opc;
}
/* Length of an iz immediate: 2 for 16-bit operands, else 4 (sign-extended to 64). */
static inline unsigned izlen(x64_sz sz) { return sz == X64_S16 ? 2 : sz == X64_S8 ? 1 : 4; }

/* ---- ALU group ---- */

/* The general paths of x64_alu_rr/ri, x64_test_rr, x64_mov_rr (asm.h
 * has their fast paths for 32/64-bit operands). */
void x64__alu_rr(x64_asm *a, x64_alu op, x64_sz sz, int dst, int src)
{
    emit_rr(a, OP(0, 0, sized(op << 3 | 1, sz)) | op_sz(sz), (unsigned)src, (unsigned)dst);
}

/* The general paths of x64_alu_rm/mr (asm.h has their fast path). */
void x64__alu_rm(x64_asm *a, x64_alu op, x64_sz sz, int dst, x64_mem m)
{
    emit_rm(a, OP(0, 0, sized(op << 3 | 3, sz)) | op_sz(sz), (unsigned)dst, m);
}

void x64__alu_mr(x64_asm *a, x64_alu op, x64_sz sz, x64_mem m, int src)
{
    emit_rm(a, OP(0, 0, sized(op << 3 | 1, sz)) | op_sz(sz), (unsigned)src, m);
}

void x64__alu_ri(x64_asm *a, x64_alu op, x64_sz sz, int dst, int32_t imm)
{
    if (sz == X64_S8) {
        if (dst == X64_RAX) {
            uint8_t b[2] = { (uint8_t)(op << 3 | 4), (uint8_t)imm };
            x64__raw(a, b, 2);
        } else {
            emit_rri(a, OP(0, 0, 0x80) | op_szd(sz), op, (unsigned)dst, 1, imm);
        }
    } else if (fits8(imm)) {
        emit_rri(a, OP(0, 0, 0x83) | op_szd(sz), op, (unsigned)dst, 1, imm);
    } else if (dst == X64_RAX) {
        /* op eax, imm32 has a ModRM-less form, one byte shorter. */
        uint8_t *s = x64__begin(a), *p = s;
        if (sz == X64_S16)
            *p++ = 0x66;
        if (sz == X64_S64)
            *p++ = 0x48;
        *p++ = (uint8_t)(op << 3 | 5);
        x64__end(a, s, put_imm(p, izlen(sz), imm));
    } else {
        emit_rri(a, OP(0, 0, 0x81) | op_szd(sz), op, (unsigned)dst, izlen(sz), imm);
    }
}

uint32_t x64_alu_ri32(x64_asm *a, x64_alu op, x64_sz sz, int dst, int32_t imm)
{
    emit_rri(a, OP(0, 0, 0x81) | op_szd(sz), op, (unsigned)dst, 4, imm);
    return a->pos - 4;
}

void x64_alu_mi(x64_asm *a, x64_alu op, x64_sz sz, x64_mem m, int32_t imm)
{
    if (sz == X64_S8)
        emit_rmi(a, OP(0, 0, 0x80), op, m, 1, imm);
    else if (fits8(imm))
        emit_rmi(a, OP(0, 0, 0x83) | op_szd(sz), op, m, 1, imm);
    else
        emit_rmi(a, OP(0, 0, 0x81) | op_szd(sz), op, m, izlen(sz), imm);
}

void x64__test_rr(x64_asm *a, x64_sz sz, int r1, int r2)
{
    emit_rr(a, OP(0, 0, sized(0x85, sz)) | op_sz(sz), (unsigned)r2, (unsigned)r1);
}

void x64_test_ri(x64_asm *a, x64_sz sz, int r, int32_t imm)
{
    if (r == X64_RAX) {
        uint8_t *s = x64__begin(a), *p = s;
        if (sz == X64_S16)
            *p++ = 0x66;
        if (sz == X64_S64)
            *p++ = 0x48;
        *p++ = (uint8_t)sized(0xA9, sz);
        x64__end(a, s, put_imm(p, izlen(sz), imm));
    } else {
        emit_rri(a, OP(0, 0, sized(0xF7, sz)) | op_szd(sz), 0, (unsigned)r, izlen(sz), imm);
    }
}

void x64_test_mr(x64_asm *a, x64_sz sz, x64_mem m, int r)
{
    emit_rm(a, OP(0, 0, sized(0x85, sz)) | op_sz(sz), (unsigned)r, m);
}

void x64_test_mi(x64_asm *a, x64_sz sz, x64_mem m, int32_t imm)
{
    emit_rmi(a, OP(0, 0, sized(0xF7, sz)) | op_szd(sz), 0, m, izlen(sz), imm);
}

/* ---- Moves ---- */

void x64__mov_rr(x64_asm *a, x64_sz sz, int dst, int src)
{
    emit_rr(a, OP(0, 0, sized(0x89, sz)) | op_sz(sz), (unsigned)src, (unsigned)dst);
}

/* B8+r (B0+r for bytes) with an immediate of `len` bytes. */
static void mov_oi(x64_asm *a, x64_sz sz, int r, unsigned len, int64_t imm)
{
    uint8_t *s = x64__begin(a), *p = s;
    unsigned rex = (sz == X64_S64 ? 8u : 0u) | (r >= 8 ? 1u : 0u);
    if (sz == X64_S16)
        *p++ = 0x66;
    if (rex || (sz == X64_S8 && r >= 4))
        *p++ = (uint8_t)(0x40 | rex);
    *p++ = (uint8_t)((sz == X64_S8 ? 0xB0 : 0xB8) | (r & 7));
    x64__end(a, s, put_imm(p, len, imm));
}

void x64_mov_ri(x64_asm *a, x64_sz sz, int dst, int64_t imm)
{
    if (sz != X64_S64)
        mov_oi(a, sz, dst, sz, imm);
    else if ((uint64_t)imm <= UINT32_MAX)
        mov_oi(a, X64_S32, dst, 4, imm);   /* zero-extends */
    else if (fits32(imm))
        emit_rri(a, OP(0, 0, 0xC7) | OP_W, 0, (unsigned)dst, 4, imm);
    else
        mov_oi(a, X64_S64, dst, 8, imm);
}

uint32_t x64_movabs(x64_asm *a, int dst, uint64_t imm)
{
    mov_oi(a, X64_S64, dst, 8, (int64_t)imm);
    return a->pos - 8;
}

void x64_zero(x64_asm *a, int r) { x64_alu_rr(a, X64_XOR, X64_S32, r, r); }

/* The general paths of x64_load, x64_store and x64_store_i (asm.h). */
void x64__load(x64_asm *a, x64_sz sz, int dst, x64_mem m)
{
    if (sz == X64_S8)
        emit_rm(a, OP(0, 1, 0xB6), (unsigned)dst, m);
    else if (sz == X64_S16)
        emit_rm(a, OP(0, 1, 0xB7), (unsigned)dst, m);
    else
        emit_rm(a, OP(0, 0, 0x8B) | op_sz(sz), (unsigned)dst, m);
}

void x64_loads(x64_asm *a, x64_sz from, x64_sz to, int dst, x64_mem m)
{
    uint32_t w = to == X64_S64 ? OP_W : 0;
    if (from == X64_S8)
        emit_rm(a, OP(0, 1, 0xBE) | w, (unsigned)dst, m);
    else if (from == X64_S16)
        emit_rm(a, OP(0, 1, 0xBF) | w, (unsigned)dst, m);
    else
        emit_rm(a, OP(0, 0, 0x63) | OP_W, (unsigned)dst, m);
}

void x64__store(x64_asm *a, x64_sz sz, x64_mem m, int src)
{
    emit_rm(a, OP(0, 0, sized(0x89, sz)) | op_sz(sz), (unsigned)src, m);
}

void x64__store_i(x64_asm *a, x64_sz sz, x64_mem m, int32_t imm)
{
    emit_rmi(a, OP(0, 0, sized(0xC7, sz)) | op_szd(sz), 0, m, izlen(sz), imm);
}

void x64_movzx(x64_asm *a, x64_sz from, int dst, int src)
{
    if (from == X64_S8)
        emit_rr(a, OP(0, 1, 0xB6) | OP_BRM, (unsigned)dst, (unsigned)src);
    else
        emit_rr(a, OP(0, 1, 0xB7), (unsigned)dst, (unsigned)src);
}

void x64_movsx(x64_asm *a, x64_sz from, x64_sz to, int dst, int src)
{
    uint32_t w = to == X64_S64 ? OP_W : 0;
    if (from == X64_S8)
        emit_rr(a, OP(0, 1, 0xBE) | OP_BRM | w, (unsigned)dst, (unsigned)src);
    else if (from == X64_S16)
        emit_rr(a, OP(0, 1, 0xBF) | w, (unsigned)dst, (unsigned)src);
    else
        emit_rr(a, OP(0, 0, 0x63) | OP_W, (unsigned)dst, (unsigned)src);
}

void x64_lea(x64_asm *a, x64_sz sz, int dst, x64_mem m)
{
    emit_rm(a, OP(0, 0, 0x8D) | op_sz(sz), (unsigned)dst, m);
}

void x64_xchg_rr(x64_asm *a, x64_sz sz, int r1, int r2)
{
    /* 90+r with the accumulator; but 90 alone is nop, which would not
     * zero-extend eax, so xchg eax,eax keeps the ModRM form. */
    bool acc = sz != X64_S8 && (r1 == X64_RAX || r2 == X64_RAX) &&
               !(sz == X64_S32 && r1 == r2);
    if (acc) {
        int r = r1 == X64_RAX ? r2 : r1;
        uint8_t *s = x64__begin(a), *p = s;
        /* xchg rax,rax changes nothing: as makes it a plain nop. */
        unsigned rex = (sz == X64_S64 && r != X64_RAX ? 8u : 0u) | (r >= 8 ? 1u : 0u);
        if (sz == X64_S16)
            *p++ = 0x66;
        if (rex)
            *p++ = (uint8_t)(0x40 | rex);
        *p++ = (uint8_t)(0x90 | (r & 7));
        x64__end(a, s, p);
    } else {
        emit_rr(a, OP(0, 0, sized(0x87, sz)) | op_sz(sz), (unsigned)r2, (unsigned)r1);
    }
}

void x64_xchg_mr(x64_asm *a, x64_sz sz, x64_mem m, int r)
{
    emit_rm(a, OP(0, 0, sized(0x87, sz)) | op_sz(sz), (unsigned)r, m);
}

/* ---- Unary, multiply, divide ---- */

void x64_unary_r(x64_asm *a, x64_unop op, x64_sz sz, int r)
{
    emit_rr(a, OP(0, 0, sized(0xF7, sz)) | op_szd(sz), op, (unsigned)r);
}

void x64_unary_m(x64_asm *a, x64_unop op, x64_sz sz, x64_mem m)
{
    emit_rm(a, OP(0, 0, sized(0xF7, sz)) | op_szd(sz), op, m);
}

void x64_inc_r(x64_asm *a, x64_sz sz, int r)
{
    emit_rr(a, OP(0, 0, sized(0xFF, sz)) | op_szd(sz), 0, (unsigned)r);
}
void x64_dec_r(x64_asm *a, x64_sz sz, int r)
{
    emit_rr(a, OP(0, 0, sized(0xFF, sz)) | op_szd(sz), 1, (unsigned)r);
}
void x64_inc_m(x64_asm *a, x64_sz sz, x64_mem m)
{
    emit_rm(a, OP(0, 0, sized(0xFF, sz)) | op_szd(sz), 0, m);
}
void x64_dec_m(x64_asm *a, x64_sz sz, x64_mem m)
{
    emit_rm(a, OP(0, 0, sized(0xFF, sz)) | op_szd(sz), 1, m);
}

void x64_imul_rr(x64_asm *a, x64_sz sz, int dst, int src)
{
    emit_rr(a, OP(0, 1, 0xAF) | op_sz(sz), (unsigned)dst, (unsigned)src);
}

void x64_imul_rm(x64_asm *a, x64_sz sz, int dst, x64_mem m)
{
    emit_rm(a, OP(0, 1, 0xAF) | op_sz(sz), (unsigned)dst, m);
}

void x64_imul_rri(x64_asm *a, x64_sz sz, int dst, int src, int32_t imm)
{
    if (fits8(imm))
        emit_rri(a, OP(0, 0, 0x6B) | op_sz(sz), (unsigned)dst, (unsigned)src, 1, imm);
    else
        emit_rri(a, OP(0, 0, 0x69) | op_sz(sz), (unsigned)dst, (unsigned)src, izlen(sz), imm);
}

void x64_cdq(x64_asm *a, x64_sz sz)
{
    uint8_t b[2] = { sz == X64_S64 ? 0x48 : 0x66, 0x99 };
    if (sz == X64_S32)
        x64__raw(a, b + 1, 1);
    else
        x64__raw(a, b, 2);
}

/* ---- Shifts, bit operations ---- */

void x64_shift_ri(x64_asm *a, x64_shift op, x64_sz sz, int r, uint8_t imm)
{
    if (imm == 1)
        emit_rr(a, OP(0, 0, sized(0xD1, sz)) | op_szd(sz), op, (unsigned)r);
    else
        emit_rri(a, OP(0, 0, sized(0xC1, sz)) | op_szd(sz), op, (unsigned)r, 1, imm);
}

void x64_shift_rcl(x64_asm *a, x64_shift op, x64_sz sz, int r)
{
    emit_rr(a, OP(0, 0, sized(0xD3, sz)) | op_szd(sz), op, (unsigned)r);
}

static const uint32_t bitop_op[] = {
    [X64_BSF] = OP(0, 1, 0xBC), [X64_BSR] = OP(0, 1, 0xBD),
    [X64_LZCNT] = OP(2, 1, 0xBD), [X64_TZCNT] = OP(2, 1, 0xBC),
    [X64_POPCNT] = OP(2, 1, 0xB8),
};

void x64_bitop_rr(x64_asm *a, x64_bitop op, x64_sz sz, int dst, int src)
{
    emit_rr(a, bitop_op[op] | op_sz(sz), (unsigned)dst, (unsigned)src);
}

void x64_bitop_rm(x64_asm *a, x64_bitop op, x64_sz sz, int dst, x64_mem m)
{
    emit_rm(a, bitop_op[op] | op_sz(sz), (unsigned)dst, m);
}

void x64_bswap(x64_asm *a, x64_sz sz, int r)
{
    uint8_t *s = x64__begin(a), *p = s;
    unsigned rex = (sz == X64_S64 ? 8u : 0u) | (r >= 8 ? 1u : 0u);
    if (rex)
        *p++ = (uint8_t)(0x40 | rex);
    *p++ = 0x0F;
    *p++ = (uint8_t)(0xC8 | (r & 7));
    x64__end(a, s, p);
}

/* ---- Flags to values ---- */

void x64_setcc(x64_asm *a, x64_cc cc, int r)
{
    emit_rr(a, OP(0, 1, 0x90 | cc) | OP_BRM, 0, (unsigned)r);
}

void x64_setcc_zx(x64_asm *a, x64_cc cc, int r)
{
    x64_setcc(a, cc, r);
    x64_movzx(a, X64_S8, r, r);
}

void x64_cmov_rr(x64_asm *a, x64_cc cc, x64_sz sz, int dst, int src)
{
    emit_rr(a, OP(0, 1, 0x40 | cc) | op_sz(sz), (unsigned)dst, (unsigned)src);
}

void x64_cmov_rm(x64_asm *a, x64_cc cc, x64_sz sz, int dst, x64_mem m)
{
    emit_rm(a, OP(0, 1, 0x40 | cc) | op_sz(sz), (unsigned)dst, m);
}

/* ---- Stack ---- */

static void push_pop(x64_asm *a, uint8_t opc, int r)
{
    uint8_t b[2] = { 0x41, (uint8_t)(opc | (r & 7)) };
    if (r >= 8)
        x64__raw(a, b, 2);
    else
        x64__raw(a, b + 1, 1);
}

void x64_push_r(x64_asm *a, int r) { push_pop(a, 0x50, r); }
void x64_pop_r(x64_asm *a, int r) { push_pop(a, 0x58, r); }

void x64_push_i(x64_asm *a, int32_t imm)
{
    uint8_t *s = x64__begin(a), *p = s;
    if (fits8(imm)) {
        *p++ = 0x6A;
        *p++ = (uint8_t)imm;
    } else {
        *p++ = 0x68;
        p = put32(p, (uint32_t)imm);
    }
    x64__end(a, s, p);
}

void x64_push_m(x64_asm *a, x64_mem m) { emit_rm(a, OP(0, 0, 0xFF), 6, m); }

/* ---- Atomics and miscellany ---- */

void x64_lock(x64_asm *a)
{
    static const uint8_t f0 = 0xF0;
    x64__raw(a, &f0, 1);
}

void x64_cmpxchg(x64_asm *a, x64_sz sz, x64_mem m, int r, bool lock)
{
    emit_rm(a, OP(0, 1, sized(0xB1, sz)) | op_sz(sz) | (lock ? OP_LOCK : 0), (unsigned)r, m);
}

void x64_xadd(x64_asm *a, x64_sz sz, x64_mem m, int r, bool lock)
{
    emit_rm(a, OP(0, 1, sized(0xC1, sz)) | op_sz(sz) | (lock ? OP_LOCK : 0), (unsigned)r, m);
}

void x64_cmpxchg16b(x64_asm *a, x64_mem m, bool lock)
{
    emit_rm(a, OP(0, 1, 0xC7) | OP_W | (lock ? OP_LOCK : 0), 1, m);
}

static void raw3(x64_asm *a, uint8_t b0, uint8_t b1, uint8_t b2, unsigned n)
{
    uint8_t b[3] = { b0, b1, b2 };
    x64__raw(a, b, n);
}

void x64_rep_movsb(x64_asm *a) { raw3(a, 0xF3, 0xA4, 0, 2); }
void x64_rep_stosb(x64_asm *a) { raw3(a, 0xF3, 0xAA, 0, 2); }
void x64_mfence(x64_asm *a) { raw3(a, 0x0F, 0xAE, 0xF0, 3); }
void x64_lfence(x64_asm *a) { raw3(a, 0x0F, 0xAE, 0xE8, 3); }
void x64_sfence(x64_asm *a) { raw3(a, 0x0F, 0xAE, 0xF8, 3); }
void x64_pause(x64_asm *a) { raw3(a, 0xF3, 0x90, 0, 2); }
void x64_rdtsc(x64_asm *a) { raw3(a, 0x0F, 0x31, 0, 2); }
void x64_cpuid(x64_asm *a) { raw3(a, 0x0F, 0xA2, 0, 2); }
void x64_ud2(x64_asm *a) { raw3(a, 0x0F, 0x0B, 0, 2); }
void x64_int3(x64_asm *a) { raw3(a, 0xCC, 0, 0, 1); }
void x64_hlt(x64_asm *a) { raw3(a, 0xF4, 0, 0, 1); }

/* The SDM's recommended nops of 1..9 bytes, which GNU as also uses. */
static const uint8_t nops[9][9] = {
    { 0x90 },
    { 0x66, 0x90 },
    { 0x0F, 0x1F, 0x00 },
    { 0x0F, 0x1F, 0x40, 0x00 },
    { 0x0F, 0x1F, 0x44, 0x00, 0x00 },
    { 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00 },
    { 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00 },
    { 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void x64_nop(x64_asm *a, unsigned n)
{
    while (n) {
        unsigned k = n > 9 ? 9 : n;
        x64__raw(a, nops[k - 1], k);
        n -= k;
    }
}
