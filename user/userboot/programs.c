/*
 * The archive is scanned once, at init; each file is compiled the first
 * time a program needs it and the module kept (a module is instantiable
 * any number of times), so the second `run` of a program and every env
 * instance after the first cost no compile. A program's component is
 * planned from the import sections at once, then built by the shell's
 * ticks, one add after the other: a start function runs on the program's
 * thread, and one that never returns cannot stop the shell.
 */
#include "user/userboot/programs.h"

#include "user/sdk/program_abi.h"
#include "user/userboot/wasmscan.h"

#define SHIM_FILE "env.wasm"
#define SHIM_NAME "env"
#define DEPTH_MAX 8     /* imports of imports of ... */

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

/* Scans e for the Atoll entry, then, without it, for WASI's; NULL or
 * why the module is refused. */
static const char *scan_kind(const struct tar_entry *e, struct wasm_scan *s,
                             enum program_kind *kind)
{
    const char *bad = wasm_scan(area, e->off, e->size, ATOLL_ENTRY, s);
    *kind = s->has_entry ? PROGRAM_MAIN : PROGRAM_LIBRARY;
    if (!bad && !s->has_entry) {
        bad = wasm_scan(area, e->off, e->size, ATOLL_WASI_ENTRY, s);
        if (!bad && s->has_entry)
            *kind = PROGRAM_WASI;
    }
    return bad;
}

enum program_kind programs_kind(const struct tar_entry *e)
{
    struct wasm_scan s;
    enum program_kind kind;
    return scan_kind(e, &s, &kind) ? PROGRAM_BAD : kind;
}

/* The module of file e, compiled once: ATOLL_OK, or module_create's
 * result (EINVAL: not a valid module; EINTERNAL: out of memory, or over
 * a limit). */
static int32_t module_of(const struct tar_entry *e, atoll_handle *out)
{
    int i = (int)(e - files);
    if (!modules[i]) {
        atoll_handle m;
        int32_t r = atoll_module_create(area, e->off, e->size, &m);
        if (r != ATOLL_OK)
            return r;
        modules[i] = m;
    }
    *out = modules[i];
    return ATOLL_OK;
}

/* The walk over a program's imports. */
struct walk {
    struct program_plan *plan;
    const char *visiting[DEPTH_MAX + 1]; /* the chain of imports being followed */
    char *why;
    size_t why_size;
};

static bool plan_add(struct walk *w, const char *name, const struct tar_entry *e)
{
    struct program_plan *p = w->plan;
    if (p->n == PROGRAMS_PLAN_MAX) {
        fmt_snprintf(w->why, w->why_size, "too many instances");
        return false;
    }
    memcpy(p->names[p->n], name, strlen(name) + 1);
    p->files[p->n++] = e;
    return true;
}

/* Plans module `name` after the modules it imports from. */
static bool plan_tree(struct walk *w, const char *name, int depth)
{
    for (int i = 0; i < w->plan->n; i++)
        if (strcmp(w->plan->names[i], name) == 0)
            return true;
    for (int i = 0; i < depth; i++) {
        if (strcmp(w->visiting[i], name) == 0) {
            fmt_snprintf(w->why, w->why_size, "%s imports itself (through %s)", name,
                         w->visiting[depth - 1]);
            return false;
        }
    }
    if (depth > DEPTH_MAX) {
        fmt_snprintf(w->why, w->why_size, "imports nest deeper than %d", DEPTH_MAX);
        return false;
    }
    char file[WASM_NAME_MAX + 8];
    fmt_snprintf(file, sizeof file, "%s.wasm", name);
    const struct tar_entry *e = programs_find(file);
    if (!e) {
        if (depth == 0)
            fmt_snprintf(w->why, w->why_size, "no such program");
        else
            fmt_snprintf(w->why, w->why_size, "%s imports from %s, which is not among the programs",
                         w->visiting[depth - 1], name);
        return false;
    }
    struct wasm_scan s;
    enum program_kind kind;
    const char *bad = scan_kind(e, &s, &kind);
    if (bad) {
        fmt_snprintf(w->why, w->why_size, "%s: %s", file, bad);
        return false;
    }
    if (depth == 0 && kind == PROGRAM_LIBRARY) {
        fmt_snprintf(w->why, w->why_size, "%s exports neither %s nor %s: not a program", file,
                     ATOLL_ENTRY, ATOLL_WASI_ENTRY);
        return false;
    }
    if (depth == 0 && kind == PROGRAM_WASI) {
        /* The layer first, on the env planned before it (its own memory);
         * then, for a command that calls the kernel too (user/sdk/atoll.h),
         * a second env: the command's memory and SDK table. Imports
         * resolve to the latest instance of a name, so the command and
         * the modules after it link to this one, never to the layer's. */
        w->plan->wasi = true;
        w->visiting[0] = name;
        if (!plan_tree(w, ATOLL_WASI_LAYER, 1))
            return false;
        if (s.uses_env) {
            w->plan->own_env = true;
            if (!plan_add(w, SHIM_NAME, programs_find(SHIM_FILE)))
                return false;
        }
    } else if (w->plan->wasi && s.uses_env && !w->plan->own_env &&
               strcmp(name, ATOLL_WASI_LAYER) != 0) {
        /* Its env would be the layer's: its memory and its handles. */
        fmt_snprintf(w->why, w->why_size,
                     "%s imports from env but %s does not: it would share the WASI layer's",
                     name, w->visiting[0]);
        return false;
    }
    w->visiting[depth] = name;
    for (int i = 0; i < s.ndeps; i++)
        if (!plan_tree(w, s.deps[i], depth + 1))
            return false;
    return plan_add(w, name, e);
}

