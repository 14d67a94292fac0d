/*
 * bench-switch: the hosted build's thread switch (host/host_thread.c),
 * natively. Two threads ping-pong through thread_block and thread_wake:
 * each round trip is two switches, each with the scheduler's bookkeeping
 * (CPU time by clock_ns, the run queue, the reaper's look). Prints the
 * median and the best of ROUNDS/BATCH batches, in ns per round trip.
 *
 *   bench-switch [ROUNDS]        (default 1000000; make bench-switch runs
 *                                 it pinned with taskset -c 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "host_thread.h"

#define BATCH 1000

static struct thread *main_thread;
static volatile int stop;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pong(void *arg)
{
    (void)arg;
    while (!stop) {
        thread_wake(main_thread);
        thread_block();
    }
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? strtol(argv[1], NULL, 0) : 1000000;
    long batches = rounds / BATCH > 0 ? rounds / BATCH : 1;
    double *per = malloc((size_t)batches * sizeof *per);
    if (!per)
        return 1;
    main_thread = thread_current();
    struct thread *t = thread_create("pong", pong, NULL, 0, true);
    if (!t)
        return 1;
    thread_start(t);
    thread_block();                     /* it runs, wakes us and waits */
    for (int warm = 0; warm < 10000; warm++) {
        thread_wake(t);
        thread_block();
    }
    for (long b = 0; b < batches; b++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < BATCH; i++) {
            thread_wake(t);
            thread_block();
        }
        per[b] = (double)(now_ns() - t0) / BATCH;
    }
    stop = 1;
    thread_wake(t);
    thread_join(t);
    qsort(per, (size_t)batches, sizeof *per, cmp);
    struct sched_stats st;
    sched_get_stats(&st);
    printf("bench-switch: %ld round trips (block/wake ping-pong, 2 switches each): "
           "median %.1f ns, best %.1f ns per round trip (%llu switches)\n",
           batches * BATCH, per[batches / 2], per[0], (unsigned long long)st.switches);
    free(per);
    return 0;
}
