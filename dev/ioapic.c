/* I/O APIC redirection entries through the IOREGSEL/IOWIN window. */
#include <stddef.h>

#include "dev/ioapic.h"

#include "base/log.h"
#include "base/spinlock.h"
#include "mm/vmm.h"

#define REG_VERSION     0x01
#define REG_REDIR(n)    (0x10 + 2 * (n))

#define RED_ACTIVE_LOW  (1u << 13)
#define RED_LEVEL       (1u << 15)
#define RED_MASKED      (1u << 16)

struct ioapic {
    volatile uint32_t *regs;    /* [0] IOREGSEL, [4] IOWIN */
    uint32_t id;
    uint32_t gsi_base;
    uint32_t entries;
};

static struct ioapic ioapics[IOAPIC_MAX];
static int count;
/* The select/window pair is one shared cursor: one access at a time. */
static spinlock_t lock = SPINLOCK_INIT;

static uint32_t rd(struct ioapic *io, uint32_t reg)
{
    io->regs[0] = reg;
    return io->regs[4];
}

static void wr(struct ioapic *io, uint32_t reg, uint32_t v)
{
    io->regs[0] = reg;
    io->regs[4] = v;
}

int ioapic_add(uint32_t id, paddr_t pa, uint32_t gsi_base)
{
    if (count == IOAPIC_MAX)
        return -1;
    volatile uint32_t *regs = vmm_map_device(pa, IOAPIC_WINDOW, false, "io apic");
    if (!regs)
        return -1;
    struct ioapic *io = &ioapics[count];
    io->regs = regs;
    uint32_t version = rd(io, REG_VERSION);
    /* Nothing behind the address reads as all ones. (The 4 KiB mapping
     * stays: vmm has no way to give device mappings back yet.) */
    if (version == 0xffffffffu) {
        pr_warn("ioapic: nothing answers at %#llx\n", (unsigned long long)pa);
        return -1;
    }
    io->id = id;
    io->gsi_base = gsi_base;
    io->entries = ((version >> 16) & 0xff) + 1;
    for (uint32_t i = 0; i < io->entries; i++) {
        wr(io, REG_REDIR(i), RED_MASKED);
        wr(io, REG_REDIR(i) + 1, 0);
    }
    count++;
    pr_info("ioapic: id %u at %#llx, GSIs %u-%u\n", id, (unsigned long long)pa, gsi_base,
            gsi_base + io->entries - 1);
    return 0;
}

int ioapic_count(void)
{
    return count;
}

uint32_t ioapic_gsi_count(void)
{
    uint32_t n = 0;
    for (int i = 0; i < count; i++)
        n += ioapics[i].entries;
    return n;
}

static struct ioapic *owner(uint32_t gsi)
{
    for (int i = 0; i < count; i++)
        if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].entries)
            return &ioapics[i];
    return NULL;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool active_low, bool level, uint32_t dest)
{
    struct ioapic *io = owner(gsi);
    if (!io)
        return -1;
    uint32_t n = gsi - io->gsi_base;
    uint32_t lo = vector | (active_low ? RED_ACTIVE_LOW : 0) | (level ? RED_LEVEL : 0);
    uint64_t flags = spin_lock_irqsave(&lock);
    /* Mask while the halves disagree, destination first, unmask last. */
    wr(io, REG_REDIR(n), RED_MASKED);
    wr(io, REG_REDIR(n) + 1, (dest & 0xff) << 24);
    wr(io, REG_REDIR(n), lo);
    spin_unlock_irqrestore(&lock, flags);
    return 0;
}

int ioapic_set_masked(uint32_t gsi, bool masked)
{
    struct ioapic *io = owner(gsi);
    if (!io)
        return -1;
    uint32_t n = gsi - io->gsi_base;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint32_t lo = rd(io, REG_REDIR(n));
    wr(io, REG_REDIR(n), masked ? lo | RED_MASKED : lo & ~RED_MASKED);
    spin_unlock_irqrestore(&lock, flags);
    return 0;
}
