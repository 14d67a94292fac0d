/*
 * Threads and the scheduler: a FIFO run queue, round-robin with a slice
 * of sched_slice_ticks timer ticks, an idle thread that halts, and a
 * reaper that frees ended threads from the next thread's context (a
 * thread cannot free the stack it is running on).
 *
 * Everything here runs with interrupts off on the one CPU; that is the
 * lock. The timer tick preempts by calling schedule() from the interrupt
 * handler: the interrupted context stays saved on the preempted thread's
 * own stack and resumes with the handler's iretq when it is switched back.
 */
#include "kern/thread.h"

#include "kern/wasm_host.h"

#include "arch/x86/cpu.h"
#include "arch/x86/fpu.h"
#include "dev/timer.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/panic.h"
#include "lib/string.h"
#include "mm/heap.h"

#define DEFAULT_STACK (64 * 1024)

void arch_switch(uintptr_t *save_sp, uintptr_t new_sp);
void arch_thread_start(void);

unsigned sched_slice_ticks = 1;

static struct thread *current;
static struct thread *idle_thread;
static struct thread *run_head, *run_tail;
static struct thread *zombies;
static struct thread *sleepers;
static struct thread *throttled;    /* over their CPU share, by wake_at */

#define SHARE_WINDOW_NS 100000000ull
static struct thread *all_threads;
static unsigned slice_used;
static uint64_t next_id = 1;
static struct sched_stats stats;
static struct thread boot_thread;

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

static void unlink_all(struct thread *t)
{
    for (struct thread **p = &all_threads; *p; p = &(*p)->all_next) {
        if (*p == t) {
            *p = t->all_next;
            stats.threads--;
            return;
        }
    }
}

