/* boot/bootinfo: Multiboot1 and Multiboot2 structures, well-formed and
 * hostile, laid out in fake physical memory. */
#include <string.h>

#include "boot/boot.h"
#include "boot/bootinfo.h"
#include "unit.h"

#define INFO 0x10000

static unsigned char *at(uint64_t p) { return unit_phys + p; }

/* Builds an MB2 tag list at INFO; returns the offset of the next tag. */
static uint32_t tag(uint32_t off, uint32_t type, const void *body, uint32_t len)
{
    uint32_t size = 8 + len;
    memcpy(at(INFO + off), &type, 4);
    memcpy(at(INFO + off + 4), &size, 4);
    memcpy(at(INFO + off + 8), body, len);
    return off + ((size + 7) & ~7u);
}

static void finish(uint32_t off)
{
    uint32_t end[2] = { 0, 8 };
    memcpy(at(INFO + off), end, 8);
    uint32_t total = off + 8, zero = 0;
    memcpy(at(INFO), &total, 4);
    memcpy(at(INFO + 4), &zero, 4);
}

TEST(mb2_full)
{
    unit_fake_phys(1 << 21);
    uint32_t off = 8;
    off = tag(off, 1, "test=x loglevel=2", 18);
    off = tag(off, 2, "GRUB 2.06", 10);
    unsigned char mod[8 + 5];
    uint32_t s = 0x200000, e = 0x2000ff;
    memcpy(mod, &s, 4);
    memcpy(mod + 4, &e, 4);
    memcpy(mod + 8, "init", 5);
    off = tag(off, 3, mod, sizeof mod);
    unsigned char mmap[8 + 2 * 24] = { 0 };
    uint32_t esz = 24, ever = 0;
    memcpy(mmap, &esz, 4);
    memcpy(mmap + 4, &ever, 4);
    uint64_t b = 0x100000, l = 0x7f00000;
    uint32_t t = 1;
    memcpy(mmap + 8, &b, 8), memcpy(mmap + 16, &l, 8), memcpy(mmap + 24, &t, 4);
    b = 0xfffc0000, l = 0x40000, t = 2;
    memcpy(mmap + 32, &b, 8), memcpy(mmap + 40, &l, 8), memcpy(mmap + 48, &t, 4);
    off = tag(off, 6, mmap, sizeof mmap);
    unsigned char fb[38 - 8] = { 0 };
    uint64_t fa = 0x80000000;
    uint32_t pitch = 3200, w = 800, h = 600;
    memcpy(fb, &fa, 8), memcpy(fb + 8, &pitch, 4), memcpy(fb + 12, &w, 4), memcpy(fb + 16, &h, 4);
    fb[20] = 32, fb[21] = 1, fb[24] = 16, fb[25] = 8, fb[26] = 8, fb[27] = 8, fb[28] = 0, fb[29] = 8;
    off = tag(off, 8, fb, sizeof fb);
    finish(off);

    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.protocol == 2);
    CHECK(strcmp(bootinfo.cmdline, "test=x loglevel=2") == 0);
    CHECK(strcmp(bootinfo.loader, "GRUB 2.06") == 0);
    CHECK(bootinfo.module_count == 1);
    CHECK(bootinfo.modules[0].start == 0x200000 && bootinfo.modules[0].end == 0x2000ff);
    CHECK(strcmp(bootinfo.modules[0].cmdline, "init") == 0);
    CHECK(bootinfo.memmap_count == 2);
    CHECK(bootinfo.memmap[0].len == 0x7f00000 && bootinfo.memmap[1].type == 2);
    CHECK(bootinfo.fb.kind == FB_RGB && bootinfo.fb.width == 800 && bootinfo.fb.bpp == 32);
    CHECK(bootinfo.fb.red_pos == 16 && bootinfo.fb.blue_size == 8);
}

