/* Kernel stacks as guarded regions (see kstack.h). */
#include "mm/kstack.h"

#include "lib/fmt.h"
#include "mm/mmu.h"
#include "mm/vregion.h"

int kstack_alloc(struct kstack *ks, size_t size, const char *name)
{
    size = align_up(size, PAGE_SIZE);
    struct vregion *r = vregion_reserve(size + PAGE_SIZE, PAGE_SIZE, VR_STACK, name);
    if (!r)
        return -1;
    if (vregion_commit(r, PAGE_SIZE, size, MMU_WRITE)) {
        vregion_release(r);
        return -1;
    }
    ks->region = r;
    ks->bottom = vregion_base(r) + PAGE_SIZE;
    ks->top = vregion_base(r) + PAGE_SIZE + size;
    return 0;
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
