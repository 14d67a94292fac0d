/* spec_exec.c: runs the spec suite's commands that execute code.
 *
 * Each .json file gets a store. `module` decodes, compiles and
 * instantiates (imports from `spectest` and from modules `register`ed
 * before); actions invoke exports or read globals; results are compared
 * bit for bit, NaNs by pattern (nan:canonical, nan:arithmetic); traps by
 * the prefix of their message, as the reference runner does. A module
 * the engine cannot compile yet (SIMD) is skipped, with every command
 * that uses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wasm/wasm.h"
#include "spec_exec.h"

#include "file.h"
#include "spectest.h"

/* Names are byte strings with a length: the suite has names with NULs. */
struct name {
    char *s;                 /* NULL: none */
    size_t len;
};

struct inst {
    struct name name;        /* $name from the script */
    struct name as;          /* name it was registered as */
    wasm_instance *inst;     /* NULL: not compiled (skipped) */
};

struct spec_exec {
    wasm_store *store;
    struct inst *insts;
    size_t n, cap;
    struct inst *current;    /* the last module, NULL if none */
    wasm_module **mods;
    wasm_compiled **comps;
    size_t nmods;
};

struct spec_exec *spec_exec_new(void)
{
    struct spec_exec *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->store = wasm_store_new(0);
    if (!x->store || !spectest_init(x->store)) {
        free(x);
        return NULL;
    }
    return x;
}

void spec_exec_free(struct spec_exec *x)
{
    if (!x)
        return;
    spectest_forget();
    wasm_store_free(x->store);
    for (size_t i = 0; i < x->nmods; i++) {
        wasm_compiled_free(x->comps[i]);
        wasm_module_free(x->mods[i]);
    }
    for (size_t i = 0; i < x->n; i++) {
        free(x->insts[i].name.s);
        free(x->insts[i].as.s);
    }
    free(x->insts);
    free(x->mods);
    free(x->comps);
    free(x);
}

static const char *str(const struct json *o, const char *key)
{
    return json_str(o, key, NULL);
}

static bool same_name(const struct name *n, const char *s, size_t len)
{
    return n->s && n->len == len && !memcmp(n->s, s, len);
}

/* A copy of the string member key (NULL s when absent). */
static struct name name_of(const struct json *o, const char *key)
{
    struct name n = { NULL, 0 };
    const char *s = json_str(o, key, &n.len);
    if (s && (n.s = malloc(n.len + 1)))
        memcpy(n.s, s, n.len + 1);
    return n;
}

/* The module the string member key of o names, the current one if none. */
static struct inst *find(struct spec_exec *x, const struct json *o, const char *key)
{
    size_t len;
    const char *name = json_str(o, key, &len);
    if (!name)
        return x->current;
    for (size_t i = x->n; i-- > 0;)
        if (same_name(&x->insts[i].name, name, len))
            return &x->insts[i];
    return NULL;
}

/* Resolves the module's imports; false with "unknown import" if one is
 * missing (kinds and types are instantiate's to check). */
static int resolve(struct spec_exec *x, wasm_module *m, wasm_extern *im, char *msg, size_t size)
{
    uint32_t n = wasm_module_num_imports(m);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_desc d;
        char field[256];
        wasm_module_import(m, i, &d);
        snprintf(field, sizeof field, "%.*s", (int)d.field_len, d.field);
        bool found = false;
        if (d.module_len == 8 && !memcmp(d.module, "spectest", 8)) {
            /* spectest's names are C strings: one with a NUL is none. */
            found = strlen(field) == d.field_len &&
                    spectest_lookup(x->store, field, &im[i]);
        } else {
            for (size_t k = x->n; k-- > 0 && !found;) {
                struct inst *in = &x->insts[k];
                if (same_name(&in->as, d.module, d.module_len)) {
                    if (!in->inst)
                        return snprintf(msg, size, "imports a module not compiled"), SPEC_SKIP;
                    found = wasm_instance_export(in->inst, d.field, d.field_len, &im[i]);
                    break;
                }
            }
        }
        if (!found)
            return snprintf(msg, size, "unknown import"), SPEC_FAIL;
    }
    return SPEC_PASS;
}

/* Decodes, compiles and instantiates a module file. SPEC_PASS with *out;
 * SPEC_SKIP when the engine cannot compile it; SPEC_FAIL with the error
 * text in msg (and *trap for a trap during instantiation). */
