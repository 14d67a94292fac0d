/* test_engine.c: host unit tests of the engine's decoder and validator.
 *
 *   test-engine [REGRESSION.wasm...]
 *
 * Hand-assembled modules pin what the spec suite does not show: the side
 * table the compiler reads, stack and depth maxima, local runs, names,
 * error positions. Each file argument is a past fuzzer crash
 * (tests/fuzz/regressions/, named after the bug): decoding it must simply
 * return. Built with AddressSanitizer and UBSan. Ends with the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../wasm/core/module.h"
#include "../../wasm/core/opcodes.h"

static unsigned passed, failed;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("  FAIL %s:%d: %s\n", file, line, what);
}

/* A module: header, type () -> (), one function of that type whose body
 * (locals included) is `body`, optional extra sections before the code. */
static size_t build(uint8_t *out, const uint8_t *types, size_t ntypes,
                    const uint8_t *mid, size_t nmid,
                    const uint8_t *body, size_t nbody)
{
    size_t n = 0;
    static const uint8_t head[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
    memcpy(out, head, 8);
    n = 8;
    out[n++] = 1;                       /* type section */
    out[n++] = (uint8_t)ntypes;
    memcpy(out + n, types, ntypes);
    n += ntypes;
    static const uint8_t funcs[] = { 3, 2, 1, 0 };
    memcpy(out + n, funcs, 4);
    n += 4;
    if (nmid)
        memcpy(out + n, mid, nmid);
    n += nmid;
    out[n++] = 10;                      /* code section */
    out[n++] = (uint8_t)(nbody + 2);
    out[n++] = 1;
    out[n++] = (uint8_t)nbody;
    memcpy(out + n, body, nbody);
    return n + nbody;
}

static const uint8_t type_void[] = { 1, 0x60, 0, 0 };

static void test_side_table(void)
{
    /* (local i32 i32 i64) block (result i32) i32.const 1 local.get 0
     * br_if 0 drop i32.const 2 end drop */
    static const uint8_t body[] = {
        2, 2, 0x7f, 1, 0x7e,
        0x02, 0x7f, 0x41, 1, 0x20, 0, 0x0d, 0, 0x1a, 0x41, 2, 0x0b, 0x1a, 0x0b,
    };
    uint8_t buf[256];
    size_t n = build(buf, type_void, sizeof type_void, NULL, 0, body, sizeof body);
    wasm_error err;
    wasm_module *m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m != NULL);
    if (!m) {
        printf("  error: %s\n", err.msg);
        return;
    }
    const struct wasm_func *f = &m->funcs[0];
    CHECK(f->nlocals == 3);
    CHECK(f->nlocal_runs == 2);
    CHECK(f->locals[1].first == 2 && f->locals[1].type == WASM_I64);
    CHECK(f->max_stack == 2);
    CHECK(f->max_depth == 2);
    /* block, br_if, drop (in block), drop (after) */
    CHECK(f->nside == 4);
    CHECK(f->side[0].pc == 0 && f->side[0].a == 11 && f->side[0].c == 1);
    CHECK(f->side[1].pc == 6 && f->side[1].a == 1 && f->side[1].b == 0 &&
          f->side[1].c == 0);
    CHECK(f->side[2].a == WASM_I32);
    CHECK(f->side[3].pc == 12 && f->side[3].a == WASM_I32);
    CHECK(f->code_len == 14 && f->code[f->code_len - 1] == 0x0b);
    wasm_module_free(m);
}

