/* test_api.c: the embedding API (wasm.h) from C, under ASan and UBSan:
 * host functions, a host function calling back into Wasm (entries nest),
 * traps raised by host code and inside a nested call, exports of memory
 * and globals, a refused instantiation leaving the store usable, and no
 * leak when everything is freed; v128 in host functions' and wasm_call's
 * slots. Run by make test-runtime with
 * build/runtime/api.wasm (tests/runtime/api.wat), api_tables.wasm and
 * api_simd.wasm; ends "N passed, N failed".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../wasm/wasm.h"

static int passed, failed;
#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (cond)                                                           \
            passed++;                                                       \
        else {                                                              \
            failed++;                                                       \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, what);           \
        }                                                                   \
    } while (0)

static wasm_store *store;
static wasm_instance *inst;

static int twice(void *env, uint64_t *v)
{
    (void)env;
    v[0] = (uint32_t)(2 * (uint32_t)v[0]);
    return 0;
}

static int fail(void *env, uint64_t *v)
{
    (void)env;
    (void)v;
    return WASM_TRAP_HOST;
}

/* Calls the instance's "inner" from inside a call: its trap, if any,
 * becomes this function's. */
static int reenter(void *env, uint64_t *v)
{
    (void)env;
    wasm_extern inner;
    if (!wasm_instance_export(inst, "inner", 5, &inner))
        return WASM_TRAP_HOST;
    uint64_t vals[1] = { v[0] };
    int t = wasm_call(store, &inner, vals);
    v[0] = vals[0];
    return t;
}

static int call1(const char *name, uint64_t arg, uint64_t *out)
{
    wasm_extern f;
    if (!wasm_instance_export(inst, name, strlen(name), &f))
        return -1;
    uint64_t vals[2] = { arg, 0 };
    int t = wasm_call(store, &f, vals);
    *out = vals[0];
    return t;
}

/* ---- tables and limits, from the embedder's side (api_tables.wat) ---- */

static uint64_t seen_value;
static int seen_calls;

static int seen(void *env, uint64_t *v)
{
    (void)env;
    seen_value = v[0];
    seen_calls++;
    return 0;
}

static int pair(void *env, uint64_t *v)
{
    (void)env;
    uint32_t x = (uint32_t)v[0];
    v[0] = x + 1;
    v[1] = 0x1234500000000ull | x;
    return 0;
}

static bool fill_self(void *ctx, wasm_instance *in)
{
    (void)ctx;
    wasm_extern t, mem;
    bool imported;
    CHECK(wasm_instance_num_tables(in) == 3, "three tables");
    CHECK(wasm_instance_table(in, 0, &t, &imported) && imported, "table 0 imported");
    CHECK(wasm_instance_table(in, 1, &t, &imported) && !imported &&
          wasm_table_elem(&t) == 0x70, "table 1 defined funcref");
    CHECK(!wasm_table_set(&t, 0, 99), "funcref tables refuse host values");
    CHECK(wasm_instance_table(in, 2, &t, &imported) && !imported &&
          wasm_table_elem(&t) == 0x6f && wasm_table_size(&t) == 3, "table 2 externref");
    CHECK(!wasm_instance_table(in, 3, &t, &imported), "no table 3");
    CHECK(wasm_instance_memory(in, &mem), "memory 0");
    CHECK(!wasm_table_set(&t, 3, 5), "set past the end");
    return wasm_table_set(&t, 0, 0xabcdef);
}

static bool refuse(void *ctx, wasm_instance *in)
{
    (void)ctx;
    (void)in;
    return false;
}

/* The module at path, decoded (NULL if not) and compiled into *c (NULL
 * if not). The bytes stay in a static buffer, which the module reads. */
static wasm_module *load(const char *path, wasm_compiled **c)
{
    static unsigned char bufs[3][1 << 16];
    static unsigned next;
    unsigned char *bytes = bufs[next++ % 3];
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(bytes, 1, sizeof bufs[0], f) : 0;
    if (f)
        fclose(f);
    wasm_error err;
    wasm_module *m = wasm_module_decode(bytes, len, NULL, &err);
    *c = m ? wasm_compile(m, &err) : NULL;
    return m;
}

