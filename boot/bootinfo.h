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
/* Bytes of one module's command line the kernel keeps, its NUL included;
 * a longer one is cut and marked BOOT_CMDLINE_TRUNCATED. */
#define BOOT_MODULE_CMDLINE_MAX 256
/* Room for every kept module's longest command line, so how many modules
 * came before never decides whether one keeps its name. */
#define BOOT_STRPOOL_SIZE   (BOOT_MAX_MODULES * BOOT_MODULE_CMDLINE_MAX)

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

/* Whether a module's command line reached the kernel whole. Modules are
 * named by their command line, so anything but OK means the module has no
 * trustworthy name: bootinfo_parse logs a warning naming the module's
 * index, and whoever looks modules up by name must report it as an error
 * (see boot_module_cmdline_problem), never take "" or a cut string for a
 * name. */
enum boot_cmdline_state {
    BOOT_CMDLINE_OK,
    BOOT_CMDLINE_EMPTY,         /* the loader gave none, or "" */
    BOOT_CMDLINE_TRUNCATED,     /* longer than BOOT_MODULE_CMDLINE_MAX - 1 bytes, or
                                 * unterminated within its structure or RAM: cut */
    BOOT_CMDLINE_UNREADABLE,    /* its address lies outside the loader's memory map:
                                 * not read at all, cmdline is "" */
};

struct boot_module {
    uint64_t start;         /* physical, first byte */
    uint64_t end;           /* physical, one past the last byte */
    const char *cmdline;    /* in bootinfo's string pool, never NULL */
    enum boot_cmdline_state cmdline_state;
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

/* NULL when m's command line reached the kernel whole; otherwise a phrase
 * saying what happened to it ("was cut at 255 bytes", ...), to be put after
 * "module N's command line " in an error message. */
const char *boot_module_cmdline_problem(const struct boot_module *m);

#endif
