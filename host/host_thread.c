/*
 * kern/thread.h on Linux, for the hosted build (host/atoll_coral.c):
 * cooperative threads on one OS thread. Each has its own mmap'd stack with
 * a guard page below it and runs until it blocks, yields, sleeps or ends;
 * the switch is a few instructions of our own (host_switch below: the
 * callee-saved registers, MXCSR and the x87 control word, and rsp), so a
 * round trip between two threads costs no system call.
 *
 * As in the kernel: a FIFO run queue; thread_block after publishing where
 * the waker finds the thread (no interrupts here, and no other thread runs
 * between the check and the block, so no wake-up is lost: the shim's
 * irq_save is a no-op, tests/unit/shim/arch/x86/cpu.h); a reaper that
 * frees ended threads from the next thread's context; sleepers woken when
 * the scheduler picks. What differs:
 *
 *  - No preemption, so no CPU shares (thread_set_share is a no-op) and no
 *    timer tick. A kill (thread_kill) wakes a blocked or sleeping thread
 *    and is seen by thread_should_stop, at the next coral call of Wasm
 *    code (kern/coral.c) or block; compiled Wasm code that runs without
 *    calling out cannot be interrupted: an endless loop stays endless.
 *  - When nothing is runnable and threads sleep, the process sleeps
 *    (nanosleep) until the earliest deadline.
 *  - When nothing is runnable and nobody sleeps, a thread in
 *    host_sched_settle resumes if every other blocked thread is idle
 *    (host/host_thread.h); otherwise every thread waits for another:
 *    "deadlock: all threads blocked" is logged and the process exits with
 *    HOST_SCHED_DEADLOCK_EXIT, rather than hang.
 *  - CPU time is wall time between switches (clock_ns at each switch),
 *    the time the process sleeps for sleepers charged to nobody.
 *
 * Stacks: the size asked plus HOST_STACK_SLACK, mapped MAP_NORESERVE
 * (Linux backs pages as they are touched, so thread_create_lazy is
 * thread_create), with a PROT_NONE guard page below. The slack is room
 * for the host's bigger frames (glibc, and ASan's redzones): the engine's
 * Wasm stack limit is set per store from the stack pointer of its first
 * call (wasm/runtime/trap.c), so Wasm code keeps the budget the kernel
 * gives it and the slack is left to host code below it. A fault on the
 * guard page is not compiled code's: host/linux_trap.c gives it the
 * default action (a crash), after host_thread_describe_fault names the
 * thread. Signal handlers run on the process's alternate stack
 * (linux_trap.c's sigaltstack, per OS thread: one for all of these), so a
 * fault at the end of any of these stacks is still handled.
 *
 * ASan: each switch is announced (__sanitizer_start_switch_fiber, then
 * __sanitizer_finish_switch_fiber on the other side), so ASan knows which
 * stack is current and keeps a fake stack per thread; a freed stack is
 * unpoisoned before it is unmapped.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "host_thread.h"
#include "base/clock.h"
#include "base/panic.h"

#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN 1
#endif
#endif
#ifdef HOST_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define HOST_STACK_SLACK (1024 * 1024)
#else
#define HOST_STACK_SLACK (256 * 1024)
#endif

#define DEFAULT_STACK (64 * 1024)

/* A thread and what only the hosted build keeps for it. */
struct hthread {
    struct thread t;            /* first: a struct thread * is a struct hthread * */
    void *map;                  /* the mapping: guard page, then the stack */
    size_t map_size;
    const void *stack_lo;       /* the usable stack, for ASan */
    size_t stack_size;
    void *fake_stack;           /* ASan's, while switched out */
};

/* host_switch(save_sp, new_sp): pushes the callee-saved registers, MXCSR
 * and the x87 control word, stores rsp in *save_sp, loads new_sp and pops
 * the other thread's. host_thread_start is where a new thread's first
 * switch "returns" to: it calls r12(r13). */