static void test_tables(const char *path)
{
    wasm_error err;
    wasm_compiled *c;
    wasm_module *m = load(path, &c);
    wasm_store *s = wasm_store_new(0);
    CHECK(m && c && s, "tables module");
    if (!m || !c || !s)
        return;
    wasm_import_desc d;
    CHECK(wasm_module_import(m, 0, &d) && d.kind == 1 && d.elem == 0x6f && d.min == 2 &&
          d.has_max && d.max == 8, "import descriptor: table limits");
    CHECK(wasm_module_import(m, 1, &d) && d.kind == 0 && d.min == 0 && !d.has_max,
          "import descriptor: function");

    const uint8_t ext[] = { 0x6f }, i32[] = { 0x7f }, pr[] = { 0x7f, 0x6f };
    wasm_extern im[3];
    CHECK(wasm_table_new(s, 0x6f, 4, 8, true, &im[0]), "table");
    CHECK(wasm_table_set(&im[0], 1, 777) && wasm_table_size(&im[0]) == 4, "table set");
    uint64_t v = 1;
    CHECK(wasm_table_get(&im[0], 1, &v) && v == 777, "table get");
    CHECK(!wasm_table_get(&im[0], 4, &v), "table get past the end");
    CHECK(wasm_host_func_new(s, ext, 1, NULL, 0, seen, NULL, &im[1]), "host func");
    CHECK(wasm_host_func_new(s, i32, 1, pr, 2, pair, NULL, &im[2]), "host func (i32, externref)");

    int trap;
    CHECK(!wasm_instantiate_with(s, c, im, 3, refuse, NULL, &err, &trap) &&
          !strcmp(err.msg, "instantiation refused by the host") && seen_calls == 0,
          "prestart refusing: no start function");
    wasm_instance *in = wasm_instantiate_with(s, c, im, 3, fill_self, NULL, &err, &trap);
    CHECK(in && seen_calls == 1 && seen_value == 0xabcdef, "prestart runs before start");
    wasm_extern fn;
    uint64_t vals[2] = { 1, 0 };
    CHECK(in && wasm_instance_export(in, "get_ref", 7, &fn) && wasm_call(s, &fn, vals) == 0 &&
          vals[0] == 777, "Wasm reads what the host set");
    vals[0] = 5;
    CHECK(in && wasm_instance_export(in, "pair_ref", 8, &fn) && wasm_call(s, &fn, vals) == 0 &&
          vals[0] == (0x1234500000000ull | 5), "host function returning (i32, externref)");
    vals[0] = 5;
    CHECK(in && wasm_instance_export(in, "pair_status", 11, &fn) &&
          wasm_call(s, &fn, vals) == 0 && (uint32_t)vals[0] == 6, "first of a pair");
    CHECK(in && wasm_instance_module(in) == m, "instance module");
    /* The store's page budget: 2 pages in all, though the memory's
     * maximum is 3 (and the refused instantiation above made one). */
    wasm_store_set_page_limit(s, wasm_store_pages(s) + 1);
    vals[0] = 1;
    CHECK(in && wasm_instance_export(in, "grow", 4, &fn) && wasm_call(s, &fn, vals) == 0 &&
          (uint32_t)vals[0] == 1, "grow within the store's page limit");
    vals[0] = 1;
    CHECK(in && wasm_call(s, &fn, vals) == 0 && (uint32_t)vals[0] == UINT32_MAX,
          "grow past the store's page limit returns -1");
    wasm_store_free(s);
    wasm_compiled_free(c);
    wasm_module_free(m);
}

/* ---- v128 in the slots of host functions and wasm_call (api_simd.wat) ---- */

/* The engine's bulk copies go through this memmove (it takes the libc's
 * place in this program): for a big block it clobbers xmm12..15 first, as
 * a libc's large-copy loop may (System V lets any function do so). A
 * caller's locals pinned there must survive (wasm_rt_copy). */
