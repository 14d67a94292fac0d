/*
 * Jobs: the programs the shell started (run), each a component with a
 * console (program_abi.h). At every tick the shell adds the next instance
 * of the ones loading, copies what the running ones wrote to the screen
 * and the serial log, and reports the ones that ended.
 */
#ifndef USERBOOT_JOBS_H
#define USERBOOT_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "user/sdk/atoll.h"

#define JOBS_MAX 16
#define JOB_NAME_MAX 32

/* Moves loading jobs on (the next add, or the start of the program),
 * drains every job's console and reports the jobs that ended or failed to
 * load (their handles are dropped then); called at every tick. Never
 * waits for a program. */
void jobs_tick(void);

/* True while a foreground job loads or runs (the prompt waits for it). */
bool jobs_foreground(void);
/* Ctrl+C: kills the foreground job, if any. */
void jobs_interrupt(void);
/* A line typed for the foreground job (with its '\n'): sent on its input
 * channel; false when there is none or its queue is full (the line is
 * lost). */
bool jobs_input(const char *line, size_t n);
/* Ctrl+D: closes the foreground job's input. */
void jobs_input_end(void);

/* Starts the file service (fsd, program_abi.h), registered as "fs"
 * before it runs, with the image's files (a handle of ours, granted to
 * it): at boot, when the image has fsd.wasm. Says why it cannot. */
void jobs_start_files(atoll_handle image);

/* The shell commands (commands.c's table). */
void cmd_ls(const char *args);
void cmd_run(const char *args);
void cmd_ps(const char *args);

/* One ps line for component comp (id, name): its state ("loading" while
 * loading and alive; `running` for the running state), CPU time, memory
 * and instances. For the jobs, and the drivers (devices.c). */
void jobs_ps_component(int64_t id, const char *name, atoll_handle comp, bool loading,
                       const char *running);
void cmd_kill(const char *args);

#endif