void host_switch(uintptr_t *save_sp, uintptr_t new_sp);
void host_thread_start(void);
__asm__(
    "    .text\n"
    "    .globl host_switch\n"
    "    .type host_switch, @function\n"
    "host_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    stmxcsr (%rsp)\n"
    "    fnstcw 4(%rsp)\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    ldmxcsr (%rsp)\n"
    "    fldcw 4(%rsp)\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    "    .size host_switch, .-host_switch\n"
    "    .globl host_thread_start\n"
    "    .type host_thread_start, @function\n"
    "host_thread_start:\n"
    "    xorl %ebp, %ebp\n"
    "    movq %r13, %rdi\n"
    "    callq *%r12\n"
    "    ud2\n"
    "    .size host_thread_start, .-host_thread_start\n");

static struct hthread boot = { .t = { .name = "main", .state = THREAD_RUNNING } };
static struct thread *current = &boot.t;
static struct thread *run_head, *run_tail;
static struct thread *zombies;
static struct thread *sleepers;
static struct thread *all_threads = &boot.t;
static struct thread *settler;      /* blocked in host_sched_settle */
static bool settler_timed;          /* ... _timed: resumed with sleepers left */
static bool (*idle_check)(const struct thread *t);
static uint64_t next_id = 1;
static struct sched_stats stats = { .threads = 1 };
static size_t page_size;

unsigned sched_slice_ticks = 1;

struct thread *thread_current(void)
{
    return current;
}

static void enqueue(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    t->next = NULL;
    if (run_tail)
        run_tail->next = t;
    else
        run_head = t;
    run_tail = t;
}

static struct thread *dequeue(void)
{
    struct thread *t = run_head;
    if (t) {
        run_head = t->next;
        if (!run_head)
            run_tail = NULL;
        t->next = NULL;
    }
    return t;
}

static void wake_locked(struct thread *t)
{
    if (t->state == THREAD_BLOCKED)
        enqueue(t);
}

static void free_thread(struct thread *t)
{
    struct hthread *h = (struct hthread *)t;
    for (struct thread **p = &all_threads; *p; p = &(*p)->all_next)
        if (*p == t) {
            *p = t->all_next;
            stats.threads--;
            break;
        }
#ifdef HOST_ASAN
    __asan_unpoison_memory_region(h->stack_lo, h->stack_size);
#endif
    munmap(h->map, h->map_size);
    free(h);
}

/* Frees ended, non-joinable threads; never the one running. */
static void reap(void)
{
    struct thread **p = &zombies;
    while (*p) {
        struct thread *t = *p;
        if (t == current) {
            p = &t->next;
            continue;
        }
        *p = t->next;
        free_thread(t);
    }
}

static void switch_to(struct hthread *prev, struct hthread *next)
{
#ifdef HOST_ASAN
    if (prev == &boot && !boot.stack_lo) {
        /* The process's own stack, for switching back to it. */
        pthread_attr_t a;
        void *lo;
        size_t size;
        if (!pthread_getattr_np(pthread_self(), &a)) {
            if (!pthread_attr_getstack(&a, &lo, &size)) {
                boot.stack_lo = lo;
                boot.stack_size = size;
            }
            pthread_attr_destroy(&a);
        }
    }
    __sanitizer_start_switch_fiber(prev->t.state == THREAD_DEAD ? NULL : &prev->fake_stack,
                                   next->stack_lo, next->stack_size);
#endif
    host_switch(&prev->t.sp, next->t.sp);
#ifdef HOST_ASAN
    __sanitizer_finish_switch_fiber(prev->fake_stack, NULL, NULL);
#endif
}

/* Every thread blocked (none sleeps): is each one other than the settler
 * in its idle wait? */
static bool others_idle(void)
{
    for (struct thread *t = all_threads; t; t = t->all_next)
        if (t != settler && t->state == THREAD_BLOCKED && idle_check && !idle_check(t))
            return false;
    return true;
}

__attribute__((noreturn)) static void deadlock(void)
{
    fprintf(stderr, "hosted scheduler: deadlock: all threads blocked:");
    for (struct thread *t = all_threads; t; t = t->all_next)
        if (t->state == THREAD_BLOCKED)
            fprintf(stderr, " %s (%s)", t->name,
                    t == settler ? "settling" : idle_check && idle_check(t) ? "idle" : "waiting");
    fputc('\n', stderr);
    fflush(stderr);
    exit(HOST_SCHED_DEADLOCK_EXIT);
}

