/*
 * Exception and interrupt dispatch, and the report printed when the kernel
 * itself faults: vector and name, error code decoded, RIP as symbol+offset,
 * CR2, the registers, which stack was in use, and a symbolized backtrace,
 * then the single line "atoll: panic: ...".
 */
#include "arch/x86/trap.h"

#include "arch/x86/cpu.h"
#include "base/ksyms.h"
#include "base/log.h"
#include "base/panic.h"
#include "lib/fmt.h"

#define MAX_FAULT_HANDLERS 4

static fault_handler_fn fault_handlers[32][MAX_FAULT_HANDLERS];
static struct {
    irq_handler_fn fn;
    void *ctx;
} irq_handlers[256];
static uint64_t spurious_count[256];

void (*trap_eoi)(int vector);

int ist_stack_of(uintptr_t sp);

static const char *const names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack-segment fault", "#GP general protection",
    "#PF page fault", "reserved 15", "#MF x87 floating point", "#AC alignment check",
    "#MC machine check", "#XM SIMD floating point", "#VE virtualization",
    "#CP control protection", "reserved 22", "reserved 23", "reserved 24",
    "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
    "#VC VMM communication", "#SX security", "reserved 31",
};

const char *trap_vector_name(uint64_t vector)
{
    return vector < 32 ? names[vector] : "interrupt";
}

void trap_add_fault_handler(int vector, fault_handler_fn fn)
{
    ASSERT(vector >= 0 && vector < 32);
    for (int i = 0; i < MAX_FAULT_HANDLERS; i++) {
        if (!fault_handlers[vector][i]) {
            fault_handlers[vector][i] = fn;
            return;
        }
    }
    panic("too many fault handlers for vector %d", vector);
}

void trap_set_irq_handler(int vector, irq_handler_fn fn, void *ctx)
{
    ASSERT(vector >= 32 && vector < 256);
    irq_handlers[vector].ctx = ctx;
    irq_handlers[vector].fn = fn;
}

static void describe_pf_error(uint64_t e, char *buf, size_t n)
{
    fmt_snprintf(buf, n, "%s, %s, %s%s%s%s", (e & 1) ? "protection violation" : "not present",
                 (e & 2) ? "write" : (e & 16) ? "instruction fetch" : "read",
                 (e & 4) ? "user" : "kernel", (e & 8) ? ", reserved bit set" : "",
                 (e & 32) ? ", protection key" : "", (e & 64) ? ", shadow stack" : "");
}

/* What mm lends the reports (trap_set_stacks): names of kernel stacks. */
static const struct trap_stacks *stacks;

void trap_set_stacks(const struct trap_stacks *s)
{
    stacks = s;
}

static bool guard_hit(uintptr_t addr, char *buf, size_t n)
{
    return stacks && stacks->guard_hit(addr, buf, n);
}

static const char *stack_name(uintptr_t sp, char *buf, size_t n)
{
    int ist = ist_stack_of(sp);
    if (ist) {
        static const char *const ists[] = { "", "double-fault IST", "NMI IST", "page-fault IST", "machine-check IST" };
        return ists[ist];
    }
    if (stacks && stacks->describe(sp, buf, n))
        return buf;
    return "unknown stack";
}

/* A guard-page fault is an overflow when the stack pointer itself is in
 * the same stack; otherwise it is a wild access that happened to land there. */
static bool is_overflow(const struct trap_frame *f, uintptr_t cr2)
{
    return stacks && stacks->same_stack(cr2, f->rsp);
}

void trap_report(const struct trap_frame *f)
{
    char sym[128], buf[160], stk[96];
    panic_prepare_output();
    ksym_format(f->rip, sym, sizeof sym);
    kprintf("\natoll: exception %llu (%s), error code %#llx\n", (unsigned long long)f->vector,
            trap_vector_name(f->vector), (unsigned long long)f->error);
    kprintf("  rip %016llx  %s\n", (unsigned long long)f->rip, sym);
    if (f->vector == VEC_PF) {
        uintptr_t cr2 = read_cr2();
        describe_pf_error(f->error, buf, sizeof buf);
        kprintf("  cr2 %016llx  (%s)\n", (unsigned long long)cr2, buf);
        if (guard_hit(cr2, stk, sizeof stk))
            kprintf("  cr2 is in the guard page of %s%s\n", stk,
                    is_overflow(f, cr2) ? ": kernel stack overflow" : "");
    }
    kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)f->rax,
            (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    kprintf("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n", (unsigned long long)f->rsi,
            (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->rsp);
    kprintf("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n", (unsigned long long)f->r8,
            (unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11);
    kprintf("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)f->r12,
            (unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
    kprintf("  rflags %08llx cs %04llx ss %04llx cr0 %08llx cr3 %016llx cr4 %08llx\n",
            (unsigned long long)f->rflags, (unsigned long long)f->cs, (unsigned long long)f->ss,
            (unsigned long long)read_cr0(), (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
    kprintf("  interrupted stack: %s; handler stack: %s\n", stack_name(f->rsp, buf, sizeof buf),
            stack_name((uintptr_t)__builtin_frame_address(0), stk, sizeof stk));
    backtrace_from(f->rip, f->rbp, f->rsp);
}

static void unhandled_exception(struct trap_frame *f)
{
    char sym[128];
    trap_report(f);
    ksym_format(f->rip, sym, sizeof sym);
    if (f->vector == VEC_PF) {
        uintptr_t cr2 = read_cr2();
        char stk[96];
        if (guard_hit(cr2, stk, sizeof stk)) {
            if (is_overflow(f, cr2))
                panic_after_report("kernel stack overflow on %s at %s (cr2 %#lx)", stk, sym,
                                   (unsigned long)cr2);
            panic_after_report("access to the guard page of %s at %s (cr2 %#lx)", stk, sym,
                               (unsigned long)cr2);
        }
        panic_after_report("page fault at %s (cr2 %#lx, error %#llx)", sym, (unsigned long)cr2,
                           (unsigned long long)f->error);
    }
    panic_after_report("%s at %s (error %#llx)", trap_vector_name(f->vector), sym,
                       (unsigned long long)f->error);
}

void (*trap_irq_entry)(void);

/* Depth of nested exceptions: a fault inside the fault path must not loop. */
static volatile int exception_depth;

void trap_dispatch(struct trap_frame *f)
{
    uint64_t v = f->vector;
    if (v < 32) {
        if (exception_depth++ > 2) {
            log_break_lock();
            kprintf("\natoll: exception %llu while handling an exception\n", (unsigned long long)v);
            panic_after_report("recursive exception %s at %#llx", trap_vector_name(v),
                               (unsigned long long)f->rip);
        }
        for (int i = 0; i < MAX_FAULT_HANDLERS && fault_handlers[v][i]; i++) {
            if (fault_handlers[v][i](f)) {
                exception_depth--;
                return;
            }
        }
        unhandled_exception(f);
    }
    if (trap_irq_entry)
        trap_irq_entry();
    /* EOI first: a handler may switch to another thread (the scheduler's
     * tick) and the controller must not wait for that thread to return. */
    if (v != VEC_SPURIOUS && trap_eoi)
        trap_eoi((int)v);
    if (irq_handlers[v].fn)
        irq_handlers[v].fn(f, irq_handlers[v].ctx);
    else
        spurious_count[v]++;
}
