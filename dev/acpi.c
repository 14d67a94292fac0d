/*
 * ACPI discovery: the RSDP (the loader's copy, or a scan of the BIOS
 * areas), the root table (XSDT preferred, RSDT otherwise), and lookup of
 * single tables. Nothing here trusts the firmware: each structure is
 * length- and checksum-checked before a field of it is used.
 */
#include "dev/acpi.h"

#include "arch/x86/cpu.h"
#include "boot/bootinfo.h"
#include "base/cmdline.h"
#include "base/log.h"
#include "lib/string.h"
#include "arch/x86/mmu.h"
#include "mm/phys.h"
#include "mm/vmm.h"
#include "mm/vregion.h"

struct __attribute__((packed)) rsdp {
    char signature[8];      /* "RSD PTR " */
    uint8_t checksum;       /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision;       /* 0: ACPI 1.0; 2 and up: the fields below */
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t ext_checksum;   /* over `length` bytes */
    uint8_t reserved[3];
};

_Static_assert(sizeof(struct rsdp) == 36, "the ACPI 2.0 RSDP is 36 bytes");

#define RSDP_V1_LEN     20
/* The direct map spans 64 TiB: a physical address past it (a corrupt
 * pointer) must not be turned into a virtual address there. */
#define DIRECT_MAP_SPAN (1ull << 46)

static struct acpi_mapping root_map;    /* the XSDT or RSDT, kept mapped */
static const struct acpi_sdt_header *root;
static unsigned root_entry_size;        /* 8 for the XSDT, 4 for the RSDT */
static uint32_t root_entries;

uint8_t acpi_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return sum;
}

/* Maps [pa, pa+len) readable: through the direct map when it covers the
 * whole range, else in a read-only region of its own. NULL when the range
 * is implausible or cannot be mapped. */
static const void *map_ro(paddr_t pa, size_t len, struct acpi_mapping *m)
{
    m->va = NULL;
    m->len = 0;
    m->region = NULL;
    uint64_t limit = 1ull << cpu.phys_addr_bits;
    if (limit > DIRECT_MAP_SPAN)
        limit = DIRECT_MAP_SPAN;
    if (len == 0 || len > ACPI_MAX_TABLE_LEN || pa >= limit || len > limit - pa)
        return NULL;
    if (vmm_probe_readable((uintptr_t)phys_to_virt(pa), len)) {
        m->va = phys_to_virt(pa);
        m->len = len;
        return m->va;
    }
    paddr_t base = align_down(pa, PAGE_SIZE);
    size_t span = (size_t)(align_up(pa + len, PAGE_SIZE) - base);
    struct vregion *r = vregion_reserve(span, PAGE_SIZE, VR_DEVICE, "acpi tables");
    if (!r)
        return NULL;
    if (vregion_map_phys(r, 0, base, span, MMU_READ)) {
        vregion_release(r);
        return NULL;
    }
    m->region = r;
    m->va = (const void *)(vregion_base(r) + (pa - base));
    m->len = len;
    return m->va;
}

void acpi_unmap(struct acpi_mapping *m)
{
    if (m->region)
        vregion_release(m->region);
    m->va = NULL;
    m->len = 0;
    m->region = NULL;
}

/* Checks an RSDP of which `avail` bytes are readable; on success fills
 * *out (36 bytes, the 2.0 fields zeroed for a 1.0 RSDP). */
static bool rsdp_check(const void *p, size_t avail, struct rsdp *out)
{
    if (avail < RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0 || acpi_checksum(p, RSDP_V1_LEN) != 0)
        return false;
    memset(out, 0, sizeof *out);
    memcpy(out, p, avail < sizeof *out ? avail : sizeof *out);
    if (out->revision >= 2) {
        /* The 2.0 part is usable only if its own checksum holds; the
         * loader's copy is 36 bytes, so a longer RSDP cannot be checked. */
        if (out->length < sizeof *out || out->length > avail || acpi_checksum(p, out->length) != 0) {
            pr_warn("acpi: RSDP 2.0 fields fail their checksum; using the RSDT\n");
            out->xsdt_address = 0;
        }
    } else {
        out->xsdt_address = 0;
    }
    return true;
}

