/* atoll_run.c: runs a WebAssembly module on Linux with Atoll's engine.
 *
 *   atoll-run [--env NAME=VALUE]... [--dir HOST[::GUEST]]... [--trap-unknown-imports]
 *             PROG.wasm [ARG...]
 *   atoll-run [--time] [--timeout MS] [--sse] FILE.wasm [--invoke NAME [ARG...]]
 *
 * A WASI command (a module that imports from wasi_snapshot_preview1 and
 * exports _start) runs as wasmtime runs one: on the hosted kernel with
 * the WASI layer (host/wasi_run.c, docs/wasi.md), with this process's
 * stdin and stdout and the arguments after PROG.wasm; atoll-run exits
 * with its status. --env sets a variable; --dir preopens a host folder
 * (under the name GUEST, by default HOST itself) through the file
 * service's host store (host/hostfs.c); with --trap-unknown-imports a function import nobody provides traps when
 * called instead of refusing the program. Anything else:
 *
 * Decodes, validates, compiles and instantiates FILE (imports from the
 * `spectest` module are provided; any other import is an error), which
 * runs its start function. With --invoke, calls the export NAME with the
 * arguments (i32/i64 as decimal or 0x hex, f32/f64 as C float literals,
 * nan and inf included) and prints each result on a line. Without it,
 * calls `_start` if the module exports one. A trap prints its kind and
 * the function's name and exits with status 1; other errors exit with 2.
 * --timeout stops a call running longer than MS milliseconds (an
 * "interrupted" trap), the way the kernel's timer stops a runaway one.
 * --sse compiles SIMD with the SSE4.1 encodings only, as on a CPU
 * without AVX (to compare, or to test that path on an AVX machine).
 * --time prints to stderr how long decoding and compiling, instantiating
 * and the call took: "atoll-run: time: compile N ns, instantiate N ns,
 * call N ns" (monotonic clock; the benchmark harness reads the call's).
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../wasm/wasm.h"
#include "linux_trap.h"
#include "file.h"
#include "spectest.h"
#include "wasi_run.h"

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "atoll-run: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

static uint64_t parse(const char *s, uint8_t type)
{
    char *end;
    errno = 0;
    uint64_t v = 0;
    if (type == 0x7f || type == 0x7e) {
        if (s[0] == '-')
            v = (uint64_t)strtoll(s, &end, 0);
        else
            v = strtoull(s, &end, 0);
        if (type == 0x7f)
            v = (uint32_t)v;
    } else if (type == 0x7d) {
        float f = strtof(s, &end);
        uint32_t b;
        memcpy(&b, &f, 4);
        v = b;
    } else if (type == 0x7c) {
        double d = strtod(s, &end);
        memcpy(&v, &d, 8);
    } else {
        v = strcmp(s, "null") ? strtoull(s, &end, 0) : (end = (char *)s + 4, 0);
    }
    if (*end || errno)
        die("bad argument %s", s);
    return v;
}

/* A v128 argument: 0x and up to 32 hex digits, the value as one 128-bit
 * number (lane 0 in the low bits), into two slots, low first. */
static void parse_v128(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    if (n < 3 || n > 34 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        die("bad v128 argument %s (0x and up to 32 hex digits)", s);
    out[0] = out[1] = 0;
    for (size_t i = 2; i < n; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d > 15)
            die("bad v128 argument %s", s);
        out[1] = out[1] << 4 | out[0] >> 60;
        out[0] = out[0] << 4 | d;
    }
}

