/*
 * The archive is scanned once, at init; each file is compiled the first
 * time a program needs it and the module kept (a module is instantiable
 * any number of times), so the second `run` of a program and every env
 * instance after the first cost no compile.
 */
#include "user/userboot/programs.h"

#include "user/sdk/program_abi.h"
#include "user/userboot/wasmscan.h"

#define SHIM_FILE "env.wasm"
#define SHIM_NAME "env"
#define DEPTH_MAX 8     /* imports of imports of ... */
#define ADDED_MAX 30    /* instances of one program (the kernel allows 32) */

static atoll_handle area = -1;
static struct tar_entry files[TAR_ENTRIES_MAX];
static atoll_handle modules[TAR_ENTRIES_MAX]; /* 0: not compiled yet */
static int nfiles;
static char problem[96] = "no archive";

void programs_init(atoll_handle h)
{
    int64_t size = 0;
    nfiles = 0;
    if (atoll_handle_kind(h) != ATOLL_KIND_VMA || atoll_vma_size(h, &size) != ATOLL_OK) {
        atoll_log("userboot: no programs in the boot image\n");
        return;
    }
    area = h;
    nfiles = tar_scan(h, size, files, TAR_ENTRIES_MAX, problem, sizeof problem);
    atoll_logf("userboot: %d files in the programs archive (%lld bytes)\n", nfiles,
               (long long)size);
    if (problem[0])
        atoll_logf("userboot: programs archive: %s\n", problem);
}

int programs_count(void)
{
    return nfiles;
}

const struct tar_entry *programs_entry(int i)
{
    return i >= 0 && i < nfiles ? &files[i] : NULL;
}

const struct tar_entry *programs_find(const char *file)
{
    for (int i = 0; i < nfiles; i++)
        if (strcmp(files[i].name, file) == 0)
            return &files[i];
    return NULL;
}

const char *programs_problem(void)
{
    return problem;
}

enum program_kind programs_kind(const struct tar_entry *e)
{
    struct wasm_scan s;
    if (wasm_scan(area, e->off, e->size, ATOLL_ENTRY, &s))
        return PROGRAM_BAD;
    return s.has_entry ? PROGRAM_MAIN : PROGRAM_LIBRARY;
}

/* The module of file e, compiled once. */
static bool module_of(const struct tar_entry *e, atoll_handle *out)
{
    int i = (int)(e - files);
    if (!modules[i]) {
        atoll_handle m;
        if (atoll_module_create(area, e->off, e->size, &m) != ATOLL_OK)
            return false;
        modules[i] = m;
    }
    *out = modules[i];
    return true;
}

/* One program being built. */
struct build {
    atoll_handle comp;
    char added[ADDED_MAX][WASM_NAME_MAX + 1]; /* instance names, in order */
    int32_t index[ADDED_MAX];
    int nadded;
    const char *visiting[DEPTH_MAX + 1]; /* the chain of imports being followed */
    char *why;
    size_t why_size;
};

static bool add_named(struct build *b, const char *name, const struct tar_entry *e,
                      int32_t *index)
{
    atoll_handle mod;
    if (!module_of(e, &mod)) {
        fmt_snprintf(b->why, b->why_size, "%s is not a valid module (the kernel log says why)",
                     e->name);
        return false;
    }
    if (b->nadded == ADDED_MAX) {
        fmt_snprintf(b->why, b->why_size, "too many instances");
        return false;
    }
    int32_t r = atoll_component_add_named(b->comp, mod, ATOLL_SELF, atoll_off(name),
                                          (int64_t)strlen(name), index);
    if (r != ATOLL_OK) {
        fmt_snprintf(b->why, b->why_size, "%s did not instantiate: %s (the kernel log says why)",
                     e->name, atoll_result_name(r));
        return false;
    }
    memcpy(b->added[b->nadded], name, strlen(name) + 1);
    b->index[b->nadded++] = *index;
    return true;
}

/* Adds module `name` after the modules it imports from; its instance
 * index in *index. */
static bool add_tree(struct build *b, const char *name, int depth, int32_t *index)
{
    for (int i = 0; i < b->nadded; i++) {
        if (strcmp(b->added[i], name) == 0) {
            *index = b->index[i];
            return true;
        }
    }
    for (int i = 0; i < depth; i++) {
        if (strcmp(b->visiting[i], name) == 0) {
            fmt_snprintf(b->why, b->why_size, "%s imports itself (through %s)", name,
                         b->visiting[depth - 1]);
            return false;
        }
    }
    if (depth > DEPTH_MAX) {
        fmt_snprintf(b->why, b->why_size, "imports nest deeper than %d", DEPTH_MAX);
        return false;
    }
    char file[WASM_NAME_MAX + 8];
    fmt_snprintf(file, sizeof file, "%s.wasm", name);
    const struct tar_entry *e = programs_find(file);
    if (!e) {
        if (depth == 0)
            fmt_snprintf(b->why, b->why_size, "no such program");
        else
            fmt_snprintf(b->why, b->why_size, "%s imports from %s, which is not among the programs",
                         b->visiting[depth - 1], name);
        return false;
    }
    struct wasm_scan s;
    const char *bad = wasm_scan(area, e->off, e->size, ATOLL_ENTRY, &s);
    if (bad) {
        fmt_snprintf(b->why, b->why_size, "%s: %s", file, bad);
        return false;
    }
    if (depth == 0 && !s.has_entry) {
        fmt_snprintf(b->why, b->why_size, "%s has no %s export: not a program", file, ATOLL_ENTRY);
        return false;
    }
    b->visiting[depth] = name;
    for (int i = 0; i < s.ndeps; i++) {
        int32_t unused;
        if (!add_tree(b, s.deps[i], depth + 1, &unused))
            return false;
    }
    return add_named(b, name, e, index);
}

bool programs_build(const char *name, atoll_handle console, atoll_handle *comp,
                    int32_t *index, char *why, size_t why_size)
{
    static struct build b;
    memset(&b, 0, sizeof b);
    b.why = why;
    b.why_size = why_size;
    b.comp = -1;
    if (area < 0) {
        fmt_snprintf(why, why_size, "this image has no programs");
        return false;
    }
    char file[WASM_NAME_MAX + 8];
    if (strlen(name) > WASM_NAME_MAX ||
        (fmt_snprintf(file, sizeof file, "%s.wasm", name), !programs_find(file))) {
        fmt_snprintf(why, why_size, "no such program");
        return false;
    }
    const struct tar_entry *shim = programs_find(SHIM_FILE);
    if (!shim) {
        fmt_snprintf(why, why_size, "%s is missing from the programs", SHIM_FILE);
        return false;
    }
    int32_t r = atoll_component_create(&b.comp);
    if (r != ATOLL_OK) {
        fmt_snprintf(why, why_size, "component_create: %s", atoll_result_name(r));
        return false;
    }
    /* Grants first: an instance sees the grants made before it is added. */
    int32_t grant;
    r = atoll_component_grant(b.comp, console, &grant);
    if (r != ATOLL_OK || grant != ATOLL_CONSOLE_GRANT) {
        fmt_snprintf(why, why_size, "component_grant: %s", atoll_result_name(r));
        goto fail;
    }
    int32_t unused;
    if (!add_named(&b, SHIM_NAME, shim, &unused) || !add_tree(&b, name, 0, index))
        goto fail;
    *comp = b.comp;
    return true;
fail:
    atoll_handle_drop(b.comp);
    return false;
}
