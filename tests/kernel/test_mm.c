/*
 * In-kernel tests of memory management: the heap under a stress pattern
 * with no leak, regions reserved without backing (thousands of them), page
 * protections as the MMU enforces them (checked with fault-tolerant
 * probes).
 */
#include "arch/x86/probe.h"
#include "kern/ktest.h"
#include "base/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/x86/mmu.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "mm/vregion.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Frames in use apart from page tables and the region table: intermediate
 * tables stay after an unmap (address space is reused first-fit, so they
 * are bounded), and are counted separately by mmu_table_frames(); the
 * region table keeps its peak size, counted by vregion_table_frames(). */
static uint64_t frames_used(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    return st.total_frames - st.free_frames - mmu_table_frames() - vregion_table_frames();
}

#define SLOTS 512

static void *slot_ptr[SLOTS];
static size_t slot_len[SLOTS];

static size_t random_size(void)
{
    uint64_t r = rng();
    switch (r % 8) {
    case 0: return 1 + (r >> 8) % 16;
    case 1: case 2: case 3: return 1 + (r >> 8) % 256;
    case 4: case 5: return 1 + (r >> 8) % 2048;
    case 6: return 2049 + (r >> 8) % 16384;
    default: return 1 + (r >> 8) % (256 * 1024);
    }
}

static bool stress_round(int ops)
{
    for (int i = 0; i < ops; i++) {
        int s = (int)(rng() % SLOTS);
        if (slot_ptr[s]) {
            uint8_t *p = slot_ptr[s];
            uint8_t tag = (uint8_t)s;
            for (size_t k = 0; k < slot_len[s]; k += 61)
                KCHECK(p[k] == tag, "slot %d corrupted at %zu", s, k);
            KCHECK(p[slot_len[s] - 1] == tag, "slot %d corrupted at its end", s);
            kfree(p);
            slot_ptr[s] = NULL;
        } else {
            size_t n = random_size();
            uint8_t *p = kmalloc(n);
            KCHECK(p != NULL, "kmalloc(%zu) failed", n);
            KCHECK(((uintptr_t)p & 15) == 0, "kmalloc(%zu) = %p is not 16-byte aligned", n, (void *)p);
            KCHECK(ksize(p) >= n, "ksize %zu < %zu", ksize(p), n);
            memset(p, (uint8_t)s, n);
            slot_ptr[s] = p;
            slot_len[s] = n;
        }
    }
    for (int s = 0; s < SLOTS; s++) {
        kfree(slot_ptr[s]);
        slot_ptr[s] = NULL;
    }
    return true;
}

KTEST(heap_stress)
{
    struct heap_stats before, after;
    /* A warm-up round lets each size class keep its one cached slab, so
     * the comparison below sees only what the stress itself leaks. */
    if (!stress_round(2000))
        return false;
    heap_get_stats(&before);
    uint64_t fb = frames_used();
    for (int round = 0; round < 4; round++)
        if (!stress_round(10000))
            return false;
    heap_get_stats(&after);
    uint64_t fa = frames_used();
    kprintf("    heap: %llu allocations made, %llu live before and after\n",
            (unsigned long long)(after.total_allocs - before.total_allocs),
            (unsigned long long)after.live_allocs);
    KCHECK(after.live_allocs == before.live_allocs, "live allocations %llu -> %llu",
           (unsigned long long)before.live_allocs, (unsigned long long)after.live_allocs);
    KCHECK(after.live_bytes == before.live_bytes, "live bytes %llu -> %llu",
           (unsigned long long)before.live_bytes, (unsigned long long)after.live_bytes);
    KCHECK(fa == fb, "frames in use %llu -> %llu", (unsigned long long)fb, (unsigned long long)fa);
    return true;
}

KTEST(heap_exhaustion)
{
    /* Asking for more than exists fails cleanly, and leaves nothing. */
    struct pmm_stats pb;
    pmm_get_stats(&pb);
    uint64_t fb = frames_used();
    void *p = kmalloc((size_t)(pb.total_frames + 16) * PAGE_SIZE);
    KCHECK(p == NULL, "a larger-than-RAM kmalloc succeeded");
    KCHECK(kmalloc((size_t)1 << 62) == NULL, "kmalloc(2^62) succeeded");
    KCHECK(kcalloc((size_t)1 << 40, (size_t)1 << 40) == NULL, "kcalloc overflow not caught");
    KCHECK(frames_used() == fb, "failed allocations leaked %lld frames", (long long)(frames_used() - fb));
    return true;
}

