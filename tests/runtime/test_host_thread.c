/*
 * The hosted build's threads (host/host_thread.c) against kern/thread.h's
 * contract, under ASan and UBSan: block and wake, yield, join, exit,
 * sleep, kill, CPU time, stats, deep stacks; and, in child processes, the
 * deadlock report and a stack overflow onto the guard page. Part of make
 * test-coral. Ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wasm/host.h"
#include "base/clock.h"
#include "host_thread.h"
#include "linux_trap.h"

static int passed, failed;

static void check(const char *name, int ok)
{
    if (ok)
        passed++;
    else {
        failed++;
        printf("FAIL %s\n", name);
    }
}

/* linux_trap.c's calls into the engine: no compiled code here. */
bool wasm_trap_fault(void *owner, int cause, struct wasm_trap_regs *regs)
{
    (void)owner, (void)cause, (void)regs;
    return false;
}

bool wasm_trap_interrupt(void *owner, struct wasm_trap_regs *regs)
{
    (void)owner, (void)regs;
    return false;
}

/* ---- ping-pong with block and wake ---- */

static struct thread *main_thread, *peer;
static int pings, pongs;

static int pong(void *arg)
{
    int rounds = *(int *)arg;
    for (int i = 0; i < rounds; i++) {
        pongs++;
        if (pongs != pings)
            return -1;
        thread_wake(main_thread);
        thread_block();
    }
    thread_wake(main_thread);
    return 7;
}

static void test_ping_pong(void)
{
    int rounds = 1000;
    main_thread = thread_current();
    peer = thread_create("pong", pong, &rounds, 0, true);
    check("create", peer != NULL);
    pings = 1;
    thread_start(peer);
    thread_block();
    for (int i = 1; i < rounds; i++) {
        pings++;
        thread_wake(peer);
        thread_block();
    }
    check("ping-pong alternates", pings == rounds && pongs == rounds);
    thread_wake(peer);
    check("join returns the code", thread_join(peer) == 7);
}

/* ---- yield: round robin, FIFO ---- */

static char order[64];
static size_t norder;

static int yielder(void *arg)
{
    char c = *(char *)arg;
    for (int i = 0; i < 3; i++) {
        order[norder++] = c;
        thread_yield();
    }
    return 0;
}

static void test_yield(void)
{
    static char a = 'a', b = 'b', c = 'c';
    struct thread *t[3] = {
        thread_create("a", yielder, &a, 0, true),
        thread_create("b", yielder, &b, 0, true),
        thread_create("c", yielder, &c, 0, true),
    };
    for (int i = 0; i < 3; i++)
        thread_start(t[i]);
    for (int i = 0; i < 3; i++)
        thread_join(t[i]);
    order[norder] = 0;
    check("yield is round robin", !strcmp(order, "abcabcabc"));
    thread_yield();             /* nobody else: returns at once */
    check("a lone yield returns", 1);
}

/* ---- exit from deep inside, detached threads reaped ---- */

static volatile int exit_at;   /* 0: deep exits its thread at the bottom */

static int deep(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    if (n == 0 && !exit_at)
        thread_exit(42);
    if (n <= 0)
        return 0;
    return deep(n - 1) + pad[0];
}

static int deep_entry(void *arg)
{
    return deep(*(int *)arg);
}

static int detached_runs;

static int detached(void *arg)
{
    (void)arg;
    detached_runs++;
    return 0;
}

static void test_exit_and_stacks(void)
{
    /* 600 KiB of frames on a 1 MiB stack, as a component's Wasm uses it. */
    static int depth = 600;
    struct thread *t = thread_create_lazy("deep", deep_entry, &depth, 1024 * 1024,
                                          32 * 1024, true);
    thread_start(t);
    check("thread_exit from deep frames", thread_join(t) == 42);

    struct sched_stats before, after;
    sched_get_stats(&before);
    for (int i = 0; i < 100; i++)
        thread_start(thread_create("detached", detached, NULL, 0, false));
    host_sched_settle();
    thread_yield();             /* the last one is reaped from the next switch */
    sched_get_stats(&after);
    check("detached threads ran", detached_runs == 100);
    check("and were reaped", after.threads == before.threads);
    check("switches are counted", after.switches >= before.switches + 100);
}

/* ---- sleep, kill, CPU time ---- */

static uint64_t woke_at;

static int sleeper(void *arg)
{
    thread_sleep_ns(*(uint64_t *)arg);
    woke_at = clock_ns();
    return thread_should_stop() ? 1 : 0;
}

static int waiter(void *arg)
{
    (void)arg;
    while (!thread_should_stop())
        thread_block();
    return 5;
}

