/*
 * atoll-run's WASI mode (host/wasi_run.c, docs/wasi.md).
 */
#ifndef HOST_WASI_RUN_H
#define HOST_WASI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "../wasm/wasm.h"

/* Runs the WASI command at path (its bytes, len of them, and m, the
 * engine's decoding of them: both taken over and freed) with arguments
 * argv[0..argc) (argv[0]: its name) and environment envp[0..envc)
 * ("K=V") on the hosted kernel and the WASI layer, with this process's
 * stdin and stdout. Returns the
 * exit status for the process: the program's (0 when _start returns), 1
 * when it could not be run (the reason on stderr), 134 after a trap.
 * trap_unknown: a function import nobody provides traps when called
 * (wasmtime's --trap-unknown-imports) instead of refusing the program. */
int wasi_run(const char *path, char *bytes, size_t len, wasm_module *m, int argc, char **argv,
             int envc, char **envp, bool trap_unknown);

#endif