static int load(struct spec_exec *x, const char *dir, const char *file,
                wasm_instance **out, int *trap, char *msg, size_t size)
{
    char path[4096];
    size_t len;
    wasm_error err;
    *out = NULL;
    *trap = 0;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *bytes = host_read_file(path, &len);
    if (!bytes)
        return snprintf(msg, size, "cannot read %s", path), SPEC_FAIL;
    wasm_module *m = wasm_module_decode(bytes, len, NULL, &err);
    free(bytes);
    if (!m)
        return snprintf(msg, size, "%s", err.msg), SPEC_FAIL;
    wasm_compiled *c = wasm_compile(m, &err);
    if (!c) {
        wasm_module_free(m);
        return snprintf(msg, size, "not compiled: %s", err.msg), SPEC_SKIP;
    }
    x->mods = realloc(x->mods, (x->nmods + 1) * sizeof *x->mods);
    x->comps = realloc(x->comps, (x->nmods + 1) * sizeof *x->comps);
    x->mods[x->nmods] = m;
    x->comps[x->nmods++] = c;
    uint32_t n = wasm_module_num_imports(m);
    wasm_extern *im = calloc(n ? n : 1, sizeof *im);
    int r = resolve(x, m, im, msg, size);
    if (r == SPEC_PASS) {
        *out = wasm_instantiate(x->store, c, im, n, &err, trap);
        if (!*out) {
            snprintf(msg, size, "%s", err.msg);
            r = SPEC_FAIL;
        }
    }
    free(im);
    return r;
}

static struct inst *add(struct spec_exec *x, struct name name, wasm_instance *in)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 16;
        x->insts = realloc(x->insts, x->cap * sizeof *x->insts);
    }
    struct inst *i = &x->insts[x->n++];
    i->name = name;
    i->as = (struct name){ NULL, 0 };
    i->inst = in;
    return i;
}

static uint8_t valtype(const char *t)
{
    if (!t) return 0;
    if (!strcmp(t, "i32")) return 0x7f;
    if (!strcmp(t, "i64")) return 0x7e;
    if (!strcmp(t, "f32")) return 0x7d;
    if (!strcmp(t, "f64")) return 0x7c;
    if (!strcmp(t, "externref")) return 0x6f;
    if (!strcmp(t, "funcref")) return 0x70;
    if (!strcmp(t, "v128")) return 0x7b;
    return 0;
}

/* Bytes per lane of a v128's lane_type (0: unknown). */
static unsigned lane_bytes(const char *lt)
{
    if (!lt) return 0;
    if (!strcmp(lt, "i8")) return 1;
    if (!strcmp(lt, "i16")) return 2;
    if (!strcmp(lt, "i32") || !strcmp(lt, "f32")) return 4;
    if (!strcmp(lt, "i64") || !strcmp(lt, "f64")) return 8;
    return 0;
}

/* A lane's text as its bits: unsigned or negative decimal. */
static uint64_t lane_value(const char *s)
{
    return *s == '-' ? (uint64_t)strtoll(s, NULL, 10) : strtoull(s, NULL, 10);
}

/* The lanes of a v128 value (wast2json: lane_type and one string per lane)
 * as its two 64-bit slots, low first; false if malformed. */
static bool v128_bits(const struct json *v, uint64_t out[2])
{
    unsigned w = lane_bytes(str(v, "lane_type"));
    const struct json *lanes = json_get(v, "value");
    uint8_t b[16];
    if (!w || !lanes || lanes->type != JSON_ARRAY || lanes->n != 16 / w)
        return false;
    for (size_t i = 0; i < lanes->n; i++) {
        if (lanes->items[i].type != JSON_STRING)
            return false;
        uint64_t x = lane_value(lanes->items[i].str);
        memcpy(b + i * w, &x, w);             /* little-endian host */
    }
    memcpy(out, b, 16);
    return true;
}

/* An argument's bits: externref N is the host value N + 1 (0 is null);
 * a v128 fills two slots. */
static bool arg_bits(const struct json *v, uint64_t *out)
{
    uint8_t t = valtype(str(v, "type"));
    if (t == 0x7b)
        return v128_bits(v, out);
    const char *s = str(v, "value");
    if (!t || !s)
        return false;
    if (!strcmp(s, "null"))
        *out = 0;
    else {
        *out = strtoull(s, NULL, 10);
        if (t == 0x6f)
            *out += 1;
    }
    return true;
}

