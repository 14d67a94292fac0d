/*
 * The kernel's side of the engine's host interface (wasm/host.h; the
 * contract is in docs/compiler.md):
 *   - engine memory from the kernel heap;
 *   - code regions: a region of kernel address space committed writable,
 *     then sealed read+execute, never both (W^X), tagged with its owner;
 *   - linear memories: regions reserved whole (8 GiB + 64 KiB), committed
 *     in place as they grow; what is not committed faults;
 *   - traps: #PF, #GP, #SS, #DE and #UD raised by code in a sealed region
 *     go to the engine, which turns them into Wasm traps and says where to
 *     resume. Anything else stays a kernel fault.
 */
#include "kern/wasm_host.h"

#include "wasm/host.h"

#include "arch/x86/cpu.h"
#include "arch/x86/trap.h"
#include "kern/component.h"
#include "kern/reserve.h"
#include "kern/thread.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "arch/x86/mmu.h"
#include "mm/vregion.h"

/* The engine reaches the kernel only through these functions (and host
 * functions, kern/coral.c), often from a runtime helper that compiled
 * code called at any depth of a lazily backed component stack. Kernel
 * code below takes locks, and must not fault on its own stack while it
 * holds one (mm/kstack.h): back the headroom first. The few frames
 * between the compiled code and here take no lock, so a fault in them is
 * plain growth. False when not even the kernel's reserve can back it. */
static bool headroom(void)
{
    return kstack_reserve(&thread_current()->stack, KSTACK_HEADROOM);
}

/* On a component's thread, what the engine allocates (tables, instances,
 * compiled code, compilation's scratch) is the guest's doing: claimed
 * against the reserve in the same step. Elsewhere (the kernel compiling
 * userboot, in-kernel tests) it is the kernel's own. */
static bool claim(size_t size)
{
    return !thread_current()->guest || reserve_guest_claim(size);
}

static void claimed(size_t size)
{
    if (thread_current()->guest)
        reserve_guest_done(size);
}

void *wasm_host_alloc(size_t size)
{
    if (!headroom() || !claim(size))
        return NULL;
    void *p = kmalloc(size);
    claimed(size);
    return p;
}

_Bool wasm_host_interrupted(void)
{
    return thread_should_stop();
}

void wasm_host_free(void *p, size_t size)
{
    (void)size;
    headroom();         /* freeing cannot fail: it goes on regardless */
    kfree(p);
}

/* The region a host pointer starts, when it is of the expected kind. */
static struct vregion *region_at(const void *p, enum vregion_kind kind)
{
    const struct vregion *r = vregion_find((uintptr_t)p);
    if (!r || vregion_kind(r) != kind || vregion_base(r) != (uintptr_t)p)
        return NULL;
    return (struct vregion *)r;
}

#define CODE_STEP (256 * 1024)

void *wasm_host_code_alloc(size_t size)
{
    if (size == 0 || !headroom() || !claim(size))
        return NULL;
    struct vregion *r = vregion_reserve(size, PAGE_SIZE, VR_CODE, "wasm code");
    /* A big module's region is megabytes: committed in steps, a killed
     * caller stops between them. */
    for (size_t done = 0; r && done < vregion_size(r); done += CODE_STEP) {
        size_t n = vregion_size(r) - done < CODE_STEP ? vregion_size(r) - done : CODE_STEP;
        if (vregion_commit(r, done, n, MMU_WRITE) || thread_should_stop()) {
            vregion_release(r);
            r = NULL;
        }
    }
    claimed(size);
    return r ? (void *)vregion_base(r) : NULL;
}

_Bool wasm_host_code_seal(void *p, size_t size, void *owner)
{
    headroom();
    struct vregion *r = region_at(p, VR_CODE);
    if (!r || size > vregion_size(r))
        return 0;
    if (vregion_protect(r, 0, vregion_size(r), MMU_EXEC))
        return 0;
    vregion_set_owner(r, owner);
    return 1;
}

void wasm_host_code_free(void *p, size_t size)
{
    (void)size;
    headroom();
    vregion_release(region_at(p, VR_CODE));
}

/* A memory's address space is its component's (and its ancestors'),
 * within their limits: the region remembers whom to credit. */
