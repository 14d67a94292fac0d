/*
 * The MADT (ACPI "APIC" table) read into a plain record: where the local
 * APIC is, the I/O APICs, how ISA IRQs map to global system interrupts
 * (GSIs), and how NMIs are wired to the local APICs' LINT pins.
 *
 * madt_parse only reads bytes: it never maps, programs or logs anything,
 * so it can be checked against handmade tables.
 */
#ifndef DEV_MADT_H
#define DEV_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MADT_MAX_CPUS       64
#define MADT_MAX_IOAPICS    8
#define MADT_MAX_OVERRIDES  16
#define MADT_MAX_NMIS       8

/* MPS INTI flags, as interrupt source overrides and NMI entries carry. */
#define MADT_POLARITY_MASK  0x3
#define MADT_POLARITY_BUS   0x0     /* as the bus says: ISA is active high */
#define MADT_POLARITY_HIGH  0x1
#define MADT_POLARITY_LOW   0x3
#define MADT_TRIGGER_MASK   0xc
#define MADT_TRIGGER_BUS    0x0     /* as the bus says: ISA is edge */
#define MADT_TRIGGER_EDGE   0x4
#define MADT_TRIGGER_LEVEL  0xc

#define MADT_UID_ALL        0xffffffffu   /* an NMI entry for every CPU */

struct madt_cpu {
    uint32_t uid;           /* ACPI processor UID */
    uint32_t apic_id;
    bool enabled;
};

struct madt_ioapic {
    uint32_t id;
    uint32_t addr;          /* physical, the register window */
    uint32_t gsi_base;      /* first GSI of its redirection entries */
};

struct madt_override {
    uint8_t bus;            /* 0: ISA */
    uint8_t source;         /* the ISA IRQ */
    uint32_t gsi;
    uint16_t flags;         /* MADT_POLARITY_* | MADT_TRIGGER_* */
};

struct madt_nmi {
    uint32_t uid;           /* processor UID, or MADT_UID_ALL */
    uint8_t lint;           /* 0 or 1 */
    uint16_t flags;
};

struct madt_info {
    uint64_t lapic_addr;    /* the override entry's when present */
    bool pcat_compat;       /* a legacy PIC pair is present too */
    int cpu_count, ioapic_count, override_count, nmi_count;
    int dropped;            /* entries past the limits above (kept count of) */
    struct madt_cpu cpus[MADT_MAX_CPUS];
    struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
    struct madt_override overrides[MADT_MAX_OVERRIDES];
    struct madt_nmi nmis[MADT_MAX_NMIS];
};

/* Parses a whole MADT of len bytes (header included; its checksum is the
 * caller's business). Returns NULL and fills *out, or returns what is
 * wrong and sets *bad_offset to where; *out is then unspecified. */
const char *madt_parse(const void *table, size_t len, struct madt_info *out, size_t *bad_offset);

/* The GSI and flags that ISA IRQ `irq` arrives on (identity, active high,
 * edge, unless an override says otherwise). */
void madt_isa_irq(const struct madt_info *m, unsigned irq, uint32_t *gsi, uint16_t *flags);

#endif
