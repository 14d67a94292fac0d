/* linux_trap.c: faults in compiled code become Wasm traps on Linux.
 *
 * SIGSEGV, SIGBUS (guard-region accesses), SIGFPE (#DE) and SIGILL (ud2)
 * are handled on an alternate stack, so that a trap from an exhausted
 * stack still runs. The handler looks the pc up among the sealed code
 * regions, asks the engine (wasm_trap_fault) and resumes at the unwind
 * point it gives; a fault anywhere else gets the default action (a crash
 * with its usual report). docs/compiler.md states the contract.
 *
 * SIGALRM (linux_trap_timeout) interrupts a call that runs too long the
 * way the kernel's timer will: wasm_trap_interrupt unwinds it when the
 * signal lands in compiled code.
 *
 * The registry is a plain array that the handler only reads; atoll-run and
 * atoll-spec are single-threaded, and atoll-coral's threads are
 * cooperative ones on one OS thread (host/host_thread.c), so it needs no
 * lock. The alternate stack is the OS thread's, so it serves a fault on
 * any of those threads' stacks alike.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "../wasm/host.h"
#include "linux_trap.h"

struct region {
    uintptr_t start, end;
    void *owner;
};
static struct region *regions;
static size_t nregions, capregions;

const char *(*linux_trap_describe)(uintptr_t addr);

/* write(2) of a string: all a signal handler may use. */
static void say(const char *s)
{
    size_t n = strlen(s);
    if (write(2, s, n) < 0)
        return;
}

static void on_fault(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)g[REG_RIP];
    for (size_t i = 0; i < nregions; i++) {
        if (pc < regions[i].start || pc >= regions[i].end)
            continue;
        int cause = sig == SIGFPE ? WASM_FAULT_DIVIDE
                  : sig == SIGILL ? WASM_FAULT_INVALID : WASM_FAULT_MEMORY;
        struct wasm_trap_regs r = {
            .pc = pc, .sp = (uintptr_t)g[REG_RSP], .rax = (uintptr_t)g[REG_RAX],
            .r15 = (uintptr_t)g[REG_R15], .fault_addr = (uintptr_t)si->si_addr,
        };
        bool ok = sig == SIGALRM ? wasm_trap_interrupt(regions[i].owner, &r)
                                 : wasm_trap_fault(regions[i].owner, cause, &r);
        if (!ok)
            break;
        g[REG_RIP] = (greg_t)r.pc;
        g[REG_RSP] = (greg_t)r.sp;
        g[REG_RAX] = (greg_t)r.rax;
        return;
    }
    if (sig == SIGALRM) {
        /* Not in compiled code right now (a helper, a host function, the
         * stubs, or no call at all): look again in a millisecond. */
        struct itimerval t = { { 0, 0 }, { 0, 1000 } };
        setitimer(ITIMER_REAL, &t, NULL);
        return;
    }
    /* Not ours: the default action, which re-raises at the same pc. A
     * thread's guard page is named first (a stack overflow in host code). */
    const char *who = (sig == SIGSEGV || sig == SIGBUS) && linux_trap_describe
                    ? linux_trap_describe((uintptr_t)si->si_addr) : NULL;
    if (who) {
        say("fault on the guard page of the stack of thread \"");
        say(who);
        say("\": stack overflow in host code\n");
    }
    signal(sig, SIG_DFL);
}

bool linux_trap_timeout(unsigned ms)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    struct itimerval t = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
    return !sigaction(SIGALRM, &sa, NULL) && !setitimer(ITIMER_REAL, &t, NULL);
}

static bool install(void)
{
    static bool done;
    if (done)
        return true;
    static char altstack[1 << 16];          /* the handler's, for the process */
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    if (sigaltstack(&ss, NULL))
        return false;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (sigaction(sigs[i], &sa, NULL))
            return false;
    done = true;
    return true;
}

bool linux_trap_register(void *p, size_t size, void *owner)
{
    if (!install())
        return false;
    if (nregions == capregions) {
        size_t cap = capregions ? 2 * capregions : 16;
        struct region *r = realloc(regions, cap * sizeof *r);
        if (!r)
            return false;
        regions = r;
        capregions = cap;
    }
    regions[nregions++] = (struct region){ (uintptr_t)p, (uintptr_t)p + size, owner };
    return true;
}

void linux_trap_unregister(void *p)
{
    for (size_t i = 0; i < nregions; i++)
        if (regions[i].start == (uintptr_t)p) {
            regions[i] = regions[--nregions];
            return;
        }
}
