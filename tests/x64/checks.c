/* checks.c: encoder behaviour the assembler cannot show: fixed buffers
 * that fill up, buffers that grow, absolute slots and their relocation,
 * short jumps out of range. Each check counts as one case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int failures, *passes;

static void check(bool ok, const char *what)
{
    if (ok) {
        (*passes)++;
    } else {
        printf("CHECK FAILED: %s\n", what);
        failures++;
    }
}

/* A function's worth of code with labels used before and after binding,
 * a constant pool and absolute slots; the same whatever the buffer. */
static uint32_t out_pos;
static void sample(x64_asm *a)
{
    x64_label top = { 0 }, out = { 0 }, pool = { 0 };
    x64_bind(a, &top);
    for (int i = 0; i < 40; i++) {
        x64_alu_ri(a, X64_ADD, X64_S64, i & 15, i * 1000);
        x64_jcc(a, (x64_cc)(i & 15), &out);
        x64_load(a, X64_S64, X64_RAX, x64_mlabel(&pool));
        x64_jcc(a, X64_NE, &top);
    }
    x64_bind(a, &out);
    out_pos = x64_pos(a);
    x64_ret(a);
    x64_align(a, 8, false);
    x64_bind(a, &pool);
    x64_data64(a, 0x0123456789abcdefULL);
    x64_data_abs64(a, &top);
    x64_data_abs64(a, &out);
}

static int32_t get_rel32(const uint8_t *p)
{
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void *grow(void *ctx, void *old, size_t used, size_t *cap)
{
    int *calls = ctx;
    (*calls)++;
    (void)used;
    size_t n = *cap ? *cap * 2 : 16;
    void *p = realloc(old, n);
    if (p)
        *cap = n;
    return p;
}

int checks_runtime(int *passed)
{
    passes = passed;
    static uint8_t ref[1 << 16];
    x64_asm r;
    x64_init(&r, ref, sizeof ref, NULL, NULL);
    sample(&r);
    check(!x64_failed(&r), "sample fits a large buffer");
    uint32_t size = x64_pos(&r);

    /* A fixed buffer too small by various amounts: never written past its
     * end, the error is sticky, and pos still tells the size needed. */
    for (uint32_t cap = 0; cap < size + 40; cap += 7) {
        uint8_t *buf = malloc(cap + 64);
        memset(buf, 0xA5, cap + 64);
        x64_asm a;
        x64_init(&a, buf, cap, NULL, NULL);
        sample(&a);
        bool canary = true;
        for (uint32_t i = cap; i < cap + 64; i++)
            canary &= buf[i] == 0xA5;
        char what[96];
        snprintf(what, sizeof what, "fixed buffer of %u: no write past the end", cap);
        check(canary, what);
        /* Each emission wants X64_MAX_INSN bytes of room, so a buffer
         * just large enough may still be refused. */
        snprintf(what, sizeof what, "fixed buffer of %u: complete or refused", cap);
        check(x64_failed(&a) ? x64_failed(&a) == X64_ERR_SPACE && cap < size + X64_MAX_INSN
                             : cap >= size && memcmp(buf, ref, size) == 0, what);
        snprintf(what, sizeof what, "fixed buffer of %u: pos is the size needed", cap);
        check(x64_pos(&a) == size, what);
        free(buf);
    }

    /* A growing buffer gives the same bytes; a refused growth is an error. */
    int calls = 0;
    x64_asm g;
    x64_init(&g, NULL, 0, grow, &calls);
    sample(&g);
    check(!x64_failed(&g) && x64_pos(&g) == size && memcmp(g.buf, ref, size) == 0,
          "grown buffer holds the same code");
    check(calls >= 5, "grow callback called as the buffer fills");
    free(g.buf);

    /* Relocation: slots hold base + label offset, in the buffer or a copy. */
    uint8_t *copy = malloc(size);
    memcpy(copy, ref, size);
    x64_relocate(&r, copy, 0xffffffff80100000ULL);
    uint64_t top, out;
    memcpy(&top, copy + size - 16, 8);
    memcpy(&out, copy + size - 8, 8);
    uint64_t ret_off = out_pos;
    check(top == 0xffffffff80100000ULL, "abs64 slot of a label bound before");
    check(out == 0xffffffff80100000ULL + ret_off, "abs64 slot of a label bound after");
    uint64_t c;
    memcpy(&c, copy + size - 24, 8);
    check(c == 0x0123456789abcdefULL, "constant pool entry");
    free(copy);

    /* rel8 skips: in range patched, out of range reported. */
    uint8_t small[512];
    x64_asm s;
    x64_init(&s, small, sizeof small, NULL, NULL);
    uint32_t h = x64_jcc8_fwd(&s, X64_E);
    x64_nop(&s, 127);
    x64_patch8(&s, h);
    check(!x64_failed(&s) && small[1] == 127, "rel8 of 127 patched");
    h = x64_jmp8_fwd(&s);
    x64_nop(&s, 128);
    x64_patch8(&s, h);
    check(x64_failed(&s) == X64_ERR_RANGE, "rel8 of 128 refused");

    /* Dropping a jmp to the next instruction keeps the rest of the chain. */
    x64_init(&s, small, sizeof small, NULL, NULL);
    x64_label nx = { 0 }, other = { 0 };
    x64_jcc(&s, X64_E, &nx);
    x64_jmp(&s, &other);
    x64_call(&s, &nx);
    uint32_t before = x64_pos(&s);
    x64_jmp(&s, &nx);
    bool dropped = x64_drop_jmp(&s, &nx);
    check(dropped && x64_pos(&s) == before, "drop_jmp removes a trailing jmp");
    check(!x64_drop_jmp(&s, &nx), "drop_jmp leaves a call");
    check(!x64_drop_jmp(&s, &other), "drop_jmp leaves a jmp that is not last");
    x64_bind(&s, &nx);
    x64_bind(&s, &other);
    check(!x64_failed(&s) && get_rel32(small + 2) == (int32_t)(before - 6) &&
              get_rel32(small + 12) == 0 && get_rel32(small + 7) == (int32_t)(before - 11),
          "drop_jmp: the remaining uses are patched");

    /* A table-relative entry needs both labels bound. */
    x64_init(&s, small, sizeof small, NULL, NULL);
    x64_label unb = { 0 }, anc = { 0 };
    x64_bind(&s, &anc);
    x64_data_rel32(&s, &unb, &anc);
    check(x64_failed(&s) == X64_ERR_LABEL, "data_rel32 of an unbound label refused");

    /* Register sets. */
    x64_regset set = X64_BIT(X64_R12) | X64_BIT(X64_RSI);
    check(x64_regset_first(set) == X64_RSI && x64_regset_count(set) == 2, "regset helpers");
    check(x64_regset_count(X64_SYSV_CALLER_SAVED | X64_SYSV_CALLEE_SAVED) == 15,
          "SysV sets cover every GPR but rsp");
    check(x64_cc_not(X64_L) == X64_GE && x64_cc_not(X64_A) == X64_BE, "cc inversion");
    return failures;
}
