/*
 * MADT parsing: a cursor over the variable-length entries that follow the
 * table's fixed part, each checked against its declared and its minimum
 * length before a field is read.
 */
#include "dev/madt.h"

#include "lib/string.h"

/* Header (36) + local APIC address (4) + flags (4). */
#define MADT_FIXED_LEN  44

enum {
    E_LAPIC = 0,
    E_IOAPIC = 1,
    E_OVERRIDE = 2,
    E_NMI_SOURCE = 3,
    E_LAPIC_NMI = 4,
    E_LAPIC_ADDR = 5,
    E_X2APIC = 9,
    E_X2APIC_NMI = 10,
};

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* The smallest length each known entry type needs; 0 for unknown types,
 * which are skipped by their own length. */
static uint8_t min_len(uint8_t type)
{
    switch (type) {
    case E_LAPIC: return 8;
    case E_IOAPIC: return 12;
    case E_OVERRIDE: return 10;
    case E_NMI_SOURCE: return 8;
    case E_LAPIC_NMI: return 6;
    case E_LAPIC_ADDR: return 12;
    case E_X2APIC: return 16;
    case E_X2APIC_NMI: return 12;
    default: return 0;
    }
}

static void add_cpu(struct madt_info *m, uint32_t uid, uint32_t apic_id, uint32_t flags)
{
    if (m->cpu_count == MADT_MAX_CPUS) {
        m->dropped++;
        return;
    }
    m->cpus[m->cpu_count++] = (struct madt_cpu){ uid, apic_id, (flags & 1) != 0 };
}

static void add_nmi(struct madt_info *m, uint32_t uid, uint8_t lint, uint16_t flags)
{
    if (m->nmi_count == MADT_MAX_NMIS) {
        m->dropped++;
        return;
    }
    m->nmis[m->nmi_count++] = (struct madt_nmi){ uid, lint, flags };
}

const char *madt_parse(const void *table, size_t len, struct madt_info *out, size_t *bad_offset)
{
    const uint8_t *t = table;
    memset(out, 0, sizeof *out);
    *bad_offset = 0;
    if (len < MADT_FIXED_LEN)
        return "table shorter than the MADT's fixed part";
    if (memcmp(t, "APIC", 4) != 0)
        return "signature is not APIC";
    out->lapic_addr = rd32(t + 36);
    out->pcat_compat = rd32(t + 40) & 1;
    for (size_t off = MADT_FIXED_LEN; off < len;) {
        *bad_offset = off;
        if (len - off < 2)
            return "truncated entry header";
        const uint8_t *e = t + off;
        uint8_t type = e[0], elen = e[1];
        if (elen < 2 || elen > len - off)
            return "entry length runs past the table";
        if (elen < min_len(type))
            return "entry shorter than its type needs";
        switch (type) {
        case E_LAPIC:
            add_cpu(out, e[2], e[3], rd32(e + 4));
            break;
        case E_X2APIC:
            add_cpu(out, rd32(e + 12), rd32(e + 4), rd32(e + 8));
            break;
        case E_IOAPIC:
            if (out->ioapic_count == MADT_MAX_IOAPICS) {
                out->dropped++;
                break;
            }
            out->ioapics[out->ioapic_count++] = (struct madt_ioapic){ e[2], rd32(e + 4), rd32(e + 8) };
            break;
        case E_OVERRIDE:
            if (out->override_count == MADT_MAX_OVERRIDES) {
                out->dropped++;
                break;
            }
            out->overrides[out->override_count++] = (struct madt_override){ e[2], e[3], rd32(e + 4), rd16(e + 8) };
            break;
        case E_LAPIC_NMI:
            add_nmi(out, e[2] == 0xff ? MADT_UID_ALL : e[2], e[5], rd16(e + 3));
            break;
        case E_X2APIC_NMI:
            add_nmi(out, rd32(e + 4), e[8], rd16(e + 2));
            break;
        case E_LAPIC_ADDR:
            out->lapic_addr = rd64(e + 4);
            break;
        default:
            /* NMI sources on I/O APIC pins and newer types: not used. */
            break;
        }
        off += elen;
    }
    *bad_offset = 0;
    if (!out->lapic_addr)
        return "no local APIC address";
    return NULL;
}

void madt_isa_irq(const struct madt_info *m, unsigned irq, uint32_t *gsi, uint16_t *flags)
{
    *gsi = irq;
    *flags = MADT_POLARITY_BUS | MADT_TRIGGER_BUS;
    for (int i = 0; i < m->override_count; i++) {
        if (m->overrides[i].bus == 0 && m->overrides[i].source == irq) {
            *gsi = m->overrides[i].gsi;
            *flags = m->overrides[i].flags;
            return;
        }
    }
}
