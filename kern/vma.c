/*
 * Memory areas (see vma.h). vma_copy is the guest-reachable path: it
 * decodes (checks every argument against the sizes of the moment) before it
 * touches a byte, so a refused copy changes nothing.
 */
#include "kern/vma.h"

#include "kern/account.h"
#include "kern/thread.h"
#include "lib/string.h"
#include "mm/heap.h"

#define VMA_BUFFER_MAX (1ull << 32)   /* a guest's buffer: at most 4 GiB */
/* A long copy goes in pieces of this size and looks for a kill between
 * them: a program copying big areas in a loop spends its time here, not
 * in compiled code, and must still end promptly when killed. */
#define COPY_PIECE     (256 * 1024)

static uint8_t *fixed_window(const struct vma *v, uint64_t *size)
{
    *size = v->fixed_size;
    return v->fixed_base;
}

static void buffer_release(struct vma *v)
{
    kfree(v->fixed_base);
    if (v->ctx) {                       /* its payer's account */
        account_credit(v->ctx, v->fixed_size);
        account_put(v->ctx);
    }
}

static const struct vma_source fixed_src = { fixed_window, NULL };
static const struct vma_source buffer_src = { fixed_window, buffer_release };

static void vma_destroy(struct kobj *o)
{
    struct vma *v = (struct vma *)o;
    if (v->src->release)
        v->src->release(v);
    kfree(v);
}

static const struct kobj_ops vma_ops = { .name = "memory area", .destroy = vma_destroy };

static struct vma *alloc(const char *name, const struct vma_source *src, int access)
{
    struct vma *v = kzalloc(sizeof *v);
    if (!v)
        return NULL;
    kobj_init(&v->k, KOBJ_VMA, &vma_ops);
    v->src = src;
    v->access = access;
    size_t n = strnlen(name, sizeof v->name - 1);
    memcpy(v->name, name, n);
    return v;
}

struct vma *vma_new_fixed(const char *name, void *base, uint64_t size, int access)
{
    struct vma *v = alloc(name, &fixed_src, access);
    if (v) {
        v->fixed_base = base;
        v->fixed_size = size;
    }
    return v;
}

struct vma *vma_new_buffer(const char *name, uint64_t size, struct account *acct)
{
    if (size == 0 || size > VMA_BUFFER_MAX)
        return NULL;
    if (acct && !account_charge(acct, size))
        return NULL;
    uint8_t *mem = kzalloc_stoppable((size_t)size, thread_should_stop);
    struct vma *v = mem ? alloc(name, &buffer_src, VMA_READ | VMA_WRITE) : NULL;
    if (!v) {
        kfree(mem);
        if (acct)
            account_credit(acct, size);
        return NULL;
    }
    v->fixed_base = mem;
    v->fixed_size = size;
    v->ctx = acct ? account_get(acct) : NULL;
    return v;
}

struct vma *vma_new_source(const char *name, const struct vma_source *src, void *ctx, int access)
{
    struct vma *v = alloc(name, src, access);
    if (v)
        v->ctx = ctx;
    return v;
}

uint64_t vma_size(const struct vma *v)
{
    uint64_t size;
    v->src->window(v, &size);
    return size;
}

uint8_t *vma_base(const struct vma *v)
{
    uint64_t size;
    return v->src->window(v, &size);
}

uint8_t *vma_window(const struct vma *v, uint64_t *size)
{
    return v->src->window(v, size);
}

/* memmove in pieces; overlapping ranges with d above s go from the end,
 * as memmove would. */
static int copy_pieces(uint8_t *d, const uint8_t *s, size_t len)
{
    bool backward = d > s && d < s + len;
    for (size_t done = 0; done < len;) {
        size_t n = len - done < COPY_PIECE ? len - done : COPY_PIECE;
        size_t at = backward ? len - done - n : done;
        memmove(d + at, s + at, n);
        done += n;
        if (done < len && thread_should_stop())
            return VMA_EKILLED;
    }
    return VMA_OK;
}

int vma_copy(struct vma *src, struct vma *dst, int64_t src_off, int64_t dst_off, int64_t len)
{
    if (!src || !dst || !(src->access & VMA_READ) || !(dst->access & VMA_WRITE))
        return VMA_EINVAL;
    if (!vma_range_ok(vma_size(src), src_off, len) || !vma_range_ok(vma_size(dst), dst_off, len))
        return VMA_EINVAL;
    uint8_t *d = vma_base(dst) + dst_off;
    const uint8_t *s = vma_base(src) + src_off;
    /* An aligned 4- or 8-byte copy is one load and one store, so a
     * counter another thread publishes this way is never seen half
     * written (the program model's console relies on it). */
    if (len == 4 && !(((uintptr_t)d | (uintptr_t)s) & 3))
        __atomic_store_n((uint32_t *)d, __atomic_load_n((const uint32_t *)s, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
    else if (len == 8 && !(((uintptr_t)d | (uintptr_t)s) & 7))
        __atomic_store_n((uint64_t *)d, __atomic_load_n((const uint64_t *)s, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELEASE);
    else if (len)
        return copy_pieces(d, s, (size_t)len);
    return VMA_OK;
}
