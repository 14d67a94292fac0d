/* mm/heap over a C-library backend: size classes, large blocks, leak
 * accounting, and misuse that must panic. */
#include <stdlib.h>
#include <string.h>

#include "mm/heap.h"
#include "mm/heap_backend.h"
#include "unit.h"

#define MAX_SLABS 4096
static void *slabs[MAX_SLABS];
static int nslabs, slab_limit = MAX_SLABS;

void *heap_backend_slab_alloc(void)
{
    if (nslabs >= slab_limit)
        return NULL;
    for (int i = 0; i < MAX_SLABS; i++) {
        if (!slabs[i]) {
            slabs[i] = aligned_alloc(HEAP_SLAB_SIZE, HEAP_SLAB_SIZE);
            nslabs++;
            return slabs[i];
        }
    }
    return NULL;
}

void heap_backend_slab_free(void *s)
{
    for (int i = 0; i < MAX_SLABS; i++) {
        if (slabs[i] == s) {
            free(s);
            slabs[i] = NULL;
            nslabs--;
            return;
        }
    }
    CHECK(!"slab freed twice or unknown");
}

bool heap_backend_is_slab(const void *p)
{
    for (int i = 0; i < MAX_SLABS; i++)
        if (slabs[i] && (const char *)p >= (char *)slabs[i] && (const char *)p < (char *)slabs[i] + HEAP_SLAB_SIZE)
            return true;
    return false;
}

static size_t large_live;

/* Like the kernel's: zeroed, and stop is asked after each step (1 MiB here). */
void *heap_backend_large_alloc(size_t bytes, bool (*stop)(void))
{
    if (bytes > (1ull << 32))
        return NULL;
    for (size_t done = 0; done < bytes; done += 1024 * 1024)
        if (stop && stop())
            return NULL;
    void *p = aligned_alloc(4096, bytes);
    if (p) {
        memset(p, 0, bytes);
        large_live += bytes;
    }
    return p;
}

void heap_backend_large_free(void *p, size_t bytes)
{
    large_live -= bytes;
    free(p);
}

static void reset(void)
{
    for (int i = 0; i < MAX_SLABS; i++) {
        free(slabs[i]);
        slabs[i] = NULL;
    }
    nslabs = 0;
    slab_limit = MAX_SLABS;
    heap_init();
}

TEST(heap_classes_and_alignment)
{
    reset();
    size_t sizes[] = { 1, 15, 16, 17, 100, 2048, 2049, 5000, 100000 };
    void *p[9];
    for (int i = 0; i < 9; i++) {
        p[i] = kmalloc(sizes[i]);
        CHECK(p[i] && ((uintptr_t)p[i] & 15) == 0);
        CHECK(ksize(p[i]) >= sizes[i]);
        memset(p[i], 0xab, sizes[i]);
    }
    struct heap_stats st;
    heap_get_stats(&st);
    CHECK(st.live_allocs == 9);
    CHECK(st.live_bytes == 1 + 15 + 16 + 17 + 100 + 2048 + 2049 + 5000 + 100000);
    for (int i = 0; i < 9; i++)
        kfree(p[i]);
    heap_get_stats(&st);
    CHECK(st.live_allocs == 0 && st.live_bytes == 0);
    CHECK(large_live == 0);
    kfree(NULL);
}

TEST(heap_stress_no_leak)
{
    reset();
    enum { N = 2000 };
    static void *ptr[N];
    static size_t len[N];
    unsigned seed = 12345;
    for (int step = 0; step < 200000; step++) {
        seed = seed * 1103515245 + 12345;
        int i = (int)((seed >> 8) % N);
        if (ptr[i]) {
            unsigned char *c = ptr[i];
            CHECK(c[0] == (unsigned char)i && c[len[i] - 1] == (unsigned char)i);
            kfree(ptr[i]);
            ptr[i] = NULL;
        } else {
            len[i] = 1 + (seed >> 4) % ((seed & 7) == 0 ? 20000 : 600);
            ptr[i] = kmalloc(len[i]);
            CHECK(ptr[i] != NULL);
            memset(ptr[i], i, len[i]);
        }
    }
    for (int i = 0; i < N; i++) {
        kfree(ptr[i]);
        ptr[i] = NULL;
    }
    struct heap_stats st;
    heap_get_stats(&st);
    CHECK(st.live_allocs == 0 && st.live_bytes == 0 && large_live == 0);
    /* Empty slabs went back, but for at most one cached per class. */
    CHECK(nslabs <= 8);
}

TEST(heap_exhaustion_is_clean)
{
    reset();
    slab_limit = 2;
    void *p[4096];
    int n = 0;
    while (n < 4096 && (p[n] = kmalloc(1000)) != NULL)
        n++;
    CHECK(n > 0 && n < 4096);
    CHECK(kmalloc(1ull << 33) == NULL);
    struct heap_stats st;
    heap_get_stats(&st);
    CHECK(st.failed_allocs == 2);
    CHECK(st.live_allocs == (uint64_t)n);
    while (n)
        kfree(p[--n]);
    CHECK(kcalloc(~0ull / 2, 4) == NULL);
}

TEST(heap_misuse_panics)
{
    reset();
    char *p = kmalloc(64);
    kfree(p);
    EXPECT_PANIC(kfree(p));                 /* double free */
    char *q = kmalloc(64);
    EXPECT_PANIC(kfree(q + 16));            /* interior pointer */
    EXPECT_PANIC(kfree(q + 1));             /* misaligned */
    static char not_heap[64] __attribute__((aligned(16)));
    EXPECT_PANIC(kfree(not_heap + 16));
    char *big = kmalloc(10000);
    kfree(big);
    kfree(q);
}

static int stop_polls;
static bool stop_on_third(void)
{
    return ++stop_polls == 3;
}

/* A big zeroed block gives up when told to, keeping nothing; a small one
 * is zeroed like kzalloc's. */
TEST(heap_stoppable_large_block)
{
    reset();
    struct heap_stats s0, s1;
    heap_get_stats(&s0);
    stop_polls = 0;
    CHECK(kzalloc_stoppable(8 << 20, stop_on_third) == NULL);
    CHECK(stop_polls == 3);
    heap_get_stats(&s1);
    CHECK(s1.live_allocs == s0.live_allocs && large_live == 0);
    unsigned char *p = kzalloc_stoppable(3 << 20, NULL);
    CHECK(p && p[0] == 0 && p[(3 << 20) - 1] == 0);
    kfree(p);
    unsigned char *q = kzalloc_stoppable(100, stop_on_third);
    CHECK(q && q[99] == 0);
    kfree(q);
    CHECK(large_live == 0);
}
