/* The kernel's memory reserve (see reserve.h): 1/16 of RAM, at least 4 MiB. */
#include "kern/reserve.h"

#include "mm/pmm.h"

#define FRAME 4096ull

uint64_t reserve_bytes(void)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    uint64_t r = st.total_frames * FRAME / 16;
    return r < (4ull << 20) ? 4ull << 20 : r;
}

bool reserve_guest_may_take(uint64_t bytes)
{
    struct pmm_stats st;
    pmm_get_stats(&st);
    uint64_t free = st.free_frames * FRAME;
    return free >= bytes && free - bytes >= reserve_bytes();
}