/* Looks for the RSDP on 16-byte boundaries of [pa, pa+len). */
static bool scan_area(paddr_t pa, size_t len, struct rsdp *out)
{
    struct acpi_mapping m;
    const uint8_t *p = map_ro(pa, len, &m);
    if (!p)
        return false;
    bool found = false;
    for (size_t off = 0; off + RSDP_V1_LEN <= len && !found; off += 16)
        found = rsdp_check(p + off, len - off, out);
    acpi_unmap(&m);
    return found;
}

static bool find_rsdp(struct rsdp *out, const char **where)
{
    if (bootinfo.has_rsdp_copy) {
        *where = "the boot loader";
        if (rsdp_check(bootinfo.rsdp_copy, sizeof bootinfo.rsdp_copy, out))
            return true;
        pr_warn("acpi: the boot loader's RSDP copy is invalid; scanning the BIOS areas\n");
    }
    /* The EBDA's segment is kept in the BIOS data area at 0x40e. */
    struct acpi_mapping m;
    const uint16_t *seg = map_ro(0x40e, 2, &m);
    paddr_t ebda = seg ? (paddr_t)*seg << 4 : 0;
    acpi_unmap(&m);
    *where = "the EBDA";
    if (ebda >= 0x80000 && ebda < 0xa0000 && scan_area(ebda, 1024, out))
        return true;
    *where = "the BIOS area";
    return scan_area(0xe0000, 0x20000, out);
}

/* Maps a whole table at pa, checking signature (unless NULL), length and
 * checksum. Logs why it refuses one that has the signature. */
static const struct acpi_sdt_header *map_table_at(paddr_t pa, const char *sig, struct acpi_mapping *m)
{
    struct acpi_mapping hm;
    const struct acpi_sdt_header *h = map_ro(pa, sizeof *h, &hm);
    if (!h)
        return NULL;
    char got[4];
    memcpy(got, h->signature, 4);
    uint32_t len = h->length;
    acpi_unmap(&hm);
    if (sig && memcmp(got, sig, 4) != 0)
        return NULL;
    if (len < sizeof *h || len > ACPI_MAX_TABLE_LEN) {
        pr_warn("acpi: table %.4s at %#llx has a bad length %u\n", got, (unsigned long long)pa, len);
        return NULL;
    }
    h = map_ro(pa, len, m);
    if (!h)
        return NULL;
    /* Re-read through the full mapping: the checked bytes are the used ones. */
    if (h->length != len || acpi_checksum(h, len) != 0) {
        pr_warn("acpi: table %.4s at %#llx fails its checksum\n", got, (unsigned long long)pa);
        acpi_unmap(m);
        return NULL;
    }
    return h;
}

static bool open_root(paddr_t pa, const char *sig, unsigned entry_size)
{
    if (!pa)
        return false;
    const struct acpi_sdt_header *h = map_table_at(pa, sig, &root_map);
    if (!h) {
        pr_warn("acpi: no valid %s at %#llx\n", sig, (unsigned long long)pa);
        return false;
    }
    if ((h->length - sizeof *h) % entry_size != 0)
        pr_warn("acpi: %s length %u is not a whole number of entries\n", sig, h->length);
    root = h;
    root_entry_size = entry_size;
    root_entries = (uint32_t)((h->length - sizeof *h) / entry_size);
    return true;
}

int acpi_init(void)
{
    char opt[8];
    if (cmdline_get("acpi", opt, sizeof opt) && strcmp(opt, "off") == 0) {
        pr_info("acpi: off (boot option)\n");
        return -1;
    }
    struct rsdp r;
    const char *where = "";
    if (!find_rsdp(&r, &where)) {
        pr_warn("acpi: no RSDP found\n");
        return -1;
    }
    if (!open_root(r.xsdt_address, "XSDT", 8) && !open_root(r.rsdt_address, "RSDT", 4)) {
        pr_warn("acpi: no usable root table\n");
        return -1;
    }
    pr_info("acpi: RSDP revision %u from %s, OEM \"%.6s\", %.4s with %u tables\n", r.revision, where,
            r.oem_id, root->signature, root_entries);
    return 0;
}

const struct acpi_sdt_header *acpi_map_table(const char sig[4], struct acpi_mapping *m)
{
    if (!root)
        return NULL;
    const uint8_t *entries = (const uint8_t *)root + sizeof *root;
    for (uint32_t i = 0; i < root_entries; i++) {
        uint64_t pa = 0;
        memcpy(&pa, entries + (size_t)i * root_entry_size, root_entry_size);
        const struct acpi_sdt_header *h = map_table_at(pa, sig, m);
        if (h)
            return h;
    }
    return NULL;
}
