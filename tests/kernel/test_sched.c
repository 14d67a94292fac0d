/*
 * In-kernel tests of threads and the scheduler: many threads created and
 * joined with no leak, a thread that never yields preempted by the tick,
 * vector registers preserved across preemption, kills of busy and
 * sleeping threads, a stack backed as it grows.
 */
#include "arch/x86/cpu.h"
#include "base/clock.h"
#include "kern/ktest.h"
#include "base/log.h"
#include "kern/thread.h"
#include "mm/heap.h"
#include "arch/x86/mmu.h"
#include "mm/pmm.h"
#include "mm/vregion.h"

static uint64_t frames_used(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    return st.total_frames - st.free_frames - mmu_table_frames() - vregion_table_frames();
}

static int square(void *arg)
{
    uintptr_t n = (uintptr_t)arg;
    thread_yield();
    return (int)(n * n);
}

/* Creates, runs and joins N threads; false (reported) on a wrong result. */
static bool create_join_round(void)
{
    enum { N = 64 };
    struct thread *t[N];
    for (uintptr_t i = 0; i < N; i++) {
        t[i] = thread_create("square", square, (void *)i, 0, true);
        KCHECK(t[i], "create %lu failed", (unsigned long)i);
        thread_start(t[i]);
    }
    for (uintptr_t i = 0; i < N; i++)
        KCHECK(thread_join(t[i]) == (int)(i * i), "thread %lu returned wrong", (unsigned long)i);
    return true;
}

KTEST(sched_create_join)
{
    struct heap_stats hb, ha;
    /* A first round grows the heap's slab caches as far as 64 threads
     * need (what they keep is not a leak); a second must then take no
     * new frame and leave no allocation behind. */
    if (!create_join_round())
        return false;
    heap_get_stats(&hb);
    uint64_t fb = frames_used();
    if (!create_join_round())
        return false;
    heap_get_stats(&ha);
    KCHECK(ha.live_allocs == hb.live_allocs, "heap allocations %llu -> %llu",
           (unsigned long long)hb.live_allocs, (unsigned long long)ha.live_allocs);
    KCHECK(frames_used() == fb, "frames %llu -> %llu", (unsigned long long)fb,
           (unsigned long long)frames_used());
    return true;
}

static int detached_body(void *arg)
{
    (*(volatile int *)arg)++;
    return 0;
}

KTEST(sched_detached_reaped)
{
    static volatile int done;
    struct sched_stats s0, s1;
    sched_get_stats(&s0);
    for (int i = 0; i < 32; i++) {
        struct thread *t = thread_create("detached", detached_body, (void *)&done, 0, false);
        KCHECK(t, "create failed");
        thread_start(t);
    }
    uint64_t end = clock_ns() + 2000000000ull;
    while (done < 32 && clock_ns() < end)
        thread_yield();
    thread_yield();     /* lets the last exit be reaped */
    sched_get_stats(&s1);
    KCHECK(done == 32, "only %d of 32 detached threads ran", done);
    KCHECK(s1.threads == s0.threads, "threads %llu -> %llu: not reaped",
           (unsigned long long)s0.threads, (unsigned long long)s1.threads);
    return true;
}

static volatile uint64_t spin_count;

static int spinner(void *arg)
{
    (void)arg;
    /* Never yields: only the tick takes the CPU from it. */
    while (!thread_should_stop())
        spin_count++;
    return -1;
}

KTEST(sched_preempts_busy_thread)
{
    struct sched_stats s0, s1;
    sched_get_stats(&s0);
    struct thread *t = thread_create("spinner", spinner, NULL, 0, true);
    KCHECK(t, "create failed");
    thread_start(t);
    uint64_t start = clock_ns();
    thread_sleep_ns(200000000ull);
    uint64_t slept = clock_ns() - start;
    uint64_t seen = spin_count;
    thread_sleep_ns(100000000ull);
    KCHECK(spin_count > seen, "the spinner stopped running");
    KCHECK(seen > 0, "the spinner never ran");
    thread_kill(t);
    int code = thread_join(t);
    sched_get_stats(&s1);
    kprintf("    slept %llu ms while a thread spun %llu times; %llu preemptions\n",
            (unsigned long long)(slept / 1000000), (unsigned long long)seen,
            (unsigned long long)(s1.preemptions - s0.preemptions));
    KCHECK(code == -1, "killed thread exited with %d", code);
    KCHECK(s1.preemptions > s0.preemptions, "no preemption happened");
    KCHECK(slept < 2000000000ull, "the sleeper was starved: %llu ns", (unsigned long long)slept);
    return true;
}

/* Loads 16 distinct 128-bit values into xmm0..15 (a v128 in compiled
 * Wasm uses all of a register), spins across several ticks, and checks
 * they are still there. */
