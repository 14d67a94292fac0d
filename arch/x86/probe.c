/*
 * The fault side of the probes: a fault whose RIP is a listed probe
 * instruction resumes at its landing address with RAX = -1. An instruction
 * fetch fault during arch_probe_exec (RIP = the probed address itself) is
 * recognised by the return address on the stack pointing back into
 * arch_probe_exec.
 */
#include "arch/x86/probe.h"

#include "arch/x86/trap.h"

#include <stddef.h>

struct probe_entry {
    uint64_t start, end, landing;
};

extern const struct probe_entry probe_table[], probe_table_end[];

volatile uint64_t probe_faults;

static bool probe_fault(struct trap_frame *f)
{
    const struct probe_entry *exec_entry = NULL;
    for (const struct probe_entry *e = probe_table; e < probe_table_end; e++) {
        if (e->start == 0) {
            exec_entry = e;
            continue;
        }
        if (f->rip >= e->start && f->rip < e->end) {
            f->rip = e->landing;
            f->rax = (uint64_t)-1;
            probe_faults++;
            return true;
        }
    }
    /* Executing the probed address faulted: the call's return address is at
     * the top of the stack and points just after the call in probe_exec. */
    if (exec_entry && (f->error & 16)) {
        uint64_t ret = *(const uint64_t *)f->rsp;
        if (ret == exec_entry->end) {
            f->rsp += 8;
            f->rip = exec_entry->landing;
            f->rax = (uint64_t)-1;
            probe_faults++;
            return true;
        }
    }
    return false;
}

void probe_init(void)
{
    trap_add_fault_handler(VEC_PF, probe_fault);
    trap_add_fault_handler(VEC_GP, probe_fault);
}
