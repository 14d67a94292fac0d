/*
 * Size-class slabs for small objects, whole pages for large ones. Every
 * allocation carries a 16-byte header (magic, size class, requested size),
 * so kfree can check what it is given and the leak accounting knows exact
 * byte counts. Freed memory is poisoned to make use-after-free visible.
 */
#include "mm/heap.h"

#include <stdbool.h>

#include "base/panic.h"
#include "base/spinlock.h"
#include "lib/string.h"
#include "mm/heap_backend.h"

#define MAGIC_LIVE   0x4b4d414c4c4f4331ull  /* "1COLLAMK" */
#define MAGIC_FREE   0x4b4d414c46524545ull
#define LARGE_CLASS  0xff
#define POISON       0x6b
#define NCLASSES     8                      /* 16 .. 2048 bytes of payload */

struct hdr {
    uint64_t magic;
    uint32_t cls;       /* size class, or LARGE_CLASS */
    uint32_t size;      /* bytes asked for (large: low 32 bits; see slab) */
};
_Static_assert(sizeof(struct hdr) == 16, "header keeps 16-byte alignment");

struct slab {
    struct slab *next;          /* in its class's partial list */
    struct hdr *free;           /* free objects, linked through their payload */
    uint32_t cls;
    uint32_t in_use;
    uint32_t capacity;
    uint32_t pad;
    uint64_t magic;
};

struct large {
    size_t bytes;               /* backing size */
    size_t asked;
    struct hdr h;
};
_Static_assert(sizeof(struct large) % 16 == 0, "large header keeps alignment");

#define SLAB_MAGIC 0x42414c5341544f41ull

static struct slab *partial[NCLASSES];
static struct heap_stats stats;
static spinlock_t lock = SPINLOCK_INIT;

static size_t class_size(int c) { return (size_t)16 << c; }

static int class_of(size_t payload)
{
    for (int c = 0; c < NCLASSES; c++)
        if (payload <= class_size(c))
            return c;
    return -1;
}

static size_t slab_hdr_size(void) { return (sizeof(struct slab) + 15) & ~15ul; }

static struct slab *new_slab(int c)
{
    struct slab *s = heap_backend_slab_alloc();
    if (!s)
        return NULL;
    size_t obj = class_size(c) + sizeof(struct hdr);
    s->cls = (uint32_t)c;
    s->in_use = 0;
    s->capacity = (uint32_t)((HEAP_SLAB_SIZE - slab_hdr_size()) / obj);
    s->magic = SLAB_MAGIC;
    s->free = NULL;
    uint8_t *base = (uint8_t *)s + slab_hdr_size();
    for (uint32_t i = s->capacity; i-- > 0;) {
        struct hdr *o = (struct hdr *)(base + i * obj);
        o->magic = MAGIC_FREE;
        *(struct hdr **)(o + 1) = s->free;
        s->free = o;
    }
    s->next = partial[c];
    partial[c] = s;
    stats.slab_bytes += HEAP_SLAB_SIZE;
    return s;
}

void heap_init(void)
{
    memset(partial, 0, sizeof partial);
    memset(&stats, 0, sizeof stats);
}

static void *alloc(size_t size, bool (*stop)(void), bool *zeroed)
{
    *zeroed = false;
    if (size == 0)
        size = 1;
    int c = class_of(size);
    uint64_t irq = spin_lock_irqsave(&lock);
    struct hdr *h = NULL;
    if (c >= 0) {
        struct slab *s = partial[c];
        if (!s)
            s = new_slab(c);
        if (s) {
            h = s->free;
            s->free = *(struct hdr **)(h + 1);
            if (++s->in_use == s->capacity)
                partial[c] = s->next;   /* full: leaves the partial list */
            h->cls = (uint32_t)c;
            h->size = (uint32_t)size;
        }
    } else if (size <= (1ull << 40)) {
        size_t bytes = (sizeof(struct large) + size + 4095) & ~4095ul;
        spin_unlock_irqrestore(&lock, irq);
        struct large *l = heap_backend_large_alloc(bytes, stop);
        irq = spin_lock_irqsave(&lock);
        if (l) {
            *zeroed = true;             /* fresh frames */
            l->bytes = bytes;
            l->asked = size;
            h = &l->h;
            h->cls = LARGE_CLASS;
            h->size = (uint32_t)size;
            stats.large_bytes += bytes;
        }
    }
    if (h) {
        h->magic = MAGIC_LIVE;
        stats.live_allocs++;
        stats.live_bytes += size;
        stats.total_allocs++;
    } else {
        stats.failed_allocs++;
    }
    spin_unlock_irqrestore(&lock, irq);
    return h ? h + 1 : NULL;
}