static int vector_worker(void *arg)
{
    uint64_t seed = (uintptr_t)arg;
    uint64_t in[32] __attribute__((aligned(16))), out[32] __attribute__((aligned(16)));
    for (int i = 0; i < 32; i++)
        in[i] = seed * 0x100000001ull + (uint64_t)i * 0x0101010101ull;
    __asm__ volatile(
        "movdqu 0(%0), %%xmm0\n movdqu 16(%0), %%xmm1\n movdqu 32(%0), %%xmm2\n"
        "movdqu 48(%0), %%xmm3\n movdqu 64(%0), %%xmm4\n movdqu 80(%0), %%xmm5\n"
        "movdqu 96(%0), %%xmm6\n movdqu 112(%0), %%xmm7\n movdqu 128(%0), %%xmm8\n"
        "movdqu 144(%0), %%xmm9\n movdqu 160(%0), %%xmm10\n movdqu 176(%0), %%xmm11\n"
        "movdqu 192(%0), %%xmm12\n movdqu 208(%0), %%xmm13\n movdqu 224(%0), %%xmm14\n"
        "movdqu 240(%0), %%xmm15\n"
        : : "r"(in) : "memory");
    uint64_t ticks_end = clock_ns() + 60000000ull;
    while (clock_ns() < ticks_end)
        cpu_relax();
    __asm__ volatile(
        "movdqu %%xmm0, 0(%0)\n movdqu %%xmm1, 16(%0)\n movdqu %%xmm2, 32(%0)\n"
        "movdqu %%xmm3, 48(%0)\n movdqu %%xmm4, 64(%0)\n movdqu %%xmm5, 80(%0)\n"
        "movdqu %%xmm6, 96(%0)\n movdqu %%xmm7, 112(%0)\n movdqu %%xmm8, 128(%0)\n"
        "movdqu %%xmm9, 144(%0)\n movdqu %%xmm10, 160(%0)\n movdqu %%xmm11, 176(%0)\n"
        "movdqu %%xmm12, 192(%0)\n movdqu %%xmm13, 208(%0)\n movdqu %%xmm14, 224(%0)\n"
        "movdqu %%xmm15, 240(%0)\n"
        : : "r"(out) : "memory");
    for (int i = 0; i < 32; i++)
        if (in[i] != out[i])
            return 1;
    return 0;
}

KTEST(sched_vector_state_preserved)
{
    struct thread *a = thread_create("vec-a", vector_worker, (void *)0x1111, 0, true);
    struct thread *b = thread_create("vec-b", vector_worker, (void *)0x2222, 0, true);
    KCHECK(a && b, "create failed");
    thread_start(a);
    thread_start(b);
    int ra = thread_join(a), rb = thread_join(b);
    KCHECK(ra == 0 && rb == 0, "vector registers clobbered across preemption (%d, %d)", ra, rb);
    return true;
}

static int long_sleeper(void *arg)
{
    (void)arg;
    thread_sleep_ns(60ull * 1000000000ull);
    return thread_should_stop() ? 7 : 0;
}

KTEST(sched_kill_sleeping)
{
    struct thread *t = thread_create("sleeper", long_sleeper, NULL, 0, true);
    KCHECK(t, "create failed");
    thread_start(t);
    thread_sleep_ns(20000000ull);
    uint64_t t0 = clock_ns();
    thread_kill(t);
    int code = thread_join(t);
    KCHECK(code == 7, "sleeper returned %d", code);
    KCHECK(clock_ns() - t0 < 1000000000ull, "kill took too long to act");
    return true;
}

/* Touches `depth` frames of about 1 KiB each, so the stack grows down a
 * page at a time; returns a sum the compiler cannot skip. */
static __attribute__((noinline)) uint64_t deep(unsigned depth)
{
    volatile uint8_t frame[1000];
    frame[0] = (uint8_t)depth;
    frame[999] = (uint8_t)(depth >> 8);
    uint64_t below = depth ? deep(depth - 1) : 0;
    return below + frame[0] + frame[999];
}

static int grow_stack(void *arg)
{
    unsigned depth = (unsigned)(uintptr_t)arg;
    return deep(depth) ? 0 : 1;
}

KTEST(sched_lazy_stack_grows_on_touch)
{
    /* A 1 MiB stack with 32 KiB backed costs little until used, then
     * grows a page per fault; afterwards everything is given back. */
    uint64_t before = frames_used();
    struct thread *t = thread_create_lazy("lazy", grow_stack, (void *)600, 1024 * 1024,
                                          32 * 1024, true);
    KCHECK(t, "create failed");
    uint64_t created = frames_used();
    KCHECK(created - before < 16 + 1024 * 1024 / 4096 / 4,
           "a lazy 1 MiB stack took %llu frames at creation",
           (unsigned long long)(created - before));
    thread_start(t);
    KCHECK(thread_join(t) == 0, "the deep recursion did not complete");
    KCHECK(frames_used() <= before + 2, "frames not returned: %llu before, %llu after",
           (unsigned long long)before, (unsigned long long)frames_used());
    return true;
}