static void wake_sleepers(uint64_t now)
{
    for (struct thread **p = &sleepers; *p;) {
        struct thread *t = *p;
        if (t->wake_at <= now) {
            *p = t->sleep_next;
            t->sleep_next = NULL;
            wake_locked(t);
        } else {
            p = &t->sleep_next;
        }
    }
}

static void sleep_until_first(uint64_t now)
{
    uint64_t first = UINT64_MAX;
    for (struct thread *t = sleepers; t; t = t->sleep_next)
        if (t->wake_at < first)
            first = t->wake_at;
    if (first <= now)
        return;
    uint64_t ns = first - now;
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    nanosleep(&ts, NULL);       /* early (a signal): the caller looks again */
}

/* Switches to the next runnable thread. The caller has set its own state:
 * RUNNING (a yield: it goes to the back of the queue), BLOCKED or DEAD. */
static void schedule(void)
{
    struct thread *prev = current;
    uint64_t start = clock_ns(), now = start;
    struct thread *next;
    for (;;) {
        if (sleepers)
            wake_sleepers(now);
        next = dequeue();
        if (next)
            break;
        if (prev->state == THREAD_RUNNING)
            return;                     /* a yield with nobody else to run */
        if (sleepers && !(settler && settler_timed && others_idle())) {
            sleep_until_first(now);
            now = clock_ns();
            continue;
        }
        if (!settler || !others_idle())
            deadlock();
        enqueue(settler);
        settler = NULL;
    }
    if (prev->state == THREAD_RUNNING)
        enqueue(prev);
    prev->cpu_ns += start - prev->switched_in_ns;
    next->switched_in_ns = now;
    next->state = THREAD_RUNNING;
    next->switches++;
    stats.switches++;
    current = next;
    if (next != prev)
        switch_to((struct hthread *)prev, (struct hthread *)next);
    reap();
}

/* First code of every thread, entered from host_thread_start. */
__attribute__((noreturn)) static void thread_trampoline(void *arg)
{
#ifdef HOST_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    struct thread *t = arg;
    reap();
    thread_exit(t->entry(t->arg));
}

