/* mm/vregion: reservation, first fit, commit/decommit accounting. */
#include <string.h>

#include "arch/x86/mmu.h"
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
    uint64_t f0 = free_frames(), t0 = mmu_table_frames(), v0 = vregion_table_frames();
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
    /* Only page tables and the region table's frames remain. */
    CHECK(free_frames() + (tables - t0) + (vregion_table_frames() - v0) == f0);
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

#define MANY 5000   /* past the 4096 of the old fixed pool */

static struct vregion *many[MANY];

/* Region i: 1..4 pages, so bases are irregular. */
static size_t many_size(int i) { return (size_t)(1 + i % 4) * 4096; }

static void check_found(int i)
{
    uintptr_t b = vregion_base(many[i]);
    CHECK(vregion_find(b) == many[i]);
    CHECK(vregion_find(b + vregion_size(many[i]) - 1) == many[i]);
}

TEST(vregion_table_grows)
{
    setup();
    uint64_t f0 = free_frames();
    for (int i = 0; i < MANY; i++) {
        many[i] = vregion_reserve(many_size(i), 4096, VR_GENERIC, "many");
        CHECK(many[i] != NULL);
        if (!many[i])
            return;
    }
    uint64_t n, bytes;
    vregion_stats(&n, &bytes);
    CHECK(n == MANY && bytes == 0);
    /* Packed first fit from the start, in order. */
    uintptr_t at = BASE;
    for (int i = 0; i < MANY; i++) {
        CHECK(vregion_base(many[i]) == at);
        at += many_size(i);
        check_found(i);
    }
    CHECK(vregion_find(at) == NULL);
    CHECK(vregion_find(BASE - 1) == NULL);
    /* The table took what it needed, from the frame allocator, and no
     * more: ~72 bytes a descriptor, 8 an index entry, whole frames. */
    uint64_t frames = vregion_table_frames();
    CHECK(frames >= (MANY * 80 + 4095) / 4096 && frames <= MANY / 50 + MANY / 512 + 2);
    CHECK(free_frames() + frames == f0);

    /* Release every other one: the rest are still found, the gaps not. */
    for (int i = 0; i < MANY; i += 2) {
        uintptr_t b = vregion_base(many[i]);
        vregion_release(many[i]);
        CHECK(vregion_find(b) == NULL);
        many[i] = NULL;
    }
    for (int i = 1; i < MANY; i += 2)
        check_found(i);
    vregion_stats(&n, &bytes);
    CHECK(n == MANY / 2);

    /* Reserving again reuses the descriptors (no new frame) and the gaps
     * (first fit, same sizes, so the same places). */
    at = BASE;
    for (int i = 0; i < MANY; i++) {
        if (i % 2 == 0) {
            many[i] = vregion_reserve(many_size(i), 4096, VR_GENERIC, "again");
            CHECK(many[i] && vregion_base(many[i]) == at);
        }
        at += many_size(i);
    }
    CHECK(vregion_table_frames() == frames);
    for (int i = 0; i < MANY; i++)
        check_found(i);

    for (int i = 0; i < MANY; i++)
        vregion_release(many[i]);
    vregion_stats(&n, &bytes);
    CHECK(n == 0);
    CHECK(vregion_find(BASE) == NULL);
    /* The table keeps its peak size; nothing else stays taken. */
    CHECK(vregion_table_frames() == frames && free_frames() + frames == f0);
}

/* Out of regions: at the ceiling, or with no frame left to grow the table
 * with, reserve says NULL, changes nothing, and works again once there is
 * room. */
TEST(vregion_exhaustion)
{
    setup();
    struct vregion *a = vregion_reserve(4096, 4096, VR_GENERIC, "a");
    CHECK(a);
    CHECK(vregion_set_limit(1) == VREGION_TABLE_MAX);
    CHECK(vregion_reserve(4096, 4096, VR_GENERIC, "over") == NULL);
    vregion_set_limit(VREGION_TABLE_MAX);
    struct vregion *b = vregion_reserve(4096, 4096, VR_GENERIC, "b");
    CHECK(b && vregion_base(b) == BASE + 4096);
    vregion_release(b);

    /* Take every frame, then reserve until the table cannot grow. */
    static paddr_t taken[64 * 256];
    int nt = 0;
    for (paddr_t f; nt < (int)(sizeof taken / sizeof taken[0]) && (f = pmm_alloc(0));)
        taken[nt++] = f;
    CHECK(free_frames() == 0);
    int made = 0;
    struct vregion *r;
    while (made < 1000 && (r = vregion_reserve(4096, 4096, VR_GENERIC, "fill")))
        many[made++] = r;
    CHECK(made < 1000);     /* a frame's worth of descriptors at most */
    uint64_t n, bytes;
    vregion_stats(&n, &bytes);
    CHECK(n == (uint64_t)made + 1);
    CHECK(vregion_find(BASE + (uint64_t)(made + 1) * 4096) == NULL);
    for (int i = 0; i < made; i++)
        check_found(i);
    pmm_free(taken[--nt]);
    r = vregion_reserve(4096, 4096, VR_GENERIC, "room");
    CHECK(r && vregion_find(vregion_base(r)) == r);
    vregion_release(r);
    while (nt > 0)
        pmm_free(taken[--nt]);
    for (int i = 0; i < made; i++)
        vregion_release(many[i]);
    vregion_release(a);
    vregion_stats(&n, &bytes);
    CHECK(n == 0);
}