TEST(mb2_hostile)
{
    unit_fake_phys(1 << 21);
    /* A tag whose size runs past the total: parsing stops there. */
    uint32_t off = 8;
    off = tag(off, 1, "ok", 3);
    uint32_t bad[2] = { 2, 0x7fffffff };
    memcpy(at(INFO + off), bad, 8);
    finish(off + 8);
    memcpy(at(INFO + off), bad, 8);   /* finish() wrote an end tag there */
    uint32_t total = off + 16;
    memcpy(at(INFO), &total, 4);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    CHECK(strcmp(bootinfo.cmdline, "ok") == 0);
    CHECK(bootinfo.loader[0] == 0);

    /* A size below 8 (would loop forever) and an absurd total. */
    off = 8;
    uint32_t tiny[2] = { 1, 4 };
    memcpy(at(INFO + off), tiny, 8);
    total = 64;
    memcpy(at(INFO), &total, 4);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    total = 0xffffffff;
    memcpy(at(INFO), &total, 4);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == -1);

    /* An unterminated command line is cut at the tag's end. */
    off = 8;
    char junk[40];
    memset(junk, 'x', sizeof junk);
    off = tag(off, 1, junk, sizeof junk);
    finish(off);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    CHECK(strlen(bootinfo.cmdline) == sizeof junk);

    /* Too many modules: kept up to the limit, the rest counted. */
    off = 8;
    for (int i = 0; i < BOOT_MAX_MODULES + 5; i++) {
        unsigned char m[8 + 2] = { 0, 0, 0x20, 0, 0, 0, 0x10, 0, 'm', 0 };
        off = tag(off, 3, m, sizeof m);
    }
    finish(off);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.module_count == BOOT_MAX_MODULES);
    CHECK(bootinfo.modules_dropped == 5);
    /* end < start is clamped, never negative length */
    CHECK(bootinfo.modules[0].end == bootinfo.modules[0].start);

    CHECK(bootinfo_parse(0x12345678, INFO) == -1);
}

TEST(mb1_basic)
{
    unit_fake_phys(1 << 21);
    unsigned char *info = at(INFO);
    memset(info, 0, 120);
    uint32_t flags = (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9);
    memcpy(info, &flags, 4);
    uint32_t cmd = 0x11000, mods = 0x12000, mmap = 0x13000, name = 0x14000;
    strcpy((char *)at(cmd), "loglevel=3");
    strcpy((char *)at(name), "qemu");
    memcpy(info + 16, &cmd, 4);
    memcpy(info + 64, &name, 4);
    uint32_t count = 1;
    memcpy(info + 20, &count, 4);
    memcpy(info + 24, &mods, 4);
    uint32_t m[4] = { 0x300000, 0x301000, 0x14100, 0 };
    memcpy(at(mods), m, 16);
    strcpy((char *)at(0x14100), "userboot");
    uint32_t len = 2 * 24;
    memcpy(info + 44, &len, 4);
    memcpy(info + 48, &mmap, 4);
    unsigned char e[24] = { 0 };
    uint32_t sz = 20, ty = 1;
    uint64_t b = 0, l = 0x9fc00;
    memcpy(e, &sz, 4), memcpy(e + 4, &b, 8), memcpy(e + 12, &l, 8), memcpy(e + 20, &ty, 4);
    memcpy(at(mmap), e, 24);
    b = 0x100000, l = 0x7ee0000;
    memcpy(e + 4, &b, 8), memcpy(e + 12, &l, 8);
    memcpy(at(mmap + 24), e, 24);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.protocol == 1);
    CHECK(strcmp(bootinfo.cmdline, "loglevel=3") == 0);
    CHECK(strcmp(bootinfo.loader, "qemu") == 0);
    CHECK(bootinfo.module_count == 1 && strcmp(bootinfo.modules[0].cmdline, "userboot") == 0);
    CHECK(bootinfo.memmap_count == 2 && bootinfo.memmap[1].base == 0x100000);
    CHECK(bootinfo.fb.kind == FB_EGA_TEXT);
}

/* An MB1 structure at INFO with a memory map (RAM below 2 MiB, where the
 * fake physical memory is) and `count` modules whose command-line
 * pointers are cmds[i]. */
static void mb1_modules(const uint32_t *cmds, uint32_t count)
{
    unsigned char *info = at(INFO);
    memset(info, 0, 120);
    uint32_t flags = (1u << 3) | (1u << 6), mods = 0x12000, mmap = 0x13000;
    memcpy(info, &flags, 4);
    memcpy(info + 20, &count, 4);
    memcpy(info + 24, &mods, 4);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t m[4] = { 0x100000 + i * 0x1000, 0x100800 + i * 0x1000, cmds[i], 0 };
        memcpy(at(mods + 16 * i), m, 16);
    }
    uint32_t len = 24, sz = 20, ty = 1;
    uint64_t b = 0, l = 1 << 21;
    unsigned char e[24] = { 0 };
    memcpy(e, &sz, 4), memcpy(e + 4, &b, 8), memcpy(e + 12, &l, 8), memcpy(e + 20, &ty, 4);
    memcpy(at(mmap), e, 24);
    memcpy(info + 44, &len, 4);
    memcpy(info + 48, &mmap, 4);
}

