/*
 * userboot (see userboot.h). Boot modules are named by their command line
 * (see module_name), so GRUB's `module2 /boot/userboot.wasm userboot`
 * and QEMU's `-initrd "build/x.wasm userboot"` both name one "userboot".
 *
 * userboot's imports from a module other than "coral" are satisfied by the
 * boot module of that name, instantiated first in the same component: a
 * program written in C comes with its SDK instance ("env") that way,
 * while a program built for Coral's interface alone imports only "coral".
 */
#include "kern/userboot.h"

#include "boot/bootinfo.h"
#include "dev/console.h"
#include "dev/screen.h"
#include "base/clock.h"
#include "kern/component.h"
#include "kern/devcap.h"
#include "kern/kmodule.h"
#include "base/log.h"
#include "kern/vma.h"
#include "lib/string.h"
#include "mm/vmm.h"

/* The name a boot module goes by: [*name, *name + *len). Its command line
 * is "FILE" or "FILE NAME" (QEMU's -initrd and GRUB's module lines give
 * the file first); the name is NAME if given, else FILE, without
 * directories or a ".wasm" suffix. */
static void module_name(const struct boot_module *bm, const char **name, size_t *len)
{
    const char *s = bm->cmdline;
    while (*s == ' ')
        s++;
    const char *end = s;
    while (*end && *end != ' ')
        end++;
    const char *next = end;
    while (*next == ' ')
        next++;
    if (*next) {
        s = next;
        for (end = s; *end && *end != ' '; end++)
            ;
    }
    for (const char *p = s; p < end; p++)
        if (*p == '/')
            s = p + 1;
    if (end - s > 5 && memcmp(end - 5, ".wasm", 5) == 0)
        end -= 5;
    *name = s;
    *len = (size_t)(end - s);
}

/* The module named `name`, or NULL. A module whose command line did not
 * reach the kernel whole has no trustworthy name, so is never matched (a
 * cut "x.wasm userboot-test" could read "x.wasm userboot"). */
static const struct boot_module *find_module(const char *name, size_t len)
{
    for (int i = 0; i < bootinfo.module_count; i++) {
        if (boot_module_cmdline_problem(&bootinfo.modules[i]))
            continue;
        const char *n;
        size_t l;
        module_name(&bootinfo.modules[i], &n, &l);
        if (l == len && memcmp(n, name, len) == 0)
            return &bootinfo.modules[i];
    }
    return NULL;
}

/* After find_module(name) failed: reports each module that has no name
 * because its command line was lost, as the one looked for may be among
 * them. Returns how many there are. */
static int report_unnamed(const char *name, size_t len)
{
    int n = 0;
    for (int i = 0; i < bootinfo.module_count; i++) {
        const char *why = boot_module_cmdline_problem(&bootinfo.modules[i]);
        if (!why)
            continue;
        pr_err("atoll: userboot: no boot module is named \"%.*s\", and module %d's command line "
               "%s: it may be that one\n", (int)len, name, i, why);
        n++;
    }
    return n;
}

static struct kmodule *compile_module(const struct boot_module *bm, const char *name,
                                      size_t len)
{
    int status;
    char why[160];
    struct kmodule *km = kmodule_create(phys_to_virt(bm->start), bm->end - bm->start, NULL,
                                        &status, why, sizeof why);
    if (!km)
        pr_err("atoll: userboot: boot module \"%.*s\" refused: %s\n", (int)len, name, why);
    return km;
}

/* Adds the boot module `name` to c; false after reporting. */
static bool add_module(struct component *c, struct kmodule *km, const char *name, size_t len,
                       uint32_t *index)
{
    char why[160];
    int status = component_add(c, km, name, len, index, why, sizeof why);
    if (status)
        pr_err("atoll: userboot: cannot instantiate \"%.*s\": %s\n", (int)len, name, why);
    return status == CORAL_OK;
}

/* The instances a boot program (userboot, a boot driver) imports from,
 * in the order of its imports. */