static int spinner(void *arg)
{
    uint64_t end = clock_ns() + *(uint64_t *)arg;
    while (clock_ns() < end)
        ;
    return 0;
}

static void test_sleep_kill_cpu(void)
{
    uint64_t ns = 20000000, t0 = clock_ns();
    struct thread *s = thread_create("sleeper", sleeper, &ns, 0, true);
    thread_start(s);
    host_sched_settle();        /* waits for sleepers too */
    check("a sleeper sleeps its time", woke_at - t0 >= ns);
    check("and is not killed", thread_join(s) == 0);

    uint64_t long_ns = 10000000000ull;
    t0 = clock_ns();
    s = thread_create("sleeper", sleeper, &long_ns, 0, true);
    thread_start(s);
    thread_yield();             /* it is asleep now */
    thread_kill(s);
    check("a kill wakes a sleeper", thread_join(s) == 1 && clock_ns() - t0 < 1000000000ull);

    struct thread *w = thread_create("waiter", waiter, NULL, 0, true);
    thread_start(w);
    thread_yield();
    check("waiter is blocked", w->state == THREAD_BLOCKED);
    thread_wake(w);             /* a plain wake: it looks and blocks again */
    thread_yield();
    check("a wake without a kill", w->state == THREAD_BLOCKED);
    thread_kill(w);
    check("a kill wakes a blocked thread", thread_join(w) == 5);

    uint64_t spin = 5000000;
    struct thread *sp = thread_create("spinner", spinner, &spin, 0, true);
    struct thread *idle = thread_create("waiter", waiter, NULL, 0, true);
    thread_start(idle);
    thread_yield();
    uint64_t idle_cpu = thread_cpu_ns(idle);
    thread_start(sp);
    thread_yield();
    check("CPU time of a busy thread", thread_cpu_ns(sp) >= spin);
    check("a blocked thread's does not grow", thread_cpu_ns(idle) == idle_cpu);
    thread_join(sp);
    thread_kill(idle);
    thread_join(idle);
}

/* ---- in child processes: the deadlock, the guard page ---- */

static int stuck(void *arg)
{
    (void)arg;
    thread_block();
    return 0;
}

static volatile int overflow_limit = 1 << 30;

static int overflow(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    if (n > overflow_limit)
        return 0;
    return overflow(n + 1) + pad[0];
}

static int overflow_entry(void *arg)
{
    (void)arg;
    return overflow(0);
}

/* Runs fn in a child with stderr into a pipe: its wait status and what
 * it wrote. */
static int in_child(void (*fn)(void), char *err, size_t size)
{
    int fd[2];
    if (pipe(fd))
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        fn();
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t r;
    while (n < size - 1 && (r = read(fd[0], err + n, size - 1 - n)) > 0)
        n += (size_t)r;
    err[n] = 0;
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void deadlock_main(void)
{
    thread_start(thread_create("stuck", stuck, NULL, 0, false));
    thread_block();             /* and nobody wakes us */
}

static bool never(const struct thread *t)
{
    (void)t;
    return false;
}

static void settle_stuck_main(void)
{
    host_sched_set_idle_check(never);
    thread_start(thread_create("stuck", stuck, NULL, 0, false));
    host_sched_settle();
}

static void overflow_main(void)
{
    static char region[64];
    linux_trap_register(region, sizeof region, NULL);      /* installs the handlers */
    linux_trap_describe = host_thread_describe_fault;
    thread_start(thread_create("deep", overflow_entry, NULL, 0, false));
    thread_yield();
}

static void test_children(void)
{
    char err[4096];
    int st = in_child(deadlock_main, err, sizeof err);
    check("deadlock exits with its status", WIFEXITED(st) &&
          WEXITSTATUS(st) == HOST_SCHED_DEADLOCK_EXIT);
    check("deadlock is reported", strstr(err, "deadlock: all threads blocked") &&
          strstr(err, "stuck (waiting)") && strstr(err, "main (waiting)"));
    st = in_child(settle_stuck_main, err, sizeof err);
    check("settling with a thread stuck in a wait is a deadlock",
          WIFEXITED(st) && WEXITSTATUS(st) == HOST_SCHED_DEADLOCK_EXIT &&
          strstr(err, "main (settling)") && strstr(err, "stuck (waiting)"));
    st = in_child(overflow_main, err, sizeof err);
    check("a stack overflow faults on the guard page",
          WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    check("and names the thread", strstr(err, "guard page of the stack of thread \"deep\"") != NULL);
    if (failed)
        fprintf(stderr, "child stderr: %s\n", err);
}

int main(void)
{
    test_ping_pong();
    test_yield();
    test_exit_and_stacks();
    test_sleep_kill_cpu();
    test_children();
    printf("host threads: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