/* Invokes or reads; SPEC_PASS with the results, or the trap in *trap. */
static int act(struct spec_exec *x, const struct json *action, uint64_t *vals, size_t cap,
               const uint8_t **types, uint32_t *nres, int *trap, char *msg, size_t size)
{
    const char *type = str(action, "type");
    size_t flen;
    const char *field = json_str(action, "field", &flen);
    struct inst *in = find(x, action, "module");
    *trap = 0;
    if (!in || !field)
        return snprintf(msg, size, "no such module"), SPEC_FAIL;
    if (!in->inst)
        return snprintf(msg, size, "module not compiled"), SPEC_SKIP;
    wasm_extern e;
    if (!wasm_instance_export(in->inst, field, flen, &e))
        return snprintf(msg, size, "no export %.*s", (int)flen, field), SPEC_FAIL;
    if (!strcmp(type, "get")) {
        static uint8_t gt;
        wasm_global_value(&e, &gt);
        wasm_global_bits(&e, vals);
        *types = &gt;
        *nres = 1;
        return SPEC_PASS;
    }
    uint32_t np, nr;
    const uint8_t *params;
    wasm_func_type(&e, &np, &params, &nr, types);
    *nres = nr;
    if (2 * np > cap || 2 * nr > cap)
        return snprintf(msg, size, "too many values"), SPEC_SKIP;
    const struct json *args = json_get(action, "args");
    size_t nargs = args && args->type == JSON_ARRAY ? args->n : 0;
    size_t slot = 0;
    for (size_t i = 0; i < nargs; i++) {
        if (i >= np || !arg_bits(&args->items[i], &vals[slot]))
            return snprintf(msg, size, "argument not supported"), SPEC_SKIP;
        slot += params[i] == 0x7b ? 2 : 1;
    }
    *trap = wasm_call(x->store, &e, vals);
    return SPEC_PASS;
}

static bool same_float(const char *s, uint64_t got, uint8_t t);

/* A v128 result, lane by lane (float lanes may expect NaN patterns). */
static bool same_v128(const struct json *want, const uint64_t *got)
{
    const char *lt = str(want, "lane_type");
    unsigned w = lane_bytes(lt);
    const struct json *lanes = json_get(want, "value");
    uint8_t b[16];
    if (!w || !lanes || lanes->type != JSON_ARRAY || lanes->n != 16 / w)
        return false;
    memcpy(b, got, 16);
    for (size_t i = 0; i < lanes->n; i++) {
        const char *s = lanes->items[i].str;
        uint64_t x = 0, mask = w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
        memcpy(&x, b + i * w, w);
        if (lanes->items[i].type != JSON_STRING)
            return false;
        if (lt[0] == 'f') {
            if (!same_float(s, x, w == 4 ? 0x7d : 0x7c))
                return false;
        } else if (x != (lane_value(s) & mask)) {
            return false;
        }
    }
    return true;
}

