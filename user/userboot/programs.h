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
};
enum program_kind programs_kind(const struct tar_entry *e);

/* Builds program `name`'s component, ready to start: a new component, the
 * grants (console at ATOLL_CONSOLE_GRANT), then instances: env.wasm as
 * "env", the modules it imports from by name (found as NAME.wasm,
 * depth-first, each once), the program last, named `name`. Returns true
 * with the component and the program's instance index; false with the
 * reason in why, having dropped whatever it made. */
bool programs_build(const char *name, atoll_handle console, atoll_handle *comp,
                    int32_t *index, char *why, size_t why_size);

#endif
