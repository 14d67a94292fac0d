/*
 * In-kernel tests, run when the kernel boots with test=NAME[,NAME...] (or
 * test=all for every test that does not end the machine). A test returns
 * true on success; it may print details with ktest_fail(). Tests that end
 * in a deliberate panic (to check the fault report) are marked FATAL, and
 * those that need a person or the host harness to act (press keys) are
 * marked MANUAL: both run only when named, and the harness judges them.
 */
#ifndef KERN_KTEST_H
#define KERN_KTEST_H

#include <stdbool.h>

enum ktest_kind {
    KTEST_AUTO,         /* part of test=all */
    KTEST_KIND_FATAL,   /* ends in a panic on purpose */
    KTEST_KIND_MANUAL,  /* waits for outside input */
};

struct ktest {
    const char *name;
    bool (*fn)(void);
    enum ktest_kind kind;
};

#define KTEST_DEFINE(id, kind_)                                                 \
    static bool ktest_fn_##id(void);                                            \
    __attribute__((used, section(".ktests"), aligned(8)))                      \
    static const struct ktest ktest_desc_##id = { #id, ktest_fn_##id, kind_ }; \
    static bool ktest_fn_##id(void)

#define KTEST(id) KTEST_DEFINE(id, KTEST_AUTO)
#define KTEST_FATAL(id) KTEST_DEFINE(id, KTEST_KIND_FATAL)
#define KTEST_MANUAL(id) KTEST_DEFINE(id, KTEST_KIND_MANUAL)

/* Reports a failed check with its location; returns false for `return`. */
bool ktest_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define KCHECK(cond, ...) \
    do { if (!(cond)) return ktest_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

/* Runs the tests the command line names and exits QEMU with the result. */
__attribute__((noreturn)) void ktest_run(const char *spec);

#endif
