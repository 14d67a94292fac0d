/*
 * A minimal unit-test framework for kernel logic built for Linux (with
 * AddressSanitizer and UBSan). TEST(name) registers a test; CHECK records a
 * failure and continues; EXPECT_PANIC runs a statement that must panic.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
    struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *expr);

#define TEST(id)                                                            \
    static void test_##id(void);                                            \
    static struct unit_test unit_##id = { #id, test_##id, 0 };               \
    __attribute__((constructor)) static void reg_##id(void) { unit_register(&unit_##id); } \
    static void test_##id(void)

#define CHECK(cond)                                                         \
    do { if (!(cond)) unit_fail(__FILE__, __LINE__, #cond); } while (0)

/* Panics raised by the code under test land here (host.c). */
extern jmp_buf *unit_panic_jmp;
extern char unit_panic_msg[256];

#define EXPECT_PANIC(stmt)                                                  \
    do {                                                                    \
        jmp_buf jb_;                                                        \
        unit_panic_jmp = &jb_;                                              \
        if (setjmp(jb_) == 0) {                                             \
            stmt;                                                           \
            unit_panic_jmp = 0;                                             \
            unit_fail(__FILE__, __LINE__, "expected a panic: " #stmt);      \
        }                                                                   \
        unit_panic_jmp = 0;                                                 \
    } while (0)

/* thread_should_stop() answers true at its (n+1)th call from now; -1:
 * never (the default). */
extern int unit_stop_after;

/* Fake physical memory for mm code (phys_map_base points at it). */
void unit_fake_phys(size_t bytes);
extern unsigned char *unit_phys;
extern size_t unit_phys_size;

#endif