/* A module's command line is its name: one that does not arrive whole is
 * marked, whatever the reason, and never shortened silently. */
TEST(module_cmdline_lost)
{
    unit_fake_phys(1 << 21);
    char long_line[400];
    memset(long_line, 'y', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = 0;
    char just_fits[BOOT_MODULE_CMDLINE_MAX];
    memset(just_fits, 'z', sizeof just_fits - 1);
    just_fits[sizeof just_fits - 1] = 0;
    strcpy((char *)at(0x14000), "a.wasm ok");
    strcpy((char *)at(0x14100), long_line);
    strcpy((char *)at(0x14300), "");
    strcpy((char *)at(0x14400), just_fits);
    /* 0: whole; 1: too long; 2: ""; 3: no pointer; 4: outside the map;
     * 5: runs off the end of RAM unterminated; 6: the longest kept. */
    memset(at((1 << 21) - 8), 'w', 8);
    uint32_t cmds[] = { 0x14000, 0x14100, 0x14300, 0, 0x40000000, (1 << 21) - 8, 0x14400 };
    mb1_modules(cmds, 7);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.module_count == 7);
    const struct boot_module *m = bootinfo.modules;
    CHECK(m[0].cmdline_state == BOOT_CMDLINE_OK && !boot_module_cmdline_problem(&m[0]));
    CHECK(strcmp(m[0].cmdline, "a.wasm ok") == 0);
    CHECK(m[1].cmdline_state == BOOT_CMDLINE_TRUNCATED && boot_module_cmdline_problem(&m[1]));
    CHECK(strlen(m[1].cmdline) == BOOT_MODULE_CMDLINE_MAX - 1);
    CHECK(m[2].cmdline_state == BOOT_CMDLINE_EMPTY && strcmp(m[2].cmdline, "") == 0);
    CHECK(m[3].cmdline_state == BOOT_CMDLINE_EMPTY);
    CHECK(m[4].cmdline_state == BOOT_CMDLINE_UNREADABLE && strcmp(m[4].cmdline, "") == 0);
    CHECK(m[5].cmdline_state == BOOT_CMDLINE_TRUNCATED && strcmp(m[5].cmdline, "wwwwwwww") == 0);
    CHECK(m[6].cmdline_state == BOOT_CMDLINE_OK && strcmp(m[6].cmdline, just_fits) == 0);

    /* As many modules as are kept, each with the longest command line
     * kept: every one arrives whole (the pool never runs out first). */
    uint32_t many[BOOT_MAX_MODULES];
    for (int i = 0; i < BOOT_MAX_MODULES; i++)
        many[i] = 0x14400;
    mb1_modules(many, BOOT_MAX_MODULES);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.module_count == BOOT_MAX_MODULES);
    for (int i = 0; i < BOOT_MAX_MODULES; i++)
        CHECK(bootinfo.modules[i].cmdline_state == BOOT_CMDLINE_OK &&
              strcmp(bootinfo.modules[i].cmdline, just_fits) == 0);

    /* Multiboot2: a module string with no NUL inside its tag is cut, and
     * an empty one is marked. */
    uint32_t off = 8;
    unsigned char mod[8 + 4] = { 0, 0, 0x10, 0, 0, 8, 0x10, 0, 'a', 'b', 'c', 'd' };
    off = tag(off, 3, mod, sizeof mod);
    unsigned char empty[8 + 1] = { 0, 0, 0x10, 0, 0, 8, 0x10, 0, 0 };
    off = tag(off, 3, empty, sizeof empty);
    finish(off);
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, INFO) == 0);
    CHECK(bootinfo.module_count == 2);
    CHECK(bootinfo.modules[0].cmdline_state == BOOT_CMDLINE_TRUNCATED);
    CHECK(strcmp(bootinfo.modules[0].cmdline, "abcd") == 0);
    CHECK(bootinfo.modules[1].cmdline_state == BOOT_CMDLINE_EMPTY);
}