void *kmalloc(size_t size)
{
    bool zeroed;
    return alloc(size, NULL, &zeroed);
}

void *kzalloc(size_t size)
{
    bool zeroed;
    void *p = alloc(size, NULL, &zeroed);
    if (p && !zeroed)
        memset(p, 0, size);
    return p;
}

void *kzalloc_stoppable(size_t size, bool (*stop)(void))
{
    bool zeroed;
    void *p = alloc(size, stop, &zeroed);
    if (p && !zeroed)
        memset(p, 0, size);
    return p;
}

void *kcalloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return kzalloc(n * size);
}

/* What is wrong with p as a pointer kmalloc returned, or NULL if nothing. */
static const char *header_problem(const void *p)
{
    const struct hdr *h = (const struct hdr *)p - 1;
    if (((uintptr_t)p & 15) != 0)
        return "is not a heap pointer (misaligned)";
    if (h->magic == MAGIC_FREE)
        return "was already freed";
    if (h->magic != MAGIC_LIVE)
        return "is not a live heap allocation (bad header)";
    if (h->cls != LARGE_CLASS && (h->cls >= NCLASSES || !heap_backend_is_slab(h)))
        return "has a corrupted header";
    return NULL;
}

size_t ksize(const void *p)
{
    const char *bad = header_problem(p);
    if (bad)
        panic("ksize: %p %s", p, bad);
    const struct hdr *h = (const struct hdr *)p - 1;
    if (h->cls == LARGE_CLASS) {
        const struct large *l = (const struct large *)((const uint8_t *)h - offsetof(struct large, h));
        return l->bytes - sizeof(struct large);
    }
    return class_size((int)h->cls);
}

void kfree(void *p)
{
    if (!p)
        return;
    uint64_t irq = spin_lock_irqsave(&lock);
    const char *bad = header_problem(p);
    if (bad) {
        spin_unlock_irqrestore(&lock, irq);
        panic("kfree: %p %s", p, bad);
    }
    struct hdr *h = (struct hdr *)p - 1;
    h->magic = MAGIC_FREE;
    stats.live_allocs--;
    if (h->cls == LARGE_CLASS) {
        struct large *l = (struct large *)((uint8_t *)h - offsetof(struct large, h));
        size_t bytes = l->bytes;
        stats.live_bytes -= l->asked;
        stats.large_bytes -= bytes;
        spin_unlock_irqrestore(&lock, irq);
        heap_backend_large_free(l, bytes);
        return;
    }
    int c = (int)h->cls;
    stats.live_bytes -= h->size;
    memset(p, POISON, class_size(c));
    struct slab *s = (struct slab *)((uintptr_t)h & ~(uintptr_t)(HEAP_SLAB_SIZE - 1));
    if (s->magic != SLAB_MAGIC)
        panic("kfree: %p lies in a corrupted slab", p);
    *(struct hdr **)(h + 1) = s->free;
    s->free = h;
    if (s->in_use-- == s->capacity) {
        s->next = partial[c];           /* was full: back on the list */
        partial[c] = s;
    }
    if (s->in_use == 0) {
        /* Empty: give the slab back unless it is the class's only one. */
        struct slab **pp = &partial[c];
        while (*pp && *pp != s)
            pp = &(*pp)->next;
        if (*pp && (partial[c] != s || s->next)) {
            *pp = s->next;
            stats.slab_bytes -= HEAP_SLAB_SIZE;
            s->magic = 0;
            spin_unlock_irqrestore(&lock, irq);
            heap_backend_slab_free(s);
            return;
        }
    }
    spin_unlock_irqrestore(&lock, irq);
}

void heap_get_stats(struct heap_stats *st)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    *st = stats;
    spin_unlock_irqrestore(&lock, irq);
}
