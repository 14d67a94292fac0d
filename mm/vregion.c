/*
 * Region bookkeeping. The table grows with the number of live regions, in
 * frames taken straight from the frame allocator and reached through the
 * direct map (never from the heap: the heap is built on regions):
 *
 * - Descriptors are carved from whole frames, as many as fit in one, a
 *   frame at a time when none is free. Released ones go on a free list and
 *   are reused first.
 * - The index, the live descriptors sorted by base address, is an array
 *   split in leaves of one frame (512 entries); a fixed directory points to
 *   the leaves, so growing it never copies or moves what readers look at.
 *
 * Frames of both stay once taken (like page tables: the table keeps its
 * peak size), counted by vregion_table_frames().
 *
 * Costs: vregion_find is a binary search, O(log n) with two dependent loads
 * a step and no lock. reserve is O(n) (a first-fit scan of the gaps, then
 * shifting the index's tail by one entry) and release O(n) (the shift),
 * with the lock held and interrupts off: some microseconds at 10,000
 * regions. Memory: sizeof(struct vregion) + 8 bytes a region at the peak.
 *
 * What lock-free readers (vregion_find, from fault handlers) rely on:
 * - Descriptor and leaf frames, once taken, are never freed or unmapped
 *   (the direct map covers them), so a read of any index entry below
 *   `count`, and of the descriptor it points to, never faults, even when
 *   stale. A leaf is filled before `count` grows over it.
 * - Every change to the index and to `count` is made under `lock` with
 *   interrupts off. On one CPU a reader therefore sees the index whole,
 *   unless the fault it handles was raised inside such a change itself (it
 *   may then see one entry twice or miss the one being moved, never an
 *   unbacked or out-of-order one).
 * - With more CPUs (a later issue) that is no longer enough: a reader on
 *   another CPU can see a shift half done or a descriptor being reused.
 *   Readers will then need a sequence count around writers' changes (and
 *   must not spin on it when the fault is inside the writer, on its own
 *   CPU), or writers must publish a new copy of the index.
 */
#include "mm/vregion.h"

#include "base/spinlock.h"
#include "lib/string.h"
#include "arch/x86/mmu.h"
#include "mm/pmm.h"

struct vregion {
    uintptr_t base;
    size_t size;
    size_t committed;           /* bytes backed by owned frames */
    enum vregion_kind kind;
    bool in_use;
    char name[27];
    void *owner;                /* the user's cookie */
    struct vregion *next_free;  /* on the free list: the next one */
};

/* Page-table changes in the kernel root are serialized by pt_lock, taken
 * per page so that a large commit never masks interrupts for long. */
static spinlock_t pt_lock = SPINLOCK_INIT;

#define PER_FRAME   (PAGE_SIZE / sizeof(struct vregion))
#define LEAF_SHIFT  9
#define LEAF_SIZE   (1u << LEAF_SHIFT)      /* entries in a leaf: one frame */
#define LEAVES      (VREGION_TABLE_MAX / LEAF_SIZE)
_Static_assert(LEAF_SIZE * sizeof(struct vregion *) == PAGE_SIZE, "a leaf is one frame");

static struct vregion **leaf[LEAVES];   /* the index's leaves, NULL past the peak */
static struct vregion *free_list;       /* released descriptors */
static struct vregion *fresh;           /* never-used descriptors in the newest frame */
static uint32_t fresh_left;
static uint64_t table_frames;

static uint32_t count;          /* live regions: the entries of the index */
static uint32_t limit = VREGION_TABLE_MAX;
static uintptr_t space_base, space_end;
static paddr_t kroot;
static spinlock_t lock = SPINLOCK_INIT;

/* Entry i of the index (i below the count, or at it when its leaf exists). */
static inline struct vregion **slot(uint32_t i)
{
    return &leaf[i >> LEAF_SHIFT][i & (LEAF_SIZE - 1)];
}

void vregion_init(paddr_t root, uintptr_t base, uint64_t size)
{
    kroot = root;
    space_base = base;
    space_end = base + size;
    /* Forgets any earlier table (the unit tests start over on fresh memory). */
    memset(leaf, 0, sizeof leaf);
    free_list = fresh = NULL;
    fresh_left = 0;
    table_frames = 0;
    count = 0;
    limit = VREGION_TABLE_MAX;
}

/* Makes sure the index has room for one more entry. False when no frame is
 * left. */
static bool index_room(void)
{
    struct vregion ***l = &leaf[count >> LEAF_SHIFT];
    if (*l)
        return true;
    paddr_t f = pmm_alloc(0);
    if (!f)
        return false;
    table_frames++;
    __atomic_store_n(l, (struct vregion **)phys_to_virt(f), __ATOMIC_RELEASE);
    return true;
}

