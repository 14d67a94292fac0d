/*
 * What the boot loader told us, copied out of the Multiboot1 or Multiboot2
 * structures into one loader-independent record before anything can
 * overwrite them. Module contents stay where the loader put them; mm/
 * reserves their frames.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_MEMMAP     128
#define BOOT_MAX_MODULES    32
#define BOOT_CMDLINE_MAX    512
#define BOOT_STRPOOL_SIZE   2048

enum mem_type {
    MEM_USABLE = 1,
    MEM_RESERVED = 2,
    MEM_ACPI_RECLAIMABLE = 3,
    MEM_ACPI_NVS = 4,
    MEM_BAD = 5,
};

struct mem_region {
    uint64_t base;
    uint64_t len;
    uint32_t type;          /* enum mem_type; other values count as reserved */
};

struct boot_module {
    uint64_t start;         /* physical, first byte */
    uint64_t end;           /* physical, one past the last byte */
    const char *cmdline;    /* in bootinfo's string pool, never NULL */
};

enum fb_kind { FB_NONE, FB_EGA_TEXT, FB_RGB };

struct framebuffer {
    enum fb_kind kind;
    uint64_t addr;          /* physical */
    uint32_t pitch, width, height;
    uint8_t bpp;
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct bootinfo {
    int protocol;           /* 1 or 2: which Multiboot version booted us */
    char loader[64];
    char cmdline[BOOT_CMDLINE_MAX];
    struct mem_region memmap[BOOT_MAX_MEMMAP];
    int memmap_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    int module_count;
    int modules_dropped;    /* past BOOT_MAX_MODULES: reported, not lost silently */
    struct framebuffer fb;
    uint64_t rsdp_phys;     /* 0: search the BIOS areas */
    uint8_t rsdp_copy[36];  /* the loader's copy of the RSDP (MB2), if any */
    bool has_rsdp_copy;
    char strpool[BOOT_STRPOOL_SIZE];
    uint32_t strpool_used;
};

extern struct bootinfo bootinfo;

/* Parses the loader's structure. Returns 0, or -1 for an unknown magic (the
 * caller panics: there is no memory map to go on). */
int bootinfo_parse(uint32_t magic, uint64_t info_phys);

#endif
