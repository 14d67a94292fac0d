/* cases_int.c: integer instruction cases for the encoder self check. */
#include <stdio.h>

#include "harness.h"

static const char *const alu_names[8] = {
    "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp",
};
static const x64_sz sizes[4] = { X64_S8, X64_S16, X64_S32, X64_S64 };
static const int32_t imms[] = { 0, 1, -1, 127, -128, 128, -129, 0x7fff, 0x12345678, INT32_MIN };
#define NIMM (sizeof imms / sizeof imms[0])

/* An immediate as the assembler should read it for an operand of `sz`
 * bytes: truncated to the size (as would warn about out-of-range values). */
static long long imm_for(x64_sz sz, int32_t v)
{
    return sz == X64_S8 ? (int8_t)v : sz == X64_S16 ? (int16_t)v : v;
}

static void alu(void)
{
    for (int op = 0; op < 8; op++)
        for (int s = 0; s < 4; s++) {
            x64_sz sz = sizes[s];
            for (unsigned i = 0; i < n_some_regs; i++)
                for (unsigned j = 0; j < n_some_regs; j += 3)
                    CASE(x64_alu_rr(A, op, sz, some_regs[i], some_regs[j]),
                         "%s %s, %s", alu_names[op], rn(sz, some_regs[i]),
                         rn(sz, some_regs[j]));
            for (unsigned i = 0; i < n_some_regs; i += 2)
                for (unsigned k = 0; k < NIMM; k++)
                    CASE(x64_alu_ri(A, op, sz, some_regs[i], (int32_t)imm_for(sz, imms[k])),
                         "%s %s, %lld", alu_names[op], rn(sz, some_regs[i]),
                         imm_for(sz, imms[k]));
            if (sz >= 4) {
                /* The forced imm32 form, patched to a value that needs it. */
                int r = some_regs[(op + s) % (n_some_regs - 1) + 1];
                CASE(x64_patch32(A, x64_alu_ri32(A, op, sz, r, 0), 0x12345), "%s %s, 0x12345",
                     alu_names[op], rn(sz, r));
            }
            CASE(x64_alu_ri(A, op, sz, X64_RAX, (int32_t)imm_for(sz, 1000)), "%s %s, %lld",
                 alu_names[op], rn(sz, X64_RAX), imm_for(sz, 1000));
            for (unsigned m = 0; m < n_some_mems; m++) {
                x64_mem mm = some_mems[m];
                int r = some_regs[m % n_some_regs];
                CASE(x64_alu_rm(A, op, sz, r, mm), "%s %s, %s %s", alu_names[op],
                     rn(sz, r), ptr(sz), mt(mm));
                CASE(x64_alu_mr(A, op, sz, mm, r), "%s %s %s, %s", alu_names[op],
                     ptr(sz), mt(mm), rn(sz, r));
                int32_t imm = (int32_t)imm_for(sz, imms[m % NIMM]);
                CASE(x64_alu_mi(A, op, sz, mm, imm), "%s %s %s, %lld", alu_names[op],
                     ptr(sz), mt(mm), imm_for(sz, imm));
            }
        }
    for (int s = 0; s < 4; s++) {
        x64_sz sz = sizes[s];
        for (unsigned i = 0; i < n_some_regs; i++) {
            int r = some_regs[i], r2 = some_regs[(i + 5) % n_some_regs];
            CASE(x64_test_rr(A, sz, r, r2), "test %s, %s", rn(sz, r), rn(sz, r2));
            CASE(x64_test_ri(A, sz, r, (int32_t)imm_for(sz, imms[i % NIMM])), "test %s, %lld", rn(sz, r),
                 imm_for(sz, imms[i % NIMM]));
        }
        for (unsigned m = 0; m < n_some_mems; m++) {
            x64_mem mm = some_mems[m];
            int r = some_regs[m % n_some_regs];
            CASE(x64_test_mr(A, sz, mm, r), "test %s %s, %s", ptr(sz), mt(mm), rn(sz, r));
            CASE(x64_test_mi(A, sz, mm, (int32_t)imm_for(sz, imms[m % NIMM])), "test %s %s, %lld", ptr(sz),
                 mt(mm), imm_for(sz, imms[m % NIMM]));
        }
    }
}

