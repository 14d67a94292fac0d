/*
 * Kernel threads: the unit the scheduler runs. Each has its own kernel
 * stack with a guard page and its own vector/FPU state. A component (the
 * Coral unit of scheduling) will run as one thread.
 *
 * One CPU for now: the scheduler's state is guarded by masking interrupts.
 * Preemption is by the timer tick, at any instruction, in kernel or guest
 * code alike.
 */
#ifndef KERN_THREAD_H
#define KERN_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/trap.h"
#include "mm/kstack.h"

enum thread_state {
    THREAD_RUNNABLE,        /* on the run queue */
    THREAD_RUNNING,         /* the current thread */
    THREAD_BLOCKED,         /* waiting for thread_wake */
    THREAD_DEAD,            /* exited; waiting to be reaped or joined */
    THREAD_THROTTLED,       /* used its CPU share; runnable again later */
};

struct thread {
    uint64_t id;
    char name[32];
    enum thread_state state;    /* changed with interrupts off */
    uintptr_t sp;               /* saved stack pointer while switched out */
    struct kstack stack;
    void *fpu;                  /* vector/FPU state area (arch/x86/fpu.h) */
    void *fpu_alloc;            /* the allocation behind it (alignment) */
    int (*entry)(void *);
    void *arg;
    int exit_code;
    bool joinable;              /* freed by thread_join, not the reaper */
    struct thread *joiner;      /* blocked in thread_join on this thread */
    volatile bool kill_requested;
    /* Runs guest work (a component's thread): what the engine allocates
     * for it is guest-driven and held to the reserve (kern/reserve.h). */
    bool guest;
    void *owner;                /* the component it runs (kern/component.h) */
    /* While switched out by a tick: the context it was interrupted in. */
    struct trap_frame *preempted;
    uint64_t cpu_ns;            /* time spent running */
    unsigned share;             /* % of the CPU it may use, 0: no limit */
    uint64_t share_window;      /* clock_ns when its current window began */
    uint64_t share_used;        /* ns it ran (ticks seen) in that window */
    uint64_t switched_in_ns;
    uint64_t switches;          /* times it was switched in */
    uint64_t wake_at;           /* clock_ns deadline while sleeping */
    struct thread *sleep_next;  /* sleepers list */
    struct thread *next;        /* run queue or zombie list */
    struct thread *all_next;    /* every live thread, for listings */
};

/* Sets up scheduling; the caller (kmain) becomes the thread "kmain" and an
 * idle thread is created. Hooks the timer tick for preemption. */
void sched_init(void);

/*
 * Creates a thread that runs entry(arg) and ends with its return value (or
 * thread_exit). The name is copied. stack_size 0 means the default (64 KiB).
 * Joinable threads must be reaped with thread_join; others are freed when
 * they end. Returns NULL when out of memory (nothing is left allocated).
 */
struct thread *thread_create(const char *name, int (*entry)(void *), void *arg,
                             size_t stack_size, bool joinable);

/* Like thread_create, but only the top `backed` bytes of the stack are
 * committed at first; the rest as it is touched (mm/kstack.h: the thread
 * must kstack_reserve headroom before kernel code that takes locks). */
struct thread *thread_create_lazy(const char *name, int (*entry)(void *), void *arg,
                                  size_t stack_size, size_t backed, bool joinable);

/* Makes a created thread runnable. */
void thread_start(struct thread *t);

struct thread *thread_current(void);

/* Gives up the CPU to the next runnable thread, if any. */
void thread_yield(void);

/* Ends the calling thread. */
__attribute__((noreturn)) void thread_exit(int code);

/* Waits for a joinable thread to end, frees it, and returns its code. */
int thread_join(struct thread *t);

/* Blocks the current thread until thread_wake. Call with interrupts off
 * after publishing where the waker will find it (no lost wake-ups);
 * returns with interrupts as they were at the block. */
void thread_block(void);
void thread_wake(struct thread *t);
/* thread_wake for a caller with interrupts off (under an irqsave lock). */
void thread_wake_irqs_off(struct thread *t);

/* Asks a thread to end. Kernel code polls thread_should_stop() (waits and
 * long host work); a thread in compiled Wasm code is sent to the engine's
 * unwind point at once if it is switched out there, else at its next
 * tick. Wakes it if it is blocked or throttled. Never blocks. */
void thread_kill(struct thread *t);
bool thread_should_stop(void);

/* Limits a thread to pct % of the CPU (1..100; 0 lifts the limit),
 * measured in windows of 100 ms: once it has run its share of a window it
 * is not scheduled again before the window ends. */
void thread_set_share(struct thread *t, unsigned pct);

/* CPU time t has used, its current slice included when it is running. */
uint64_t thread_cpu_ns(const struct thread *t);

/* Blocks the current thread until thread_wake, a kill (thread_kill), or
 * clock_ns() reaching deadline (THREAD_FOREVER: no deadline), whichever
 * comes first; returns at once when one already has. Call with interrupts
 * off after publishing where the waker will find the thread; returns with
 * them off. Callers loop, looking again at what they wait for: a return
 * says only that something may have changed. */
#define THREAD_FOREVER UINT64_MAX
void thread_block_until(uint64_t deadline);

/* Waits at least ns nanoseconds, letting others run. Ends early when the
 * thread is asked to end. */
void thread_sleep_ns(uint64_t ns);

struct sched_stats {
    uint64_t switches;
    uint64_t preemptions;
    uint64_t threads;           /* live, idle and kmain included */
};
void sched_get_stats(struct sched_stats *st);

/* Runs fn at every timer tick, in interrupt context with interrupts off,
 * before the scheduler's own work (it must not block). At most 4; the
 * order is that of registration. */
void sched_add_tick_hook(void (*fn)(void));

/* Time slice in ticks before a busy thread is preempted (default 1). */
extern unsigned sched_slice_ticks;

#endif
