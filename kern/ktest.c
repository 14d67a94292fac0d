/* The in-kernel test runner (see ktest.h). */
#include "kern/ktest.h"

#include "dev/debug_exit.h"
#include "base/log.h"
#include "base/panic.h"
#include "lib/string.h"
#include "arch/x86/cpu.h"

extern const struct ktest __start_ktests[], __stop_ktests[];

bool ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("    check failed at %s:%d: ", file, line);
    vkprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    return false;
}

/* Whether name appears in the comma-separated list. */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

void ktest_run(const char *spec)
{
    bool all = strcmp(spec, "all") == 0;
    int passed = 0, failed = 0, matched = 0;
    for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
        if (all ? t->kind != KTEST_AUTO : !listed(spec, t->name))
            continue;
        matched++;
        kprintf("ktest: %s ...\n", t->name);
        bool ok = t->fn();
        kprintf("ktest: %s %s\n", t->name, ok ? "ok" : "FAILED");
        if (ok)
            passed++;
        else
            failed++;
    }
    if (matched == 0) {
        kprintf("ktest: no test matches '%s'\n", spec);
        failed++;
    }
    kprintf("%d passed, %d failed\n", passed, failed);
    debug_exit(failed ? EXIT_TESTS_FAILED : EXIT_TESTS_PASSED);
    cpu_halt_forever();
}
