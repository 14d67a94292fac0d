/*
 * ACPI, only as far as the kernel needs it: find the RSDP, check the root
 * table (XSDT, or RSDT), and map single tables by signature. Firmware
 * tables are untrusted bytes: every length and checksum is checked, and a
 * bad one is logged and treated as absent, never trusted and never fatal.
 *
 * Tables live in RAM the direct map covers, or in reserved memory it does
 * not; acpi_map_table maps the latter read-only for as long as the caller
 * needs it.
 */
#ifndef DEV_ACPI_H
#define DEV_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The common header of every system description table. */
struct __attribute__((packed)) acpi_sdt_header {
    char signature[4];
    uint32_t length;        /* of the whole table, header included */
    uint8_t revision;
    uint8_t checksum;       /* all `length` bytes sum to 0 mod 256 */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};

_Static_assert(sizeof(struct acpi_sdt_header) == 36, "the ACPI table header is 36 bytes");

/* Tables longer than this are refused as corrupt (a MADT is a few KiB). */
#define ACPI_MAX_TABLE_LEN  (1u << 20)

/* A mapping handed out by acpi_map_table; release with acpi_unmap. */
struct acpi_mapping {
    const void *va;
    size_t len;
    struct vregion *region;     /* NULL when the direct map was used */
};

/* Finds and checks the RSDP and the root table: from the loader's copy
 * (Multiboot2) if any, else by scanning the EBDA and 0xE0000-0xFFFFF.
 * Returns 0, or -1 (logged) when there is no usable ACPI. Boot option
 * acpi=off makes it fail on purpose. */
int acpi_init(void);

/* Maps the first table with this signature whose length and checksum are
 * valid. Returns its header (the whole table is mapped, read-only) and
 * fills *m, or NULL when there is none (or acpi_init failed). */
const struct acpi_sdt_header *acpi_map_table(const char sig[4], struct acpi_mapping *m);

void acpi_unmap(struct acpi_mapping *m);

/* 0 when the bytes sum to 0 mod 256. */
uint8_t acpi_checksum(const void *p, size_t len);

#endif