void *memmove(void *dst, const void *src, size_t n)
{
    if (n >= 4096)
        __asm__ volatile("pcmpeqd %%xmm12, %%xmm12\n pcmpeqd %%xmm13, %%xmm13\n"
                         "pcmpeqd %%xmm14, %%xmm14\n pcmpeqd %%xmm15, %%xmm15"
                         : : : "xmm12", "xmm13", "xmm14", "xmm15");
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n) {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    } else {                            /* overlapping, dst above: backwards */
        d += n - 1;
        s += n - 1;
        __asm__ volatile("std\n rep movsb\n cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
    return dst;
}

/* (i32, v128, f64) -> (v128 with its halves swapped, i32 + the f64's bits). */
static int mix(void *env, uint64_t *v)
{
    (void)env;
    uint64_t lo = v[1], hi = v[2], sum = (uint32_t)v[0] + v[3];
    v[0] = hi;
    v[1] = lo;
    v[2] = sum;
    return 0;
}

static void test_simd(const char *path)
{
    wasm_error err;
    wasm_compiled *c;
    wasm_module *m = load(path, &c);
    wasm_store *s = wasm_store_new(0);
    CHECK(m && c && s, "simd module");
    if (!m || !c || !s)
        return;
    const uint8_t params[] = { 0x7f, 0x7b, 0x7c }, results[] = { 0x7b, 0x7e };
    wasm_extern im[1], fn, g;
    CHECK(wasm_host_func_new(s, params, 3, results, 2, mix, NULL, &im[0]), "host func with v128");
    int trap;
    wasm_instance *in = wasm_instantiate(s, c, im, 1, &err, &trap);
    CHECK(in, "instantiate simd module");
    uint64_t vals[5] = { 7, 0x1111, 0x2222, 100, 0 };
    CHECK(in && wasm_instance_export(in, "call_mix", 8, &fn) && wasm_call(s, &fn, vals) == 0 &&
          vals[0] == 0x2222 && vals[1] == 0x1111 && vals[2] == 107 && vals[3] == 0x1111 &&
          vals[4] == 0x2222, "v128 through a host function and wasm_call");
    uint64_t bits[2];
    CHECK(in && wasm_instance_export(in, "gv", 2, &g), "v128 global export");
    if (in) {
        wasm_global_bits(&g, bits);
        CHECK(bits[0] == 0x1111 && bits[1] == 0x2222, "v128 global bits");
    }
    uint64_t kv[2] = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
    CHECK(in && wasm_instance_export(in, "keep_v128", 9, &fn) && wasm_call(s, &fn, kv) == 0 &&
          kv[0] == 0x0123456789abcdefull && kv[1] == 0xfedcba9876543210ull,
          "a caller's pinned v128 survives a callee's big memory.copy");
    uint64_t kf[1] = { 0x400921fb54442d18ull };     /* pi */
    CHECK(in && wasm_instance_export(in, "keep_f64", 8, &fn) && wasm_call(s, &fn, kf) == 0 &&
          kf[0] == 0x400921fb54442d18ull, "a caller's pinned f64 survives a callee's big memory.copy");
    wasm_store_free(s);
    wasm_compiled_free(c);
    wasm_module_free(m);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4)
        return 2;
    if (argc >= 3)
        test_tables(argv[2]);
    if (argc >= 4)
        test_simd(argv[3]);
    wasm_error err;
    wasm_compiled *c;
    wasm_module *m = load(argv[1], &c);
    CHECK(m, "decode");
    CHECK(c, "compile");
    store = wasm_store_new(0);
    if (!c || !store)
        return 1;

    const uint8_t i32[] = { 0x7f };
    wasm_extern im[3], wrong;
    CHECK(wasm_host_func_new(store, i32, 1, i32, 1, twice, NULL, &im[0]), "host func");
    CHECK(wasm_host_func_new(store, i32, 1, NULL, 0, fail, NULL, &im[1]), "host func");
    CHECK(wasm_host_func_new(store, i32, 1, i32, 1, reenter, NULL, &im[2]), "host func");
    CHECK(wasm_host_func_new(store, i32, 1, NULL, 0, twice, NULL, &wrong), "host func");

    /* A refused link changes nothing. */
    wasm_extern bad[3] = { wrong, im[1], im[2] };
    int trap;
    CHECK(!wasm_instantiate(store, c, bad, 3, &err, &trap) &&
          !strcmp(err.msg, "incompatible import type") && !trap, "incompatible import");
    inst = wasm_instantiate(store, c, im, 3, &err, &trap);
    CHECK(inst, "instantiate");
    if (!inst)
        return 1;

    uint64_t r;
    CHECK(call1("use_twice", 5, &r) == 0 && r == 11, "host function result");
    CHECK(call1("use_fail", 3, &r) == WASM_TRAP_HOST, "host function trap");
    CHECK(call1("outer", 5, &r) == 0 && r == 1105, "re-entry");
    CHECK(call1("outer", 0, &r) == WASM_TRAP_UNREACHABLE, "trap in a nested call");
    CHECK(call1("use_twice", 1, &r) == 0 && r == 3, "usable after traps");

    wasm_extern mem, g, st;
    uint64_t size;
    CHECK(wasm_instance_export(inst, "mem", 3, &mem) && mem.kind == 2, "memory export");
    CHECK(wasm_instance_export(inst, "store", 5, &st), "export");
    uint64_t vals[2] = { 8, 77 };
    CHECK(wasm_call(store, &st, vals) == 0, "store");
    uint8_t *data = wasm_memory_data(&mem, &size);
    CHECK(size == 65536 && data[8] == 77, "memory bytes");
    vals[0] = 65535;
    CHECK(wasm_call(store, &st, vals) == WASM_TRAP_MEMORY_OOB, "guard region");
    uint8_t type;
    CHECK(wasm_instance_export(inst, "g", 1, &g) && wasm_global_value(&g, &type) == 42 &&
          type == 0x7e, "global export");

    wasm_store_free(store);
    wasm_compiled_free(c);
    wasm_module_free(m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
