/* Kernel stacks as guarded regions (see kstack.h). */
#include "mm/kstack.h"

#include "arch/x86/cpu.h"
#include "arch/x86/trap.h"
#include "lib/fmt.h"
#include "mm/mmu.h"
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

bool kstack_reserve(struct kstack *ks, size_t n)
{
    char here;
    uintptr_t sp = (uintptr_t)&here;
    uintptr_t want = (sp - n) & ~(uintptr_t)(PAGE_SIZE - 1);
    if (want < ks->bottom)
        want = ks->bottom;
    if (want >= ks->backed)
        return true;
    /* Pages between want and the mark may have been backed by faults
     * already (growable() skips those). */
    for (uintptr_t a = want; a < ks->backed; a += PAGE_SIZE)
        if (growable(a) && !kstack_grow(a))
            return false;
    ks->backed = want;
    return true;
}

/* Only a not-present fault (error bit 0 clear) can be growth; anything
 * else on a stack page stays a kernel fault. */
static bool stack_fault(struct trap_frame *f)
{
    return !(f->error & 1) && kstack_grow(read_cr2());
}

void kstack_init(void)
{
    trap_add_fault_handler(VEC_PF, stack_fault);
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
