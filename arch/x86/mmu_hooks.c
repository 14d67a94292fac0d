/* The CPU side of mm/mmu.h: TLB flushes, CR3, and the PAT layout that the
 * page-table code's cache flags assume. */
#include "arch/x86/cpu.h"
#include "arch/x86/mmu.h"

#define MSR_PAT 0x277

void mmu_flush_page(uintptr_t va)
{
    invlpg(va);
}

paddr_t mmu_active_root(void)
{
    return read_cr3() & 0x000ffffffffff000ull;
}

void mmu_switch_root(paddr_t root)
{
    write_cr3(root);
}

/* PAT entries: 0 WB, 1 WC (PWT), 2 UC- (PCD), 3 UC (PCD|PWT); 4..7 alike. */
void mmu_init_pat(void)
{
    uint64_t pat = 0x06ull | (0x01ull << 8) | (0x07ull << 16) | (0x00ull << 24);
    wrmsr(MSR_PAT, pat | (pat << 32));
}
