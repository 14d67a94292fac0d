/*
 * x86-64 4-level page tables (the mm/mmu.h interface). Tables are reached
 * through the direct map, so the same code edits any address space and
 * runs in host unit tests against fake physical memory.
 *
 * Caching attributes use the PAT as set up by arch init: PWT selects entry 1
 * (programmed to write-combining), PCD|PWT entry 3 (uncached).
 */
#include "arch/x86/mmu.h"

#include "lib/string.h"

#define PTE_P       (1ull << 0)
#define PTE_W       (1ull << 1)
#define PTE_U       (1ull << 2)
#define PTE_PWT     (1ull << 3)
#define PTE_PCD     (1ull << 4)
#define PTE_PS      (1ull << 7)
#define PTE_G       (1ull << 8)
#define PTE_NX      (1ull << 63)
#define PTE_ADDR    0x000ffffffffff000ull
#define PTE_ADDR_2M 0x000fffffffe00000ull

static uint64_t table_frames;

/* Whether NX may be set: tests and CPUs without NX clear it (bit 63 would
 * be a reserved-bit fault there). */
bool mmu_nx_enabled = true;

static uint64_t *table(paddr_t p) { return phys_to_virt(p & PTE_ADDR); }

static unsigned idx(uintptr_t va, int level)
{
    return (unsigned)((va >> (12 + 9 * level)) & 511);
}

static uint64_t leaf_bits(int flags)
{
    uint64_t e = PTE_P;
    if (flags & MMU_WRITE) e |= PTE_W;
    if (flags & MMU_USER) e |= PTE_U;
    if (!(flags & MMU_EXEC) && mmu_nx_enabled) e |= PTE_NX;
    if (flags & MMU_UNCACHED) e |= PTE_PCD | PTE_PWT;
    else if (flags & MMU_WC) e |= PTE_PWT;
    if (flags & MMU_GLOBAL) e |= PTE_G;
    return e;
}

static int bits_to_flags(uint64_t e)
{
    int f = 0;
    if (e & PTE_W) f |= MMU_WRITE;
    if (e & PTE_U) f |= MMU_USER;
    if (!(e & PTE_NX)) f |= MMU_EXEC;
    if ((e & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT)) f |= MMU_UNCACHED;
    else if (e & PTE_PWT) f |= MMU_WC;
    if (e & PTE_G) f |= MMU_GLOBAL;
    return f;
}

static paddr_t (*frame_alloc)(bool zero);
static void (*frame_free)(paddr_t frame);

void mmu_set_frames(paddr_t (*alloc)(bool zero), void (*free)(paddr_t frame))
{
    frame_alloc = alloc;
    frame_free = free;
}

paddr_t mmu_new_root(void)
{
    paddr_t p = frame_alloc(true);
    if (p)
        table_frames++;
    return p;
}

uint64_t mmu_table_frames(void)
{
    return table_frames;
}

/* Entries above leaves are permissive; leaves decide. */
#define TABLE_BITS (PTE_P | PTE_W | PTE_U)

/* The table at `level` covering va, creating it if asked. */
static uint64_t *walk(paddr_t root, uintptr_t va, int level, bool create)
{
    uint64_t *t = table(root);
    for (int l = 3; l > level; l--) {
        uint64_t *e = &t[idx(va, l)];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            paddr_t p = frame_alloc(true);
            if (!p)
                return NULL;
            table_frames++;
            *e = p | TABLE_BITS;
        } else if (*e & PTE_PS) {
            return NULL;    /* a large page is in the way */
        }
        t = table(*e);
    }
    return t;
}

/* Splits the 2 MiB page mapping va into 512 small ones with the same bits. */
static int split_large(paddr_t root, uintptr_t va)
{
    uint64_t *pd = walk(root, va, 1, false);
    if (!pd)
        return 0;
    uint64_t *e = &pd[idx(va, 1)];
    if (!(*e & PTE_P) || !(*e & PTE_PS))
        return 0;
    paddr_t p = frame_alloc(false);
    if (!p)
        return -1;
    table_frames++;
    uint64_t *pt = table(p);
    uint64_t bits = *e & ~(PTE_ADDR_2M | PTE_PS);
    if (bits & (1ull << 12))    /* PAT bit of a large page moves to bit 7 */
        bits = (bits & ~(1ull << 12)) | PTE_PS;
    for (int i = 0; i < 512; i++)
        pt[i] = ((*e & PTE_ADDR_2M) + (uint64_t)i * PAGE_SIZE) | bits;
    *e = p | TABLE_BITS;
    for (int i = 0; i < 512; i++)
        mmu_flush_page(align_down(va, LARGE_PAGE_SIZE) + (uintptr_t)i * PAGE_SIZE);
    return 0;
}

bool mmu_query(paddr_t root, uintptr_t va, paddr_t *pa, int *flags)
{
    uint64_t *t = table(root);
    for (int l = 3; l >= 0; l--) {
        uint64_t e = t[idx(va, l)];
        if (!(e & PTE_P))
            return false;
        if (l == 0 || (l == 1 && (e & PTE_PS))) {
            uint64_t off = l == 0 ? (va & (PAGE_SIZE - 1)) : (va & (LARGE_PAGE_SIZE - 1));
            if (pa)
                *pa = (l == 0 ? (e & PTE_ADDR) : (e & PTE_ADDR_2M)) + off;
            if (flags)
                *flags = bits_to_flags(e) | (l == 1 ? MMU_LARGE : 0);
            return true;
        }
        if (l == 2 && (e & PTE_PS))
            return false;   /* 1 GiB pages are never created here */
        t = table(e);
    }
    return false;
}