void *wasm_host_mem_reserve(size_t size)
{
    if (!headroom())
        return NULL;
    struct component *c = thread_current()->owner;
    if (c && !component_space_charge(c, size))
        return NULL;
    /* 2 MiB alignment leaves room for large pages later. */
    struct vregion *r = vregion_reserve(size, LARGE_PAGE_SIZE, VR_WASM, "wasm memory");
    if (!r) {
        if (c)
            component_space_credit(c, size);
        return NULL;
    }
    vregion_set_owner(r, c);
    return (void *)vregion_base(r);
}

_Bool wasm_host_mem_commit(void *base, size_t from, size_t to)
{
    if (!headroom())
        return 0;
    struct vregion *r = region_at(base, VR_WASM);
    if (!r || to < from || !reserve_guest_claim(to - from))
        return 0;
    bool ok = vregion_commit(r, from, to - from, MMU_WRITE) == 0;
    reserve_guest_done(to - from);
    return ok;
}

void wasm_host_mem_release(void *base, size_t size)
{
    headroom();
    struct vregion *r = region_at(base, VR_WASM);
    if (r && vregion_owner(r))
        component_space_credit(vregion_owner(r), size);
    vregion_release(r);
}

/* Compiled code touched a page of a lazily backed kernel stack (a
 * component's) that is not backed: grown if it can be (whichever of the
 * two fault handlers runs first), else, out of memory or on the guard
 * page, the call ends as "call stack exhausted". A program recursing
 * while others took the memory is stopped, not the kernel. */
static bool stack_exhausted(struct trap_frame *f, void *owner, struct wasm_trap_regs *regs)
{
    if (f->error & 1)                   /* a protection fault, not absence */
        return false;
    const struct vregion *s = vregion_find(regs->fault_addr);
    if (!s || vregion_kind(s) != VR_STACK)
        return false;
    /* The guest's growth: held to the upper half of the reserve
     * (kern/reserve.h), the lower half being the kernel's. A stub (no module's code, so no trap can
     * be made there) takes its few bytes from the reserve. */
    /* With the headroom kernel code will want below it: backed now, on
     * the guest's account, it is never the kernel's to find later. */
    if (reserve_stack_may_take(kstack_unbacked(regs->fault_addr, KSTACK_HEADROOM)) &&
        kstack_grow_down(regs->fault_addr, KSTACK_HEADROOM))
        goto again;
    if (wasm_trap_stack(owner, regs))
        return true;
    if (!kstack_grow(regs->fault_addr))
        return false;
again:
    regs->pc = f->rip;                  /* backed: run the access again */
    regs->sp = f->rsp;
    regs->rax = f->rax;
    return true;
}

/* A fault in compiled code becomes a trap: the engine rewrites where the
 * interrupted context resumes (its unwind point) and we return into it. */
static bool wasm_fault(struct trap_frame *f)
{
    const struct vregion *r = vregion_find(f->rip);
    if (!r || vregion_kind(r) != VR_CODE || !vregion_owner(r))
        return false;
    int cause = f->vector == VEC_DE ? WASM_FAULT_DIVIDE
              : f->vector == VEC_UD ? WASM_FAULT_INVALID
                                    : WASM_FAULT_MEMORY;
    struct wasm_trap_regs regs = {
        .pc = f->rip, .sp = f->rsp, .rax = f->rax, .r15 = f->r15,
        .fault_addr = f->vector == VEC_PF ? read_cr2() : 0,
    };
    /* The stack first: an instruction that is a trap site for another
     * reason (a div with a stack operand) may touch a new stack page. */
    if (!(f->vector == VEC_PF && stack_exhausted(f, vregion_owner(r), &regs)) &&
        !wasm_trap_fault(vregion_owner(r), cause, &regs))
        return false;
    f->rip = regs.pc;
    f->rsp = regs.sp;
    f->rax = regs.rax;
    return true;
}

bool wasm_host_interrupt(struct trap_frame *f)
{
    const struct vregion *r = vregion_find(f->rip);
    if (!r || vregion_kind(r) != VR_CODE || !vregion_owner(r))
        return false;
    struct wasm_trap_regs regs = { .pc = f->rip, .sp = f->rsp, .rax = f->rax, .r15 = f->r15 };
    if (!wasm_trap_interrupt(vregion_owner(r), &regs))
        return false;
    f->rip = regs.pc;
    f->rsp = regs.sp;
    f->rax = regs.rax;
    return true;
}

void wasm_host_init(void)
{
    static const int vectors[] = { VEC_PF, VEC_GP, VEC_SS, VEC_DE, VEC_UD };
    for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        trap_add_fault_handler(vectors[i], wasm_fault);
}
