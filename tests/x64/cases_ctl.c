/* cases_ctl.c: labels, jumps, calls and data for the encoder self check.
 * The assembler resolves the same labels, so rel8/rel32 choices and every
 * patched displacement are compared byte for byte. */
#include <stdio.h>

#include "harness.h"
#include "../../wasm/x64/xmm.h"

/* Binds labels[i] and records it as an empty case that places the same
 * label in the assembler text. */
static void bind(int i)
{
    CASE(x64_bind(A, &labels[i]), "%s:", ln(&labels[i]));
}

static void jumps(void)
{
    x64_label *back = &labels[0], *far = &labels[1], *fwd = &labels[2];
    bind(0);
    CASE(x64_jmp(A, back), "jmp %s", ln(back));
    for (int cc = 0; cc < 16; cc++)
        CASE(x64_jcc(A, cc, back), "j%s %s", cc_names[cc], ln(back));
    CASE(x64_call(A, back), "call %s", ln(back));
    CASE(x64_jmp_to(A, x64_label_pos(back)), "jmp %s", ln(back));
    CASE(x64_call_to(A, x64_label_pos(back)), "call %s", ln(back));
    /* Just inside and just outside rel8 reach. */
    bind(1);
    CASE(x64_nop(A, 124), "%s", nops_text(124));
    CASE(x64_jmp(A, far), "jmp %s", ln(far));
    CASE(x64_jcc(A, X64_E, far), "je %s", ln(far));
    CASE(x64_nop(A, 200), "%s", nops_text(200));
    CASE(x64_jmp(A, far), "jmp %s", ln(far));
    for (int cc = 0; cc < 16; cc++)
        CASE(x64_jcc(A, cc, far), "j%s %s", cc_names[cc], ln(far));

    /* A chain of forward uses of every kind, bound at once. */
    CASE(x64_jmp(A, fwd), "{disp32} jmp %s", ln(fwd));
    for (int cc = 0; cc < 16; cc++)
        CASE(x64_jcc(A, cc, fwd), "{disp32} j%s %s", cc_names[cc], ln(fwd));
    CASE(x64_call(A, fwd), "call %s", ln(fwd));
    CASE(x64_lea(A, 8, X64_R11, x64_mlabel(fwd)), "lea r11, [rip+%s]", ln(fwd));
    CASE(x64_alu_mi(A, X64_CMP, 4, x64_mlabel(fwd), 1000), "cmp dword ptr [rip+%s], 1000",
         ln(fwd));
    CASE(x64_alu_mi(A, X64_CMP, 1, x64_mlabel(fwd), 5), "cmp byte ptr [rip+%s], 5", ln(fwd));
    CASE(x64_store_i(A, 2, x64_mlabel(fwd), 0x1234), "mov word ptr [rip+%s], 0x1234", ln(fwd));
    CASE(x64_store_i(A, 8, x64_mlabel(fwd), -2), "mov qword ptr [rip+%s], -2", ln(fwd));
    CASE(x64_jmp_m(A, x64_mlabel(fwd)), "jmp qword ptr [rip+%s]", ln(fwd));
    CASE(x64_data_selfrel32(A, fwd), ".long %s - .", ln(fwd));
    CASE(x64_sse_rmi(A, X64_XOP(1, 3, 0x0B), 9, x64_mlabel(fwd), 4),
         "roundsd xmm9, [rip+%s], 4", ln(fwd));
    CASE(x64_vex_rmi(A, X64_XOP(1, 1, 0x70), false, 12, 0, x64_mlabel(fwd), 0x1b),
         "vpshufd xmm12, [rip+%s], 0x1b", ln(fwd));
    CASE(x64_vex_rm(A, X64_XOP(1, 1, 0xFE), true, 3, 14, x64_mlabel(fwd)),
         "vpaddd ymm3, ymm14, [rip+%s]", ln(fwd));
    CASE(x64_nop(A, 3), "%s", nops_text(3));
    bind(2);
    /* The same uses, backwards. */
    CASE(x64_lea(A, 8, X64_RAX, x64_mlabel(fwd)), "lea rax, [rip+%s]", ln(fwd));
    CASE(x64_alu_mi(A, X64_CMP, 4, x64_mlabel(fwd), 1000), "cmp dword ptr [rip+%s], 1000",
         ln(fwd));
    CASE(x64_store_i(A, 2, x64_mlabel(fwd), 0x1234), "mov word ptr [rip+%s], 0x1234", ln(fwd));
    CASE(x64_data_selfrel32(A, fwd), ".long %s - .", ln(fwd));
    CASE(x64_vex_rmi(A, X64_XOP(1, 1, 0x70), false, 12, 0, x64_mlabel(fwd), 0x1b),
         "vpshufd xmm12, [rip+%s], 0x1b", ln(fwd));

    /* Short forward skips. */
    x64_label *s1 = &labels[3], *s2 = &labels[4];
    uint32_t h1, h2;
    CASE(h1 = x64_jcc8_fwd(A, X64_P), "jp %s", ln(s1));
    CASE(h2 = x64_jmp8_fwd(A), "jmp %s", ln(s2));
    CASE(x64_nop(A, 100), "%s", nops_text(100));
    CASE(x64_patch8(A, h1), "%s:", ln(s1));
    CASE(x64_nop(A, 20), "%s", nops_text(20));
    CASE(x64_patch8(A, h2), "%s:", ln(s2));

    CASE(x64_call_rel32(A, 0x100), "call .+0x105");
    CASE(x64_call_rel32(A, -5), "call .");
    for (int r = 0; r < 16; r++) {
        CASE(x64_jmp_r(A, r), "jmp %s", rn(8, r));
        CASE(x64_call_r(A, r), "call %s", rn(8, r));
    }
    for (unsigned m = 0; m < n_some_mems; m++) {
        CASE(x64_jmp_m(A, some_mems[m]), "jmp qword ptr %s", mt(some_mems[m]));
        CASE(x64_call_m(A, some_mems[m]), "call qword ptr %s", mt(some_mems[m]));
    }
}

