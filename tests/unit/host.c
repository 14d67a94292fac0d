/*
 * The host side of the unit tests: the runner, and the kernel services the
 * code under test calls (panic, log, MMU hooks) implemented for Linux.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/panic.h"
#include "arch/x86/mmu.h"
#include "mm/phys.h"
#include "unit.h"

static struct unit_test *tests;
static int failures_in_test;
jmp_buf *unit_panic_jmp;
char unit_panic_msg[256];
unsigned char *unit_phys;
size_t unit_phys_size;
uintptr_t phys_map_base;
enum log_level log_threshold = LOG_WARN;
int unit_stop_after = -1;

/* The calling thread's kill, as long copies poll it: asked for after
 * unit_stop_after more polls (-1: never). */
bool thread_should_stop(void)
{
    if (unit_stop_after < 0)
        return false;
    return unit_stop_after-- == 0;
}

void unit_register(struct unit_test *t)
{
    /* Append, so tests run in file order. */
    struct unit_test **p = &tests;
    while (*p)
        p = &(*p)->next;
    *p = t;
}

void unit_fail(const char *file, int line, const char *expr)
{
    printf("    check failed at %s:%d: %s\n", file, line, expr);
    failures_in_test++;
}

void unit_fake_phys(size_t bytes)
{
    free(unit_phys);
    unit_phys = aligned_alloc(1 << 21, bytes);
    memset(unit_phys, 0xcc, bytes);
    unit_phys_size = bytes;
    phys_map_base = (uintptr_t)unit_phys;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(unit_panic_msg, sizeof unit_panic_msg, fmt, ap);
    va_end(ap);
    if (unit_panic_jmp)
        longjmp(*unit_panic_jmp, 1);
    printf("unexpected panic: %s\n", unit_panic_msg);
    abort();
}

void vklog(enum log_level level, const char *fmt, va_list ap)
{
    if (level <= log_threshold)
        vprintf(fmt, ap);
}

void klog(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vklog(level, fmt, ap);
    va_end(ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static paddr_t active_root;
void mmu_flush_page(uintptr_t va) { (void)va; }
paddr_t mmu_active_root(void) { return active_root; }
void mmu_switch_root(paddr_t root) { active_root = root; }

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (struct unit_test *t = tests; t; t = t->next) {
        if (argc > 1 && !strstr(t->name, argv[1]))
            continue;
        failures_in_test = 0;
        t->fn();
        printf("%s %s\n", failures_in_test ? "FAILED" : "ok    ", t->name);
        if (failures_in_test)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