static bool add_dependencies(struct component *c, struct kmodule *ub)
{
    uint32_t n = wasm_module_num_imports(ub->m);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_desc d;
        wasm_module_import(ub->m, i, &d);
        if ((d.module_len == 5 && memcmp(d.module, "coral", 5) == 0))
            continue;
        bool seen = false;
        for (uint32_t j = 0; j < c->ninst && !seen; j++)
            seen = c->inst[j].name_len == d.module_len &&
                   memcmp(c->inst[j].name, d.module, d.module_len) == 0;
        if (seen)
            continue;
        const struct boot_module *bm = find_module(d.module, d.module_len);
        if (!bm) {
            report_unnamed(d.module, d.module_len);
            pr_err("atoll: %s imports from \"%.*s\", but no boot module has that name\n",
                   c->name, (int)d.module_len, d.module);
            return false;
        }
        struct kmodule *km = compile_module(bm, d.module, d.module_len);
        uint32_t index;
        bool ok = km && add_module(c, km, d.module, d.module_len, &index);
        kobj_put(km ? &km->k : NULL);
        if (!ok)
            return false;
    }
    return true;
}

/* The screen's cells as a memory area, granted first (USERBOOT_GRANT_SCREEN). */
static bool grant_screen(struct component *c)
{
    uint16_t *cells = screen_cells();
    struct vma *v = cells ? vma_new_fixed("screen", cells, SCREEN_BYTES, VMA_READ | VMA_WRITE)
                          : vma_new_buffer("screen (none)", SCREEN_BYTES, NULL);
    if (!cells)
        pr_warn("atoll: no screen: userboot draws into a buffer nobody sees\n");
    uint32_t index;
    bool ok = v && component_grant(c, &v->k, RIGHTS_ALL, &index) == CORAL_OK && index == USERBOOT_GRANT_SCREEN;
    kobj_put(v ? &v->k : NULL);
    return ok;
}

/* A boot module named name (a ustar archive), read-only, granted at index
 * want: the programs (USERBOOT_GRANT_PROGRAMS) or the files
 * (USERBOOT_GRANT_FILES). userboot reads the archive itself: the kernel
 * has no files. Without the module an empty archive (one zero block, its
 * end marker) keeps the grants' numbers. */
static bool grant_archive(struct component *c, const char *name, uint32_t want)
{
    const struct boot_module *bm = find_module(name, strlen(name));
    if (!bm)
        report_unnamed(name, strlen(name));
    struct vma *v = bm ? vma_new_fixed(name, phys_to_virt(bm->start), bm->end - bm->start,
                                       VMA_READ)
                       : vma_new_buffer(name, 512, NULL);
    uint32_t index;
    bool ok = v && component_grant(c, &v->k, RIGHTS_ALL, &index) == CORAL_OK && index == want;
    kobj_put(v ? &v->k : NULL);
    return ok;
}

/* A device capability root (kern/devcap.h), granted at index want: the
 * I/O ports (USERBOOT_GRANT_IOPORTS) or the interrupt lines
 * (USERBOOT_GRANT_IRQS) the kernel lets drivers have. userboot, the
 * device manager to come, hands each driver its device's part. */
static bool grant_root(struct component *c, struct kobj *root, uint32_t want)
{
    uint32_t index;
    bool ok = root && component_grant(c, root, RIGHTS_ALL, &index) == CORAL_OK && index == want;
    kobj_put(root);
    return ok;
}

/* The keyboard driver for a userboot that cannot start one: the boot
 * module ps2kbd (user/drivers/ps2kbd), given the PS/2 ports, line 1 and
 * userboot's component as its client, whose press_key it calls
 * (program_abi.h, ATOLL_DRIVER_*). Coral's interface has no device calls,
 * so a Coral userboot gets its keys this way; Atoll's userboot is the
 * device manager and starts its drivers from the programs archive, so
 * its images have no such module. Failures are logged: userboot runs
 * without keys. The kernel keeps the driver's reference, as userboot's. */
