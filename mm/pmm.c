/*
 * Bitmap frame allocator: one bit per 4 KiB frame, set = in use or not RAM.
 * A next-fit hint keeps single-frame allocation O(1) in the common case; a
 * free count makes exhaustion a quick answer. The bitmap covers frames
 * [0, highest) so that a frame number indexes it directly.
 */
#include "mm/pmm.h"

#include "arch/x86/mmu.h"

#include "base/panic.h"
#include "base/spinlock.h"
#include "lib/string.h"

static uint64_t *bitmap;        /* in the direct map */
static uint64_t nframes;        /* frames covered by the bitmap */
static uint64_t total_frames, free_frames;
static uint64_t hint;           /* word index where the next search starts */
static spinlock_t lock = SPINLOCK_INIT;

static inline bool test_bit(uint64_t f) { return bitmap[f / 64] & (1ull << (f % 64)); }
static inline void set_bit(uint64_t f) { bitmap[f / 64] |= 1ull << (f % 64); }
static inline void clear_bit(uint64_t f) { bitmap[f / 64] &= ~(1ull << (f % 64)); }

static void mark_range(paddr_t base, uint64_t len, bool used)
{
    uint64_t first = used ? base / PAGE_SIZE : align_up(base, PAGE_SIZE) / PAGE_SIZE;
    uint64_t end = used ? align_up(base + len, PAGE_SIZE) / PAGE_SIZE : (base + len) / PAGE_SIZE;
    if (end > nframes)
        end = nframes;
    for (uint64_t f = first; f < end; f++) {
        if (used && !test_bit(f)) {
            set_bit(f);
            free_frames--;
        } else if (!used && test_bit(f)) {
            clear_bit(f);
            free_frames++;
        }
    }
}

/* Page tables take their frames from here (arch/x86/mmu.h). */
static paddr_t table_frame(bool zero)
{
    return pmm_alloc(zero ? PMM_ZERO : 0);
}

int pmm_init(const struct pmm_range *usable, int n_usable,
             const struct pmm_range *reserved, int n_reserved)
{
    paddr_t highest = 0;
    for (int i = 0; i < n_usable; i++) {
        paddr_t end = align_down(usable[i].base + usable[i].len, PAGE_SIZE);
        if (end > highest)
            highest = end;
    }
    nframes = highest / PAGE_SIZE;
    uint64_t bytes = align_up((nframes + 63) / 64 * 8, PAGE_SIZE);

    /* Place the bitmap in the first usable range that holds it and
     * overlaps no reserved range. */
    paddr_t where = 0;
    for (int i = 0; i < n_usable && !where; i++) {
        paddr_t lo = align_up(usable[i].base, PAGE_SIZE);
        paddr_t hi = align_down(usable[i].base + usable[i].len, PAGE_SIZE);
        while (lo + bytes <= hi) {
            bool clash = false;
            for (int r = 0; r < n_reserved; r++) {
                paddr_t rlo = reserved[r].base, rhi = reserved[r].base + reserved[r].len;
                if (lo < rhi && rlo < lo + bytes) {
                    clash = true;
                    lo = align_up(rhi, PAGE_SIZE);
                    break;
                }
            }
            if (!clash && lo != 0) {
                where = lo;
                break;
            }
            if (!clash)
                lo += PAGE_SIZE;
        }
    }
    if (!where)
        return -1;

    bitmap = phys_to_virt(where);
    memset(bitmap, 0xff, bytes);
    free_frames = 0;
    for (int i = 0; i < n_usable; i++)
        mark_range(usable[i].base, usable[i].len, false);
    for (int r = 0; r < n_reserved; r++)
        mark_range(reserved[r].base, reserved[r].len, true);
    /* Frame 0 stays reserved: a zero paddr_t means "no frame". */
    mark_range(0, PAGE_SIZE, true);
    mark_range(where, bytes, true);
    total_frames = free_frames;
    hint = 0;
    mmu_set_frames(table_frame, pmm_free);
    return free_frames ? 0 : -1;
}

static void zero_frames(paddr_t p, size_t n)
{
    memset(phys_to_virt(p), 0, n * PAGE_SIZE);
}

paddr_t pmm_alloc(int flags)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    uint64_t words = (nframes + 63) / 64;
    paddr_t found = 0;
    if (free_frames) {
        for (uint64_t n = 0; n < words; n++) {
            uint64_t w = (hint + n) % words;
            if (bitmap[w] != ~0ull) {
                uint64_t bit = (uint64_t)__builtin_ctzll(~bitmap[w]);
                uint64_t f = w * 64 + bit;
                if (f >= nframes)
                    continue;
                set_bit(f);
                free_frames--;
                hint = w;
                found = f * PAGE_SIZE;
                break;
            }
        }
    }
    spin_unlock_irqrestore(&lock, irq);
    if (found && (flags & PMM_ZERO))
        zero_frames(found, 1);
    return found;
}

paddr_t pmm_alloc_contig(size_t n, size_t align_frames, int flags)
{
    if (n == 0)
        return 0;
    if (align_frames == 0)
        align_frames = 1;
    uint64_t irq = spin_lock_irqsave(&lock);
    paddr_t found = 0;
    if (free_frames >= n) {
        for (uint64_t f = align_frames; f + n <= nframes; f += align_frames) {
            uint64_t k = 0;
            while (k < n && !test_bit(f + k))
                k++;
            if (k == n) {
                for (k = 0; k < n; k++)
                    set_bit(f + k);
                free_frames -= n;
                found = f * PAGE_SIZE;
                break;
            }
        }
    }
    spin_unlock_irqrestore(&lock, irq);
    if (found && (flags & PMM_ZERO))
        zero_frames(found, n);
    return found;
}

void pmm_free(paddr_t frame)
{
    uint64_t f = frame / PAGE_SIZE;
    if ((frame & (PAGE_SIZE - 1)) || f == 0 || f >= nframes)
        panic("pmm_free: %#llx is not a managed frame", (unsigned long long)frame);
    uint64_t irq = spin_lock_irqsave(&lock);
    if (!test_bit(f)) {
        spin_unlock_irqrestore(&lock, irq);
        panic("pmm_free: frame %#llx freed twice", (unsigned long long)frame);
    }
    clear_bit(f);
    free_frames++;
    if (f / 64 < hint)
        hint = f / 64;
    spin_unlock_irqrestore(&lock, irq);
}

void pmm_free_contig(paddr_t base, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pmm_free(base + i * PAGE_SIZE);
}

void pmm_get_stats(struct pmm_stats *st)
{
    uint64_t irq = spin_lock_irqsave(&lock);
    st->total_frames = total_frames;
    st->free_frames = free_frames;
    st->highest = nframes * PAGE_SIZE;
    spin_unlock_irqrestore(&lock, irq);
}

bool pmm_is_allocated(paddr_t frame)
{
    uint64_t f = frame / PAGE_SIZE;
    return f >= nframes || test_bit(f);
}