static void moves(void)
{
    static const int64_t mimms[] = {
        0, 1, -1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000LL, -0x80000000LL,
        -0x80000001LL, 0x123456789abcdef0LL, INT64_MIN,
    };
    for (int s = 0; s < 4; s++) {
        x64_sz sz = sizes[s];
        for (unsigned i = 0; i < n_some_regs; i++)
            for (unsigned j = 0; j < n_some_regs; j += 2)
                CASE(x64_mov_rr(A, sz, some_regs[i], some_regs[j]), "mov %s, %s",
                     rn(sz, some_regs[i]), rn(sz, some_regs[j]));
        for (unsigned m = 0; m < n_some_mems; m++) {
            x64_mem mm = some_mems[m];
            int r = some_regs[(m + 3) % n_some_regs];
            CASE(x64_store(A, sz, mm, r), "mov %s %s, %s", ptr(sz), mt(mm), rn(sz, r));
            CASE(x64_store_i(A, sz, mm, (int32_t)imm_for(sz, imms[m % NIMM])), "mov %s %s, %lld", ptr(sz),
                 mt(mm), imm_for(sz, imms[m % NIMM]));
            if (sz <= 2)
                CASE(x64_load(A, sz, r, mm), "movzx %s, %s %s", rn(4, r), ptr(sz), mt(mm));
            else
                CASE(x64_load(A, sz, r, mm), "mov %s, %s %s", rn(sz, r), ptr(sz), mt(mm));
            if (sz == 8 && (mm.base != X64_NOREG || mm.index != X64_NOREG))
                CASE(x64_lea(A, sz, r, mm), "lea %s, %s", rn(sz, r), mt(mm));
            if (sz == 4 && mm.base != X64_RIP && mm.base != X64_NOREG)
                CASE(x64_lea(A, sz, r, mm), "lea %s, %s", rn(sz, r), mt(mm));
        }
        for (unsigned i = 0; i < n_some_regs; i++) {
            int r = some_regs[i];
            long long v = imm_for(sz, imms[i % NIMM]);
            /* mov r64 of a value that zero-extends from 32 bits is mov r32. */
            CASE(x64_mov_ri(A, sz, r, v), "mov %s, %lld",
                 rn(sz == 8 && v >= 0 ? 4 : sz, r), v);
        }
    }
    for (unsigned k = 0; k < sizeof mimms / sizeof mimms[0]; k++)
        for (unsigned i = 0; i < n_some_regs; i += 4) {
            int r = some_regs[i];
            int64_t v = mimms[k];
            if ((uint64_t)v <= UINT32_MAX)
                CASE(x64_mov_ri(A, 8, r, v), "mov %s, %lld", rn(4, r), (long long)v);
            else if (v >= INT32_MIN && v <= INT32_MAX)
                CASE(x64_mov_ri(A, 8, r, v), "mov %s, %lld", rn(8, r), (long long)v);
            else
                CASE(x64_mov_ri(A, 8, r, v), "movabs %s, %lld", rn(8, r), (long long)v);
            CASE(x64_movabs(A, r, (uint64_t)v), "movabs %s, %lld", rn(8, r), (long long)v);
        }
    for (unsigned i = 0; i < n_some_regs; i++) {
        int r = some_regs[i], r2 = some_regs[(i + 4) % n_some_regs];
        CASE(x64_zero(A, r), "xor %s, %s", rn(4, r), rn(4, r));
        CASE(x64_movzx(A, 1, r, r2), "movzx %s, %s", rn(4, r), rn(1, r2));
        CASE(x64_movzx(A, 2, r, r2), "movzx %s, %s", rn(4, r), rn(2, r2));
        CASE(x64_movsx(A, 1, 4, r, r2), "movsx %s, %s", rn(4, r), rn(1, r2));
        CASE(x64_movsx(A, 1, 8, r, r2), "movsx %s, %s", rn(8, r), rn(1, r2));
        CASE(x64_movsx(A, 2, 4, r, r2), "movsx %s, %s", rn(4, r), rn(2, r2));
        CASE(x64_movsx(A, 2, 8, r, r2), "movsx %s, %s", rn(8, r), rn(2, r2));
        CASE(x64_movsx(A, 4, 8, r, r2), "movsxd %s, %s", rn(8, r), rn(4, r2));
        for (int s = 0; s < 4; s++) {
            CASE(x64_xchg_rr(A, sizes[s], r, r2), "xchg %s, %s", rn(sizes[s], r),
                 rn(sizes[s], r2));
            CASE(x64_xchg_rr(A, sizes[s], X64_RAX, r), "xchg %s, %s",
                 rn(sizes[s], X64_RAX), rn(sizes[s], r));
        }
    }
    for (unsigned m = 0; m < n_some_mems; m++) {
        x64_mem mm = some_mems[m];
        int r = some_regs[(m + 7) % n_some_regs];
        CASE(x64_loads(A, 1, 4, r, mm), "movsx %s, byte ptr %s", rn(4, r), mt(mm));
        CASE(x64_loads(A, 1, 8, r, mm), "movsx %s, byte ptr %s", rn(8, r), mt(mm));
        CASE(x64_loads(A, 2, 4, r, mm), "movsx %s, word ptr %s", rn(4, r), mt(mm));
        CASE(x64_loads(A, 2, 8, r, mm), "movsx %s, word ptr %s", rn(8, r), mt(mm));
        CASE(x64_loads(A, 4, 8, r, mm), "movsxd %s, dword ptr %s", rn(8, r), mt(mm));
        for (int s = 0; s < 4; s++)
            CASE(x64_xchg_mr(A, sizes[s], mm, r), "xchg %s %s, %s", ptr(sizes[s]),
                 mt(mm), rn(sizes[s], r));
    }
}

