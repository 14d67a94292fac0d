/* mm/vregion: reservation, first fit, commit/decommit accounting. */
#include <string.h>

#include "mm/mmu.h"
#include "mm/pmm.h"
#include "mm/vregion.h"
#include "unit.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define BASE 0xffffc00000000000ull

static paddr_t root;

static void setup(void)
{
    unit_fake_phys(64 * MiB);
    struct pmm_range usable[] = { { MiB, 63 * MiB } };
    CHECK(pmm_init(usable, 1, NULL, 0) == 0);
    root = mmu_new_root();
    vregion_init(root, BASE, 64 * GiB);
}

static uint64_t free_frames(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    return st.free_frames;
}

TEST(vregion_reserve_fit)
{
    setup();
    struct vregion *a = vregion_reserve(8 * GiB, GiB, VR_WASM, "a");
    struct vregion *b = vregion_reserve(4096, 4096, VR_STACK, "b");
    struct vregion *c = vregion_reserve(8 * GiB, GiB, VR_WASM, "c");
    CHECK(a && b && c);
    CHECK(vregion_base(a) == BASE);
    CHECK(vregion_base(b) == BASE + 8 * GiB);
    CHECK(vregion_base(c) == BASE + 9 * GiB);
    CHECK(vregion_find(BASE + 8 * GiB + 100) == b);
    CHECK(vregion_find(BASE + 8 * GiB + 4096) == NULL);
    CHECK(strcmp(vregion_name(c), "c") == 0);
    vregion_release(a);
    /* The freed gap is reused first. */
    struct vregion *d = vregion_reserve(GiB, GiB, VR_GENERIC, "d");
    CHECK(d && vregion_base(d) == BASE);
    /* Too big for what is left. */
    CHECK(vregion_reserve(60 * GiB, 4096, VR_GENERIC, "huge") == NULL);
    CHECK(vregion_reserve(0, 4096, VR_GENERIC, "zero") == NULL);
    CHECK(vregion_reserve(4096, 3 * 4096, VR_GENERIC, "bad align") == NULL);
    CHECK(vregion_reserve(~0ull - 4096, 4096, VR_GENERIC, "wrap") == NULL);
    vregion_release(b);
    vregion_release(c);
    vregion_release(d);
    uint64_t n, bytes;
    vregion_stats(&n, &bytes);
    CHECK(n == 0 && bytes == 0);
}

TEST(vregion_commit_accounting)
{
    setup();
    uint64_t f0 = free_frames(), t0 = mmu_table_frames();
    struct vregion *r = vregion_reserve(8 * GiB, GiB, VR_WASM, "mem");
    CHECK(vregion_commit(r, 0, 64 * 1024, MMU_WRITE) == 0);
    CHECK(vregion_committed(r) == 64 * 1024);
    CHECK(mmu_query(root, vregion_base(r) + 65535, NULL, NULL));
    CHECK(!mmu_query(root, vregion_base(r) + 65536, NULL, NULL));
    CHECK(vregion_commit(r, 32 * 1024, 64 * 1024, MMU_WRITE) == -1);   /* overlap */
    CHECK(vregion_committed(r) == 64 * 1024);
    CHECK(!mmu_query(root, vregion_base(r) + 65536, NULL, NULL));      /* rolled back */
    CHECK(vregion_commit(r, 8 * GiB - 4096, 8192, MMU_WRITE) == -1);   /* past the end */
    CHECK(vregion_commit(r, 100, 4096, MMU_WRITE) == -1);              /* misaligned */
    vregion_decommit(r, 0, 32 * 1024);
    CHECK(vregion_committed(r) == 32 * 1024);
    uint64_t tables = mmu_table_frames();
    vregion_release(r);
    CHECK(free_frames() + (tables - t0) == f0);    /* only page tables remain */
}

TEST(vregion_commit_out_of_memory)
{
    setup();
    struct vregion *r = vregion_reserve(GiB, 4096, VR_GENERIC, "big");
    uint64_t f0 = free_frames(), t0 = mmu_table_frames();
    /* More than the fake machine has: fails whole, frees what it took. */
    CHECK(vregion_commit(r, 0, 128 * MiB, MMU_WRITE) == -1);
    CHECK(vregion_committed(r) == 0);
    CHECK(free_frames() + (mmu_table_frames() - t0) == f0);
    CHECK(!mmu_query(root, vregion_base(r), NULL, NULL));
    vregion_release(r);
}

TEST(vregion_device_frames_not_freed)
{
    setup();
    paddr_t f = pmm_alloc(0);
    struct vregion *r = vregion_reserve(4096, 4096, VR_DEVICE, "dev");
    CHECK(vregion_map_phys(r, 0, f, 4096, MMU_WRITE | MMU_UNCACHED) == 0);
    CHECK(vregion_commit(r, 0, 4096, MMU_WRITE) == -1);    /* device: no commit */
    vregion_release(r);
    CHECK(pmm_is_allocated(f));                           /* not ours to free */
}
