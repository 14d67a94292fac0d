/*
 * Multiboot1 and Multiboot2 parsing. Both are read through the boot page
 * tables' direct map, which covers the first 4 GiB, where loaders put their
 * structures. Every length read from the loader is checked against the
 * structure's own size before use: a confused loader gives a clear error,
 * not a wild read.
 */
#include "boot/bootinfo.h"

#include "boot/boot.h"
#include "base/log.h"
#include "lib/string.h"
#include "mm/phys.h"

struct bootinfo bootinfo;

static const void *phys(uint64_t p)
{
    return phys_to_virt(p);
}

/* Copies n bytes of a loader string into the pool, NUL-terminated. The
 * pool has room for every module's longest command line, so this fails
 * (NULL) only if that sizing is broken. */
static const char *pool_str(const char *s, uint32_t n)
{
    if (bootinfo.strpool_used + n + 1 > BOOT_STRPOOL_SIZE)
        return NULL;
    char *d = &bootinfo.strpool[bootinfo.strpool_used];
    memcpy(d, s, n);
    d[n] = 0;
    bootinfo.strpool_used += n + 1;
    return d;
}

static void copy_str(char *dst, uint32_t cap, const char *src, uint32_t max)
{
    uint32_t n = (uint32_t)strnlen(src, max < cap - 1 ? max : cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
    if (len == 0 || bootinfo.memmap_count >= BOOT_MAX_MEMMAP)
        return;
    struct mem_region *r = &bootinfo.memmap[bootinfo.memmap_count++];
    r->base = base;
    r->len = len;
    r->type = type;
}

const char *boot_module_cmdline_problem(const struct boot_module *m)
{
    switch (m->cmdline_state) {
    case BOOT_CMDLINE_OK:
        return NULL;
    case BOOT_CMDLINE_EMPTY:
        return "is empty";
    case BOOT_CMDLINE_TRUNCATED:
        return "was cut (longer than the kernel keeps, or unterminated)";
    case BOOT_CMDLINE_UNREADABLE:
        return "lies outside the memory map (not read)";
    }
    return "is in an unknown state";
}

/* Adds a module whose command line is cmd, of which at most max bytes may
 * be read (cmd NULL: the loader gave none; unreadable: its address is
 * bad). A command line that is not kept whole is marked and reported
 * here, by the module's index: it is the module's only name. */
static void add_module(uint64_t start, uint64_t end, const char *cmd, uint64_t max,
                       bool unreadable)
{
    if (bootinfo.module_count >= BOOT_MAX_MODULES) {
        bootinfo.modules_dropped++;
        return;
    }
    int index = bootinfo.module_count++;
    struct boot_module *m = &bootinfo.modules[index];
    m->start = start;
    m->end = end < start ? start : end;
    m->cmdline = "";
    if (unreadable) {
        m->cmdline_state = BOOT_CMDLINE_UNREADABLE;
    } else if (!cmd || max == 0 || cmd[0] == 0) {
        m->cmdline_state = BOOT_CMDLINE_EMPTY;
    } else {
        uint32_t keep = max < BOOT_MODULE_CMDLINE_MAX - 1 ? (uint32_t)max : BOOT_MODULE_CMDLINE_MAX - 1;
        uint32_t n = (uint32_t)strnlen(cmd, keep);
        /* Whole if its NUL is among the bytes we may read and keep. */
        bool whole = n < keep || (keep < max && cmd[n] == 0);
        const char *copy = pool_str(cmd, n);
        m->cmdline = copy ? copy : "";
        m->cmdline_state = whole && copy ? BOOT_CMDLINE_OK : BOOT_CMDLINE_TRUNCATED;
    }
    if (m->cmdline_state != BOOT_CMDLINE_OK)
        pr_warn("boot: module %d's command line %s, so the module has no name\n", index,
                boot_module_cmdline_problem(m));
}

/* ---- Multiboot2 ---- */

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

static void mb2_framebuffer(const uint8_t *t, uint32_t size)
{
    if (size < 31)
        return;
    struct framebuffer *fb = &bootinfo.fb;
    memcpy(&fb->addr, t + 8, 8);
    memcpy(&fb->pitch, t + 16, 4);
    memcpy(&fb->width, t + 20, 4);
    memcpy(&fb->height, t + 24, 4);
    fb->bpp = t[28];
    uint8_t type = t[29];
    if (type == 2) {
        fb->kind = FB_EGA_TEXT;
    } else if (type == 1 && size >= 38) {
        fb->kind = FB_RGB;
        fb->red_pos = t[32], fb->red_size = t[33];
        fb->green_pos = t[34], fb->green_size = t[35];
        fb->blue_pos = t[36], fb->blue_size = t[37];
    }
}

static int parse_mb2(uint64_t info_phys)
{
    const uint8_t *base = phys(info_phys);
    uint32_t total;
    memcpy(&total, base, 4);
    if (total < 16 || total > (1u << 20)) {
        pr_err("boot: Multiboot2 information has an implausible size %u\n", total);
        return -1;
    }
    uint32_t off = 8;
    while (off + 8 <= total) {
        struct mb2_tag tag;
        memcpy(&tag, base + off, 8);
        if (tag.type == 0)
            break;
        if (tag.size < 8 || tag.size > total - off) {
            pr_err("boot: Multiboot2 tag %u at offset %u has bad size %u\n", tag.type, off, tag.size);
            break;
        }
        const uint8_t *t = base + off;
        switch (tag.type) {
        case 1:
            copy_str(bootinfo.cmdline, sizeof bootinfo.cmdline, (const char *)t + 8, tag.size - 8);
            break;
        case 2:
            copy_str(bootinfo.loader, sizeof bootinfo.loader, (const char *)t + 8, tag.size - 8);
            break;
        case 3:
            if (tag.size >= 16) {
                uint32_t s, e;
                memcpy(&s, t + 8, 4);
                memcpy(&e, t + 12, 4);
                add_module(s, e, (const char *)t + 16, tag.size - 16, false);
            }
            break;
        case 6: {
            uint32_t esize;
            memcpy(&esize, t + 8, 4);
            if (esize < 24)
                break;
            for (uint32_t p = 16; p + esize <= tag.size; p += esize) {
                uint64_t b, l;
                uint32_t ty;
                memcpy(&b, t + p, 8);
                memcpy(&l, t + p + 8, 8);
                memcpy(&ty, t + p + 16, 4);
                add_region(b, l, ty);
            }
            break;
        }
        case 8:
            mb2_framebuffer(t, tag.size);
            break;
        case 14:
        case 15:
            /* Prefer the ACPI 2.0 copy (tag 15) when both come. */
            if (tag.size >= 8 + 20 && (!bootinfo.has_rsdp_copy || tag.type == 15)) {
                uint32_t n = tag.size - 8 < sizeof bootinfo.rsdp_copy ? tag.size - 8 : sizeof bootinfo.rsdp_copy;
                memset(bootinfo.rsdp_copy, 0, sizeof bootinfo.rsdp_copy);
                memcpy(bootinfo.rsdp_copy, t + 8, n);
                bootinfo.has_rsdp_copy = true;
            }
            break;
        }
        off += (tag.size + 7) & ~7u;
    }
    return 0;
}

/* ---- Multiboot1 ---- */

/* How many bytes of a loader string at physical address p may be read: up
 * to the end of the memory-map region that holds p (0 when none does), and
 * never past 4 GiB, the end of the boot page tables' direct map. Multiboot1
 * strings are bare pointers, so this is all that keeps a bad one from a
 * wild read. Without a memory map, only the 4 GiB bound applies. */
static uint64_t readable_from(uint64_t p)
{
    const uint64_t limit = 1ull << 32;
    if (p >= limit)
        return 0;
    if (bootinfo.memmap_count == 0)
        return limit - p;
    for (int i = 0; i < bootinfo.memmap_count; i++) {
        const struct mem_region *r = &bootinfo.memmap[i];
        if (p >= r->base && p - r->base < r->len) {
            uint64_t end = r->len > limit - r->base ? limit : r->base + r->len;
            return end - p;
        }
    }
    return 0;
}

/* Copies the MB1 string at p into dst (cap bytes), or leaves dst "" and
 * reports when p is outside the memory map. */
static void mb1_str(char *dst, uint32_t cap, uint32_t p, const char *what)
{
    uint64_t n = readable_from(p);
    if (n == 0) {
        pr_warn("boot: the loader's %s at %#x lies outside the memory map: ignored\n",
                what, p);
        return;
    }
    copy_str(dst, cap, phys(p), n < cap ? (uint32_t)n : cap);
}

static int parse_mb1(uint64_t info_phys)
{
    const uint8_t *info = phys(info_phys);
    uint32_t flags;
    memcpy(&flags, info, 4);
    /* The memory map first: the strings below are checked against it. */
    if (flags & (1u << 6)) {
        uint32_t len, addr;
        memcpy(&len, info + 44, 4);
        memcpy(&addr, info + 48, 4);
        for (uint32_t p = 0; p + 24 <= len;) {
            const uint8_t *e = phys(addr + p);
            uint32_t size, ty;
            uint64_t b, l;
            memcpy(&size, e, 4);
            memcpy(&b, e + 4, 8);
            memcpy(&l, e + 12, 8);
            memcpy(&ty, e + 20, 4);
            add_region(b, l, ty);
            if (size < 20)
                break;
            p += size + 4;
        }
    } else if (flags & 1u) {
        uint32_t lower, upper;
        memcpy(&lower, info + 4, 4);
        memcpy(&upper, info + 8, 4);
        add_region(0, (uint64_t)lower * 1024, MEM_USABLE);
        add_region(0x100000, (uint64_t)upper * 1024, MEM_USABLE);
    }
    if (flags & (1u << 2)) {
        uint32_t p;
        memcpy(&p, info + 16, 4);
        mb1_str(bootinfo.cmdline, sizeof bootinfo.cmdline, p, "command line");
    }
    if (flags & (1u << 9)) {
        uint32_t p;
        memcpy(&p, info + 64, 4);
        mb1_str(bootinfo.loader, sizeof bootinfo.loader, p, "name");
    }
    if (flags & (1u << 3)) {
        uint32_t count, addr;
        memcpy(&count, info + 20, 4);
        memcpy(&addr, info + 24, 4);
        if (count > 4096)
            count = 4096;
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *m = phys(addr + 16ull * i);
            uint32_t s, e, str;
            memcpy(&s, m, 4);
            memcpy(&e, m + 4, 4);
            memcpy(&str, m + 8, 4);
            uint64_t max = str ? readable_from(str) : 0;
            add_module(s, e, str ? phys(str) : NULL, max, str && max == 0);
        }
    }
    /* QEMU's Multiboot1 path leaves the VGA in text mode. */
    bootinfo.fb.kind = FB_EGA_TEXT;
    bootinfo.fb.addr = 0xb8000;
    bootinfo.fb.width = 80;
    bootinfo.fb.height = 25;
    bootinfo.fb.pitch = 160;
    bootinfo.fb.bpp = 16;
    if (flags & (1u << 12)) {
        /* MB1 has the MB2 tag's fields from offset 88, but its colour
         * info follows the type byte directly (no reserved field). */
        uint8_t t[38] = { 0 };
        memcpy(t + 8, info + 88, 22);
        memcpy(t + 32, info + 110, 6);
        if (t[29] == 1)
            mb2_framebuffer(t, sizeof t);
    }
    return 0;
}

int bootinfo_parse(uint32_t magic, uint64_t info_phys)
{
    memset(&bootinfo, 0, sizeof bootinfo);
    if (magic == MB2_BOOT_MAGIC) {
        bootinfo.protocol = 2;
        int rc = parse_mb2(info_phys);
        if (bootinfo.fb.kind == FB_NONE) {
            /* No framebuffer tag: a BIOS boot left in VGA text mode. */
            bootinfo.fb = (struct framebuffer){ .kind = FB_EGA_TEXT, .addr = 0xb8000,
                                                .width = 80, .height = 25, .pitch = 160, .bpp = 16 };
        }
        return rc;
    }
    if (magic == MB1_BOOT_MAGIC) {
        bootinfo.protocol = 1;
        return parse_mb1(info_phys);
    }
    return -1;
}
