/* Kernel stacks as guarded regions (see kstack.h). */
#include "mm/kstack.h"

#include "arch/x86/cpu.h"
#include "arch/x86/trap.h"
#include "base/panic.h"
#include "base/spinlock.h"
#include "lib/fmt.h"
#include "arch/x86/mmu.h"
#include "mm/vregion.h"

int kstack_alloc_lazy(struct kstack *ks, size_t size, size_t committed, const char *name)
{
    size = align_up(size, PAGE_SIZE);
    committed = align_up(committed, PAGE_SIZE);
    if (committed > size)
        committed = size;
    struct vregion *r = vregion_reserve(size + PAGE_SIZE, PAGE_SIZE, VR_STACK, name);
    if (!r)
        return -1;
    if (vregion_commit(r, PAGE_SIZE + size - committed, committed, MMU_WRITE)) {
        vregion_release(r);
        return -1;
    }
    ks->region = r;
    ks->bottom = vregion_base(r) + PAGE_SIZE;
    ks->top = vregion_base(r) + PAGE_SIZE + size;
    ks->backed = ks->top - committed;
    return 0;
}

int kstack_alloc(struct kstack *ks, size_t size, const char *name)
{
    return kstack_alloc_lazy(ks, size, size, name);
}

/* The page of addr, if it is an unbacked page of a stack above its guard. */
static struct vregion *growable(uintptr_t addr)
{
    const struct vregion *r = vregion_find(addr);
    if (!r || vregion_kind(r) != VR_STACK || addr < vregion_base(r) + PAGE_SIZE)
        return NULL;
    return mmu_query(mmu_active_root(), addr & ~(uintptr_t)(PAGE_SIZE - 1), NULL, NULL)
               ? NULL : (struct vregion *)r;
}

bool kstack_grow(uintptr_t addr)
{
    struct vregion *r = growable(addr);
    if (!r)
        return false;
    uintptr_t page = addr & ~(uintptr_t)(PAGE_SIZE - 1);
    return vregion_commit(r, page - vregion_base(r), PAGE_SIZE, MMU_WRITE) == 0;
}

/* The pages from addr's down to addr - below, within the stack above its
 * guard, visited top down. */
#define EACH_PAGE_DOWN(a, addr, below, r)                                       \
    for (uintptr_t a = (addr) & ~(uintptr_t)(PAGE_SIZE - 1),                     \
                   lo_ = (addr) - (below) < vregion_base(r) + PAGE_SIZE          \
                             ? vregion_base(r) + PAGE_SIZE : (addr) - (below);   \
         a + PAGE_SIZE > lo_ && a >= vregion_base(r) + PAGE_SIZE; a -= PAGE_SIZE)

size_t kstack_unbacked(uintptr_t addr, size_t below)
{
    const struct vregion *r = vregion_find(addr);
    if (!r || vregion_kind(r) != VR_STACK)
        return 0;
    size_t n = 0;
    EACH_PAGE_DOWN(a, addr, below, r)
        n += growable(a) ? PAGE_SIZE : 0;
    return n;
}

bool kstack_grow_down(uintptr_t addr, size_t below)
{
    const struct vregion *r = vregion_find(addr);
    if (!r || vregion_kind(r) != VR_STACK || !kstack_grow(addr))
        return false;
    EACH_PAGE_DOWN(a, addr, below, r)
        if (growable(a))
            kstack_grow(a);     /* best effort: the headroom, not the access */
    return true;
}

static bool (*growth_budget)(uint64_t bytes);

void kstack_set_budget(bool (*may_take)(uint64_t bytes))
{
    growth_budget = may_take;
}

