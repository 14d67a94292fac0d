/*
 * Memory areas (VMAs): byte ranges of kernel-visible memory that guests
 * name by handle and copy between with vma_write. An area is a window on
 * memory that exists elsewhere (the screen's cells, a boot module, an
 * instance's linear memory, a buffer the kernel allocated for a guest);
 * its size may change while it lives (a linear memory grows), so every
 * access is checked against the size at that moment.
 */
#ifndef KERN_VMA_H
#define KERN_VMA_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/object.h"

struct vma;

/* Where an area's bytes are. window is called with the area alive:
 * its first byte, and its size in *size, now (one call for both: the
 * IPC calls look at both for every message). */
struct vma_source {
    uint8_t *(*window)(const struct vma *v, uint64_t *size);
    void (*release)(struct vma *v);     /* frees what backs it, or NULL */
};

enum {
    VMA_READ = 1,
    VMA_WRITE = 2,
};

struct vma {
    struct kobj k;
    const struct vma_source *src;
    void *ctx;                          /* the source's own data */
    uint8_t *fixed_base;                /* for fixed windows */
    uint64_t fixed_size;
    int access;                         /* VMA_READ | VMA_WRITE */
    char name[24];
};

/* A window on fixed memory [base, base+size) that the area does not own
 * (the screen, a boot module). NULL when out of memory. */
struct vma *vma_new_fixed(const char *name, void *base, uint64_t size, int access);

/* A zeroed buffer of size bytes that the area owns (freed with it). NULL
 * when out of memory or size is 0 or absurd. With an account (may be
 * NULL), size is charged to it first (NULL when the charge is refused) and
 * credited when the area goes; the area holds a reference to it. */
struct account;
struct vma *vma_new_buffer(const char *name, uint64_t size, struct account *acct);

/* An area whose bytes another object provides (a linear memory). */
struct vma *vma_new_source(const char *name, const struct vma_source *src, void *ctx, int access);

uint64_t vma_size(const struct vma *v);
uint8_t *vma_base(const struct vma *v);
/* Both at once: the first byte, the size in *size. */
uint8_t *vma_window(const struct vma *v, uint64_t *size);

/* Result codes, as the coral interface returns them (docs/design.md). */
/* VMA_EKILLED: the calling thread was asked to end during a long copy,
 * which stopped between two pieces (part of the range is copied). */
enum { VMA_OK = 0, VMA_EINVAL = 1, VMA_EKILLED = 2 };

/*
 * Copies len bytes from src at src_off to dst at dst_off. Offsets and
 * length are the guest's signed 64-bit values: negative, overflowing or
 * out-of-range ones are refused (VMA_EINVAL) before anything is copied.
 * Overlap (the same area, or windows on the same memory) is handled. A
 * copy of 4 or 8 bytes between addresses aligned to that size is atomic.
 */
int vma_copy(struct vma *src, struct vma *dst, int64_t src_off, int64_t dst_off, int64_t len);

/* Checks [off, off+len) against size without overflow. Inline: every
 * message is checked twice. */
static inline bool vma_range_ok(uint64_t size, int64_t off, int64_t len)
{
    if (off < 0 || len < 0)
        return false;
    /* Both are below 2^63, so the sum cannot wrap a uint64_t. */
    return (uint64_t)off + (uint64_t)len <= size;
}

#endif
