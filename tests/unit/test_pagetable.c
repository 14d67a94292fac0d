/* arch/x86/pagetable.c (the mm/mmu.h interface) against fake memory. */
#include "arch/x86/mmu.h"
#include "mm/pmm.h"
#include "unit.h"

#define MiB (1ull << 20)
extern bool mmu_nx_enabled;

static paddr_t setup(void)
{
    unit_fake_phys(64 * MiB);
    struct pmm_range usable[] = { { MiB, 63 * MiB } };
    CHECK(pmm_init(usable, 1, NULL, 0) == 0);
    mmu_nx_enabled = true;
    return mmu_new_root();
}

static uint64_t free_frames(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    return st.free_frames;
}

TEST(pt_map_query_unmap)
{
    paddr_t root = setup();
    uintptr_t va = 0xffffc00000123000ull;
    CHECK(mmu_map(root, va, 0x456000, 3 * 4096, MMU_WRITE) == 0);
    paddr_t pa;
    int fl;
    CHECK(mmu_query(root, va + 4096 + 17, &pa, &fl));
    CHECK(pa == 0x457000 + 17);
    CHECK(fl == MMU_WRITE);
    CHECK(!mmu_query(root, va + 3 * 4096, NULL, NULL));
    CHECK(!mmu_query(root, va - 1, NULL, NULL));
    /* Mapping over an existing page fails and changes nothing. */
    CHECK(mmu_map(root, va + 2 * 4096, 0x900000, 2 * 4096, 0) == -1);
    CHECK(!mmu_query(root, va + 3 * 4096, NULL, NULL));
    CHECK(mmu_unmap(root, va, 3 * 4096, false) == 0);
    CHECK(!mmu_query(root, va, NULL, NULL));
    CHECK(mmu_map(root, va + 1, 0, 4096, 0) == -1);   /* misaligned */
}

TEST(pt_flags_roundtrip)
{
    paddr_t root = setup();
    int cases[] = { 0, MMU_WRITE, MMU_EXEC, MMU_WRITE | MMU_EXEC, MMU_USER | MMU_WRITE,
                    MMU_UNCACHED | MMU_WRITE, MMU_WC | MMU_WRITE, MMU_GLOBAL };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uintptr_t va = 0x400000 + i * 4096;
        CHECK(mmu_map(root, va, 0x200000 + i * 4096, 4096, cases[i]) == 0);
        int fl;
        CHECK(mmu_query(root, va, NULL, &fl) && fl == cases[i]);
    }
    CHECK(mmu_protect(root, 0x400000, 4096, MMU_EXEC) == 0);
    int fl;
    CHECK(mmu_query(root, 0x400000, NULL, &fl) && fl == MMU_EXEC);
}

TEST(pt_large_pages_split)
{
    paddr_t root = setup();
    uintptr_t va = 0xffff800000000000ull;
    uint64_t before = mmu_table_frames();
    CHECK(mmu_map(root, va, 0, 8 * MiB, MMU_WRITE | MMU_LARGE) == 0);
    int fl;
    paddr_t pa;
    CHECK(mmu_query(root, va + 3 * MiB + 5, &pa, &fl));
    CHECK(pa == 3 * MiB + 5 && (fl & MMU_LARGE));
    /* PDPT + PD only: no page tables for large pages. */
    CHECK(mmu_table_frames() - before == 2);
    /* Protecting one small page splits its large page; neighbours keep
     * their mapping and permissions. */
    CHECK(mmu_protect(root, va + 2 * MiB + 4096, 4096, MMU_READ) == 0);
    CHECK(mmu_query(root, va + 2 * MiB + 4096, &pa, &fl) && pa == 2 * MiB + 4096 && fl == MMU_READ);
    CHECK(mmu_query(root, va + 2 * MiB, &pa, &fl) && pa == 2 * MiB && fl == MMU_WRITE);
    CHECK(mmu_query(root, va + 4 * MiB - 4096, &pa, NULL) && pa == 4 * MiB - 4096);
    /* Unmapping a page inside another large page splits it too. */
    CHECK(mmu_unmap(root, va + 5 * MiB, 4096, false) == 0);
    CHECK(!mmu_query(root, va + 5 * MiB, NULL, NULL));
    CHECK(mmu_query(root, va + 5 * MiB + 4096, &pa, NULL) && pa == 5 * MiB + 4096);
    /* Whole large pages unmap without splitting. */
    uint64_t tables = mmu_table_frames();
    CHECK(mmu_unmap(root, va + 6 * MiB, 2 * MiB, false) == 0);
    CHECK(mmu_table_frames() == tables);
    CHECK(!mmu_query(root, va + 7 * MiB, NULL, NULL));
}

TEST(pt_unmap_frees_frames)
{
    paddr_t root = setup();
    uint64_t f0 = free_frames(), t0 = mmu_table_frames();
    uintptr_t va = 0xffffc00000000000ull;
    for (int i = 0; i < 100; i++)
        CHECK(mmu_map(root, va + (uint64_t)i * 4096, pmm_alloc(0), 4096, MMU_WRITE) == 0);
    uint64_t tables = mmu_table_frames();
    CHECK(mmu_unmap(root, va, 100 * 4096, true) == 0);
    /* The data frames are back; the tables remain for reuse. */
    CHECK(free_frames() + (mmu_table_frames() - t0) == f0);
    CHECK(mmu_table_frames() == tables);
    /* A sparse unmap over a huge unmapped range is quick and harmless. */
    CHECK(mmu_unmap(root, 0xffffd00000000000ull, 1ull << 40, true) == 0);
}

TEST(pt_out_of_frames)
{
    paddr_t root = setup();
    /* Exhaust the allocator, then ask for a mapping needing new tables. */
    while (pmm_alloc(0))
        ;
    CHECK(mmu_map(root, 0x7f0000000000ull, 0x100000, 4096, 0) == -1);
    CHECK(!mmu_query(root, 0x7f0000000000ull, NULL, NULL));
}

TEST(pt_free_root_lower)
{
    paddr_t root = setup();
    uint64_t f0 = free_frames();
    CHECK(mmu_map(root, 0x1000, 0x200000, 4096, MMU_USER) == 0);
    CHECK(mmu_map(root, 0x7fff00000000ull, 0x200000, 4096, MMU_USER) == 0);
    mmu_free_root_lower(root);
    CHECK(free_frames() == f0 + 1);     /* the root was allocated before f0 */
}