bool kstack_reserve(struct kstack *ks, size_t n)
{
    char here;
    uintptr_t sp = (uintptr_t)&here;
    uintptr_t want = (sp - n) & ~(uintptr_t)(PAGE_SIZE - 1);
    if (want < ks->bottom)
        want = ks->bottom;
    if (want >= ks->backed)
        return true;
    /* What it would take, asked first: out of it, the caller refuses the
     * guest's request rather than the kernel running out under it. */
    if (growth_budget && ks->region) {
        uint64_t need = 0;
        for (uintptr_t a = want; a < ks->backed; a += PAGE_SIZE)
            need += growable(a) ? PAGE_SIZE : 0;
        if (need && !growth_budget(need))
            return false;
    }
    /* Touched from the top down, each page by a plain read: a page not
     * yet backed faults, and stack_fault backs it while this code holds no
     * lock. Committing them from here instead would run the commit's own
     * frames (which take the frame and page-table locks) on the very
     * pages not yet backed. */
    for (uintptr_t a = sp & ~(uintptr_t)(PAGE_SIZE - 1); a > want;) {
        a -= PAGE_SIZE;             /* the page of sp is backed: we run on it */
        if (a < ks->backed)
            (void)*(volatile char *)a;
    }
    ks->backed = want;
    return true;
}

/* Only a not-present fault (error bit 0 clear) can be growth; anything
 * else on a stack page stays a kernel fault. Growth by compiled Wasm code
 * is the guest's and is left to the engine's host (kern/wasm_host.c),
 * which holds it to the kernel's reserve. Growth by kernel code with a
 * lock held would take the frame and page-table locks again and spin for
 * good with interrupts off: every way into kernel code from a lazily
 * backed stack reserves headroom first (kstack_reserve), so this is a
 * broken invariant, and it stops the kernel with a name instead of
 * freezing it. */
static bool stack_fault(struct trap_frame *f)
{
    if (f->error & 1)
        return false;
    uintptr_t addr = read_cr2();
    const struct vregion *code = vregion_find(f->rip);
    if (code && vregion_kind(code) == VR_CODE)
        return false;
    struct vregion *r = growable(addr);
    if (!r)
        return false;
    if (spin_held)
        panic("kernel stack '%s' grew at %#lx with %u lock(s) held (rip %#lx): "
              "kernel code was entered without stack headroom", vregion_name(r),
              (unsigned long)addr, (unsigned)spin_held, (unsigned long)f->rip);
    /* Kernel code's growth draws on the reserve that guest allocations
     * leave alone: with nothing left even there, the reserve was broken. */
    if (!kstack_grow(addr))
        panic("kernel stack '%s': no frame left to grow it at %#lx (the reserve is gone)",
              vregion_name(r), (unsigned long)addr);
    return true;
}

static bool same_stack(uintptr_t a, uintptr_t b)
{
    const struct vregion *r = vregion_find(a);
    return r && vregion_kind(r) == VR_STACK && r == vregion_find(b);
}

static const struct trap_stacks report_stacks = {
    .guard_hit = kstack_guard_hit, .describe = kstack_describe, .same_stack = same_stack,
};

void kstack_init(void)
{
    trap_add_fault_handler(VEC_PF, stack_fault);
    trap_set_stacks(&report_stacks);
}

void kstack_free(struct kstack *ks)
{
    vregion_release(ks->region);
    ks->region = NULL;
}

bool kstack_guard_hit(uintptr_t addr, char *buf, size_t n)
{
    const struct vregion *r = vregion_find(addr);
    if (!r || vregion_kind(r) != VR_STACK || addr >= vregion_base(r) + PAGE_SIZE)
        return false;
    fmt_snprintf(buf, n, "kernel stack '%s'", vregion_name(r));
    return true;
}

bool kstack_describe(uintptr_t sp, char *buf, size_t n)
{
    const struct vregion *r = vregion_find(sp);
    if (!r) {
        /* The boot stack sits in the image, before any region exists. */
        extern char boot_stack_bottom[], boot_stack_top[];
        if (sp >= (uintptr_t)boot_stack_bottom && sp <= (uintptr_t)boot_stack_top) {
            fmt_snprintf(buf, n, "boot stack");
            return true;
        }
        return false;
    }
    if (vregion_kind(r) != VR_STACK)
        return false;
    fmt_snprintf(buf, n, "kernel stack '%s'%s", vregion_name(r),
                 sp < vregion_base(r) + PAGE_SIZE ? " (in its guard page)" : "");
    return true;
}