static void test_side_table_control(void)
{
    /* Offsets of the instructions (pc) in the comments, in hex. */
    static const uint8_t body[] = {
        1, 1, 0x7f,
        0x03, 0x40,                 /* 0: loop */
        0x02, 0x40,                 /* 2: block */
        0x20, 0, 0x1a,              /* 4: local.get 0, 6: drop */
        0x20, 0,                    /* 7: local.get 0 */
        0x0e, 2, 0, 1, 1,           /* 9: br_table 0 1 1: block, loop, loop */
        0x0b,                       /* e: end block */
        0x41, 0,                    /* f: i32.const 0 */
        0x04, 0x40, 0x01,           /* 11: if, 13: nop */
        0x05, 0x0b,                 /* 14: else, 15: end if */
        0x0b, 0x0b,                 /* 16: end loop, 17: end */
    };
    uint8_t buf[256];
    size_t n = build(buf, type_void, sizeof type_void, NULL, 0, body, sizeof body);
    wasm_error err;
    wasm_module *m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m != NULL);
    if (!m) {
        printf("  error: %s\n", err.msg);
        return;
    }
    const struct wasm_func *f = &m->funcs[0];
    /* loop, block, drop, br_table + 3 targets, if */
    CHECK(f->nside == 8);
    const struct wasm_side *s = f->side;
    CHECK(s[0].pc == 0 && s[0].a == 0x16 && s[0].c == 2);      /* loop: 2 branches */
    CHECK(s[1].pc == 2 && s[1].a == 0x0e && s[1].c == 1);      /* block: 1 branch */
    CHECK(s[2].pc == 6 && s[2].a == WASM_I32);                 /* drop i32 */
    CHECK(s[3].pc == 9 && s[3].a == 0 && s[3].b == 3);         /* br_table */
    CHECK(s[4].c == 1 && s[5].c == 0 && s[6].c == 0);          /* targets */
    CHECK(s[7].pc == 0x11 && s[7].a == 0x15 && s[7].b == 0x14 && s[7].c == 0);
    wasm_module_free(m);
}

static void test_errors(void)
{
    /* i32.const 1 i64.const 2 i32.add end: type mismatch at the add */
    static const uint8_t body[] = { 0, 0x41, 1, 0x42, 2, 0x6a, 0x1a, 0x0b };
    uint8_t buf[256];
    size_t n = build(buf, type_void, sizeof type_void, NULL, 0, body, sizeof body);
    wasm_error err;
    wasm_module *m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m == NULL);
    CHECK(!strncmp(err.msg, "type mismatch", 13));
    CHECK(!err.malformed);
    CHECK(err.func == 0);
    CHECK(err.offset == n - 3);          /* the i32.add */

    /* local.get 5 with no locals */
    static const uint8_t body2[] = { 0, 0x20, 5, 0x1a, 0x0b };
    n = build(buf, type_void, sizeof type_void, NULL, 0, body2, sizeof body2);
    m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m == NULL && !strcmp(err.msg, "unknown local 5 (at local.get 5)"));

    /* Truncated: no end. */
    static const uint8_t body3[] = { 0, 0x41, 1 };
    n = build(buf, type_void, sizeof type_void, NULL, 0, body3, sizeof body3);
    m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m == NULL && err.malformed);

    /* An empty input, and a NULL error record. */
    CHECK(wasm_module_decode("", 0, NULL, NULL) == NULL);
}

static void test_limits(void)
{
    /* 3 locals against a limit of 2 */
    static const uint8_t body[] = { 1, 3, 0x7f, 0x0b };
    uint8_t buf[256];
    size_t n = build(buf, type_void, sizeof type_void, NULL, 0, body, sizeof body);
    wasm_limits lim;
    wasm_error err;
    wasm_limits_default(&lim);
    lim.locals = 2;
    CHECK(wasm_module_decode(buf, n, &lim, &err) == NULL);
    CHECK(!strcmp(err.msg, "too many locals"));
    lim.locals = 3;
    wasm_module *m = wasm_module_decode(buf, n, &lim, &err);
    CHECK(m != NULL);
    wasm_module_free(m);

    /* the whole module against its size limit */
    lim.module_size = 8;
    CHECK(wasm_module_decode(buf, n, &lim, &err) == NULL &&
          !strcmp(err.msg, "module larger than the limit"));
    lim.module_size = 1u << 30;

    /* two values on the stack against a limit of one */
    static const uint8_t two[] = { 0, 0x41, 1, 0x41, 2, 0x1a, 0x1a, 0x0b };
    n = build(buf, type_void, sizeof type_void, NULL, 0, two, sizeof two);
    lim.stack = 1;
    CHECK(wasm_module_decode(buf, n, &lim, &err) == NULL);
    lim.stack = 2;
    m = wasm_module_decode(buf, n, &lim, &err);
    CHECK(m != NULL && m->funcs[0].max_stack == 2);
    wasm_module_free(m);

    /* nesting deeper than the limit */
    static const uint8_t deep[] = { 0, 2, 0x40, 2, 0x40, 2, 0x40, 0x0b, 0x0b, 0x0b, 0x0b };
    n = build(buf, type_void, sizeof type_void, NULL, 0, deep, sizeof deep);
    lim.depth = 3;
    CHECK(wasm_module_decode(buf, n, &lim, &err) == NULL);
    lim.depth = 4;
    m = wasm_module_decode(buf, n, &lim, &err);
    CHECK(m != NULL && m->funcs[0].max_depth == 4);
    wasm_module_free(m);
}

