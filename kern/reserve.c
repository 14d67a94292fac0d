/* The kernel's memory reserve (see reserve.h): 1/16 of RAM, at least 4 MiB. */
#include "kern/reserve.h"

#include "base/spinlock.h"
#include "mm/pmm.h"

#define FRAME 4096ull

static spinlock_t lock = SPINLOCK_INIT;
static uint64_t claimed;            /* bytes claimed and not yet taken */
static uint64_t low_water = UINT64_MAX;

/* RAM does not change after boot: computed once, at the first ask, rather
 * than on every guest allocation. */
uint64_t reserve_bytes(void)
{
    static uint64_t bytes;
    if (!bytes) {
        struct pmm_stats st;
        pmm_get_stats(&st);
        uint64_t r = st.total_frames * FRAME / 16;
        bytes = r < (4ull << 20) ? 4ull << 20 : r;
    }
    return bytes;
}

/* Free RAM less the claims; lock held. Notes the low-water mark. */
static uint64_t available(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    uint64_t free = st.free_frames * FRAME;
    if (free < low_water)
        low_water = free;
    return free > claimed ? free - claimed : 0;
}

static bool fits(uint64_t bytes, uint64_t floor)
{
    uint64_t avail = available();
    return avail >= bytes && avail - bytes >= floor;
}

bool reserve_guest_claim(uint64_t bytes)
{
    uint64_t r = reserve_bytes();
    uint64_t f = spin_lock_irqsave(&lock);
    bool ok = fits(bytes, r);
    if (ok)
        claimed += bytes;
    spin_unlock_irqrestore(&lock, f);
    return ok;
}

void reserve_guest_done(uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&lock);
    claimed -= bytes;
    available();                    /* the low-water mark, now it is taken */
    spin_unlock_irqrestore(&lock, f);
}

/* Whether bytes fit above floor now, claims counted; claims nothing. */
static bool may_take(uint64_t bytes, uint64_t floor)
{
    uint64_t f = spin_lock_irqsave(&lock);
    bool ok = fits(bytes, floor);
    spin_unlock_irqrestore(&lock, f);
    return ok;
}

bool reserve_guest_may_take(uint64_t bytes)
{
    return may_take(bytes, reserve_bytes());
}

bool reserve_stack_may_take(uint64_t bytes)
{
    return may_take(bytes, reserve_bytes() / 2);
}

uint64_t reserve_low_water(void)
{
    uint64_t f = spin_lock_irqsave(&lock);
    uint64_t v = low_water;
    spin_unlock_irqrestore(&lock, f);
    return v;
}