static void free_thread(struct thread *t)
{
    unlink_all(t);
    kstack_free(&t->stack);
    kfree(t->fpu_alloc);
    kfree(t);
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

/* Switches to the next runnable thread (or idle). Interrupts off. */
static void schedule(void)
{
    struct thread *prev = current;
    struct thread *next = dequeue();
    if (!next) {
        if (prev->state == THREAD_RUNNING)
            return;
        next = idle_thread;
    }
    if (prev->state == THREAD_RUNNING && prev != idle_thread)
        enqueue(prev);
    else if (prev->state == THREAD_RUNNING)
        prev->state = THREAD_RUNNABLE;
    uint64_t now = clock_ns();
    prev->cpu_ns += now - prev->switched_in_ns;
    next->switched_in_ns = now;
    next->state = THREAD_RUNNING;
    next->switches++;
    current = next;
    slice_used = 0;
    stats.switches++;
    if (next != prev) {
        fpu_save(prev->fpu);
        fpu_restore(next->fpu);
        arch_switch(&prev->sp, next->sp);
    }
    if (zombies)
        reap();
}

static void wake_locked(struct thread *t)
{
    if (t->state == THREAD_BLOCKED)
        enqueue(t);
}

/* Counts the tick that interrupted the current thread against its CPU
 * share; true when it is over it: then it is parked on the throttled list
 * until its window ends (the caller schedules). */
static bool charge_share(uint64_t now)
{
    struct thread *t = current;
    if (now - t->share_window >= SHARE_WINDOW_NS) {
        t->share_window = now;
        t->share_used = 0;
    }
    t->share_used += 1000000000ull / (timer_hz() ? timer_hz() : 100);
    if (t->share_used * 100 < SHARE_WINDOW_NS * t->share)
        return false;
    t->wake_at = t->share_window + SHARE_WINDOW_NS;
    t->state = THREAD_THROTTLED;
    t->sleep_next = throttled;
    throttled = t;
    return true;
}

/* What else runs at every tick, registered by the layers above (the
 * screen's redraw, the components' events), so that the scheduler needs to
 * know none of them. */
#define MAX_TICK_HOOKS 4
static void (*tick_hooks[MAX_TICK_HOOKS])(void);
static unsigned ntick_hooks;

void sched_add_tick_hook(void (*fn)(void))
{
    uint64_t f = irq_save();
    if (ntick_hooks == MAX_TICK_HOOKS)
        panic("sched: more than %d tick hooks", MAX_TICK_HOOKS);
    tick_hooks[ntick_hooks++] = fn;
    irq_restore(f);
}

/* Switches away from the current thread at a tick. While it is switched
 * out, its interrupted context is known: a kill can then send it straight
 * to the engine's unwind point (thread_kill), so it runs no more guest
 * code at all once it is killed. */
static void preempt(struct trap_frame *f)
{
    struct thread *t = current;
    stats.preemptions++;
    t->preempted = f;
    schedule();
    t->preempted = NULL;
}

/* Called by the timer on every tick, interrupts off, on the current stack. */
static void tick(struct trap_frame *f)
{
    for (unsigned i = 0; i < ntick_hooks; i++)
        tick_hooks[i]();
    uint64_t now = clock_ns();
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
    for (struct thread **p = &throttled; *p;) {
        struct thread *t = *p;
        if (t->wake_at <= now) {
            *p = t->sleep_next;
            t->sleep_next = NULL;
            t->state = THREAD_BLOCKED;
            wake_locked(t);
        } else {
            p = &t->sleep_next;
        }
    }
    /* A thread asked to end while in compiled Wasm code leaves it through
     * the engine's trap path (its caller sees "interrupted" and cleans
     * up); elsewhere in a stub or host function, we try again next tick
     * (host functions also look when they return). */
    if (current->kill_requested && wasm_host_interrupt(f))
        return;
    if ((current->share && current != idle_thread && charge_share(now)) ||
        (++slice_used >= sched_slice_ticks && run_head))
        preempt(f);
}

/* Every interrupt starts here (arch/x86/trap.h). No lock is held where an
 * interrupt can land (locks mask them), so backing pages is safe; out of
 * memory, the handlers run on what there is. */
static void irq_headroom(void)
{
    kstack_reserve(&current->stack, KSTACK_HEADROOM);
}

static int idle_loop(void *arg)
{
    (void)arg;
    for (;;) {
        irq_enable();
        halt();
        irq_disable();
        if (run_head)
            schedule();
    }
    __builtin_unreachable();
}

/* First code of every thread, entered from arch_thread_start with
 * interrupts off (we came through schedule). */
__attribute__((noreturn)) static int thread_trampoline(void *arg)
{
    struct thread *t = arg;
    reap();
    irq_enable();
    thread_exit(t->entry(t->arg));
}

static struct thread *alloc_thread(const char *name, size_t stack_size, size_t backed)
{
    struct thread *t = kzalloc(sizeof *t);
    if (!t)
        return NULL;
    t->fpu_alloc = kmalloc(fpu_state_size() + FPU_STATE_ALIGN);
    if (!t->fpu_alloc) {
        kfree(t);
        return NULL;
    }
    t->fpu = (void *)(((uintptr_t)t->fpu_alloc + FPU_STATE_ALIGN - 1) & ~(uintptr_t)(FPU_STATE_ALIGN - 1));
    fpu_state_init(t->fpu);
    size_t n = strnlen(name, sizeof t->name - 1);
    memcpy(t->name, name, n);
    if (stack_size && kstack_alloc_lazy(&t->stack, stack_size, backed, t->name)) {
        kfree(t->fpu_alloc);
        kfree(t);
        return NULL;
    }
    uint64_t f = irq_save();
    t->id = next_id++;
    t->all_next = all_threads;
    all_threads = t;
    stats.threads++;
    irq_restore(f);
    return t;
}

struct thread *thread_create(const char *name, int (*entry)(void *), void *arg,
                             size_t stack_size, bool joinable)
{
    size_t size = stack_size ? stack_size : DEFAULT_STACK;
    return thread_create_lazy(name, entry, arg, size, size, joinable);
}

struct thread *thread_create_lazy(const char *name, int (*entry)(void *), void *arg,
                                  size_t stack_size, size_t backed, bool joinable)
{
    struct thread *t = alloc_thread(name, stack_size, backed);
    if (!t)
        return NULL;
    t->entry = entry;
    t->arg = arg;
    t->joinable = joinable;
    t->state = THREAD_BLOCKED;
    /* The frame arch_switch pops: r15 r14 r13 r12 rbx rbp, then the return
     * address; the return lands 16-byte aligned in arch_thread_start. */
    uint64_t *sp = (uint64_t *)t->stack.top;
    *--sp = (uintptr_t)arch_thread_start;
    *--sp = 0;                              /* rbp */
    *--sp = 0;                              /* rbx */
    *--sp = (uintptr_t)thread_trampoline;   /* r12: what to call */
    *--sp = (uintptr_t)t;                   /* r13: its argument */
    *--sp = 0;                              /* r14 */
    *--sp = 0;                              /* r15 */
    t->sp = (uintptr_t)sp;
    return t;
}

void thread_start(struct thread *t)
{
    uint64_t f = irq_save();
    wake_locked(t);
    irq_restore(f);
}

void thread_yield(void)
{
    uint64_t f = irq_save();
    schedule();
    irq_restore(f);
}

void thread_exit(int code)
{
    irq_disable();
    struct thread *t = current;
    if (t == &boot_thread || t == idle_thread)
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
    uint64_t f = irq_save();
    if (!t->joinable || t->joiner)
        panic("thread_join: %s is not joinable or already joined", t->name);
    while (t->state != THREAD_DEAD) {
        t->joiner = current;
        current->state = THREAD_BLOCKED;
        schedule();
    }
    int code = t->exit_code;
    free_thread(t);
    irq_restore(f);
    return code;
}

void thread_block(void)
{
    uint64_t f = irq_save();
    current->state = THREAD_BLOCKED;
    schedule();
    irq_restore(f);
}

void thread_wake(struct thread *t)
{
    uint64_t f = irq_save();
    wake_locked(t);
    irq_restore(f);
}

void thread_wake_irqs_off(struct thread *t)
{
    wake_locked(t);
}

void thread_kill(struct thread *t)
{
    uint64_t f = irq_save();
    t->kill_requested = true;
    /* Preempted in compiled code: resumes at the unwind point. */
    if (t != current && t->preempted)
        wasm_host_interrupt(t->preempted);
    /* Over its CPU share: the rest of its window is not worth waiting. */
    if (t->state == THREAD_THROTTLED) {
        for (struct thread **p = &throttled; *p; p = &(*p)->sleep_next) {
            if (*p == t) {
                *p = t->sleep_next;
                break;
            }
        }
        t->sleep_next = NULL;
        t->state = THREAD_BLOCKED;
    }
    wake_locked(t);
    irq_restore(f);
}

uint64_t thread_cpu_ns(const struct thread *t)
{
    uint64_t f = irq_save();
    uint64_t ns = t->cpu_ns + (t == current ? clock_ns() - t->switched_in_ns : 0);
    irq_restore(f);
    return ns;
}

void thread_set_share(struct thread *t, unsigned pct)
{
    uint64_t f = irq_save();
    t->share = pct > 100 ? 100 : pct;
    t->share_window = clock_ns();
    t->share_used = 0;
    irq_restore(f);
}

bool thread_should_stop(void)
{
    return current->kill_requested;
}

/* Leaves the sleepers list if still on it (woken early, by thread_wake
 * or a kill). Interrupts off. */
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
    if (timed && timer_ticks() == 0) {
        schedule();                 /* no tick would wake us: let others run once */
        return;
    }
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
    uint64_t f = irq_save();
    while (clock_ns() < deadline && !current->kill_requested)
        thread_block_until(deadline);
    irq_restore(f);
}

void sched_get_stats(struct sched_stats *st)
{
    uint64_t f = irq_save();
    *st = stats;
    irq_restore(f);
}

void sched_init(void)
{
    fpu_init();
    struct thread *b = &boot_thread;
    memcpy(b->name, "kmain", 6);
    b->state = THREAD_RUNNING;
    b->id = 0;
    static uint8_t boot_fpu[4096 + FPU_STATE_ALIGN] __attribute__((aligned(FPU_STATE_ALIGN)));
    if (fpu_state_size() > 4096)
        panic("sched: FPU state larger than the boot thread's area");
    b->fpu = boot_fpu;
    b->switched_in_ns = clock_ns();
    b->all_next = all_threads;
    all_threads = b;
    stats.threads = 1;
    current = b;

    idle_thread = thread_create("idle", idle_loop, NULL, 16384, false);
    if (!idle_thread)
        panic("sched: cannot create the idle thread");
    trap_irq_entry = irq_headroom;
    timer_set_tick_handler(tick);
}
