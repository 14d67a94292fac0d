/* cases_simd.c: XMM instructions outside xmm.def's regular shapes: stores,
 * GPR<->XMM moves and conversions, lane inserts and extracts, masks,
 * variable blends, broadcasts. */
#include <stdio.h>

#include "harness.h"
#include "../../wasm/x64/xmm.h"

static const int xr[] = { 0, 1, 5, 7, 8, 9, 13, 15 };
#define NXR (sizeof xr / sizeof xr[0])

static void stores(void)
{
    static const struct {
        const char *name;
        void (*fn)(x64_asm *, x64_mem, int);
    } st[] = {
        { "movaps", x64_movaps_store }, { "movapd", x64_movapd_store },
        { "movups", x64_movups_store }, { "movupd", x64_movupd_store },
        { "movdqa", x64_movdqa_store }, { "movdqu", x64_movdqu_store },
        { "movss", x64_movss_store },   { "movsd", x64_movsd_store },
        { "movq", x64_movq_store },     { "movd", x64_movd_store },
        { "vmovdqu", x64_vmovdqu_store }, { "vmovups", x64_vmovups_store },
        { "movlps", x64_movlps_store }, { "movhps", x64_movhps_store },
    };
    for (unsigned s = 0; s < sizeof st / sizeof st[0]; s++)
        for (unsigned m = 0; m < n_some_mems; m++) {
            int x = xr[(m + s) % NXR];
            CASE(st[s].fn(A, some_mems[m], x), "%s %s, %s", st[s].name,
                 mt(some_mems[m]), xn(x));
        }
}

static void gpr_xmm(void)
{
    for (unsigned i = 0; i < n_some_regs; i++) {
        int g = some_regs[i], x = xr[i % NXR];
        x64_mem m = some_mems[i];
        for (x64_sz sz = 4; sz <= 8; sz += 4) {
            const char *mv = sz == 4 ? "movd" : "movq";
            CASE(x64_movd_xr(A, sz, x, g), "%s %s, %s", mv, xn(x), rn(sz, g));
            CASE(x64_movd_rx(A, sz, g, x), "%s %s, %s", mv, rn(sz, g), xn(x));
            CASE(x64_cvtsi2ss(A, sz, x, g), "cvtsi2ss %s, %s", xn(x), rn(sz, g));
            CASE(x64_cvtsi2sd(A, sz, x, g), "cvtsi2sd %s, %s", xn(x), rn(sz, g));
            CASE(x64_cvtsi2ss_m(A, sz, x, m), "cvtsi2ss %s, %s %s", xn(x), ptr(sz), mt(m));
            CASE(x64_cvtsi2sd_m(A, sz, x, m), "cvtsi2sd %s, %s %s", xn(x), ptr(sz), mt(m));
            CASE(x64_cvttss2si(A, sz, g, x), "cvttss2si %s, %s", rn(sz, g), xn(x));
            CASE(x64_cvttsd2si(A, sz, g, x), "cvttsd2si %s, %s", rn(sz, g), xn(x));
            CASE(x64_cvtss2si(A, sz, g, x), "cvtss2si %s, %s", rn(sz, g), xn(x));
            CASE(x64_cvtsd2si(A, sz, g, x), "cvtsd2si %s, %s", rn(sz, g), xn(x));
        }
        CASE(x64_movhlps(A, x, xr[(i + 1) % NXR]), "movhlps %s, %s", xn(x), xn(xr[(i + 1) % NXR]));
        CASE(x64_movlhps(A, x, xr[(i + 3) % NXR]), "movlhps %s, %s", xn(x), xn(xr[(i + 3) % NXR]));
        CASE(x64_movlps_m(A, x, m), "movlps %s, %s", xn(x), mt(m));
        CASE(x64_movhps_m(A, x, m), "movhps %s, %s", xn(x), mt(m));
        CASE(x64_movd_xm(A, x, m), "movd %s, dword ptr %s", xn(x), mt(m));
        uint8_t l = (uint8_t)i;
        CASE(x64_pinsrb(A, x, g, l & 15), "pinsrb %s, %s, %u", xn(x), rn(4, g), l & 15);
        CASE(x64_pinsrw(A, x, g, l & 7), "pinsrw %s, %s, %u", xn(x), rn(4, g), l & 7);
        CASE(x64_pinsrd(A, x, g, l & 3), "pinsrd %s, %s, %u", xn(x), rn(4, g), l & 3);
        CASE(x64_pinsrq(A, x, g, l & 1), "pinsrq %s, %s, %u", xn(x), rn(8, g), l & 1);
        CASE(x64_pinsrb_m(A, x, m, l & 15), "pinsrb %s, byte ptr %s, %u", xn(x), mt(m), l & 15);
        CASE(x64_pinsrw_m(A, x, m, l & 7), "pinsrw %s, word ptr %s, %u", xn(x), mt(m), l & 7);
        CASE(x64_pinsrd_m(A, x, m, l & 3), "pinsrd %s, dword ptr %s, %u", xn(x), mt(m), l & 3);
        CASE(x64_pinsrq_m(A, x, m, l & 1), "pinsrq %s, qword ptr %s, %u", xn(x), mt(m), l & 1);
        CASE(x64_pextrb(A, g, x, l & 15), "pextrb %s, %s, %u", rn(4, g), xn(x), l & 15);
        CASE(x64_pextrw(A, g, x, l & 7), "pextrw %s, %s, %u", rn(4, g), xn(x), l & 7);
        CASE(x64_pextrd(A, g, x, l & 3), "pextrd %s, %s, %u", rn(4, g), xn(x), l & 3);
        CASE(x64_pextrq(A, g, x, l & 1), "pextrq %s, %s, %u", rn(8, g), xn(x), l & 1);
        CASE(x64_pextrb_m(A, m, x, l & 15), "pextrb byte ptr %s, %s, %u", mt(m), xn(x), l & 15);
        CASE(x64_pextrw_m(A, m, x, l & 7), "pextrw word ptr %s, %s, %u", mt(m), xn(x), l & 7);
        CASE(x64_pextrd_m(A, m, x, l & 3), "pextrd dword ptr %s, %s, %u", mt(m), xn(x), l & 3);
        CASE(x64_pextrq_m(A, m, x, l & 1), "pextrq qword ptr %s, %s, %u", mt(m), xn(x), l & 1);
        CASE(x64_extractps(A, g, x, l & 3), "extractps %s, %s, %u", rn(4, g), xn(x), l & 3);
        CASE(x64_pmovmskb(A, g, x), "pmovmskb %s, %s", rn(4, g), xn(x));
        CASE(x64_movmskps(A, g, x), "movmskps %s, %s", rn(4, g), xn(x));
        CASE(x64_movmskpd(A, g, x), "movmskpd %s, %s", rn(4, g), xn(x));
    }
}

