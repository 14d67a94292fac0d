/* exec.c: small functions emitted through the encoder and run on this
 * machine: loops over patched labels, a br_table-style jump table, a
 * constant pool, an absolute slot, division, flags to values, SSE and
 * packed integer arithmetic, atomics. The bytes are checked against `as`
 * elsewhere; this checks that the chosen sequences mean what the compiler
 * will rely on. Code memory is written, then made executable (never both).
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include "../../wasm/x64/xmm.h"

static int failures, *passes;

static void check(bool ok, const char *what)
{
    if (ok) {
        (*passes)++;
    } else {
        printf("EXEC FAILED: %s\n", what);
        failures++;
    }
}

#define CODE_SIZE 65536
static uint8_t *mem;
static x64_asm a;

/* Starts a function at a 16-byte boundary; returns its offset. */
static uint32_t func(void)
{
    x64_align(&a, 16, true);
    return x64_pos(&a);
}

static void *addr(uint32_t off) { return mem + off; }

int checks_exec(int *passed)
{
    passes = passed;
    mem = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        check(false, "mmap");
        return failures;
    }
    x64_init(&a, mem, CODE_SIZE, NULL, NULL);

    /* int64 fact(int64 n): a backward rel8 loop and a forward rel32 exit. */
    uint32_t f_fact = func();
    {
        x64_label loop = { 0 }, done = { 0 };
        x64_mov_ri(&a, 8, X64_RAX, 1);
        x64_bind(&a, &loop);
        x64_test_rr(&a, 8, X64_RDI, X64_RDI);
        x64_jcc(&a, X64_E, &done);
        x64_imul_rr(&a, 8, X64_RAX, X64_RDI);
        x64_dec_r(&a, 8, X64_RDI);
        x64_jmp(&a, &loop);
        x64_bind(&a, &done);
        x64_ret(&a);
    }

    /* int64 table(uint32 i): br_table over 4 targets and a default, with
     * self-relative entries in a table after the code. */
    uint32_t f_table = func();
    {
        x64_label tab = { 0 }, dflt = { 0 }, t[4] = { { 0 } };
        x64_alu_ri(&a, X64_CMP, 4, X64_RDI, 4);
        x64_jcc(&a, X64_AE, &dflt);
        x64_lea(&a, 8, X64_R11, x64_mlabel(&tab));
        x64_lea(&a, 8, X64_R11, x64_mbi(X64_R11, X64_RDI, 4, 0));
        x64_loads(&a, 4, 8, X64_RAX, x64_mb(X64_R11, 0));
        x64_alu_rr(&a, X64_ADD, 8, X64_RAX, X64_R11);
        x64_jmp_r(&a, X64_RAX);
        for (int i = 0; i < 4; i++) {
            x64_bind(&a, &t[i]);
            x64_mov_ri(&a, 8, X64_RAX, 10 * i + 7);
            x64_ret(&a);
        }
        x64_align(&a, 4, false);
        x64_bind(&a, &tab);
        for (int i = 0; i < 4; i++)
            x64_data_selfrel32(&a, &t[i]);
        x64_bind(&a, &dflt);
        x64_mov_ri(&a, 8, X64_RAX, -1);
        x64_ret(&a);
    }

    /* The same with table-relative entries, emitted once all are bound. */
    uint32_t f_table2 = func();
    {
        x64_label tab = { 0 }, dflt = { 0 }, t[3] = { { 0 } };
        x64_alu_ri(&a, X64_CMP, 4, X64_RDI, 3);
        x64_jcc(&a, X64_AE, &dflt);
        x64_lea(&a, 8, X64_R11, x64_mlabel(&tab));
        x64_loads(&a, 4, 8, X64_RAX, x64_mbi(X64_R11, X64_RDI, 4, 0));
        x64_alu_rr(&a, X64_ADD, 8, X64_RAX, X64_R11);
        x64_jmp_r(&a, X64_RAX);
        for (int i = 0; i < 3; i++) {
            x64_bind(&a, &t[i]);
            x64_mov_ri(&a, 8, X64_RAX, 100 + i);
            x64_ret(&a);
        }
        x64_bind(&a, &dflt);
        x64_mov_ri(&a, 8, X64_RAX, -1);
        x64_ret(&a);
        x64_align(&a, 4, false);
        x64_bind(&a, &tab);
        for (int i = 0; i < 3; i++)
            x64_data_rel32(&a, &t[2 - i], &tab);   /* reversed: any order */
    }

    /* float addc(float x): x + 1.5f from a constant pool placed after. */
    uint32_t f_addc = func();
    {
        x64_label c = { 0 };
        x64_addss_m(&a, 0, x64_mlabel(&c));
        x64_ret(&a);
        x64_align(&a, 4, false);
        x64_bind(&a, &c);
        x64_data32(&a, 0x3fc00000);   /* 1.5f */
    }

    /* int64 via_slot(void): jmp [rip+slot], slot = absolute address. */
    uint32_t f_slot = func();
    {
        x64_label slot = { 0 }, target = { 0 };
        x64_jmp_m(&a, x64_mlabel(&slot));
        x64_ud2(&a);
        x64_bind(&a, &target);
        x64_mov_ri(&a, 8, X64_RAX, 42);
        x64_ret(&a);
        x64_align(&a, 8, false);
        x64_bind(&a, &slot);
        x64_data_abs64(&a, &target);
    }

    /* int64 divmod(int64 x, int64 y): x / y * 1000 + x % y (signed). */
    uint32_t f_div = func();
    x64_mov_rr(&a, 8, X64_RAX, X64_RDI);
    x64_cdq(&a, 8);
    x64_unary_r(&a, X64_IDIV, 8, X64_RSI);
    x64_imul_rri(&a, 8, X64_RAX, X64_RAX, 1000);
    x64_alu_rr(&a, X64_ADD, 8, X64_RAX, X64_RDX);
    x64_ret(&a);

    /* int32 lt_max(int32 x, int32 y): (x < y) | max(x, y) << 1, with the
     * flags read by setcc and cmov, and a rel8 skip around nothing. */
    uint32_t f_cmp = func();
    x64_alu_rr(&a, X64_CMP, 4, X64_RDI, X64_RSI);
    x64_setcc_zx(&a, X64_L, X64_RAX);
    uint32_t skip = x64_jcc8_fwd(&a, X64_GE);
    x64_mov_rr(&a, 4, X64_RDI, X64_RSI);
    x64_patch8(&a, skip);
    x64_shift_ri(&a, X64_SHL, 4, X64_RDI, 1);
    x64_alu_rr(&a, X64_OR, 4, X64_RAX, X64_RDI);
    x64_ret(&a);

    /* void vadd(int32 *d, const int32 *s): d[0..3] += s[0..3] (SSE2),
     * then d[4..7] = d[0..3] * s[0..3] (SSE4.1 pmulld, VEX-free). */
    uint32_t f_vadd = func();
    x64_movdqu_m(&a, 0, x64_mb(X64_RDI, 0));
    x64_movdqu_m(&a, 9, x64_mb(X64_RSI, 0));
    x64_paddd(&a, 0, 9);
    x64_movdqu_store(&a, x64_mb(X64_RDI, 0), 0);
    x64_pmulld(&a, 0, 9);
    x64_movdqu_store(&a, x64_mb(X64_RDI, 16), 0);
    x64_ret(&a);

    /* int64 xadd(int64 *p, int64 v): old *p, *p += v; then bit tricks. */
    uint32_t f_xadd = func();
    x64_mov_rr(&a, 8, X64_RAX, X64_RSI);
    x64_xadd(&a, 8, x64_mb(X64_RDI, 0), X64_RAX, true);
    x64_ret(&a);

    /* int32 cvt(double d): (int)trunc(d) + popcnt of its bits' low word. */
    uint32_t f_cvt = func();
    x64_cvttsd2si(&a, 4, X64_RAX, 0);
    x64_movd_rx(&a, 8, X64_RCX, 0);
    x64_movzx(&a, 2, X64_RCX, X64_RCX);
    x64_bitop_rr(&a, X64_POPCNT, 4, X64_RCX, X64_RCX);
    x64_alu_rr(&a, X64_ADD, 4, X64_RAX, X64_RCX);
    x64_ret(&a);

    /* int64 frame(int64 x): a prologue whose frame size is patched later. */
    uint32_t f_frame = func();
    x64_push_r(&a, X64_RBP);
    x64_mov_rr(&a, 8, X64_RBP, X64_RSP);
    uint32_t fs = x64_alu_ri32(&a, X64_SUB, 8, X64_RSP, 0);
    x64_store(&a, 8, x64_mb(X64_RBP, -8), X64_RDI);
    x64_store(&a, 8, x64_mb(X64_RSP, 0), X64_RDI);
    x64_load(&a, 8, X64_RAX, x64_mb(X64_RBP, -8));
    x64_alu_rm(&a, X64_ADD, 8, X64_RAX, x64_mb(X64_RSP, 0));
    x64_mov_rr(&a, 8, X64_RSP, X64_RBP);
    x64_pop_r(&a, X64_RBP);
    x64_ret(&a);
    x64_patch32(&a, fs, 32);

    /* double floor_(double x), and 3-operand AVX when the CPU has it. */
    uint32_t f_floor = func();
    x64_roundsd(&a, 0, 0, X64_ROUND_FLOOR | X64_ROUND_NOEXC);
    x64_ret(&a);
    uint32_t f_vsub = func();   /* double vsub(double x, double y): y - x */
    x64_vsubsd(&a, 0, 1, 0);
    x64_ret(&a);

    check(!x64_failed(&a), "exec: emission");
    x64_relocate(&a, mem, (uint64_t)(uintptr_t)mem);
    if (mprotect(mem, CODE_SIZE, PROT_READ | PROT_EXEC) != 0) {
        check(false, "mprotect");
        return failures;
    }

    int64_t (*fact)(int64_t), (*table)(uint32_t), (*slotf)(void), (*divmod)(int64_t, int64_t);
    int32_t (*cmpf)(int32_t, int32_t), (*cvt)(double);
    float (*addc)(float);
    void (*vadd)(int32_t *, const int32_t *);
    int64_t (*xadd)(int64_t *, int64_t), (*frame)(int64_t);
    void *p;