bool programs_plan(const char *name, struct program_plan *plan, char *why, size_t why_size)
{
    struct walk w = { .plan = plan, .why = why, .why_size = why_size };
    plan->n = 0;
    plan->wasi = false;
    plan->own_env = false;
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
    return plan_add(&w, SHIM_NAME, shim) && plan_tree(&w, name, 0);
}

bool programs_build_begin(struct program_build *b, const atoll_handle *grants, int ngrants,
                          char *why, size_t why_size)
{
    b->next = 0;
    b->adding = false;
    b->index = -1;
    int32_t r = atoll_component_create(&b->comp);
    if (r != ATOLL_OK) {
        fmt_snprintf(why, why_size, "component_create: %s", atoll_result_name(r));
        return false;
    }
    /* Grants first: an instance sees the grants made before it is added. */
    for (int i = 0; i < ngrants; i++) {
        int32_t grant;
        r = atoll_component_grant(b->comp, grants[i], &grant);
        if (r != ATOLL_OK || grant != i) {
            fmt_snprintf(why, why_size, "component_grant: %s", atoll_result_name(r));
            atoll_handle_drop(b->comp);
            return false;
        }
    }
    return true;
}

/* Why the component's last add failed, as the kernel describes it, into
 * why after "FILE did not instantiate: ". */
static void add_failure(struct program_build *b, int64_t value, char *why, size_t why_size)
{
    static const char prefix[] = "add failed: ";
    static char text[192];
    int64_t n = 0;
    if (atoll_component_describe(b->comp, ATOLL_SELF, atoll_off(text), (int64_t)sizeof text - 1,
                                 &n) != ATOLL_OK || n <= 0)
        n = 0;
    text[n] = 0;
    const char *reason = atoll_result_name((int32_t)-value);
    if (strncmp(text, prefix, sizeof prefix - 1) == 0 && text[sizeof prefix - 1])
        reason = text + sizeof prefix - 1;
    fmt_snprintf(why, why_size, "%s did not instantiate: %s", b->plan.files[b->next]->name,
                 reason);
}

enum build_step programs_build_step(struct program_build *b, char *why, size_t why_size)
{
    if (b->adding) {
        int64_t value = 0;
        int32_t state = atoll_component_status(b->comp, &value);
        if (state == ATOLL_STATE_RUNNING)
            return BUILD_WAIT;
        if (state != ATOLL_STATE_IDLE)
            return BUILD_ENDED;
        if (value < 0) {
            add_failure(b, value, why, why_size);
            return BUILD_FAILED;
        }
        b->adding = false;
        if (b->next == b->plan.n - 1)
            b->index = (int32_t)value;
        b->next++;
    }
    if (b->next == b->plan.n)
        return BUILD_DONE;
    const struct tar_entry *e = b->plan.files[b->next];
    const char *name = b->plan.names[b->next];
    atoll_handle mod;
    int32_t made = module_of(e, &mod);
    if (made != ATOLL_OK) {
        /* A big module refused for memory is no invalid one: say which. */
        fmt_snprintf(why, why_size, made == ATOLL_EINTERNAL
                         ? "%s was not compiled: out of memory or over a limit (the kernel log "
                           "says which)"
                         : "%s is not a valid module (the kernel log says why)", e->name);
        return BUILD_FAILED;
    }
    int32_t r = atoll_component_add_start(b->comp, mod, ATOLL_SELF, atoll_off(name),
                                          (int64_t)strlen(name));
    if (r != ATOLL_OK) {
        fmt_snprintf(why, why_size, "%s did not instantiate: %s", e->name, atoll_result_name(r));
        return BUILD_FAILED;
    }
    b->adding = true;
    return BUILD_WAIT;
}
