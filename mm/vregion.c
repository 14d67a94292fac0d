/*
 * Region bookkeeping: a fixed pool of descriptors and an array of pointers
 * kept sorted by base address, searched first-fit for a gap. Simple and
 * bounded; the pool size is the limit on live regions (a named limit that
 * component limits will sit under).
 */
#include "mm/vregion.h"

#include "kern/spinlock.h"
#include "lib/string.h"
#include "mm/mmu.h"
#include "mm/pmm.h"

#define VREGION_MAX 4096

struct vregion {
    uintptr_t base;
    size_t size;
    size_t committed;           /* bytes backed by owned frames */
    enum vregion_kind kind;
    bool in_use;
    char name[27];
    void *owner;                /* the user's cookie */
};

/* Page-table changes in the kernel root are serialized by pt_lock, taken
 * per page so that a large commit never masks interrupts for long. */
static spinlock_t pt_lock = SPINLOCK_INIT;

static struct vregion pool[VREGION_MAX];
static struct vregion *sorted[VREGION_MAX];
static int count;
static uintptr_t space_base, space_end;
static paddr_t kroot;
static spinlock_t lock = SPINLOCK_INIT;

void vregion_init(paddr_t root, uintptr_t base, uint64_t size)
{
    kroot = root;
    space_base = base;
    space_end = base + size;
    count = 0;
    memset(pool, 0, sizeof pool);
}

struct vregion *vregion_reserve(size_t size, size_t align, enum vregion_kind kind, const char *name)
{
    if (size == 0 || (align & (align - 1)))
        return NULL;
    size = align_up(size, PAGE_SIZE);
    if (align < PAGE_SIZE)
        align = PAGE_SIZE;
    uint64_t irq = spin_lock_irqsave(&lock);
    struct vregion *r = NULL;
    for (int i = 0; i < VREGION_MAX; i++) {
        if (!pool[i].in_use) {
            r = &pool[i];
            break;
        }
    }
    if (!r)
        goto out;
    /* First fit: before sorted[0], between neighbours, or after the last. */
    uintptr_t cand = align_up(space_base, align);
    int at = 0;
    for (; at < count; at++) {
        if (cand + size <= sorted[at]->base && cand + size > cand)
            break;
        cand = align_up(sorted[at]->base + sorted[at]->size, align);
    }
    if (cand + size > space_end || cand + size < cand) {
        r = NULL;
        goto out;
    }
    memmove(&sorted[at + 1], &sorted[at], (size_t)(count - at) * sizeof sorted[0]);
    sorted[at] = r;
    count++;
    *r = (struct vregion){ .base = cand, .size = size, .kind = kind, .in_use = true };
    size_t n = strnlen(name, sizeof r->name - 1);
    memcpy(r->name, name, n);
    r->name[n] = 0;
out:
    spin_unlock_irqrestore(&lock, irq);
    return r;
}

static bool in_bounds(const struct vregion *r, size_t off, size_t len)
{
    return !((off | len) & (PAGE_SIZE - 1)) && off <= r->size && len <= r->size - off;
}

int vregion_commit(struct vregion *r, size_t off, size_t len, int flags)
{
    if (!in_bounds(r, off, len) || r->kind == VR_DEVICE)
        return -1;
    size_t done = 0;
    for (; done < len; done += PAGE_SIZE) {
        paddr_t f = pmm_alloc(PMM_ZERO);
        if (!f)
            goto fail;
        uint64_t irq = spin_lock_irqsave(&pt_lock);
        int rc = mmu_map(kroot, r->base + off + done, f, PAGE_SIZE, flags);
        spin_unlock_irqrestore(&pt_lock, irq);
        if (rc) {
            pmm_free(f);
            goto fail;
        }
    }
    __atomic_add_fetch(&r->committed, len, __ATOMIC_RELAXED);
    return 0;
fail:;
    uint64_t irq = spin_lock_irqsave(&pt_lock);
    mmu_unmap(kroot, r->base + off, done, true);
    spin_unlock_irqrestore(&pt_lock, irq);
    return -1;
}

