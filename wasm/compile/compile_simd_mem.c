/* compile_simd_mem.c: the v128 memory instructions (loads, stores, lane
 * loads and stores, extending, splatting and zero-filling loads) and
 * v128.const.
 *
 * Accesses follow compile_mem.c: one instruction on [r14 + index +
 * offset] with a trap-table entry, no bounds check: the reservation
 * (WASM_MEM_RESERVE) leaves room past any 32-bit index and offset for a
 * 16-byte access. SSE4.1 forms read exactly the bytes Wasm reads
 * (pmovsx/pmovzx m64, pinsr m8..m64, pextr m8..m64), so a partial
 * access at the end of memory traps exactly when Wasm's does.
 */
#include "compile.h"
#include "../core/libc.h"
#include "../x64/xmm.h"

/* v128.load8x8_s .. load32x2_u (codes 1..6): one pmovsx/pmovzx. */
static const x64_xop extend[6] = {
    x64_op_pmovsxbw, x64_op_pmovzxbw, x64_op_pmovsxwd,
    x64_op_pmovzxwd, x64_op_pmovsxdq, x64_op_pmovzxdq,
};

/* Loads whose result is a new v128 (kind MEM, codes 0..10, 0x5c, 0x5d). */
static bool load(struct cc *c, const struct wasm_opinfo *oi, uint32_t offset)
{
    x64_asm *a = &c->a;
    x64_mem m = cc_address(c, 0, offset);
    int x = cc_xalloc(c);
    cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
    switch (oi->code) {
    case 0x00: x64_movdqu_m(a, x, m); break;
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06:
        x64_sse_rm(a, extend[oi->code - 1], x, m);
        break;
    case 0x07:                                  /* load8_splat */
        x64_pinsrb_m(a, x, m, 0);
        x64_pxor(a, 0, 0);
        x64_pshufb(a, x, 0);                    /* byte 0 everywhere */
        break;
    case 0x08:                                  /* load16_splat */
        x64_pinsrw_m(a, x, m, 0);
        x64_pshuflw(a, x, x, 0);
        x64_pshufd(a, x, x, 0);
        break;
    case 0x09:                                  /* load32_splat */
        x64_movd_xm(a, x, m);
        x64_pshufd(a, x, x, 0);
        break;
    case 0x0a: x64_movddup_m(a, x, m); break;   /* load64_splat */
    case 0x5c: x64_movd_xm(a, x, m); break;     /* load32_zero */
    case 0x5d: x64_movq_x_m(a, x, m); break;    /* load64_zero */
    default:
        return cc_fail(c, "not a v128 load");
    }
    return cc_xresult(c, 1, WASM_V128, x);
}

/* v128.store: address below, value on top. */
static bool store(struct cc *c, uint32_t offset)
{
    int xv = cc_vsrc(c, 0, 0);
    x64_mem m = cc_address(c, 1, offset);       /* GPRs and r11 only */
    cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
    x64_movdqu_store(&c->a, m, xv);
    cc_drop(c, 2);
    return true;
}

/* load8..64_lane (0x54..0x57) and store8..64_lane (0x58..0x5b): oi->arg
 * is log2 of the lane's bytes. */
static bool lane(struct cc *c, const struct wasm_opinfo *oi, uint32_t offset, uint8_t l)
{
    x64_asm *a = &c->a;
    if (oi->push) {
        int x = cc_in_xmm(c, 0);
        x64_mem m = cc_address(c, 1, offset);
        cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
        switch (oi->arg) {
        case 0: x64_pinsrb_m(a, x, m, l); break;
        case 1: x64_pinsrw_m(a, x, m, l); break;
        case 2: x64_pinsrd_m(a, x, m, l); break;
        default: x64_pinsrq_m(a, x, m, l); break;
        }
        return cc_xresult(c, 2, WASM_V128, x);
    }
    int xv = cc_vsrc(c, 0, 0);
    x64_mem m = cc_address(c, 1, offset);
    cc_trap_site(c, WASM_TRAP_MEMORY_OOB);
    switch (oi->arg) {
    case 0: x64_pextrb_m(a, m, xv, l); break;
    case 1: x64_pextrw_m(a, m, xv, l); break;
    case 2: x64_pextrd_m(a, m, xv, l); break;
    default: x64_pextrq_m(a, m, xv, l); break;
    }
    cc_drop(c, 2);
    return true;
}

bool cc_simd_mem(struct cc *c, const struct wasm_opinfo *oi)
{
    if (oi->kind == WASM_K_V128_CONST) {
        uint64_t lo, hi;
        memcpy(&lo, c->p, 8);
        memcpy(&hi, c->p + 8, 8);
        c->p += 16;
        int x = cc_xalloc(c);
        cc_vconst(c, x, lo, hi);
        return cc_xresult(c, 0, WASM_V128, x);
    }
    cc_u32(c);                                  /* alignment: a hint */
    uint32_t offset = cc_u32(c);
    if (oi->kind == WASM_K_MEM_LANE)
        return lane(c, oi, offset, *c->p++);
    if (oi->kind != WASM_K_MEM)
        return cc_fail(c, "not a v128 memory instruction");
    return oi->push ? load(c, oi, offset) : store(c, offset);
}
