/*
 * The hosted build's scheduler (host/host_thread.c), beyond kern/thread.h:
 * what the program driving it (host/atoll_coral.c, host/bench_switch.c)
 * needs to run the threads it made.
 */
#ifndef ATOLL_HOST_THREAD_H
#define ATOLL_HOST_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/thread.h"

/* Runs the other threads until none is runnable or sleeping, then
 * returns: the caller's way of letting the work it handed out be done (a
 * key typed, a tick given). Every thread then blocked must be idle by the
 * check set below; one that is not waits for something that can no longer
 * happen, which is reported as a deadlock (the process exits with
 * HOST_SCHED_DEADLOCK_EXIT). */
void host_sched_settle(void);

/* As host_sched_settle, but it also returns when the others are blocked
 * or sleeping until a deadline: for a caller that waits for the outside
 * world (atoll-run's stdin) meanwhile, no longer than *next_wake (the
 * earliest sleeper's deadline, clock_ns; THREAD_FOREVER when none), then
 * settles again so that the sleepers wake. */
void host_sched_settle_timed(uint64_t *next_wake);

/* What host_sched_settle may leave blocked (a component waiting for
 * work): true when t's wait is its idle one. Without a check, any blocked
 * thread counts as idle. */
void host_sched_set_idle_check(bool (*idle)(const struct thread *t));

/* The name of the thread whose stack's guard page holds addr, or NULL:
 * for the fault handler's report (host/linux_trap.h: linux_trap_describe). */
const char *host_thread_describe_fault(uintptr_t addr);

/* The exit status when every thread is blocked, none sleeps, and nobody
 * settles: "deadlock: all threads blocked" is logged. */
#define HOST_SCHED_DEADLOCK_EXIT 3

#endif