static void data(void)
{
    /* A constant pool after the code, used before and after it is bound. */
    x64_label *c32 = &labels[5], *c64 = &labels[6], *tab = &labels[7];
    CASE(x64_alu_rm(A, X64_ADD, 4, X64_RAX, x64_mlabel(c32)), "add eax, dword ptr [rip+%s]",
         ln(c32));
    CASE(x64_load(A, 8, X64_R9, x64_mlabel(c64)), "mov r9, qword ptr [rip+%s]", ln(c64));
    CASE(x64_lea(A, 8, X64_R11, x64_mlabel(tab)), "lea r11, [rip+%s]", ln(tab));
    CASE(x64_align(A, 4, true), ".balign 4");
    CASE(x64_align(A, 16, false), ".balign 16, 0");
    bind(5);
    CASE(x64_data32(A, 0x3f800000), ".long 0x3f800000");
    CASE(x64_align(A, 8, false), ".balign 8, 0");
    bind(6);
    CASE(x64_data64(A, 0x400921fb54442d18ULL), ".quad 0x400921fb54442d18");
    CASE(x64_data8(A, 0xab), ".byte 0xab");
    CASE(x64_data16(A, 0xbeef), ".short 0xbeef");
    CASE(x64_data128(A, 1, 0x8000000000000000ULL), ".quad 1, 0x8000000000000000");
    CASE(x64_bytes(A, "0123456789abcdefghijklmnopqrstuvwxyz", 36),
         ".ascii \"0123456789abcdefghijklmnopqrstuvwxyz\"");
    CASE(x64_align(A, 4, false), ".balign 4, 0");
    bind(7);
    CASE(x64_data_selfrel32(A, &labels[0]), ".long %s - .", ln(&labels[0]));
    CASE(x64_data_selfrel32(A, &labels[8]), ".long %s - .", ln(&labels[8]));
    CASE(x64_data_selfrel32(A, &labels[8]), ".long %s - .", ln(&labels[8]));
    CASE(x64_data_rel32(A, &labels[0], tab), ".long %s - %s", ln(&labels[0]), ln(tab));
    CASE(x64_data_rel32(A, &labels[2], tab), ".long %s - %s", ln(&labels[2]), ln(tab));
    CASE(x64_alu_rm(A, X64_SUB, 4, X64_RAX, x64_mlabel(c32)), "sub eax, dword ptr [rip+%s]",
         ln(c32));
    bind(8);
    /* as pads .balign in code with 11-byte nops; x64_align uses x64_nop's. */
    for (unsigned k = 1; k < 20; k++) {
        unsigned n = (0u - (x64_pos(A) + k)) & 15;
        CASE((x64_nop(A, k), x64_align(A, 16, true)), "%s%s%s", nops_text(k),
             n ? "\n\t" : "", n ? nops_text(n) : "");
    }
}

void cases_ctl(void)
{
    jumps();
    data();
}
