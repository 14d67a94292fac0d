/*
 * The programs of the boot image: a ustar archive of .wasm files the
 * kernel grants userboot as a read-only memory area (program_abi.h,
 * ATOLL_BOOT_GRANT_PROGRAMS), and how a program's component is built from
 * them (the launcher side of the program model).
 */
#ifndef USERBOOT_PROGRAMS_H
#define USERBOOT_PROGRAMS_H

#include <stdbool.h>

#include "user/sdk/atoll.h"
#include "user/userboot/ustar.h"
#include "user/userboot/wasmscan.h"

/* Reads the archive in area (an SDK handle; anything but a memory area
 * means the image has no programs). Logs how many files it holds and, for
 * a damaged archive, why it stopped. */
void programs_init(atoll_handle area);

/* The files read from the archive, in archive order (0 if none). */
int programs_count(void);
const struct tar_entry *programs_entry(int i);
/* The file named exactly `file` ("hello.wasm"), or NULL. */
const struct tar_entry *programs_find(const char *file);
/* What went wrong reading the archive ("" if nothing); "no archive" if
 * the image has none. */
const char *programs_problem(void);

/* What a file of the archive is, as far as its import and export
 * sections tell (the kernel validates the rest when it is run). */
enum program_kind {
    PROGRAM_BAD = -1,    /* not a module the reader can follow */
    PROGRAM_MAIN = 0,    /* exports ATOLL_ENTRY: a program */
    PROGRAM_LIBRARY = 1, /* a module without it (a dependency, the shim) */
    PROGRAM_WASI = 2,    /* exports _start instead: a WASI command (docs/wasi.md) */
};
enum program_kind programs_kind(const struct tar_entry *e);

/* Instances of one program: the kernel allows 32 a component. */
#define PROGRAMS_PLAN_MAX 30

/* What program `name`'s component is made of, in the order the instances
 * are added: env.wasm as "env", the modules it imports from by name
 * (found as NAME.wasm, depth-first, each once), the program last, named
 * `name`. A WASI command's plan starts env, ATOLL_WASI_LAYER (the layer,
 * on that env); when the command imports from env itself (it calls the
 * kernel through the SDK), a second env follows, the command's own, and
 * then its other dependencies (docs/programs.md). */
struct program_plan {
    char names[PROGRAMS_PLAN_MAX][WASM_NAME_MAX + 1];
    const struct tar_entry *files[PROGRAMS_PLAN_MAX];
    int n;
    bool wasi;     /* a WASI command: started at _start, on the WASI layer */
    bool own_env;  /* ...with an env of its own after the layer's */
};

/* Fills plan from the archive's import sections alone (nothing is
 * compiled or instantiated). Returns true, or false with the reason in
 * why: no such program, not a program, a library missing, an import
 * cycle, a module the reader cannot follow, too many instances. */
bool programs_plan(const char *name, struct program_plan *plan, char *why, size_t why_size);

/* A component being built from a plan, one add at a time, without ever
 * waiting for a start function (it may never return): the adds are
 * queued on the program's own thread (atoll_component_add_start) and
 * their outcome read at later steps. */
struct program_build {
    struct program_plan plan;
    atoll_handle comp;
    int next;      /* the plan's entry being added, or next to add */
    bool adding;   /* its add is queued or running */
    int32_t index; /* the program's instance, once added */
};

enum build_step {
    BUILD_WAIT,   /* an add is under way: step again later */
    BUILD_DONE,   /* every instance is there: the program's is b->index */
    BUILD_FAILED, /* why says why (the component was not dropped) */
    BUILD_ENDED,  /* the component ended (killed) while it was built */
};

/* Makes the component of b->plan and grants it grants[0..ngrants), each
 * at its index (program_abi.h: ATOLL_CONSOLE_GRANT...). Returns true, or
 * false with the reason in why, having dropped whatever it made. */
bool programs_build_begin(struct program_build *b, const atoll_handle *grants, int ngrants,
                          char *why, size_t why_size);

/* Reads how the add under way went and starts the next one (compiling
 * its module the first time one needs it). Never blocks on the
 * program's thread. */
enum build_step programs_build_step(struct program_build *b, char *why, size_t why_size);

#endif