KTEST(region_8gib)
{
    uint64_t fb = frames_used();
    const size_t size = 8ull << 30;
    struct vregion *r = vregion_reserve(size, 1ull << 30, VR_WASM, "test 8 GiB");
    KCHECK(r != NULL, "cannot reserve 8 GiB");
    uintptr_t base = vregion_base(r);
    KCHECK((base & ((1ull << 30) - 1)) == 0, "alignment not honoured: %#lx", (unsigned long)base);
    KCHECK(vregion_commit(r, 0, 65536, MMU_WRITE) == 0, "commit failed");
    KCHECK(arch_probe_write8(base, 0x5a) == 0, "committed page not writable");
    KCHECK(arch_probe_read8(base + 65535) == 0, "committed memory not zeroed");
    KCHECK(arch_probe_read8(base + 65536) == -1, "page past the committed part is mapped");
    KCHECK(arch_probe_read8(base + size - 1) == -1, "the region's last byte is mapped");
    /* Grow in place, as memory.grow will. */
    KCHECK(vregion_commit(r, 65536, 65536, MMU_WRITE) == 0, "grow failed");
    KCHECK(arch_probe_read8(base) == 0x5a, "grow moved the data");
    KCHECK(arch_probe_write8(base + 131071, 1) == 0, "grown page not writable");
    KCHECK(vregion_commit(r, 0, 4096, MMU_WRITE) == -1, "committing twice succeeded");
    KCHECK(vregion_committed(r) == 131072, "committed %zu", vregion_committed(r));
    vregion_release(r);
    KCHECK(arch_probe_read8(base) == -1, "released region still mapped");
    KCHECK(frames_used() == fb, "region leaked %lld frames", (long long)(frames_used() - fb));
    return true;
}

/* More live regions than the old fixed table's 4096: the table grows from
 * the frame allocator, every region is found again (as fault handlers look
 * them up), committed pages in them work, and all of it, bar the table's
 * own frames, comes back. */
#define MANY_REGIONS 6000
static struct vregion *many_regions[MANY_REGIONS];

KTEST(regions_past_4096)
{
    uint64_t fb = frames_used(), n0, n, bytes;
    vregion_stats(&n0, &bytes);
    for (int i = 0; i < MANY_REGIONS; i++) {
        many_regions[i] = vregion_reserve(PAGE_SIZE, PAGE_SIZE, VR_GENERIC, "test many");
        KCHECK(many_regions[i], "region %d of %d not made (%llu live before)", i, MANY_REGIONS,
               (unsigned long long)n0);
        if (i % 97 == 0) {
            KCHECK(vregion_commit(many_regions[i], 0, PAGE_SIZE, MMU_WRITE) == 0, "commit %d", i);
            KCHECK(arch_probe_write8(vregion_base(many_regions[i]) + 7, (uint8_t)i) == 0,
                   "region %d not writable", i);
        }
    }
    vregion_stats(&n, &bytes);
    KCHECK(n == n0 + MANY_REGIONS, "%llu live regions", (unsigned long long)n);
    for (int i = 0; i < MANY_REGIONS; i++) {
        uintptr_t b = vregion_base(many_regions[i]);
        KCHECK(vregion_find(b) == many_regions[i] && vregion_find(b + PAGE_SIZE - 1) == many_regions[i],
               "region %d not found at %#lx", i, (unsigned long)b);
        if (i % 97 == 0)
            KCHECK(arch_probe_read8(b + 7) == (i & 0xff), "region %d lost its byte", i);
    }
    kprintf("    %d regions live, the table in %llu frames\n", (int)n,
            (unsigned long long)vregion_table_frames());
    for (int i = 0; i < MANY_REGIONS; i++)
        vregion_release(many_regions[i]);
    vregion_stats(&n, &bytes);
    KCHECK(n == n0, "%llu live regions after release, %llu before", (unsigned long long)n,
           (unsigned long long)n0);
    KCHECK(frames_used() == fb, "regions leaked %lld frames", (long long)(frames_used() - fb));
    return true;
}

KTEST(page_protection)
{
    struct vregion *r = vregion_reserve(3 * PAGE_SIZE, PAGE_SIZE, VR_GENERIC, "test protection");
    KCHECK(r != NULL, "reserve failed");
    uintptr_t base = vregion_base(r);
    KCHECK(vregion_commit(r, 0, 2 * PAGE_SIZE, MMU_WRITE) == 0, "commit failed");
    uint64_t faults = probe_faults;
    KCHECK(arch_probe_write8(base, 0xc3) == 0, "write to RW page faulted");
    KCHECK(mmu_protect(kernel_root, base, PAGE_SIZE, MMU_READ) == 0, "protect failed");
    KCHECK(arch_probe_read8(base) == 0xc3, "read of RO page failed");
    KCHECK(arch_probe_write8(base, 1) == -1, "write to RO page succeeded");
    /* NX: the page holds "ret" but must not run. */
    KCHECK(arch_probe_exec(base) == -1, "executing an NX page succeeded");
    KCHECK(mmu_protect(kernel_root, base, PAGE_SIZE, MMU_EXEC) == 0, "protect RX failed");
    KCHECK(arch_probe_exec(base) == 0, "executing an RX page failed");
    /* The guard: the third page was never committed. */
    KCHECK(arch_probe_read8(base + 2 * PAGE_SIZE) == -1, "uncommitted page readable");
    KCHECK(probe_faults - faults == 3, "expected 3 faults, saw %llu",
           (unsigned long long)(probe_faults - faults));
    vregion_release(r);
    return true;
}

KTEST(kernel_image_protection)
{
    extern char _text_start[], _rodata_start[];
    KCHECK(arch_probe_write8((uintptr_t)_text_start, 0x90) == -1, "kernel text is writable");
    KCHECK(arch_probe_write8((uintptr_t)_rodata_start, 0) == -1, "kernel rodata is writable");
    /* Nothing at virtual 0: a null pointer always faults. */
    KCHECK(arch_probe_read8(0) == -1, "page 0 is mapped");
    KCHECK(arch_probe_read8(0x100000) == -1, "the boot identity map survived");
    return true;
}