void vregion_decommit(struct vregion *r, size_t off, size_t len)
{
    if (!in_bounds(r, off, len) || r->kind == VR_DEVICE)
        return;
    size_t freed = 0;
    for (size_t p = 0; p < len; p += PAGE_SIZE) {
        uint64_t irq = spin_lock_irqsave(&pt_lock);
        if (mmu_query(kroot, r->base + off + p, NULL, NULL)) {
            mmu_unmap(kroot, r->base + off + p, PAGE_SIZE, true);
            freed += PAGE_SIZE;
        }
        spin_unlock_irqrestore(&pt_lock, irq);
    }
    __atomic_sub_fetch(&r->committed, freed, __ATOMIC_RELAXED);
}

int vregion_map_phys(struct vregion *r, size_t off, paddr_t pa, size_t len, int flags)
{
    if (!in_bounds(r, off, len) || (pa & (PAGE_SIZE - 1)))
        return -1;
    uint64_t irq = spin_lock_irqsave(&pt_lock);
    int rc = mmu_map(kroot, r->base + off, pa, len, flags);
    spin_unlock_irqrestore(&pt_lock, irq);
    return rc;
}

int vregion_protect(struct vregion *r, size_t off, size_t len, int flags)
{
    if (!in_bounds(r, off, len))
        return -1;
    uint64_t irq = spin_lock_irqsave(&pt_lock);
    int rc = mmu_protect(kroot, r->base + off, len, flags);
    spin_unlock_irqrestore(&pt_lock, irq);
    return rc;
}

void vregion_set_owner(struct vregion *r, void *owner) { r->owner = owner; }
void *vregion_owner(const struct vregion *r) { return r->owner; }

void vregion_release(struct vregion *r)
{
    if (!r)
        return;
    /* Page by page, for the same reason as commit: an 8 GiB region must not
     * keep interrupts masked while it is taken apart. Absent tables are
     * skipped whole by mmu_unmap, so the sparse parts cost little. */
    for (size_t off = 0; off < r->size; off += LARGE_PAGE_SIZE) {
        size_t n = r->size - off < LARGE_PAGE_SIZE ? r->size - off : LARGE_PAGE_SIZE;
        uint64_t irq = spin_lock_irqsave(&pt_lock);
        mmu_unmap(kroot, r->base + off, n, r->kind != VR_DEVICE);
        spin_unlock_irqrestore(&pt_lock, irq);
    }
    uint64_t irq = spin_lock_irqsave(&lock);
    for (int i = 0; i < count; i++) {
        if (sorted[i] == r) {
            memmove(&sorted[i], &sorted[i + 1], (size_t)(count - i - 1) * sizeof sorted[0]);
            count--;
            break;
        }
    }
    r->in_use = false;
    r->owner = NULL;
    spin_unlock_irqrestore(&lock, irq);
}

uintptr_t vregion_base(const struct vregion *r) { return r->base; }
size_t vregion_size(const struct vregion *r) { return r->size; }
size_t vregion_committed(const struct vregion *r) { return r->committed; }
const char *vregion_name(const struct vregion *r) { return r->name; }
enum vregion_kind vregion_kind(const struct vregion *r) { return r->kind; }

/* Lock-free on purpose: fault handlers call it, possibly while the lock is
 * held by the code that faulted. The sorted array only changes under the
 * lock with interrupts off, so on one CPU a reader here sees it whole. */
const struct vregion *vregion_find(uintptr_t va)
{
    int lo = 0, hi = count;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const struct vregion *r = sorted[mid];
        if (va < r->base)
            hi = mid;
        else if (va >= r->base + r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

void vregion_stats(uint64_t *regions, uint64_t *committed_bytes)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    uint64_t c = 0;
    for (int i = 0; i < count; i++)
        c += sorted[i]->committed;
    *regions = (uint64_t)count;
    *committed_bytes = c;
    spin_unlock_irqrestore(&lock, irq);
}
