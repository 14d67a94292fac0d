/*
 * atoll-run's WASI mode (host/wasi_run.c, docs/wasi.md).
 */
#ifndef HOST_WASI_RUN_H
#define HOST_WASI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "../wasm/wasm.h"

/* What the command line asks of a run besides the program. */
struct wasi_opts {
    int envc;
    char **envp;            /* "K=V" */
    int ndirs;
    char **dirs;            /* "HOST" or "HOST::GUEST": preopened folders */
    bool trap_unknown;      /* a function import nobody provides traps when
                             * called (wasmtime's --trap-unknown-imports)
                             * instead of refusing the program */
};

/* Runs the WASI command at path (its bytes, len of them, and m, the
 * engine's decoding of them: both taken over and freed) with arguments
 * argv[0..argc) (argv[0]: its name) on the hosted kernel and the WASI
 * layer, with this process's stdin and stdout, and the host folders of
 * o->dirs behind its file service (host/hostfs.c). Returns the exit
 * status for the process: the program's (0 when _start returns), 1 when
 * it could not be run (the reason on stderr), 134 after a trap. */
int wasi_run(const char *path, char *bytes, size_t len, wasm_module *m, int argc, char **argv,
             const struct wasi_opts *o);

#endif
