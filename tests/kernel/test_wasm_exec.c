/*
 * Compiled Wasm running in the kernel: ktest wasm_spec_script runs the
 * scripts (tests/qemu/wasm_script.py) found among the boot modules —
 * spec-suite modules compiled and instantiated here, their functions
 * called with the suite's arguments, results compared bit for bit (NaN
 * patterns included) and traps compared by message. The code runs on a
 * thread of its own with a large stack, as a component will; faults in it
 * come back as traps through the kernel's exception handlers.
 */
#include "boot/bootinfo.h"
#include "kern/ktest.h"
#include "base/log.h"
#include "kern/thread.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "wasm/wasm.h"

#define RUNNER_STACK (1024 * 1024)
#define WASM_BUDGET (512 * 1024)
#define MAX_SLOTS 64
#define MAX_SHOWN 12

struct cursor {
    const uint8_t *p, *end;
    bool bad;
};

static uint64_t take(struct cursor *c, unsigned n)
{
    uint64_t v = 0;
    if ((size_t)(c->end - c->p) < n) {
        c->bad = true;
        c->p = c->end;
        return 0;
    }
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

static const uint8_t *take_bytes(struct cursor *c, size_t n)
{
    if ((size_t)(c->end - c->p) < n) {
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    const uint8_t *b = c->p;
    c->p += n;
    return b;
}

struct run {
    const uint8_t *script;
    size_t len;
    const char *name;
    int passed, failed, shown;
};

static void fail(struct run *r, uint32_t line, const char *what, const char *detail)
{
    r->failed++;
    if (r->shown++ < MAX_SHOWN)
        kprintf("    %s:%u: %s%s%s\n", r->name, line, what, detail ? ": " : "", detail ? detail : "");
}

/* spectest, as the official tests import it. */
static int print_fn(void *env, uint64_t *vals)
{
    (void)env;
    (void)vals;
    return 0;
}

static bool spectest(wasm_store *s, const wasm_import_desc *d, wasm_extern *out)
{
    static const struct { const char *name, *params; } fns[] = {
        { "print", "" }, { "print_i32", "\x7f" }, { "print_i64", "\x7e" }, { "print_f32", "\x7d" },
        { "print_f64", "\x7c" }, { "print_i32_f32", "\x7f\x7d" }, { "print_f64_f64", "\x7c\x7c" },
    };
    static const struct { const char *name; uint8_t type; uint64_t bits; } globals[] = {
        { "global_i32", 0x7f, 666 }, { "global_i64", 0x7e, 666 },
        { "global_f32", 0x7d, 0x4426a666u }, { "global_f64", 0x7c, 0x4084d4cccccccccdull },
    };
    char field[32];
    if (d->module_len != 8 || memcmp(d->module, "spectest", 8) || d->field_len >= sizeof field)
        return false;
    memcpy(field, d->field, d->field_len);
    field[d->field_len] = 0;
    for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (!strcmp(field, fns[i].name))
            return wasm_host_func_new(s, (const uint8_t *)fns[i].params, (uint32_t)strlen(fns[i].params),
                                      NULL, 0, print_fn, NULL, out);
    for (unsigned i = 0; i < sizeof globals / sizeof globals[0]; i++)
        if (!strcmp(field, globals[i].name))
            return wasm_global_new(s, globals[i].type, false, globals[i].bits, out);
    if (!strcmp(field, "table"))
        return wasm_table_new(s, 0x70, 10, 20, true, out);
    if (!strcmp(field, "memory"))
        return wasm_memory_new(s, 1, 2, true, out);
    return false;
}

static bool nan_matches(uint8_t type, uint8_t pattern, uint64_t v)
{
    if (type == 0x7d) {
        uint32_t b = (uint32_t)v;
        if ((b & 0x7f800000u) != 0x7f800000u || !(b & 0x007fffffu))
            return false;
        return pattern == 2 ? (b & 0x00400000u) != 0 : (b & 0x7fffffffu) == 0x7fc00000u;
    }
    if ((v & 0x7ff0000000000000ull) != 0x7ff0000000000000ull || !(v & 0x000fffffffffffffull))
        return false;
    return pattern == 2 ? (v & 0x0008000000000000ull) != 0
                        : (v & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}

/* Builds the instance of one module record; NULL (after reporting) if it
 * cannot be run. */
static wasm_instance *instantiate(struct run *r, wasm_store *s, const uint8_t *bytes, size_t len,
                                  wasm_module **mod, wasm_compiled **comp)
{
    wasm_error err;
    char msg[200];
    *mod = wasm_module_decode(bytes, len, NULL, &err);
    if (!*mod) {
        fail(r, 0, "module refused", wasm_error_format(&err, NULL, msg, sizeof msg));
        return NULL;
    }
    *comp = wasm_compile(*mod, &err);
    if (!*comp) {
        fail(r, 0, "module not compiled", wasm_error_format(&err, *mod, msg, sizeof msg));
        return NULL;
    }
    wasm_extern im[32];
    uint32_t n = wasm_module_num_imports(*mod);
    if (n > 32) {
        fail(r, 0, "too many imports for the runner", NULL);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_desc d;
        if (!wasm_module_import(*mod, i, &d) || !spectest(s, &d, &im[i])) {
            fail(r, 0, "import not provided", NULL);
            return NULL;
        }
    }
    int trap = 0;
    wasm_instance *inst = wasm_instantiate(s, *comp, im, n, &err, &trap);
    if (!inst)
        fail(r, 0, "instantiation failed", trap ? wasm_trap_message(trap) : err.msg);
    return inst;
}

/* One expected result: its type, NaN pattern (for a v128, what its lanes
 * are: 0 bits, 4 f32 lanes, 2 f64 lanes, with a pattern per lane) and
 * bits (a v128's two words). */
struct expected {
    uint8_t type, pattern, lane_pats[4];
    uint64_t bits[2];
};

static bool result_ok(const struct expected *e, const uint64_t *slot)
{
    if (e->type == 0x7b) {
        if (e->pattern == 0)
            return slot[0] == e->bits[0] && slot[1] == e->bits[1];
        for (unsigned lane = 0; lane < e->pattern; lane++) {
            bool f32 = e->pattern == 4;
            unsigned w = f32 ? 32 : 64, word = lane * w / 64, shift = lane * w % 64;
            uint64_t got = slot[word] >> shift, want = e->bits[word] >> shift;
            if (f32)
                got = (uint32_t)got, want = (uint32_t)want;
            bool ok = e->lane_pats[lane] ? nan_matches(f32 ? 0x7d : 0x7c, e->lane_pats[lane], got)
                                         : got == want;
            if (!ok)
                return false;
        }
        return true;
    }
    uint64_t v = e->type == 0x7f || e->type == 0x7d ? (uint32_t)slot[0] : slot[0];
    return e->pattern ? nan_matches(e->type, e->pattern, v) : v == e->bits[0];
}

static void invoke(struct run *r, wasm_store *s, wasm_instance *inst, struct cursor *c)
{
    uint32_t line = (uint32_t)take(c, 4);
    uint16_t nlen = (uint16_t)take(c, 2);
    const char *name = (const char *)take_bytes(c, nlen);
    unsigned nargs = (unsigned)take(c, 1);
    /* A v128 takes two slots of vals, as wasm_call has them. */
    uint64_t vals[MAX_SLOTS + 1] = { 0 };
    unsigned slots = 0;
    for (unsigned i = 0; i < nargs; i++) {
        unsigned words = take(c, 1) == 0x7b ? 2 : 1;
        for (unsigned w = 0; w < words; w++, slots++) {
            uint64_t bits = take(c, 8);
            if (slots < MAX_SLOTS)
                vals[slots] = bits;
        }
    }
    unsigned expect = (unsigned)take(c, 1);
    struct expected want[MAX_SLOTS];
    unsigned nres = 0;
    const char *text = NULL;
    uint16_t tlen = 0;
    if (expect == 0) {
        nres = (unsigned)take(c, 1);
        for (unsigned i = 0; i < nres; i++) {
            struct expected e = { 0 };
            e.type = (uint8_t)take(c, 1);
            e.pattern = (uint8_t)take(c, 1);
            if (e.type == 0x7b)
                for (unsigned l = 0; l < 4; l++)
                    e.lane_pats[l] = (uint8_t)take(c, 1);
            e.bits[0] = take(c, 8);
            if (e.type == 0x7b)
                e.bits[1] = take(c, 8);
            if (i < MAX_SLOTS)
                want[i] = e;
        }
    } else if (expect == 1) {
        tlen = (uint16_t)take(c, 2);
        text = (const char *)take_bytes(c, tlen);
    }
    if (c->bad || slots > MAX_SLOTS || nres > MAX_SLOTS / 2)
        return;
    if (!inst) {
        fail(r, line, "no instance to invoke", NULL);
        return;
    }
    wasm_extern fn;
    if (!wasm_instance_export(inst, name, nlen, &fn)) {
        fail(r, line, "no such export", NULL);
        return;
    }
    int trap = wasm_call(s, &fn, vals);
    if (expect == 1) {
        const char *got = trap ? wasm_trap_message(trap) : "no trap";
        size_t glen = strlen(got);
        if (trap && glen <= tlen && !memcmp(got, text, glen))
            r->passed++;
        else
            fail(r, line, "expected a trap, got", got);
        return;
    }
    if (trap) {
        fail(r, line, "unexpected trap", wasm_trap_message(trap));
        return;
    }
    for (unsigned i = 0, slot = 0; expect == 0 && i < nres; i++) {
        if (!result_ok(&want[i], &vals[slot])) {
            fail(r, line, "wrong result", NULL);
            return;
        }
        slot += want[i].type == 0x7b ? 2 : 1;
    }
    r->passed++;
}

static int run_script(void *arg)
{
    struct run *r = arg;
    struct cursor c = { r->script, r->script + r->len, false };
    const uint8_t *magic = take_bytes(&c, 4);
    if (!magic || memcmp(magic, "AWTS", 4) || take(&c, 4) != 1) {
        fail(r, 0, "not a wasm test script", NULL);
        return 1;
    }
    wasm_store *s = wasm_store_new(WASM_BUDGET);
    if (!s) {
        fail(r, 0, "no memory for a store", NULL);
        return 1;
    }
    /* Instances live until their store goes, and their module and code
     * must outlive them: both are kept on this list until the end. */
    struct keep {
        wasm_module *mod;
        wasm_compiled *comp;
        struct keep *next;
    } *kept = NULL;
    wasm_instance *inst = NULL;
    while (!c.bad) {
        unsigned op = (unsigned)take(&c, 1);
        if (op == 0)
            break;
        if (op == 1) {
            size_t len = (size_t)take(&c, 4);
            const uint8_t *bytes = take_bytes(&c, len);
            if (!bytes)
                break;
            wasm_module *m = NULL;
            wasm_compiled *cp = NULL;
            inst = instantiate(r, s, bytes, len, &m, &cp);
            struct keep *k = kmalloc(sizeof *k);
            if (!k) {
                wasm_compiled_free(cp);
                wasm_module_free(m);
                inst = NULL;
                fail(r, 0, "out of memory", NULL);
                break;
            }
            *k = (struct keep){ m, cp, kept };
            kept = k;
            continue;
        }
        if (op == 2) {
            invoke(r, s, inst, &c);
            continue;
        }
        c.bad = true;
    }
    if (c.bad)
        fail(r, 0, "script truncated or corrupt", NULL);
    wasm_store_free(s);
    while (kept) {
        struct keep *k = kept;
        kept = k->next;
        wasm_compiled_free(k->comp);
        wasm_module_free(k->mod);
        kfree(k);
    }
    return 0;
}

KTEST_MANUAL(wasm_spec_script)
{
    int scripts = 0, passed = 0, failed = 0;
    struct heap_stats hb, ha;
    heap_get_stats(&hb);
    for (int i = 0; i < bootinfo.module_count; i++) {
        const struct boot_module *bm = &bootinfo.modules[i];
        const char *lost = boot_module_cmdline_problem(bm);
        KCHECK(!lost, "module %d's command line %s: cannot tell whether it is a script", i, lost);
        size_t n = strlen(bm->cmdline);
        if (n < 7 || strcmp(bm->cmdline + n - 7, " script"))
            continue;
        struct run r = { phys_to_virt(bm->start), bm->end - bm->start, bm->cmdline, 0, 0, 0 };
        struct thread *t = thread_create("wasm script", run_script, &r, RUNNER_STACK, true);
        KCHECK(t, "cannot create the runner thread");
        thread_start(t);
        thread_join(t);
        kprintf("    %s: %d passed, %d failed\n", bm->cmdline, r.passed, r.failed);
        passed += r.passed;
        failed += r.failed;
        scripts++;
    }
    heap_get_stats(&ha);
    KCHECK(scripts > 0, "no script among the boot modules");
    KCHECK(ha.live_allocs == hb.live_allocs, "the runs leaked %lld heap allocations",
           (long long)(ha.live_allocs - hb.live_allocs));
    KCHECK(failed == 0, "%d of %d commands failed", failed, passed + failed);
    KCHECK(passed > 0, "no command ran");
    return true;
}
