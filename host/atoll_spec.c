/* atoll_spec.c: runs the official spec tests, as converted by wast2json.
 *
 *   atoll-spec [-v|-vv] [--known FILE] [--sse] FILE.json...
 *
 * Every command runs: `module` (decoded, compiled, instantiated),
 * `assert_invalid` and `assert_malformed` (binary) here, and the commands
 * that execute code (`register`, `action`, `assert_return` with NaN
 * patterns, `assert_trap`, `assert_exhaustion`, `assert_unlinkable`,
 * `assert_uninstantiable`) in host/spec_exec.c, a store per file. Skipped:
 * text-format modules (the engine reads binaries). An expected
 * error passes when our message starts with the text the test quotes, as
 * the reference interpreter's runner checks. One line per file, then the
 * totals. -v prints each failure with file:line, what was expected, and
 * ours; -vv also each skip and why.
 * --known FILE names commands that cannot pass for a reason outside the
 * engine (a converter bug): they count as skipped, and -v says why.
 * --sse compiles SIMD with the SSE4.1 forms only, as on a CPU without AVX
 * (wasm_compile_use_avx), for the files after it (it may come between
 * them: one run, one total, covers both forms).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wasm/wasm.h"
#include "file.h"
#include "json.h"
#include "spec_exec.h"

static int verbose;

/* Known failures: "name.json:line reason" lines. */
static char **known;
static size_t nknown;

static void load_known(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    if (!f) {
        fprintf(stderr, "atoll-spec: cannot read %s\n", path);
        exit(2);
    }
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = 0;
        known = realloc(known, (nknown + 1) * sizeof *known);
        known[nknown++] = strdup(line);
    }
    fclose(f);
}

/* The reason a command is a known failure, or NULL. */
static const char *known_reason(const char *json, int line)
{
    const char *base = strrchr(json, '/');
    char key[512];
    snprintf(key, sizeof key, "%s:%d ", base ? base + 1 : json, line);
    for (size_t i = 0; i < nknown; i++)
        if (!strncmp(known[i], key, strlen(key)))
            return known[i] + strlen(key);
    return NULL;
}

struct counts {
    unsigned passed, failed, skipped;
};

/* Why commands were skipped, summed over all files. */
enum { SKIP_TEXT, SKIP_EXEC, SKIP_KNOWN, SKIP_REASONS };
static const char *const skip_reason[SKIP_REASONS] = {
    "text-format modules (the engine reads binaries)",
    "commands the engine cannot run yet (SIMD, or a module using it)",
    "known wast2json artifacts (--known)",
};
static unsigned skips[SKIP_REASONS];

static void skip(struct counts *c, int why)
{
    c->skipped++;
    skips[why]++;
}

static const char *str(const struct json *o, const char *key)
{
    return json_str(o, key, NULL);
}

static int line_of(const struct json *cmd)
{
    return (int)json_int(cmd, "line", 0);
}

/* Decodes dir/file; returns 1 if it decoded, 0 if refused (err filled),
 * -1 if the file could not be read. */
static int decode_file(const char *dir, const char *file, wasm_error *err)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *bytes = host_read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "atoll-spec: cannot read %s\n", path);
        snprintf(err->msg, sizeof err->msg, "cannot read the module file");
        return -1;
    }
    wasm_module *m = wasm_module_decode(bytes, len, NULL, err);
    free(bytes);
    wasm_module_free(m);
    return m != NULL;
}

static void fail(struct counts *c, const char *json, const struct json *cmd,
                 const char *expected, const wasm_error *err)
{
    c->failed++;
    if (!verbose)
        return;
    char where[256] = "";
    if (err && err->msg[0])
        wasm_error_format(err, NULL, where, sizeof where);
    printf("  FAIL %s:%d %s %s: expected %s%s%s, got %s\n", json, line_of(cmd),
           str(cmd, "type"), str(cmd, "filename") ? str(cmd, "filename") : "",
           expected ? "\"" : "", expected ? expected : "a valid module",
           expected ? "\"" : "", where[0] ? where : "a valid module");
}

