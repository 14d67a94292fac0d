/* cases_sse.c: every row of wasm/x64/xmm.def, through its named helpers,
 * legacy and VEX, on register pairs that exercise REX/VEX.R/B and on
 * memory operands of every shape. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "../../wasm/x64/xmm.h"

static const int xpairs[][3] = {
    { 0, 1, 2 }, { 1, 0, 7 }, { 7, 8, 9 }, { 8, 7, 0 },
    { 9, 15, 3 }, { 15, 9, 12 }, { 3, 3, 3 }, { 12, 13, 14 },
};
#define NPAIRS (sizeof xpairs / sizeof xpairs[0])
#define MEMS_PER_ROW 5

static unsigned mem_k;   /* rotates through some_mems across rows */

/* The assembler's mnemonic for a row name (movq_x is movq). */
static const char *mn(const char *name)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "%s", name);
    char *u = strchr(buf, '_');
    if (u)
        *u = 0;
    return buf;
}

/* Reg-reg forms, except for memory-only rows. */
static bool has_rr(const char *name) { return strcmp(name, "lddqu") != 0; }

#define TV_VN(n)
#define TV_V3(n)                                                            \
    for (unsigned i = 0; i < NPAIRS; i++) {                                 \
        const int *p = xpairs[i];                                           \
        if (has_rr(#n))                                                     \
            CASE(x64_v##n(A, p[0], p[1], p[2]), "v%s %s, %s, %s", mn(#n),   \
                 xn(p[0]), xn(p[1]), xn(p[2]));                             \
        x64_mem m = some_mems[(mem_k + i) % n_some_mems];                   \
        CASE(x64_v##n##_m(A, p[0], p[1], m), "v%s %s, %s, %s", mn(#n),      \
             xn(p[0]), xn(p[1]), mt(m));                                    \
    }
#define TV_V2(n)                                                            \
    for (unsigned i = 0; i < NPAIRS; i++) {                                 \
        const int *p = xpairs[i];                                           \
        if (has_rr(#n))                                                     \
            CASE(x64_v##n(A, p[0], p[1]), "v%s %s, %s", mn(#n),             \
                 xn(p[0]), xn(p[1]));                                       \
        x64_mem m = some_mems[(mem_k + i) % n_some_mems];                   \
        CASE(x64_v##n##_m(A, p[0], m), "v%s %s, %s", mn(#n), xn(p[0]), mt(m)); \
    }
#define TVI_VN(n)
#define TVI_V3(n)                                                           \
    for (unsigned i = 0; i < NPAIRS; i++) {                                 \
        const int *p = xpairs[i];                                           \
        CASE(x64_v##n(A, p[0], p[1], p[2], (uint8_t)(i * 37)),              \
             "v%s %s, %s, %s, %u", mn(#n), xn(p[0]), xn(p[1]), xn(p[2]),    \
             (i * 37) & 255);                                               \
        x64_mem m = some_mems[(mem_k + i) % n_some_mems];                   \
        CASE(x64_v##n##_m(A, p[0], p[1], m, 5), "v%s %s, %s, %s, 5", mn(#n), \
             xn(p[0]), xn(p[1]), mt(m));                                    \
    }
#define TVI_V2(n)                                                           \
    for (unsigned i = 0; i < NPAIRS; i++) {                                 \
        const int *p = xpairs[i];                                           \
        CASE(x64_v##n(A, p[0], p[1], (uint8_t)(i * 37)), "v%s %s, %s, %u",  \
             mn(#n), xn(p[0]), xn(p[1]), (i * 37) & 255);                   \
        x64_mem m = some_mems[(mem_k + i) % n_some_mems];                   \
        CASE(x64_v##n##_m(A, p[0], m, 5), "v%s %s, %s, 5", mn(#n), xn(p[0]), mt(m)); \
    }

#define X64_XMM(n, pp, map, opc, vex)                                       \
    static void t_##n(void)                                                 \
    {                                                                       \
        for (unsigned i = 0; i < NPAIRS && has_rr(#n); i++)                 \
            CASE(x64_##n(A, xpairs[i][0], xpairs[i][1]), "%s %s, %s",       \
                 mn(#n), xn(xpairs[i][0]), xn(xpairs[i][1]));               \
        for (unsigned k = 0; k < MEMS_PER_ROW; k++) {                       \
            x64_mem m = some_mems[(mem_k + k) % n_some_mems];               \
            int r = xpairs[k % NPAIRS][0];                                  \
            CASE(x64_##n##_m(A, r, m), "%s %s, %s", mn(#n), xn(r), mt(m));  \
        }                                                                   \
        TV_##vex(n)                                                         \
        mem_k += MEMS_PER_ROW;                                              \
    }
#define X64_XMMI(n, pp, map, opc, vex)                                      \
    static void t_##n(void)                                                 \
    {                                                                       \
        for (unsigned i = 0; i < NPAIRS; i++)                               \
            CASE(x64_##n(A, xpairs[i][0], xpairs[i][1], (uint8_t)(i * 37)), \
                 "%s %s, %s, %u", mn(#n), xn(xpairs[i][0]),                 \
                 xn(xpairs[i][1]), (i * 37) & 255);                         \
        for (unsigned k = 0; k < MEMS_PER_ROW; k++) {                       \
            x64_mem m = some_mems[(mem_k + k) % n_some_mems];               \
            int r = xpairs[k % NPAIRS][0];                                  \
            CASE(x64_##n##_m(A, r, m, 1), "%s %s, %s, 1", mn(#n), xn(r), mt(m)); \
        }                                                                   \
        TVI_##vex(n)                                                        \
        mem_k += MEMS_PER_ROW;                                              \
    }
#define X64_XSHIFT(n, opc, digit)                                           \
    static void t_##n##_i(void)                                             \
    {                                                                       \
        for (unsigned i = 0; i < NPAIRS; i++) {                             \
            const int *p = xpairs[i];                                       \
            CASE(x64_##n##_i(A, p[0], (uint8_t)(i * 5)), "%s %s, %u", #n,   \
                 xn(p[0]), i * 5);                                          \
            CASE(x64_v##n##_i(A, p[0], p[1], (uint8_t)(i * 5)),             \
                 "v%s %s, %s, %u", #n, xn(p[0]), xn(p[1]), i * 5);          \
        }                                                                   \
    }
#include "../../wasm/x64/xmm.def"

static void (*const rows[])(void) = {
#define X64_XMM(n, pp, map, opc, vex) t_##n,
#define X64_XMMI(n, pp, map, opc, vex) t_##n,
#define X64_XSHIFT(n, opc, digit) t_##n##_i,
#include "../../wasm/x64/xmm.def"
};

/* Every XMM pair, legacy and VEX (with vvvv over all registers too). */
static void exhaustive(void)
{
    for (int d = 0; d < 16; d++)
        for (int s = 0; s < 16; s++) {
            int t = (d + s) & 15;
            CASE(x64_pmulld(A, d, s), "pmulld %s, %s", xn(d), xn(s));
            CASE(x64_vpaddd(A, d, t, s), "vpaddd %s, %s, %s", xn(d), xn(t), xn(s));
            CASE(x64_vmovaps(A, d, s), "vmovaps %s, %s", xn(d), xn(s));
        }
}

void cases_sse(void)
{
    exhaustive();
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++)
        rows[i]();
}
