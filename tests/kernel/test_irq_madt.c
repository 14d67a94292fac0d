/*
 * The MADT parser against handmade tables: a good one read right (source
 * overrides, polarity and trigger, NMI wiring), and hostile ones (zero or
 * overlong entry lengths, short entries, truncation, too many entries)
 * refused or clipped with a reason instead of read past their end.
 */
#include "dev/madt.h"
#include "kern/ktest.h"
#include "lib/string.h"

static uint8_t buf[512];
static size_t len;

static void put(const void *p, size_t n)
{
    memcpy(buf + len, p, n);
    len += n;
}

static void begin(void)
{
    memset(buf, 0, sizeof buf);
    memcpy(buf, "APIC", 4);
    len = 36;
    uint32_t lapic = 0xfee00000, flags = 1;
    put(&lapic, 4);
    put(&flags, 4);
}

static void finish(void)
{
    uint32_t l = (uint32_t)len;
    memcpy(buf + 4, &l, 4);
}

static void entry_lapic(uint8_t uid, uint8_t id)
{
    uint8_t e[8] = { 0, 8, uid, id, 1, 0, 0, 0 };
    put(e, sizeof e);
}

static void entry_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    uint8_t e[12] = { 1, 12, id, 0 };
    memcpy(e + 4, &addr, 4);
    memcpy(e + 8, &gsi_base, 4);
    put(e, sizeof e);
}

static void entry_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
    uint8_t e[10] = { 2, 10, 0, irq };
    memcpy(e + 4, &gsi, 4);
    memcpy(e + 8, &flags, 2);
    put(e, sizeof e);
}

static void entry_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
    uint8_t e[6] = { 4, 6, uid };
    memcpy(e + 3, &flags, 2);
    e[5] = lint;
    put(e, sizeof e);
}

static struct madt_info info;

KTEST(madt_parse_good)
{
    begin();
    entry_lapic(0, 0);
    entry_ioapic(1, 0xfec00000, 0);
    entry_override(0, 2, 0);
    entry_override(9, 9, MADT_POLARITY_LOW | MADT_TRIGGER_LEVEL);
    entry_nmi(0xff, 0, 1);
    uint8_t unknown[5] = { 0x7f, 5, 1, 2, 3 };     /* skipped by its length */
    put(unknown, sizeof unknown);
    finish();
    size_t off;
    const char *err = madt_parse(buf, len, &info, &off);
    KCHECK(!err, "refused at %zu: %s", off, err);
    KCHECK(info.lapic_addr == 0xfee00000, "lapic %#llx", (unsigned long long)info.lapic_addr);
    KCHECK(info.pcat_compat, "PC-AT flag lost");
    KCHECK(info.cpu_count == 1 && info.cpus[0].enabled, "cpus %d", info.cpu_count);
    KCHECK(info.ioapic_count == 1 && info.ioapics[0].addr == 0xfec00000, "ioapics %d", info.ioapic_count);
    KCHECK(info.nmi_count == 1 && info.nmis[0].uid == MADT_UID_ALL && info.nmis[0].lint == 1, "nmi");
    uint32_t gsi;
    uint16_t flags;
    madt_isa_irq(&info, 0, &gsi, &flags);
    KCHECK(gsi == 2 && flags == 0, "IRQ 0 -> GSI %u flags %#x", gsi, flags);
    madt_isa_irq(&info, 1, &gsi, &flags);
    KCHECK(gsi == 1 && flags == 0, "IRQ 1 -> GSI %u flags %#x", gsi, flags);
    madt_isa_irq(&info, 9, &gsi, &flags);
    KCHECK(gsi == 9 && flags == (MADT_POLARITY_LOW | MADT_TRIGGER_LEVEL), "IRQ 9 flags %#x", flags);
    return true;
}

/* Expects the table in buf to be refused at offset want_off. */
static bool refused(size_t n, size_t want_off, const char *what)
{
    size_t off = 12345;
    const char *err = madt_parse(buf, n, &info, &off);
    KCHECK(err != NULL, "%s: accepted", what);
    KCHECK(off == want_off, "%s: refused at %zu (%s), expected %zu", what, off, err, want_off);
    return true;
}

KTEST(madt_parse_hostile)
{
    begin();
    finish();
    if (!refused(43, 0, "shorter than the fixed part"))
        return false;

    begin();
    uint8_t zero_len[2] = { 0, 0 };
    put(zero_len, 2);
    finish();
    if (!refused(len, 44, "entry of length 0"))
        return false;

    begin();
    entry_lapic(0, 0);
    uint8_t overlong[4] = { 1, 200, 0, 0 };
    put(overlong, 4);
    finish();
    if (!refused(len, 52, "entry past the end"))
        return false;

    begin();
    uint8_t short_ioapic[8] = { 1, 8 };
    put(short_ioapic, 8);
    finish();
    if (!refused(len, 44, "I/O APIC entry of 8 bytes"))
        return false;

    begin();
    entry_lapic(0, 0);
    uint8_t lone = 0;
    put(&lone, 1);
    finish();
    if (!refused(len, 52, "one trailing byte"))
        return false;

    begin();
    buf[0] = 'X';
    finish();
    if (!refused(len, 0, "wrong signature"))
        return false;

    /* Too many I/O APICs: kept up to the limit, the rest counted. */
    begin();
    for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++)
        entry_ioapic((uint8_t)i, 0xfec00000 + (uint32_t)i * 0x1000, (uint32_t)i * 24);
    finish();
    size_t off;
    const char *err = madt_parse(buf, len, &info, &off);
    KCHECK(!err, "refused at %zu: %s", off, err);
    KCHECK(info.ioapic_count == MADT_MAX_IOAPICS && info.dropped == 2, "kept %d, dropped %d",
           info.ioapic_count, info.dropped);
    return true;
}