static void arith(void)
{
    static const char *const un[8] = { 0, 0, "not", "neg", "mul", "imul", "div", "idiv" };
    static const char *const sh[8] = { "rol", "ror", 0, 0, "shl", "shr", 0, "sar" };
    static const char *const bit[5] = { "bsf", "bsr", "lzcnt", "tzcnt", "popcnt" };
    for (int s = 0; s < 4; s++) {
        x64_sz sz = sizes[s];
        for (unsigned i = 0; i < n_some_regs; i++) {
            int r = some_regs[i], r2 = some_regs[(i + 6) % n_some_regs];
            x64_mem mm = some_mems[i];
            for (int op = 2; op < 8; op++) {
                CASE(x64_unary_r(A, op, sz, r), "%s %s", un[op], rn(sz, r));
                CASE(x64_unary_m(A, op, sz, mm), "%s %s %s", un[op], ptr(sz), mt(mm));
            }
            CASE(x64_inc_r(A, sz, r), "inc %s", rn(sz, r));
            CASE(x64_dec_r(A, sz, r), "dec %s", rn(sz, r));
            CASE(x64_inc_m(A, sz, mm), "inc %s %s", ptr(sz), mt(mm));
            CASE(x64_dec_m(A, sz, mm), "dec %s %s", ptr(sz), mt(mm));
            for (int op = 0; op < 8; op++) {
                if (!sh[op])
                    continue;
                CASE(x64_shift_rcl(A, op, sz, r), "%s %s, cl", sh[op], rn(sz, r));
                CASE(x64_shift_ri(A, op, sz, r, 1), "%s %s, 1", sh[op], rn(sz, r));
                CASE(x64_shift_ri(A, op, sz, r, (uint8_t)(i + 2)), "%s %s, %u", sh[op],
                     rn(sz, r), i + 2);
            }
            if (sz == 1)
                continue;
            CASE(x64_imul_rr(A, sz, r, r2), "imul %s, %s", rn(sz, r), rn(sz, r2));
            CASE(x64_imul_rm(A, sz, r, mm), "imul %s, %s %s", rn(sz, r), ptr(sz), mt(mm));
            CASE(x64_imul_rri(A, sz, r, r2, (int32_t)imm_for(sz, imms[i % NIMM])), "imul %s, %s, %lld",
                 rn(sz, r), rn(sz, r2), imm_for(sz, imms[i % NIMM]));
            for (int op = 0; op < 5; op++) {
                CASE(x64_bitop_rr(A, op, sz, r, r2), "%s %s, %s", bit[op], rn(sz, r),
                     rn(sz, r2));
                CASE(x64_bitop_rm(A, op, sz, r, mm), "%s %s, %s %s", bit[op], rn(sz, r),
                     ptr(sz), mt(mm));
            }
            for (int cc = 0; cc < 16; cc++)
                CASE(x64_cmov_rr(A, cc, sz, r, r2), "cmov%s %s, %s", cc_names[cc],
                     rn(sz, r), rn(sz, r2));
            CASE(x64_cmov_rm(A, i % 16, sz, r, mm), "cmov%s %s, %s %s", cc_names[i % 16],
                 rn(sz, r), ptr(sz), mt(mm));
            if (sz >= 4)
                CASE(x64_bswap(A, sz, r), "bswap %s", rn(sz, r));
        }
        if (sz >= 2)
            CASE(x64_cdq(A, sz), "%s", sz == 2 ? "cwd" : sz == 4 ? "cdq" : "cqo");
    }
    for (int r = 0; r < 16; r++) {
        for (int cc = 0; cc < 16; cc++)
            CASE(x64_setcc(A, cc, r), "set%s %s", cc_names[cc], rn(1, r));
        CASE(x64_setcc_zx(A, r % 16, r), "set%s %s\n\tmovzx %s, %s", cc_names[r % 16],
             rn(1, r), rn(4, r), rn(1, r));
        CASE(x64_push_r(A, r), "push %s", rn(8, r));
        CASE(x64_pop_r(A, r), "pop %s", rn(8, r));
    }
    for (unsigned k = 0; k < NIMM; k++)
        CASE(x64_push_i(A, imms[k]), "push %d", imms[k]);
    for (unsigned m = 0; m < n_some_mems; m++) {
        x64_mem mm = some_mems[m];
        int r = some_regs[(m + 1) % n_some_regs];
        CASE(x64_push_m(A, mm), "push qword ptr %s", mt(mm));
        for (int s = 0; s < 4; s++) {
            x64_sz sz = sizes[s];
            CASE(x64_cmpxchg(A, sz, mm, r, true), "lock cmpxchg %s %s, %s", ptr(sz),
                 mt(mm), rn(sz, r));
            CASE(x64_cmpxchg(A, sz, mm, r, false), "cmpxchg %s %s, %s", ptr(sz), mt(mm),
                 rn(sz, r));
            CASE(x64_xadd(A, sz, mm, r, true), "lock xadd %s %s, %s", ptr(sz), mt(mm),
                 rn(sz, r));
            /* A separate lock byte comes before 66, where as puts it after. */
            CASE((x64_lock(A), x64_alu_mr(A, X64_OR, sz, mm, r)), "%s or %s %s, %s",
                 sz == 2 ? ".byte 0xf0\n\t" : "lock", ptr(sz), mt(mm), rn(sz, r));
        }
        CASE(x64_cmpxchg16b(A, mm, true), "lock cmpxchg16b xmmword ptr %s", mt(mm));
    }
    CASE(x64_rep_movsb(A), "rep movsb");
    CASE(x64_rep_stosb(A), "rep stosb");
    CASE(x64_mfence(A), "mfence");
    CASE(x64_lfence(A), "lfence");
    CASE(x64_sfence(A), "sfence");
    CASE(x64_pause(A), "pause");
    CASE(x64_rdtsc(A), "rdtsc");
    CASE(x64_cpuid(A), "cpuid");
    CASE(x64_ud2(A), "ud2");
    CASE(x64_int3(A), "int3");
    CASE(x64_hlt(A), "hlt");
    CASE(x64_ret(A), "ret");
    for (unsigned n = 1; n <= 40; n++)
        CASE(x64_nop(A, n), "%s", nops_text(n));
}

