/*
 * Building the kernel's own page tables. The boot tables map 4 GiB with
 * large writable, executable pages; these map exactly what exists with the
 * permissions each part needs, and leave everything else unmapped so stray
 * accesses fault.
 */
#include "mm/vmm.h"

#include "mm/kstack.h"

#include "boot/boot.h"
#include "arch/x86/cpu.h"
#include "boot/bootinfo.h"
#include "base/log.h"
#include "base/panic.h"
#include "mm/heap.h"
#include "arch/x86/mmu.h"
#include "mm/pmm.h"
#include "mm/vregion.h"

paddr_t kernel_root;

extern char _kernel_phys_start[], _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _kernel_end[];
extern bool mmu_nx_enabled;
void mmu_init_pat(void);

static uint64_t total_ram;

uint64_t mm_total_ram(void)
{
    return total_ram;
}

static paddr_t v2p_image(const void *v)
{
    return (paddr_t)((uintptr_t)v - KERNEL_VMA);
}

static void map_image(uintptr_t start, uintptr_t end, int flags)
{
    start = align_down(start, PAGE_SIZE);
    end = align_up(end, PAGE_SIZE);
    if (mmu_map(kernel_root, start, v2p_image((void *)start), end - start, flags | MMU_GLOBAL))
        panic("mm: cannot map the kernel image at %#lx", (unsigned long)start);
}

static bool is_ram(uint32_t type)
{
    return type == MEM_USABLE || type == MEM_ACPI_RECLAIMABLE || type == MEM_ACPI_NVS;
}

void mm_init(void)
{
    struct pmm_range usable[BOOT_MAX_MEMMAP], reserved[BOOT_MAX_MODULES + 2];
    int nu = 0, nr = 0;
    for (int i = 0; i < bootinfo.memmap_count; i++) {
        const struct mem_region *r = &bootinfo.memmap[i];
        if (r->type == MEM_USABLE) {
            usable[nu++] = (struct pmm_range){ r->base, r->len };
            total_ram += r->len;
        }
    }
    /* Low memory (real-mode structures, later AP start-up code), the
     * kernel image, and the boot modules are not free. */
    reserved[nr++] = (struct pmm_range){ 0, 0x100000 };
    reserved[nr++] = (struct pmm_range){ (paddr_t)(uintptr_t)_kernel_phys_start,
                                         v2p_image(_kernel_end) - (paddr_t)(uintptr_t)_kernel_phys_start };
    for (int i = 0; i < bootinfo.module_count; i++)
        reserved[nr++] = (struct pmm_range){ bootinfo.modules[i].start,
                                             bootinfo.modules[i].end - bootinfo.modules[i].start };
    if (pmm_init(usable, nu, reserved, nr))
        panic("mm: no usable memory in the boot memory map (%d regions)", bootinfo.memmap_count);

    mmu_nx_enabled = cpu.nx;
    mmu_init_pat();

    kernel_root = mmu_new_root();
    if (!kernel_root)
        panic("mm: out of memory for the kernel page tables");

    /* The direct map: RAM only, so device memory never gets a cached
     * alias. Large pages where alignment allows. */
    for (int i = 0; i < bootinfo.memmap_count; i++) {
        const struct mem_region *m = &bootinfo.memmap[i];
        if (!is_ram(m->type))
            continue;
        paddr_t lo = align_up(m->base, PAGE_SIZE), hi = align_down(m->base + m->len, PAGE_SIZE);
        if (lo >= hi)
            continue;
        if (mmu_map(kernel_root, PHYS_MAP_BASE + lo, lo, hi - lo, MMU_WRITE | MMU_LARGE | MMU_GLOBAL) == 0)
            continue;
        /* Overlapping map entries: fill in page by page what is missing. */
        for (paddr_t p = lo; p < hi; p += PAGE_SIZE)
            if (!mmu_query(kernel_root, PHYS_MAP_BASE + p, NULL, NULL) &&
                mmu_map(kernel_root, PHYS_MAP_BASE + p, p, PAGE_SIZE, MMU_WRITE | MMU_GLOBAL))
                panic("mm: cannot build the direct map at %#llx", (unsigned long long)p);
    }
    /* Boot modules may sit outside what the map calls RAM; map them too. */
    for (int i = 0; i < bootinfo.module_count; i++) {
        paddr_t lo = align_down(bootinfo.modules[i].start, PAGE_SIZE);
        paddr_t hi = align_up(bootinfo.modules[i].end, PAGE_SIZE);
        for (paddr_t p = lo; p < hi; p += PAGE_SIZE)
            if (!mmu_query(kernel_root, PHYS_MAP_BASE + p, NULL, NULL))
                mmu_map(kernel_root, PHYS_MAP_BASE + p, p, PAGE_SIZE, MMU_GLOBAL);
    }

    map_image((uintptr_t)_text_start, (uintptr_t)_text_end, MMU_EXEC);
    map_image((uintptr_t)_rodata_start, (uintptr_t)_rodata_end, 0);
    map_image((uintptr_t)_data_start, (uintptr_t)_kernel_end, MMU_WRITE);

    vregion_init(kernel_root, VREGION_SPACE_BASE, VREGION_SPACE_SIZE);
    mmu_switch_root(kernel_root);
    heap_init();
    kstack_init();
}

void *vmm_map_device(paddr_t pa, size_t len, bool wc, const char *name)
{
    paddr_t base = align_down(pa, PAGE_SIZE);
    size_t span = align_up(pa + len, PAGE_SIZE) - base;
    struct vregion *r = vregion_reserve(span, PAGE_SIZE, VR_DEVICE, name);
    if (!r)
        return NULL;
    if (vregion_map_phys(r, 0, base, span, MMU_WRITE | (wc ? MMU_WC : MMU_UNCACHED))) {
        vregion_release(r);
        return NULL;
    }
    return (void *)(vregion_base(r) + (pa - base));
}

bool vmm_probe_readable(uintptr_t va, size_t len)
{
    paddr_t root = mmu_active_root();
    for (uintptr_t p = align_down(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
        /* Non-canonical addresses would #GP on access. */
        if ((p >> 47) != 0 && (p >> 47) != 0x1ffff)
            return false;
        if (!mmu_query(root, p, NULL, NULL))
            return false;
    }
    return true;
}