static void start_boot_keyboard(struct component *ub)
{
    static const char name[] = "ps2kbd";
    const struct boot_module *bm = find_module(name, sizeof name - 1);
    if (!bm)
        return;
    struct kmodule *km = compile_module(bm, name, sizeof name - 1);
    if (!km)
        return;
    int made;
    struct component *drv = component_create(name, NULL, &made);
    struct kobj *ports = devcap_root_ports(), *irqs = devcap_root_irqs();
    struct kobj *line = NULL, *data = NULL, *ctrl = NULL;
    uint32_t index = 0, g[4];
    bool ok = drv && ports && irqs &&
              devcap_irq_line(irqs, 1, NULL, &line) == CORAL_OK &&
              devcap_ioport_range(ports, 0x60, 1, NULL, &data) == CORAL_OK &&
              devcap_ioport_range(ports, 0x64, 1, NULL, &ctrl) == CORAL_OK &&
              component_grant(drv, &ub->k, RIGHTS_ALL, &g[0]) == CORAL_OK &&
              component_grant(drv, line, RIGHTS_ALL, &g[1]) == CORAL_OK &&
              component_grant(drv, data, RIGHTS_ALL, &g[2]) == CORAL_OK &&
              component_grant(drv, ctrl, RIGHTS_ALL, &g[3]) == CORAL_OK &&
              g[0] == 0 && g[1] == 1 && g[2] == 2 && g[3] == 3 &&
              add_dependencies(drv, km) && add_module(drv, km, name, sizeof name - 1, &index) &&
              component_start(drv, index, "atoll_start", 11, 0) == CORAL_OK;
    kobj_put(km ? &km->k : NULL);
    kobj_put(ports);
    kobj_put(irqs);
    kobj_put(line);
    kobj_put(data);
    kobj_put(ctrl);
    if (ok) {
        pr_info("atoll: started the boot module ps2kbd as userboot's keyboard driver\n");
        return;
    }
    pr_err("atoll: the boot module ps2kbd could not be started: userboot gets no keys\n");
    if (drv) {
        component_kill(drv);
        kobj_put(&drv->k);
    }
}

struct component *userboot_start(void)
{
    const struct boot_module *bm = find_module("userboot", 8);
    if (!bm) {
        if (report_unnamed("userboot", 8))
            pr_err("atoll: userboot: not started; idling\n");
        else
            pr_info("atoll: no userboot among the boot modules; idling\n");
        return NULL;
    }
    struct kmodule *ub = compile_module(bm, "userboot", 8);
    if (!ub)
        return NULL;
    int made;
    struct component *c = component_create("userboot", NULL, &made);
    uint32_t index = 0;
    bool ok = c && grant_screen(c) && grant_archive(c, "programs", USERBOOT_GRANT_PROGRAMS) &&
              grant_archive(c, "files", USERBOOT_GRANT_FILES) &&
              grant_root(c, devcap_root_ports(), USERBOOT_GRANT_IOPORTS) &&
              grant_root(c, devcap_root_irqs(), USERBOOT_GRANT_IRQS) && add_dependencies(c, ub);
    if (c && !ok)
        pr_err("atoll: userboot: cannot build its component\n");
    /* The screen is userboot's from its first instruction on: the
     * kernel's log stays on serial (a panic takes the screen back). */
    if (ok)
        console_detach();
    ok = ok && add_module(c, ub, "userboot", 8, &index);
    kobj_put(&ub->k);
    if (!ok) {
        if (c) {
            component_kill(c);
            kobj_put(&c->k);
        }
        console_attach();
        return NULL;
    }
    int64_t result;
    int status = component_call(c, index, "init", 4, 0, &result);
    uint64_t ms = clock_ns() / 1000000;
    if (status == CORAL_OK)
        pr_info("atoll: userboot: init returned %lld, %llu ms after kernel entry\n",
                (long long)result, (unsigned long long)ms);
    else if (status == CORAL_EINVAL)
        pr_warn("atoll: userboot: no init() -> i32 export; events only\n");
    component_start_events(c);
    start_boot_keyboard(c);
    /* The kernel keeps its reference: userboot is never dropped. */
    return c;
}
