/*
 * program.h — the freestanding runtime of an Atoll program
 * (docs/programs.md, "Without a C library").
 *
 * Programs are built on wasi-libc (user/sdk/program.mk): they write
 * int main, use <stdio.h>, and reach the kernel through atoll.h. This
 * header is for the few that cannot be WASI commands, built with
 * FREESTANDING = 1: the WASI layer itself (it cannot import the
 * interface it implements), a program booted as userboot (tests/ipc),
 * and the tests of this runtime. Such a program is an ordinary C file with
 *
 *     int main(int argc, char **argv)      (or int main(void))
 *
 * linked with user/sdk/program.c, which exports the entry the launcher
 * starts (ATOLL_ENTRY, "atoll_start"): it reads the arguments from the
 * console its launcher granted, calls main, and returns main's result as
 * the exit status. Output goes to that console's ring, as
 * user/sdk/program_abi.h lays it out; a program started with no console
 * (no grant, or not a console) writes to the kernel's serial log instead.
 *
 * Writes are not buffered: each call has reached the console (or the log)
 * when it returns, so a program that then loops or traps loses nothing.
 * A write waits while the ring is full, until the launcher drains it.
 */
#ifndef ATOLL_PROGRAM_H
#define ATOLL_PROGRAM_H

#ifdef __wasi__
#error "program.h is the freestanding runtime: on wasi-libc use <stdio.h>, atoll.h and service.h"
#endif

#include <stdarg.h>
#include <stdbool.h>

#include "user/sdk/atoll.h"
#include "user/sdk/program_abi.h"
#include "user/sdk/service.h"

/* The program defines main, as int main(int argc, char **argv) or
 * int main(void) (clang gives both the same symbol on wasm32, which is why
 * it is not declared here). atoll_start calls it once; argv[argc] is NULL;
 * argv[0] is the name the program was started as ("" with no console).
 * Its result is the program's exit status. */

/* Writes n bytes of p to the program's output. Returns ATOLL_OK, or the
 * result of the call that failed (output is then lost, not retried). */
int32_t atoll_write(const void *p, size_t n);

/* The arguments the launcher put on the console, for a layer that hands
 * them on (the WASI layer): their count, with their block (that many
 * NUL-terminated strings, *len bytes) copied into buf (size bytes, one
 * more than the block for a final NUL); -1 with no console or a block
 * too large for buf. */
int32_t atoll_args_block(char *buf, size_t size, uint32_t *len);

/* Errors: a launcher may give a second console for a program's errors
 * (the WASI layer's stderr under atoll-run, so that the host's stderr
 * gets them). set takes handle h as that console (false if it is not a
 * well-formed one; output then stays on the first); write_error writes
 * there, or as atoll_write when there is none. */
bool atoll_set_error_console(atoll_handle h);
int32_t atoll_write_error(const void *p, size_t n);

/* Writes s and a newline, as puts does. */
int32_t atoll_puts(const char *s);

/* Formats as printf does (lib/fmt.h: no floats) and writes the result,
 * with no length limit. Returns the number of bytes produced. */
int atoll_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int atoll_vprintf(const char *fmt, va_list ap);

/* Reads input: up to n bytes of what the user typed while the program
 * runs in the foreground (program_abi.h), waiting until a line comes.
 * Returns the bytes read, 0 at the end of input (Ctrl+D), or -result
 * when the program has no input channel. */
int64_t atoll_read(void *buf, size_t n);

/* Waits until input can be read without waiting (a line is there, or its
 * end: *ready is the bytes buffered, 0 at the end) and returns 1; 0 when
 * the deadline (atoll_clock_ns; ATOLL_FOREVER: none) passed first; -result
 * with no input channel. Takes nothing: the next atoll_read does. */
int32_t atoll_input_wait(int64_t deadline, uint64_t *ready);

/* 1 if output goes to a console, 0 if to the serial log. Valid once
 * atoll_start has begun (that is, anywhere in main). */
int atoll_has_console(void);

#endif