struct thread *thread_create_lazy(const char *name, int (*entry)(void *), void *arg,
                                  size_t stack_size, size_t backed, bool joinable)
{
    (void)backed;               /* Linux backs the stack as it is touched */
    if (!page_size)
        page_size = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = stack_size ? stack_size : DEFAULT_STACK;
    size = (size + page_size - 1) / page_size * page_size + HOST_STACK_SLACK;
    struct hthread *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->map_size = size + page_size;
    h->map = mmap(NULL, h->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (h->map == MAP_FAILED) {
        free(h);
        return NULL;
    }
    if (mprotect(h->map, page_size, PROT_NONE)) {
        munmap(h->map, h->map_size);
        free(h);
        return NULL;
    }
    struct thread *t = &h->t;
    h->stack_lo = (char *)h->map + page_size;
    h->stack_size = size;
    t->stack.bottom = (uintptr_t)h->stack_lo;
    t->stack.top = t->stack.bottom + size;
    t->stack.backed = t->stack.bottom;
    size_t n = strnlen(name, sizeof t->name - 1);
    memcpy(t->name, name, n);
    t->id = next_id++;
    t->entry = entry;
    t->arg = arg;
    t->joinable = joinable;
    t->state = THREAD_BLOCKED;
    /* The frame host_switch pops: MXCSR and x87 control word (their
     * defaults), r15 r14 r13 r12 rbx rbp, then the return address; the
     * return lands 16-byte aligned in host_thread_start. */
    uint64_t *sp = (uint64_t *)t->stack.top;
    *--sp = (uintptr_t)host_thread_start;
    *--sp = 0;                              /* rbp */
    *--sp = 0;                              /* rbx */
    *--sp = (uintptr_t)thread_trampoline;   /* r12: what to call */
    *--sp = (uintptr_t)t;                   /* r13: its argument */
    *--sp = 0;                              /* r14 */
    *--sp = 0;                              /* r15 */
    *--sp = 0x1f80 | (uint64_t)0x037f << 32;
    t->sp = (uintptr_t)sp;
    t->all_next = all_threads;
    all_threads = t;
    stats.threads++;
    return t;
}

struct thread *thread_create(const char *name, int (*entry)(void *), void *arg,
                             size_t stack_size, bool joinable)
{
    return thread_create_lazy(name, entry, arg, stack_size, stack_size, joinable);
}

void thread_start(struct thread *t)
{
    wake_locked(t);
}

void thread_yield(void)
{
    schedule();
}

void thread_exit(int code)
{
    struct thread *t = current;
    if (t == &boot.t)
        panic("thread_exit called by the %s thread", t->name);
    t->exit_code = code;
    t->state = THREAD_DEAD;
    if (t->joinable) {
        if (t->joiner)
            wake_locked(t->joiner);
    } else {
        t->next = zombies;
        zombies = t;
    }
    schedule();
    panic("a dead thread was scheduled");
}

int thread_join(struct thread *t)
{
    if (!t->joinable || t->joiner)
        panic("thread_join: %s is not joinable or already joined", t->name);
    while (t->state != THREAD_DEAD) {
        t->joiner = current;
        current->state = THREAD_BLOCKED;
        schedule();
    }
    int code = t->exit_code;
    free_thread(t);
    return code;
}

void thread_block(void)
{
    current->state = THREAD_BLOCKED;
    schedule();
}

void thread_wake(struct thread *t)
{
    wake_locked(t);
}

void thread_wake_irqs_off(struct thread *t)
{
    wake_locked(t);
}

void thread_kill(struct thread *t)
{
    t->kill_requested = true;
    wake_locked(t);
}

bool thread_should_stop(void)
{
    return current->kill_requested;
}

void thread_set_share(struct thread *t, unsigned pct)
{
    (void)t, (void)pct;         /* no preemption: nothing to enforce it */
}

uint64_t thread_cpu_ns(const struct thread *t)
{
    return t->cpu_ns + (t == current ? clock_ns() - t->switched_in_ns : 0);
}

/* Leaves the sleepers list if still on it (woken early: thread_wake, a
 * kill). */
static void unsleep(struct thread *t)
{
    for (struct thread **p = &sleepers; *p; p = &(*p)->sleep_next)
        if (*p == t) {
            *p = t->sleep_next;
            break;
        }
    t->sleep_next = NULL;
}

void thread_block_until(uint64_t deadline)
{
    bool timed = deadline != THREAD_FOREVER;
    if (current->kill_requested || (timed && clock_ns() >= deadline))
        return;
    if (timed) {
        current->wake_at = deadline;
        current->sleep_next = sleepers;
        sleepers = current;
    }
    current->state = THREAD_BLOCKED;
    schedule();
    if (timed)
        unsleep(current);
}

void thread_sleep_ns(uint64_t ns)
{
    uint64_t deadline = clock_ns() + ns;
    while (clock_ns() < deadline && !current->kill_requested)
        thread_block_until(deadline);
}

void sched_get_stats(struct sched_stats *st)
{
    *st = stats;
}

void host_sched_settle(void)
{
    if (settler)
        panic("host_sched_settle: %s already settles", settler->name);
    settler = current;
    /* The scheduler clears settler when it resumes us for being settled;
     * a wake meanwhile (none is expected) only sends us back to wait. */
    while (settler == current) {
        current->state = THREAD_BLOCKED;
        schedule();
    }
}

void host_sched_settle_timed(uint64_t *next_wake)
{
    settler_timed = true;
    host_sched_settle();
    settler_timed = false;
    *next_wake = THREAD_FOREVER;
    for (struct thread *t = sleepers; t; t = t->sleep_next)
        if (t->wake_at < *next_wake)
            *next_wake = t->wake_at;
}

void host_sched_set_idle_check(bool (*idle)(const struct thread *t))
{
    idle_check = idle;
}

const char *host_thread_describe_fault(uintptr_t addr)
{
    if (!page_size)
        return NULL;
    for (struct thread *t = all_threads; t; t = t->all_next) {
        struct hthread *h = (struct hthread *)t;
        if (h->map && addr >= (uintptr_t)h->map && addr < (uintptr_t)h->map + page_size)
            return t->name;
    }
    return NULL;
}