/* Whether anything in [va, va+len) is mapped; skips absent tables whole. */
static bool any_mapped(paddr_t root, uintptr_t va, size_t len)
{
    uintptr_t end = va + len;
    for (uintptr_t v = va; v < end;) {
        uint64_t *t = table(root);
        int l = 3;
        for (; l >= 0; l--) {
            uint64_t e = t[idx(v, l)];
            if (!(e & PTE_P))
                break;
            if (l == 0 || (e & PTE_PS))
                return true;
            t = table(e);
        }
        /* Not present at level l: skip the span that entry covers. */
        uintptr_t span = 1ull << (12 + 9 * l);
        uintptr_t next = align_down(v, span) + span;
        if (next <= v)
            break;
        v = next;
    }
    return false;
}

int mmu_map(paddr_t root, uintptr_t va, paddr_t pa, size_t len, int flags)
{
    if ((va | pa | len) & (PAGE_SIZE - 1))
        return -1;
    /* Check first, so a failure leaves no partial mapping behind. */
    if (any_mapped(root, va, len))
        return -1;
    uint64_t bits = leaf_bits(flags);
    size_t off = 0;
    while (off < len) {
        uintptr_t v = va + off;
        paddr_t p = pa + off;
        if ((flags & MMU_LARGE) && !(v & (LARGE_PAGE_SIZE - 1)) && !(p & (LARGE_PAGE_SIZE - 1)) &&
            len - off >= LARGE_PAGE_SIZE) {
            uint64_t *pd = walk(root, v, 1, true);
            if (!pd || (pd[idx(v, 1)] & PTE_P))
                goto fail;
            pd[idx(v, 1)] = p | bits | PTE_PS;
            off += LARGE_PAGE_SIZE;
            continue;
        }
        uint64_t *pt = walk(root, v, 0, true);
        if (!pt)
            goto fail;
        pt[idx(v, 0)] = p | bits;
        off += PAGE_SIZE;
    }
    return 0;
fail:
    mmu_unmap(root, va, off, false);
    return -1;
}

int mmu_unmap(paddr_t root, uintptr_t va, size_t len, bool free_frames)
{
    uintptr_t end = va + len;
    for (uintptr_t v = align_down(va, PAGE_SIZE); v < end;) {
        uint64_t *pd = walk(root, v, 1, false);
        if (!pd) {
            /* Nothing mapped in this 2 MiB (or larger) span. */
            v = align_down(v, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE;
            continue;
        }
        uint64_t *pde = &pd[idx(v, 1)];
        if ((*pde & PTE_P) && (*pde & PTE_PS)) {
            uintptr_t base = align_down(v, LARGE_PAGE_SIZE);
            if (v == base && end - v >= LARGE_PAGE_SIZE) {
                *pde = 0;
                for (uintptr_t i = 0; i < LARGE_PAGE_SIZE; i += PAGE_SIZE)
                    mmu_flush_page(v + i);
                v += LARGE_PAGE_SIZE;
                continue;
            }
            if (split_large(root, v))
                return -1;
        }
        if (!(*pde & PTE_P)) {
            v = align_down(v, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE;
            continue;
        }
        uint64_t *pte = &table(*pde)[idx(v, 0)];
        if (*pte & PTE_P) {
            if (free_frames)
                frame_free(*pte & PTE_ADDR);
            *pte = 0;
            mmu_flush_page(v);
        }
        v += PAGE_SIZE;
    }
    return 0;
}

int mmu_protect(paddr_t root, uintptr_t va, size_t len, int flags)
{
    uint64_t keep = PTE_ADDR;
    uint64_t bits = leaf_bits(flags);
    for (uintptr_t v = align_down(va, PAGE_SIZE); v < va + len; v += PAGE_SIZE) {
        uint64_t *pd = walk(root, v, 1, false);
        if (!pd)
            continue;
        uint64_t *pde = &pd[idx(v, 1)];
        if ((*pde & PTE_P) && (*pde & PTE_PS) && split_large(root, v))
            return -1;
        if (!(*pde & PTE_P))
            continue;
        uint64_t *pte = &table(*pde)[idx(v, 0)];
        if (*pte & PTE_P) {
            *pte = (*pte & keep) | bits;
            mmu_flush_page(v);
        }
    }
    return 0;
}

static void free_level(paddr_t t, int level)
{
    uint64_t *e = table(t);
    if (level > 0) {
        for (int i = 0; i < 512; i++)
            if ((e[i] & PTE_P) && !(e[i] & PTE_PS))
                free_level(e[i] & PTE_ADDR, level - 1);
    }
    frame_free(t);
    table_frames--;
}

void mmu_free_root_lower(paddr_t root)
{
    uint64_t *t = table(root);
    for (int i = 0; i < 256; i++)
        if (t[i] & PTE_P)
            free_level(t[i] & PTE_ADDR, 2);
    frame_free(root);
    table_frames--;
}