/* A descriptor to fill, or NULL when no frame is left. */
static struct vregion *desc_alloc(void)
{
    struct vregion *r = free_list;
    if (r) {
        free_list = r->next_free;
        return r;
    }
    if (!fresh_left) {
        paddr_t f = pmm_alloc(PMM_ZERO);
        if (!f)
            return NULL;
        table_frames++;
        fresh = phys_to_virt(f);
        fresh_left = PER_FRAME;
    }
    fresh_left--;
    return fresh++;
}

/* Moves entries [from, count) one place up (insert) or down (remove). */
static void shift_up(uint32_t from)
{
    for (uint32_t i = count; i > from; i--)
        *slot(i) = *slot(i - 1);
}

static void shift_down(uint32_t from)
{
    for (uint32_t i = from; i + 1 < count; i++)
        *slot(i) = *slot(i + 1);
}

/* The position of the first region whose end lies above va: the one
 * holding va if any does; n if none (n: the entries to search). Regions do
 * not overlap, so their ends are sorted as their bases are. */
static uint32_t index_of(uintptr_t va, uint32_t n)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct vregion *r = *slot(mid);
        if (va >= r->base && va - r->base >= r->size)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct vregion *vregion_reserve(size_t size, size_t align, enum vregion_kind kind, const char *name)
{
    if (size == 0 || (align & (align - 1)))
        return NULL;
    size = align_up(size, PAGE_SIZE);
    if (size == 0)
        return NULL;
    if (align < PAGE_SIZE)
        align = PAGE_SIZE;
    uint64_t irq = spin_lock_irqsave(&lock);
    struct vregion *r = NULL;
    if (count >= limit)
        goto out;
    /* First fit: before the first region, between neighbours, or after
     * the last. */
    uintptr_t cand = align_up(space_base, align);
    uint32_t at = 0;
    for (; at < count; at++) {
        const struct vregion *next = *slot(at);
        if (cand + size <= next->base && cand + size > cand)
            break;
        cand = align_up(next->base + next->size, align);
    }
    if (cand < space_base || cand + size > space_end || cand + size < cand)
        goto out;
    /* The index's room first: a descriptor taken and then not used would
     * have to be given back. */
    if (!index_room())
        goto out;
    r = desc_alloc();
    if (!r)
        goto out;
    *r = (struct vregion){ .base = cand, .size = size, .kind = kind, .in_use = true };
    size_t n = strnlen(name, sizeof r->name - 1);
    memcpy(r->name, name, n);
    r->name[n] = 0;
    shift_up(at);
    *slot(at) = r;
    __atomic_store_n(&count, count + 1, __ATOMIC_RELEASE);
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
    uint32_t i = index_of(r->base, count);
    if (i < count && *slot(i) == r) {
        shift_down(i);
        __atomic_store_n(&count, count - 1, __ATOMIC_RELEASE);
        r->in_use = false;
        r->owner = NULL;
        r->next_free = free_list;
        free_list = r;
    }
    spin_unlock_irqrestore(&lock, irq);
}

uintptr_t vregion_base(const struct vregion *r) { return r->base; }
size_t vregion_size(const struct vregion *r) { return r->size; }
size_t vregion_committed(const struct vregion *r) { return r->committed; }
const char *vregion_name(const struct vregion *r) { return r->name; }
enum vregion_kind vregion_kind(const struct vregion *r) { return r->kind; }

/* Lock-free on purpose: fault handlers call it, possibly while the lock is
 * held by the code that faulted. See the top of this file for what that
 * relies on. */
const struct vregion *vregion_find(uintptr_t va)
{
    uint32_t n = __atomic_load_n(&count, __ATOMIC_ACQUIRE);
    uint32_t i = index_of(va, n);
    if (i >= n)
        return NULL;
    const struct vregion *r = *slot(i);
    return va - r->base < r->size ? r : NULL;
}

void vregion_stats(uint64_t *regions, uint64_t *committed_bytes)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    uint64_t c = 0;
    for (uint32_t i = 0; i < count; i++)
        c += (*slot(i))->committed;
    *regions = count;
    *committed_bytes = c;
    spin_unlock_irqrestore(&lock, irq);
}

uint64_t vregion_table_frames(void)
{
    return __atomic_load_n(&table_frames, __ATOMIC_RELAXED);
}

uint64_t vregion_set_limit(uint64_t max)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    uint64_t old = limit;
    limit = max < VREGION_TABLE_MAX ? (uint32_t)max : VREGION_TABLE_MAX;
    spin_unlock_irqrestore(&lock, irq);
    return old;
}