static void test_names(void)
{
    static const uint8_t body[] = { 0, 0x0b };
    /* custom "name": subsection 1 (function names): 0 -> "go" */
    static const uint8_t custom[] = {
        0, 12, 4, 'n', 'a', 'm', 'e', 1, 5, 1, 0, 2, 'g', 'o',
    };
    uint8_t buf[256];
    size_t n = build(buf, type_void, sizeof type_void, NULL, 0, body, sizeof body);
    memcpy(buf + n, custom, sizeof custom);   /* after the code */
    n += sizeof custom;
    wasm_error err;
    wasm_module *m = wasm_module_decode(buf, n, NULL, &err);
    CHECK(m != NULL);
    if (!m) {
        printf("  error: %s\n", err.msg);
        return;
    }
    CHECK(wasm_module_num_funcs(m) == 1);
    CHECK(wasm_module_func_name(m, 0) && !strcmp(wasm_module_func_name(m, 0), "go"));
    CHECK(wasm_module_func_name(m, 1) == NULL);
    wasm_module_free(m);
}

static void test_opcode_table(void)
{
    CHECK(wasm_ops_base[0x6a].op == WASM_OP_I32_ADD);
    CHECK(!strcmp(wasm_ops_by_id[WASM_OP_I32X4_DOT_I16X8_S]->name, "i32x4.dot_i16x8_s"));
    CHECK(wasm_ops_fd[0xba].op == WASM_OP_I32X4_DOT_I16X8_S);
    CHECK(wasm_ops_fc[17].op == WASM_OP_TABLE_FILL);
    CHECK(wasm_ops_base[0x36].pop[0] == WASM_I32 && wasm_ops_base[0x36].pop[1] == WASM_I32 &&
          wasm_ops_base[0x36].npop == 2 && wasm_ops_base[0x36].push == 0);
    unsigned simd = 0;
    for (int i = 0; i < 256; i++)
        simd += wasm_ops_fd[i].kind != 0;
    CHECK(simd == 236);
}

size_t wasm_disasm(const uint8_t *p, const uint8_t *end, char *out, size_t size);

static void test_disasm(void)
{
    static const uint8_t load[] = { 0x29, 3, 8 };
    static const uint8_t cnst[] = { 0x41, 0x7d };
    static const uint8_t brt[] = { 0x0e, 2, 0, 1, 2 };
    static const uint8_t lane[] = { 0xfd, 0x15, 3 };
    char out[64];
    CHECK(wasm_disasm(load, load + 3, out, sizeof out) == 3 &&
          !strcmp(out, "i64.load offset=8 align=8"));
    CHECK(wasm_disasm(cnst, cnst + 2, out, sizeof out) == 2 && !strcmp(out, "i32.const -3"));
    CHECK(wasm_disasm(brt, brt + 5, out, sizeof out) == 5 && !strcmp(out, "br_table 0 1 2"));
    CHECK(wasm_disasm(lane, lane + 3, out, sizeof out) == 3 &&
          !strcmp(out, "i8x16.extract_lane_s 3"));
    CHECK(wasm_disasm(load, load + 3, out, 4) == 3 && !strcmp(out, "i64"));
}

static void test_regression(const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    wasm_error err;
    wasm_module *m = wasm_module_decode(buf, n, NULL, &err);
    wasm_module_free(m);
    passed++;   /* reaching here is the test */
}

int main(int argc, char **argv)
{
    test_side_table();
    test_side_table_control();
    test_errors();
    test_limits();
    test_names();
    test_opcode_table();
    test_disasm();
    for (int i = 1; i < argc; i++)
        test_regression(argv[i]);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