/* Every register pair for one reg-reg form, and every base, index,
 * scale and displacement class for one load: the whole ModRM/SIB space. */
static void exhaustive(void)
{
    static const int32_t disps[] = { 0, -1, 0x80, -0x12345678 };
    for (int s = 0; s < 4; s++)
        for (int d = 0; d < 16; d++)
            for (int r = 0; r < 16; r++)
                CASE(x64_mov_rr(A, sizes[s], d, r), "mov %s, %s", rn(sizes[s], d),
                     rn(sizes[s], r));
    for (int b = -1; b < 16; b++)
        for (int i = -1; i < 16; i++) {
            if (i == X64_RSP)
                continue;
            for (int sc = 1; sc <= 8; sc *= 2) {
                if (i == X64_NOREG && sc > 1)
                    continue;
                for (unsigned k = 0; k < 4; k++) {
                    x64_mem m = x64_mbi(b, i, sc, disps[k]);
                    int r = (b + i + sc + (int)k) & 15;
                    if (b == X64_NOREG && i == X64_NOREG && disps[k] < 0)
                        continue;   /* as reads ds:[-n] as a 64-bit address */
                    CASE(x64_load(A, 8, r, m), "mov %s, qword ptr %s", rn(8, r), mt(m));
                }
            }
        }
}