/* A float's bits against an expectation (a NaN pattern or bits). */
static bool same_float(const char *s, uint64_t got, uint8_t t)
{
    if (t == 0x7d) {
        uint32_t b = (uint32_t)got;
        if (!strcmp(s, "nan:canonical"))
            return (b & 0x7fffffff) == 0x7fc00000;
        if (!strcmp(s, "nan:arithmetic"))
            return (b & 0x7fc00000) == 0x7fc00000;
        return b == (uint32_t)strtoull(s, NULL, 10);
    }
    if (!strcmp(s, "nan:canonical"))
        return (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    if (!strcmp(s, "nan:arithmetic"))
        return (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    return got == strtoull(s, NULL, 10);
}

/* Compares one result (its slots: two for a v128) with its expectation
 * (NaN patterns included). */
static bool same(const struct json *want, const uint64_t *slots, uint8_t type)
{
    uint8_t t = valtype(str(want, "type"));
    const char *s = str(want, "value");
    uint64_t got = slots[0];
    if (t != type)
        return false;
    if (t == 0x7b)
        return same_v128(want, slots);
    if (t == 0x70 || t == 0x6f) {
        if (!s)
            return got != 0;
        if (!strcmp(s, "null"))
            return got == 0;
        return t == 0x6f ? got == strtoull(s, NULL, 10) + 1 : got != 0;
    }
    if (!s)
        return false;
    if (t == 0x7d || t == 0x7c)
        return same_float(s, got, t);
    if (t == 0x7f)
        return (uint32_t)got == (uint32_t)strtoull(s, NULL, 10);
    return got == strtoull(s, NULL, 10);
}

static int expect_trap(int r, int trap, const char *text, char *msg, size_t size)
{
    if (r != SPEC_PASS)
        return r;
    if (!trap)
        return snprintf(msg, size, "no trap"), SPEC_FAIL;
    const char *got = wasm_trap_message(trap);
    size_t n = strlen(got);
    /* The reference interpreter may add the index: "uninitialized
     * element 2" is ours followed by a number. */
    bool indexed = text && !strncmp(text, got, n) && text[n] == ' ';
    if (text && strncmp(got, text, strlen(text)) && !indexed)
        return snprintf(msg, size, "trap \"%s\"", got), SPEC_FAIL;
    return SPEC_PASS;
}

int spec_exec_command(struct spec_exec *x, const char *dir, const struct json *cmd,
                      char *msg, size_t size)
{
    const char *type = str(cmd, "type");
    const char *file = str(cmd, "filename");
    const char *text = str(cmd, "text");
    const struct json *action = json_get(cmd, "action");
    uint64_t vals[64];
    const uint8_t *types = NULL;
    uint32_t nres = 0;
    int trap = 0, r;
    wasm_instance *in;
    msg[0] = 0;

    if (!strcmp(type, "module")) {
        r = load(x, dir, file, &in, &trap, msg, size);
        x->current = add(x, name_of(cmd, "name"), in);
        return r;
    }
    if (!strcmp(type, "register")) {
        struct inst *i = find(x, cmd, "name");
        if (!i || !json_str(cmd, "as", NULL))
            return snprintf(msg, size, "no module to register"), SPEC_FAIL;
        free(i->as.s);
        i->as = name_of(cmd, "as");
        return i->inst ? SPEC_PASS : SPEC_SKIP;
    }
    if (!strcmp(type, "assert_unlinkable") || !strcmp(type, "assert_uninstantiable")) {
        r = load(x, dir, file, &in, &trap, msg, size);
        if (r == SPEC_SKIP)
            return r;
        if (in)
            return snprintf(msg, size, "instantiated"), SPEC_FAIL;
        if (!strcmp(type, "assert_uninstantiable") && !trap)
            return SPEC_FAIL;
        if (text && strncmp(msg, text, strlen(text)))
            return SPEC_FAIL;
        return SPEC_PASS;
    }
    if (!action)
        return snprintf(msg, size, "unknown command %s", type), SPEC_SKIP;
    r = act(x, action, vals, 64, &types, &nres, &trap, msg, size);
    if (!strcmp(type, "action")) {
        if (r == SPEC_PASS && trap)
            return snprintf(msg, size, "trap \"%s\"", wasm_trap_message(trap)), SPEC_FAIL;
        return r;
    }
    if (!strcmp(type, "assert_trap") || !strcmp(type, "assert_exhaustion"))
        return expect_trap(r, trap, text, msg, size);
    if (!strcmp(type, "assert_return")) {
        if (r != SPEC_PASS)
            return r;
        if (trap)
            return snprintf(msg, size, "trap \"%s\"", wasm_trap_message(trap)), SPEC_FAIL;
        const struct json *exp = json_get(cmd, "expected");
        size_t nexp = exp && exp->type == JSON_ARRAY ? exp->n : 0;
        uint32_t i = 0, slot = 0;
        for (size_t k = 0; k < nexp; k++) {
            const struct json *e = &exp->items[k];
            if (!valtype(str(e, "type")))
                return snprintf(msg, size, "expected type not supported"), SPEC_SKIP;
            if (i >= nres || !same(e, &vals[slot], types[i])) {
                if (i < nres && types[i] == 0x7b)
                    return snprintf(msg, size, "result %u is 0x%016llx%016llx", i,
                                    (unsigned long long)vals[slot + 1],
                                    (unsigned long long)vals[slot]), SPEC_FAIL;
                return snprintf(msg, size, "result %u is 0x%llx", i,
                                i < nres ? (unsigned long long)vals[slot] : 0ull), SPEC_FAIL;
            }
            slot += types[i] == 0x7b ? 2 : 1;
            i++;
        }
        return i == nres ? SPEC_PASS : SPEC_FAIL;
    }
    return snprintf(msg, size, "unknown command %s", type), SPEC_SKIP;
}
