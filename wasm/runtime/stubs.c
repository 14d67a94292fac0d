/* stubs.c: the store's three pieces of glue code, emitted at store
 * creation with the x64 encoder (so the engine needs no assembly file):
 *
 *   entry(code, vmctx, vals, nslots)  System V -> Wasm: saves the
 *       callee-saved registers, records the unwind point in the store,
 *       copies vals to the argument area, calls, copies results back,
 *       returns 0;
 *   landing                          where a trap resumes, with rsp = the
 *       store's unwind_sp and eax = the kind: restores and returns eax;
 *   host trampoline                  Wasm -> a host function: r15 points at
 *       its wasm_hostfunc; calls fn(env, args), keeping xmm12..15 (which
 *       the Wasm ABI preserves and C does not), and traps if fn says so.
 *
 * docs/compiler.md describes the frames.
 */
#include "../core/libc.h"
#include "../host.h"
#include "runtime.h"
#include "../x64/asm.h"
#include "../x64/xmm.h"

enum { RAX = X64_RAX, RCX = X64_RCX, RDX = X64_RDX, RBX = X64_RBX, RSP = X64_RSP,
       RBP = X64_RBP, RSI = X64_RSI, RDI = X64_RDI, R12 = X64_R12, R13 = X64_R13,
       R14 = X64_R14, R15 = X64_R15 };

static void rep_movsq(x64_asm *a)
{
    static const uint8_t b[] = { 0xf3, 0x48, 0xa5 };
    x64_bytes(a, b, sizeof b);
}

bool wasm_stubs_make(struct wasm_store *s)
{
    uint8_t buf[512];
    x64_asm a;
    x64_label landing = { 0, 0 }, dyn = { 0, 0 };
    x64_init(&a, buf, sizeof buf, NULL, NULL);

    /* entry: rdi code, rsi vmctx, rdx vals, rcx nslots */
    uint32_t entry = x64_pos(&a);
    x64_push_r(&a, RBP);
    x64_mov_rr(&a, X64_S64, RBP, RSP);
    x64_push_r(&a, RBX);
    x64_push_r(&a, R12);
    x64_push_r(&a, R13);
    x64_push_r(&a, R14);
    x64_push_r(&a, R15);
    x64_mov_rr(&a, X64_S64, R15, RSI);
    x64_load(&a, X64_S64, RAX, x64_mb(R15, VMCTX_STORE));
    x64_push_m(&a, x64_mb(RAX, STORE_UNWIND_SP));          /* rbp - 48 */
    x64_push_r(&a, RDX);                                    /* rbp - 56 */
    x64_push_r(&a, RCX);                                    /* rbp - 64 */
    x64_store(&a, X64_S64, x64_mb(RAX, STORE_UNWIND_SP), RSP);
    x64_load(&a, X64_S64, R14, x64_mb(R15, VMCTX_MEM0_BASE));
    x64_mov_rr(&a, X64_S64, RBX, RDI);
    x64_lea(&a, X64_S64, RAX, x64_mbi(X64_NOREG, RCX, 8, 15));
    x64_alu_ri(&a, X64_AND, X64_S64, RAX, -16);
    x64_alu_rr(&a, X64_SUB, X64_S64, RSP, RAX);
    x64_mov_rr(&a, X64_S64, RSI, RDX);
    x64_mov_rr(&a, X64_S64, RDI, RSP);
    rep_movsq(&a);
    x64_call_r(&a, RBX);
    x64_mov_rr(&a, X64_S64, RSI, RSP);
    x64_load(&a, X64_S64, RDI, x64_mb(RBP, -56));
    x64_load(&a, X64_S64, RCX, x64_mb(RBP, -64));
    rep_movsq(&a);
    x64_zero(&a, RAX);
    x64_lea(&a, X64_S64, RSP, x64_mb(RBP, -64));
    x64_bind(&a, &landing);
    /* rsp = unwind_sp; r15 = a vmctx (or host record) of this store. */
    x64_alu_ri(&a, X64_ADD, X64_S64, RSP, 16);
    x64_load(&a, X64_S64, RCX, x64_mb(R15, VMCTX_STORE));
    x64_pop_r(&a, RDX);
    x64_store(&a, X64_S64, x64_mb(RCX, STORE_UNWIND_SP), RDX);
    x64_pop_r(&a, R15);
    x64_pop_r(&a, R14);
    x64_pop_r(&a, R13);
    x64_pop_r(&a, R12);
    x64_pop_r(&a, RBX);
    x64_pop_r(&a, RBP);
    x64_ret(&a);

    /* host trampoline: r15 = wasm_hostfunc, args at [rsp + 8] */
    x64_align(&a, 16, true);
    uint32_t tramp = x64_pos(&a);
    x64_push_r(&a, RBP);
    x64_mov_rr(&a, X64_S64, RBP, RSP);
    /* xmm12..15 are callee-saved in the Wasm ABI, not in C: all 128 bits
     * (they may hold a caller's v128 locals). */
    x64_alu_ri(&a, X64_SUB, X64_S64, RSP, 64);
    for (int k = 0; k < 4; k++)
        x64_movdqu_store(&a, x64_mb(RSP, 16 * k), 12 + k);
    x64_load(&a, X64_S64, RDI, x64_mb(R15, HOSTFUNC_ENV));
    x64_lea(&a, X64_S64, RSI, x64_mb(RBP, 16));
    x64_call_m(&a, x64_mb(R15, HOSTFUNC_FN));
    for (int k = 0; k < 4; k++)
        x64_movdqu_m(&a, 12 + k, x64_mb(RSP, 16 * k));
    x64_test_rr(&a, X64_S32, RAX, RAX);
    x64_jcc(&a, X64_NE, &dyn);
    x64_mov_rr(&a, X64_S64, RSP, RBP);
    x64_pop_r(&a, RBP);
    x64_ret(&a);
    x64_bind(&a, &dyn);
    uint32_t ud = x64_pos(&a);
    x64_ud2(&a);
    if (x64_failed(&a))
        return false;

    size_t size = (x64_pos(&a) + 4095) & ~(size_t)4095;
    uint8_t *code = wasm_host_code_alloc(size);
    struct wasm_trap_site *t = wasm_host_alloc(sizeof *t);
    if (!code || !t)
        goto fail;
    memcpy(code, buf, x64_pos(&a));
    *t = (struct wasm_trap_site){ ud, WASM_TRAP_DYNAMIC };
    s->stubs = (struct wasm_code){ .base = code, .size = size, .traps = t, .ntraps = 1, .captraps = 1 };
    if (!wasm_host_code_seal(code, size, &s->stubs))
        goto fail;
    s->entry = (int (*)(void *, void *, uint64_t *, uint64_t))(void *)(code + entry);
    s->landing = code + x64_label_pos(&landing);
    s->host_tramp = code + tramp;
    return true;
fail:
    wasm_host_code_free(code, size);
    wasm_host_free(t, sizeof *t);
    s->stubs = (struct wasm_code){ 0 };
    return false;
}