static void blends(void)
{
    for (unsigned i = 0; i < NXR; i++) {
        int d = xr[i], s = xr[(i + 3) % NXR], t = xr[(i + 5) % NXR], k = xr[(i + 1) % NXR];
        CASE(x64_pblendvb(A, d, s), "pblendvb %s, %s, xmm0", xn(d), xn(s));
        CASE(x64_blendvps(A, d, s), "blendvps %s, %s, xmm0", xn(d), xn(s));
        CASE(x64_blendvpd(A, d, s), "blendvpd %s, %s, xmm0", xn(d), xn(s));
        CASE(x64_vpblendvb(A, d, s, t, k), "vpblendvb %s, %s, %s, %s", xn(d), xn(s),
             xn(t), xn(k));
        CASE(x64_vpbroadcastb(A, d, s), "vpbroadcastb %s, %s", xn(d), xn(s));
        CASE(x64_vpbroadcastw(A, d, s), "vpbroadcastw %s, %s", xn(d), xn(s));
        CASE(x64_vpbroadcastd(A, d, s), "vpbroadcastd %s, %s", xn(d), xn(s));
        CASE(x64_vpbroadcastq(A, d, s), "vpbroadcastq %s, %s", xn(d), xn(s));
        CASE(x64_vpbroadcastb_m(A, d, some_mems[i + 1]), "vpbroadcastb %s, byte ptr %s",
             xn(d), mt(some_mems[i + 1]));
        CASE(x64_vpbroadcastw_m(A, d, some_mems[i + 2]), "vpbroadcastw %s, word ptr %s",
             xn(d), mt(some_mems[i + 2]));
        CASE(x64_vpbroadcastd_m(A, d, some_mems[i + 3]), "vpbroadcastd %s, dword ptr %s",
             xn(d), mt(some_mems[i + 3]));
        CASE(x64_vpbroadcastq_m(A, d, some_mems[i + 4]), "vpbroadcastq %s, qword ptr %s",
             xn(d), mt(some_mems[i + 4]));
        CASE(x64_vbroadcastss_m(A, d, some_mems[i]), "vbroadcastss %s, dword ptr %s",
             xn(d), mt(some_mems[i]));
        /* The generic helpers with YMM (VEX.L) and VEX.W. */
        CASE(x64_vex_rr(A, x64_op_paddd, true, d, s, t), "vpaddd ymm%d, ymm%d, ymm%d",
             d, s, t);
        CASE(x64_vex_rm(A, x64_op_paddd, true, d, s, some_mems[i + 10]),
             "vpaddd ymm%d, ymm%d, %s", d, s, mt(some_mems[i + 10]));
        CASE(x64_vex_rri(A, X64_XOP(1, 3, 0x16) | X64_XOP_W, false, s, 0, d, 1),
             "vpextrq %s, %s, 1", rn(8, d), xn(s));
    }
    CASE(x64_vzeroupper(A), "vzeroupper");
}

void cases_simd(void)
{
    stores();
    gpr_xmm();
    blends();
}