#define FN(var, off) (p = addr(off), memcpy(&var, &p, sizeof p))
    FN(fact, f_fact);
    FN(table, f_table);
    FN(addc, f_addc);
    FN(slotf, f_slot);
    FN(divmod, f_div);
    FN(cmpf, f_cmp);
    FN(vadd, f_vadd);
    FN(xadd, f_xadd);
    FN(cvt, f_cvt);
    FN(frame, f_frame);

    check(fact(0) == 1 && fact(5) == 120 && fact(20) == 2432902008176640000LL, "exec: loop");
    check(table(0) == 7 && table(1) == 17 && table(3) == 37 && table(4) == -1 &&
              table(0xffffffffu) == -1, "exec: jump table");
    int64_t (*table2)(uint32_t);
    FN(table2, f_table2);
    check(table2(0) == 102 && table2(2) == 100 && table2(3) == -1, "exec: table-relative jump table");
    check(addc(2.0f) == 3.5f, "exec: constant pool");
    check(slotf() == 42, "exec: absolute slot");
    check(divmod(-7, 2) == -3 * 1000 - 1 && divmod(100, 7) == 14 * 1000 + 2, "exec: idiv");
    check(cmpf(1, 2) == (1 | 4) && cmpf(5, 2) == 10 && cmpf(-3, -3) == -6, "exec: setcc, rel8");
    int32_t d[8] = { 1, 2, 3, 4 }, s[4] = { 10, -20, 30, 1 << 20 };
    vadd(d, s);
    check(d[0] == 11 && d[1] == -18 && d[3] == 4 + (1 << 20) && d[4] == 110 &&
              d[5] == 360 && d[7] == (int32_t)((4u + (1u << 20)) << 20), "exec: SSE packed");
    int64_t cell = 40;
    check(xadd(&cell, 2) == 40 && cell == 42, "exec: lock xadd");
    /* 2.75 = 0x4006000000000000: low word 0, popcnt 0. -1.5: 0xbff8..0. */
    check(cvt(2.75) == 2 && cvt(-1.5) == -1, "exec: cvttsd2si");
    check(frame(21) == 42, "exec: patched frame size");
    double (*floor_)(double), (*vsub)(double, double);
    FN(floor_, f_floor);
    FN(vsub, f_vsub);
    check(floor_(-1.5) == -2.0 && floor_(2.75) == 2.0, "exec: roundsd floor");
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx"))
        check(vsub(1.0, 3.5) == 2.5, "exec: VEX vsubsd");

    munmap(mem, CODE_SIZE);
    return failures;
}
