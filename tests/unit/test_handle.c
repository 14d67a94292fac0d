/* kern/handle and kern/object: handles as unforgeable, revocable names. */
#include <stdlib.h>

#include "kern/handle.h"
#include "mm/heap.h"
#include "unit.h"

struct dummy {
    struct kobj k;
    int *destroyed;
};

static void dummy_destroy(struct kobj *o)
{
    struct dummy *d = (struct dummy *)o;
    (*d->destroyed)++;
    free(d);
}

static const struct kobj_ops dummy_ops = { .name = "dummy", .destroy = dummy_destroy };

static struct kobj *dummy(enum kobj_kind kind, int *destroyed)
{
    struct dummy *d = calloc(1, sizeof *d);
    kobj_init(&d->k, kind, &dummy_ops);
    d->destroyed = destroyed;
    return &d->k;
}

TEST(handle_make_get_drop)
{
    heap_init();
    int gone = 0;
    struct handle_space s;
    handle_space_init(&s, 100);
    struct kobj *v = dummy(KOBJ_VMA, &gone);
    handle_t h = handle_make(&s, v, RIGHTS_ALL);
    kobj_put(v);                        /* the handle's reference remains */
    CHECK(h != HANDLE_NULL);
    CHECK(handle_kind(&s, h) == KOBJ_VMA);
    CHECK(handle_get(&s, h, KOBJ_VMA, NULL) == v);
    CHECK(handle_get(&s, h, KOBJ_INVALID, NULL) == v);
    CHECK(handle_get(&s, h, KOBJ_MODULE, NULL) == NULL);     /* wrong kind */
    CHECK(gone == 0);
    CHECK(handle_drop(&s, h));
    CHECK(gone == 1);                   /* last reference: destroyed */
    CHECK(handle_kind(&s, h) == KOBJ_INVALID);          /* stale */
    CHECK(!handle_drop(&s, h));         /* twice: refused, no effect */
    /* The slot is reused with a new generation: the old value stays dead. */
    struct kobj *m = dummy(KOBJ_MODULE, &gone);
    handle_t h2 = handle_make(&s, m, RIGHTS_ALL);
    kobj_put(m);
    CHECK((uint32_t)h2 == (uint32_t)h && h2 != h);
    CHECK(handle_get(&s, h, KOBJ_INVALID, NULL) == NULL);
    CHECK(handle_get(&s, h2, KOBJ_MODULE, NULL) == m);
    handle_space_destroy(&s);
    CHECK(gone == 2);
    CHECK(kobj_live(KOBJ_VMA) == 0 && kobj_live(KOBJ_MODULE) == 0);
}

TEST(handle_rights)
{
    heap_init();
    int gone = 0;
    struct handle_space s;
    handle_space_init(&s, 100);
    struct kobj *v = dummy(KOBJ_VMA, &gone);
    /* A handle has the rights asked for, within what its kind can carry. */
    handle_t all = handle_make(&s, v, RIGHTS_ALL);
    handle_t ro = handle_make(&s, v, RIGHT_READ | RIGHT_CONTROL);
    kobj_put(v);
    uint32_t r = 0;
    CHECK(handle_get(&s, all, KOBJ_VMA, &r) == v && r == kobj_rights(KOBJ_VMA));
    CHECK(!(r & RIGHT_CONTROL) && (r & RIGHT_WRITE));
    CHECK(handle_get(&s, ro, KOBJ_VMA, &r) == v && r == RIGHT_READ);
    /* Room: what the limit leaves, made all or none by the caller. */
    CHECK(handle_room(&s, 98) && !handle_room(&s, 99));
    handle_space_destroy(&s);
    CHECK(gone == 1);
}

TEST(handle_forged_values)
{
    heap_init();
    int gone = 0;
    struct handle_space s;
    handle_space_init(&s, 10);
    struct kobj *v = dummy(KOBJ_VMA, &gone);
    handle_t h = handle_make(&s, v, RIGHTS_ALL);
    kobj_put(v);
    handle_t forged[] = { 0, 1, h + 1, h - 1, h ^ (1ull << 32), h | 0xffffffff00000000ull,
                          0xffffffffffffffffull, (uint32_t)h, 1000, (uint64_t)1 << 63 };
    for (unsigned i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        if (forged[i] == h)
            continue;
        CHECK(handle_kind(&s, forged[i]) == KOBJ_INVALID);
        CHECK(!handle_drop(&s, forged[i]));
    }
    CHECK(handle_kind(&s, h) == KOBJ_VMA);
    handle_space_destroy(&s);
    CHECK(gone == 1);
}

TEST(handle_limit_and_growth)
{
    heap_init();
    int gone = 0;
    struct handle_space s;
    handle_space_init(&s, 1000);
    struct kobj *v = dummy(KOBJ_COMPONENT, &gone);
    static handle_t hs[1000];
    for (int i = 0; i < 1000; i++) {
        hs[i] = handle_make(&s, v, RIGHTS_ALL);
        CHECK(hs[i] != HANDLE_NULL);
    }
    CHECK(handle_make(&s, v, RIGHTS_ALL) == HANDLE_NULL);       /* at the limit */
    CHECK(v->refs == 1001);
    for (int i = 0; i < 1000; i += 2)
        CHECK(handle_drop(&s, hs[i]));
    for (int i = 1; i < 1000; i += 2)
        CHECK(handle_get(&s, hs[i], KOBJ_COMPONENT, NULL) == v);
    CHECK(handle_make(&s, v, RIGHTS_ALL) != HANDLE_NULL);       /* room again */
    kobj_put(v);
    handle_space_destroy(&s);
    CHECK(gone == 1);
    CHECK(handle_make(&s, NULL, RIGHTS_ALL) == HANDLE_NULL);
}

TEST(kobj_misuse_panics)
{
    int gone = 0;
    struct kobj *v = dummy(KOBJ_VMA, &gone);
    struct dummy copy = *(struct dummy *)v;
    kobj_put(v);
    CHECK(gone == 1);
    copy.k.refs = 0;
    EXPECT_PANIC(kobj_put(&copy.k));
    EXPECT_PANIC(kobj_get(&copy.k));
}

static int unreachable_calls;

static void count_unreachable(struct kobj *o)
{
    (void)o;
    unreachable_calls++;
}

static const struct kobj_ops watched_ops = { .name = "watched", .destroy = dummy_destroy,
                                              .unreachable = count_unreachable };

TEST(handle_last_drop_makes_unreachable)
{
    heap_init();
    int gone = 0;
    struct handle_space a, b;
    handle_space_init(&a, 10);
    handle_space_init(&b, 10);
    struct dummy *d = calloc(1, sizeof *d);
    kobj_init(&d->k, KOBJ_COMPONENT, &watched_ops);
    d->destroyed = &gone;
    unreachable_calls = 0;
    handle_t ha = handle_make(&a, &d->k, RIGHTS_ALL), hb = handle_make(&b, &d->k, RIGHTS_ALL);
    CHECK(d->k.handles == 2);
    CHECK(handle_drop(&a, ha));
    CHECK(unreachable_calls == 0);       /* b still names it */
    handle_space_destroy(&b);            /* the last handle goes with b */
    CHECK(unreachable_calls == 1 && d->k.handles == 0);
    CHECK(gone == 0);                    /* our reference keeps it */
    (void)hb;
    kobj_put(&d->k);
    CHECK(gone == 1);
    handle_space_destroy(&a);
}
