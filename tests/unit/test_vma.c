/* kern/vma: bounds of guest-controlled copies, and ownership. */
#include <stdint.h>
#include <string.h>

#include "kern/account.h"
#include "kern/vma.h"
#include "mm/heap.h"
#include "unit.h"

TEST(vma_copy_bounds)
{
    heap_init();
    static uint8_t screen[4000], rom[64];
    memset(rom, 0xab, sizeof rom);
    struct vma *s = vma_new_fixed("screen", screen, sizeof screen, VMA_READ | VMA_WRITE);
    struct vma *r = vma_new_fixed("rom", rom, sizeof rom, VMA_READ);
    CHECK(s && r);
    CHECK(vma_copy(r, s, 0, 3936, 64) == VMA_OK);
    CHECK(screen[3999] == 0xab && screen[3935] == 0);
    CHECK(vma_copy(r, s, 0, 3937, 64) == VMA_EINVAL);          /* one past the end */
    CHECK(vma_copy(r, s, 1, 0, 64) == VMA_EINVAL);
    CHECK(vma_copy(r, s, -1, 0, 1) == VMA_EINVAL);
    CHECK(vma_copy(r, s, 0, -4000, 10) == VMA_EINVAL);
    CHECK(vma_copy(r, s, 0, 0, -1) == VMA_EINVAL);
    CHECK(vma_copy(r, s, INT64_MAX, 0, 1) == VMA_EINVAL);
    CHECK(vma_copy(r, s, 0, INT64_MAX, INT64_MAX) == VMA_EINVAL);  /* sum overflows int64 */
    CHECK(vma_copy(r, s, 1, 1, INT64_MAX) == VMA_EINVAL);
    CHECK(vma_copy(r, s, 64, 4000, 0) == VMA_OK);              /* empty at the very end */
    CHECK(vma_copy(r, s, 65, 0, 0) == VMA_EINVAL);             /* empty, but past the end */
    CHECK(vma_copy(s, r, 0, 0, 1) == VMA_EINVAL);              /* rom is read-only */
    CHECK(vma_copy(NULL, s, 0, 0, 1) == VMA_EINVAL);
    /* A refused copy changed nothing. */
    CHECK(rom[0] == 0xab && screen[0] == 0);
    kobj_put(&s->k);
    kobj_put(&r->k);
    CHECK(kobj_live(KOBJ_VMA) == 0);
}

/* Copies longer than a piece go piece by piece, forwards or (overlapping,
 * destination above) backwards, and end early when the caller is killed. */
TEST(vma_copy_long_in_pieces)
{
    heap_init();
    enum { N = 3 * 256 * 1024 + 12345 };
    static uint8_t a[N + 4096], want[N + 4096];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = (uint8_t)(i * 7 + i / 251);
    struct vma *v = vma_new_fixed("a", a, sizeof a, VMA_READ | VMA_WRITE);
    CHECK(v);
    memcpy(want, a, sizeof a);
    memmove(want + 4000, want + 3, N);
    CHECK(vma_copy(v, v, 3, 4000, N) == VMA_OK);        /* overlap, up */
    CHECK(memcmp(a, want, sizeof a) == 0);
    memmove(want + 1, want + 4001, N);
    CHECK(vma_copy(v, v, 4001, 1, N) == VMA_OK);        /* overlap, down */
    CHECK(memcmp(a, want, sizeof a) == 0);
    unit_stop_after = 1;                                /* killed after two pieces */
    CHECK(vma_copy(v, v, 0, 4096, N) == VMA_EKILLED);
    CHECK(unit_stop_after == -1);
    unit_stop_after = -1;
    kobj_put(&v->k);
    CHECK(kobj_live(KOBJ_VMA) == 0);
}

TEST(vma_overlap_and_buffers)
{
    heap_init();
    struct vma *b = vma_new_buffer("buf", 100, NULL);
    CHECK(b && vma_size(b) == 100);
    uint8_t *p = vma_base(b);
    for (int i = 0; i < 100; i++)
        CHECK(p[i] == 0);
    for (int i = 0; i < 100; i++)
        p[i] = (uint8_t)i;
    CHECK(vma_copy(b, b, 0, 10, 50) == VMA_OK);                /* overlapping, forward */
    CHECK(p[10] == 0 && p[59] == 49);
    CHECK(vma_copy(b, b, 20, 0, 50) == VMA_OK);                /* overlapping, backward */
    CHECK(p[0] == 10);
    CHECK(vma_new_buffer("zero", 0, NULL) == NULL);
    CHECK(vma_new_buffer("huge", 1ull << 40, NULL) == NULL);
    struct heap_stats st;
    kobj_put(&b->k);
    heap_get_stats(&st);
    CHECK(st.live_allocs == 0);                                /* buffer and area freed */
}

/* A component's areas are charged to its account, which lives as long as
 * the last area it paid for: the component may be gone by then. */
TEST(vma_buffers_charge_their_account)
{
    heap_init();
    struct account *acct = account_new(1000);
    CHECK(acct);
    struct vma *a = vma_new_buffer("a", 600, acct);
    CHECK(a && account_used(acct) == 600);
    CHECK(vma_new_buffer("b", 401, acct) == NULL);            /* past the limit */
    CHECK(account_used(acct) == 600);                         /* a refusal charges nothing */
    struct vma *b = vma_new_buffer("b", 400, acct);
    CHECK(b && account_used(acct) == 1000);
    CHECK(vma_new_buffer("c", 1, acct) == NULL);
    CHECK(vma_new_buffer("huge", 1ull << 40, acct) == NULL);
    CHECK(account_used(acct) == 1000);
    CHECK(!account_lower(acct, 999));                         /* below what is held */
    CHECK(!account_lower(acct, 1001));                        /* limits only go down */
    kobj_put(&a->k);                                          /* credited as it goes */
    CHECK(account_used(acct) == 400);
    CHECK(account_lower(acct, 500));
    CHECK(vma_new_buffer("d", 101, acct) == NULL);
    account_put(acct);                                        /* the component ends */
    CHECK(vma_size(b) == 400);                                /* its area lives on */
    kobj_put(&b->k);                                          /* and frees the account */
    struct heap_stats st;
    heap_get_stats(&st);
    CHECK(st.live_allocs == 0);
    struct account *none = account_new(0);                    /* a limit of 0: nothing */
    CHECK(none && vma_new_buffer("e", 1, none) == NULL && account_used(none) == 0);
    account_put(none);
}
