/* mm/pmm against fake physical memory. */
#include <stdlib.h>
#include <string.h>

#include "mm/pmm.h"
#include "unit.h"

#define MiB (1ull << 20)

static void setup(void)
{
    unit_fake_phys(64 * MiB);
    struct pmm_range usable[] = { { 0, 640 * 1024 }, { MiB, 31 * MiB }, { 40 * MiB, 24 * MiB } };
    struct pmm_range reserved[] = { { 0, MiB }, { MiB, 2 * MiB }, { 50 * MiB, 4096 * 3 + 1 } };
    CHECK(pmm_init(usable, 3, reserved, 3) == 0);
}

TEST(pmm_counts)
{
    setup();
    struct pmm_stats st;
    pmm_get_stats(&st);
    /* 31 MiB + 24 MiB usable, minus 2 MiB kernel, 4 frames reserved,
     * minus the bitmap (2 KiB of bits -> 1 frame). */
    uint64_t expect = (55 * MiB - 2 * MiB) / 4096 - 4 - 1;
    CHECK(st.total_frames == expect);
    CHECK(st.free_frames == expect);
    CHECK(st.highest == 64 * MiB);
}

TEST(pmm_alloc_free_all)
{
    setup();
    struct pmm_stats st;
    pmm_get_stats(&st);
    paddr_t *frames = malloc(st.free_frames * sizeof *frames);
    uint64_t n = 0;
    paddr_t f;
    while ((f = pmm_alloc(0)) != 0) {
        CHECK((f & 4095) == 0);
        CHECK(f >= MiB + 2 * MiB);
        CHECK(!(f >= 32 * MiB && f < 40 * MiB));            /* a hole */
        CHECK(!(f >= 50 * MiB && f < 50 * MiB + 4 * 4096)); /* reserved */
        frames[n++] = f;
    }
    CHECK(n == st.free_frames);
    CHECK(pmm_alloc(0) == 0);
    for (uint64_t i = 0; i < n; i++)
        pmm_free(frames[i]);
    struct pmm_stats after;
    pmm_get_stats(&after);
    CHECK(after.free_frames == st.free_frames);
    free(frames);
}

TEST(pmm_zero_and_contig)
{
    setup();
    paddr_t f = pmm_alloc(PMM_ZERO);
    unsigned char *p = phys_to_virt(f);
    int nonzero = 0;
    for (int i = 0; i < 4096; i++)
        nonzero |= p[i];
    CHECK(nonzero == 0);
    paddr_t c = pmm_alloc_contig(16, 512, PMM_ZERO);
    CHECK(c != 0 && (c & (2 * MiB - 1)) == 0);
    for (int i = 0; i < 16; i++)
        CHECK(pmm_is_allocated(c + (uint64_t)i * 4096));
    pmm_free_contig(c, 16);
    CHECK(!pmm_is_allocated(c));
    CHECK(pmm_alloc_contig(1u << 30, 1, 0) == 0);     /* more than exists */
    pmm_free(f);
}

TEST(pmm_misuse_panics)
{
    setup();
    paddr_t f = pmm_alloc(0);
    pmm_free(f);
    EXPECT_PANIC(pmm_free(f));                  /* double free */
    EXPECT_PANIC(pmm_free(f + 1));              /* not a frame address */
    EXPECT_PANIC(pmm_free(0));
    EXPECT_PANIC(pmm_free(1ull << 40));         /* beyond memory */
}

TEST(pmm_no_memory)
{
    unit_fake_phys(4 * MiB);
    struct pmm_range usable[] = { { MiB, MiB } };
    struct pmm_range reserved[] = { { MiB, MiB } };
    CHECK(pmm_init(usable, 1, reserved, 1) == -1);
    CHECK(pmm_init(usable, 0, reserved, 0) == -1);
}