static void run_command(struct counts *c, const char *json, const char *dir,
                        const struct json *cmd, struct spec_exec *x)
{
    const char *type = str(cmd, "type");
    const char *file = str(cmd, "filename");
    const char *mtype = str(cmd, "module_type");
    const char *text = str(cmd, "text");
    wasm_error err;
    const char *why = known_reason(json, line_of(cmd));

    if (why) {
        skip(c, SKIP_KNOWN);
        if (verbose)
            printf("  SKIP %s:%d known failure: %s\n", json, line_of(cmd), why);
        return;
    }
    if (!type) {
        skip(c, SKIP_EXEC);
        return;
    }
    if (!strcmp(type, "module") && file) {
        /* Valid is what counts here; a module the engine cannot compile
         * yet (SIMD) makes the commands that use it skip. */
        char msg[256];
        int r = spec_exec_command(x, dir, cmd, msg, sizeof msg);
        if (r == SPEC_SKIP && verbose > 1)
            printf("  NOTE %s:%d module %s\n", json, line_of(cmd), msg);
        if (r != SPEC_FAIL) {
            c->passed++;
        } else {
            memset(&err, 0, sizeof err);
            err.func = WASM_NO_FUNC;
            snprintf(err.msg, sizeof err.msg, "%.150s", msg);
            fail(c, json, cmd, NULL, &err);
        }
        return;
    }
    if ((!strcmp(type, "assert_invalid") || !strcmp(type, "assert_malformed"))
        && file) {
        if (mtype && strcmp(mtype, "binary")) {
            skip(c, SKIP_TEXT);
            return;
        }
        int r = decode_file(dir, file, &err);
        if (r == 0 && text && !strncmp(err.msg, text, strlen(text)))
            c->passed++;
        else
            fail(c, json, cmd, text ? text : "an error", r == 1 ? NULL : &err);
        return;
    }
    /* Everything that runs code: host/spec_exec.c. */
    char msg[256];
    int r = spec_exec_command(x, dir, cmd, msg, sizeof msg);
    if (r == SPEC_PASS) {
        c->passed++;
    } else if (r == SPEC_SKIP) {
        skip(c, SKIP_EXEC);
        if (verbose > 1)
            printf("  SKIP %s:%d %s: %s\n", json, line_of(cmd), type, msg);
    } else {
        c->failed++;
        if (verbose)
            printf("  FAIL %s:%d %s: %s\n", json, line_of(cmd), type, msg);
    }
}

static int run_file(const char *json, struct counts *total)
{
    size_t len;
    char err[256] = "cannot read the file";
    char *text = host_read_file(json, &len);
    struct json *root = text ? json_parse(text, len, err, sizeof err) : NULL;
    free(text);
    const struct json *cmds = json_get(root, "commands");
    if (!cmds || cmds->type != JSON_ARRAY) {
        printf("%s: cannot read commands: %s\n", json,
               root ? "no \"commands\" array" : err);
        json_free(root);
        total->failed++;
        return 1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", json);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");

    struct counts c = { 0, 0, 0 };
    struct spec_exec *x = spec_exec_new();      /* a store per file */
    if (!x) {
        printf("%s: out of memory\n", json);
        json_free(root);
        total->failed++;
        return 1;
    }
    for (size_t i = 0; i < cmds->n; i++)
        run_command(&c, json, dir, &cmds->items[i], x);
    spec_exec_free(x);
    json_free(root);
    printf("%s: %u passed, %u failed, %u skipped\n", json, c.passed, c.failed,
           c.skipped);
    total->passed += c.passed;
    total->failed += c.failed;
    total->skipped += c.skipped;
    return c.failed != 0;
}

int main(int argc, char **argv)
{
    struct counts total = { 0, 0, 0 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "-vv"))
            verbose = 2;
        else if (!strcmp(argv[i], "--known") && i + 1 < argc)
            load_known(argv[++i]);
        else if (!strcmp(argv[i], "--sse"))
            wasm_compile_use_avx(false);
        else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: atoll-spec [-v|-vv] [--known FILE] [--sse] FILE.json...\n");
        return 2;
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--sse"))
            wasm_compile_use_avx(false);
        else
            run_file(argv[i], &total);
    }
    for (int k = 0; k < SKIP_REASONS; k++)
        if (skips[k])
            printf("skipped %u: %s\n", skips[k], skip_reason[k]);
    printf("%u passed, %u failed, %u skipped\n", total.passed, total.failed,
           total.skipped);
    return total.failed != 0;
}