static void print(uint64_t v, uint8_t type)
{
    float f;
    double d;
    uint32_t b;
    switch (type) {
    case 0x7f: printf("%" PRId32 " : i32\n", (int32_t)v); break;
    case 0x7e: printf("%" PRId64 " : i64\n", (int64_t)v); break;
    case 0x7d:
        b = (uint32_t)v;
        memcpy(&f, &b, 4);
        printf("%.9g : f32 (0x%08" PRIx32 ")\n", f, b);
        break;
    case 0x7c:
        memcpy(&d, &v, 8);
        printf("%.17g : f64 (0x%016" PRIx64 ")\n", d, v);
        break;
    default:
        if (v)
            printf("ref 0x%" PRIx64 "\n", v);
        else
            printf("ref.null\n");
    }
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* When the module at path imports from wasi_snapshot_preview1 (read by
 * the engine's decoder; a module it refuses is not one): true with its
 * bytes and decoded module, which wasi_run takes over. */
static bool is_wasi(const char *path, char **bytes, size_t *len, wasm_module **out)
{
    *bytes = host_read_file(path, len);
    if (!*bytes)
        return false;
    wasm_error err;
    wasm_module *m = wasm_module_decode(*bytes, *len, NULL, &err);
    bool wasi = false;
    for (uint32_t i = 0; m && i < wasm_module_num_imports(m) && !wasi; i++) {
        wasm_import_desc d;
        wasm_module_import(m, i, &d);
        wasi = d.module_len == 22 && !memcmp(d.module, "wasi_snapshot_preview1", 22);
    }
    if (!wasi) {
        if (m)
            wasm_module_free(m);
        free(*bytes);
        return false;
    }
    *out = m;
    return true;
}

#define WASI_ENV_MAX 256
#define WASI_DIRS_MAX 64

int main(int argc, char **argv)
{
    unsigned timeout = 0;
    bool timed = false;
    char *envs[WASI_ENV_MAX], *dirs[WASI_DIRS_MAX];
    struct wasi_opts wo = { .envp = envs, .dirs = dirs };
    for (;;) {
        if (argc > 1 && !strcmp(argv[1], "--trap-unknown-imports")) {
            wo.trap_unknown = true;
            argv++;
            argc--;
            continue;
        }
        if (argc > 2 && !strcmp(argv[1], "--env")) {
            if (wo.envc == WASI_ENV_MAX || !strchr(argv[2], '='))
                die("--env %s: NAME=VALUE, at most 256 of them", argv[2]);
            envs[wo.envc++] = argv[2];
            argv += 2;
            argc -= 2;
            continue;
        }
        if (argc > 2 && !strcmp(argv[1], "--dir")) {
            if (wo.ndirs == WASI_DIRS_MAX)
                die("--dir %s: at most 64 folders", argv[2]);
            dirs[wo.ndirs++] = argv[2];
            argv += 2;
            argc -= 2;
            continue;
        }
        char *wbytes;
        size_t wlen;
        wasm_module *wm;
        if (argc > 1 && argv[1][0] != '-' && (argc == 2 || strcmp(argv[2], "--invoke")) &&
            is_wasi(argv[1], &wbytes, &wlen, &wm))
            return wasi_run(argv[1], wbytes, wlen, wm, argc - 1, argv + 1, &wo);
        if (argc > 2 && !strcmp(argv[1], "--timeout")) {
            timeout = (unsigned)strtoul(argv[2], NULL, 0);
            argv += 2;
            argc -= 2;
        } else if (argc > 1 && !strcmp(argv[1], "--time")) {
            timed = true;
            argv++;
            argc--;
        } else if (argc > 1 && !strcmp(argv[1], "--sse")) {
            wasm_compile_use_avx(false);
            argv++;
            argc--;
        } else {
            break;
        }
    }
    if (argc < 2 || (argc > 2 && (strcmp(argv[2], "--invoke") || argc < 4))) {
        fprintf(stderr, "usage: atoll-run [--time] [--timeout MS] [--sse] FILE.wasm "
                        "[--invoke NAME [ARG...]]\n");
        return 2;
    }
    long long t0 = now_ns(), t1, t2, t3;
    size_t len;
    unsigned char *bytes = (unsigned char *)host_read_file(argv[1], &len);
    if (!bytes)
        die("cannot read %s", argv[1]);
    wasm_error err;
    char msg[256];
    wasm_module *m = wasm_module_decode(bytes, len, NULL, &err);
    free(bytes);
    if (!m)
        die("%s", wasm_error_format(&err, NULL, msg, sizeof msg));
    wasm_compiled *c = wasm_compile(m, &err);
    if (!c)
        die("%s", wasm_error_format(&err, m, msg, sizeof msg));
    t1 = now_ns();
    wasm_store *s = wasm_store_new(0);
    if (!s)
        die("%s", "out of memory");

    /* Imports: spectest only. */
    uint32_t n = wasm_module_num_imports(m);
    wasm_extern *imports = calloc(n ? n : 1, sizeof *imports);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_desc d;
        char field[128];
        wasm_module_import(m, i, &d);
        snprintf(field, sizeof field, "%.*s", (int)d.field_len, d.field);
        if (d.module_len != 8 || memcmp(d.module, "spectest", 8) ||
            !spectest_lookup(s, field, &imports[i]) || imports[i].kind != d.kind) {
            snprintf(msg, sizeof msg, "unknown import %.*s.%s", (int)d.module_len,
                     d.module, field);
            die("%s", msg);
        }
    }
    int trap;
    wasm_instance *inst = wasm_instantiate(s, c, imports, n, &err, &trap);
    if (!inst) {
        if (trap) {
            const char *fn = wasm_store_trap_func(s, NULL);
            fprintf(stderr, "atoll-run: trap in start: %s (in %s)\n",
                    wasm_trap_message(trap), fn ? fn : "?");
            return 1;
        }
        die("%s", err.msg);
    }

    t2 = now_ns();
    const char *name = argc > 2 ? argv[3] : "_start";
    wasm_extern fn;
    if (!wasm_instance_export(inst, name, strlen(name), &fn) || fn.kind != 0) {
        if (argc > 2)
            die("no exported function %s", name);
        return 0;
    }
    uint32_t np, nr;
    const uint8_t *params, *results;
    wasm_func_type(&fn, &np, &params, &nr, &results);
    if ((int)np != argc - 4 && argc > 2)
        die("wrong number of arguments for %s", name);
    /* A v128 takes two slots (wasm.h). */
    uint64_t *vals = calloc(2 * (np > nr ? np : nr) + 1, 8);
    for (uint32_t i = 0, slot = 0; i < np; i++) {
        if (params[i] == 0x7b) {
            parse_v128(argv[4 + i], &vals[slot]);
            slot += 2;
        } else {
            vals[slot++] = parse(argv[4 + i], params[i]);
        }
    }
    if (timeout && !linux_trap_timeout(timeout))
        die("%s", "cannot set the timer");
    t3 = now_ns();
    int t = wasm_call(s, &fn, vals);
    if (timed)
        fprintf(stderr, "atoll-run: time: compile %lld ns, instantiate %lld ns, call %lld ns\n",
                t1 - t0, t2 - t1, now_ns() - t3);
    if (t) {
        uint32_t fi;
        const char *where = wasm_store_trap_func(s, &fi);
        fprintf(stderr, "atoll-run: trap: %s (in function %s, index %" PRIu32 ")\n",
                wasm_trap_message(t), where ? where : "?", fi);
        return 1;
    }
    for (uint32_t i = 0, slot = 0; i < nr; i++) {
        if (results[i] == 0x7b) {
            printf("0x%016" PRIx64 "%016" PRIx64 " : v128\n", vals[slot + 1], vals[slot]);
            slot += 2;
        } else {
            print(vals[slot++], results[i]);
        }
    }
    return 0;
}