/* The named aliases forward to the group helpers. */
static void named(void)
{
    CASE(x64_add_rr(A, 8, X64_R9, X64_RSP), "add r9, rsp");
    CASE(x64_sub_ri(A, 8, X64_RSP, 40), "sub rsp, 40");
    CASE(x64_cmp_rm(A, 8, X64_RSP, x64_mb(X64_R15, 8)), "cmp rsp, qword ptr [r15+8]");
    CASE(x64_xor_mr(A, 4, x64_mb(X64_R13, 0), X64_R12), "xor dword ptr [r13], r12d");
    CASE(x64_and_mi(A, 2, x64_mb(X64_RBX, 2), 0x7ff), "and word ptr [rbx+2], 0x7ff");
    CASE(x64_or_ri(A, 1, X64_RSI, 0x40), "or sil, 0x40");
    CASE(x64_adc_rr(A, 4, X64_RAX, X64_R8), "adc eax, r8d");
    CASE(x64_sbb_rr(A, 8, X64_RDX, X64_RDX), "sbb rdx, rdx");
    CASE(x64_rol_ri(A, 4, X64_RCX, 7), "rol ecx, 7");
    CASE(x64_ror_rcl(A, 8, X64_R11), "ror r11, cl");
    CASE(x64_shl_ri(A, 8, X64_R10, 3), "shl r10, 3");
    CASE(x64_shr_rcl(A, 4, X64_RDI), "shr edi, cl");
    CASE(x64_sar_ri(A, 8, X64_RAX, 63), "sar rax, 63");
    CASE(x64_not_r(A, 4, X64_R14), "not r14d");
    CASE(x64_neg_r(A, 8, X64_RBP), "neg rbp");
    CASE(x64_mul_r(A, 8, X64_RCX), "mul rcx");
    CASE(x64_div_r(A, 4, X64_R9), "div r9d");
    CASE(x64_idiv_r(A, 8, X64_R12), "idiv r12");
}

void cases_int(void)
{
    named();
    exhaustive();
    alu();
    moves();
    arith();
}
