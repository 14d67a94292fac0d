/* lib/fmt against the C library's snprintf, format by format. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/fmt.h"
#include "unit.h"

/* Some cases below are deliberately bad format strings. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#define SAME(...)                                                           \
    do {                                                                    \
        char a_[256], b_[256];                                              \
        int na_ = fmt_snprintf(a_, sizeof a_, __VA_ARGS__);                 \
        int nb_ = snprintf(b_, sizeof b_, __VA_ARGS__);                     \
        if (na_ != nb_ || strcmp(a_, b_) != 0) {                            \
            printf("    fmt %s: got \"%s\" (%d), libc \"%s\" (%d)\n", #__VA_ARGS__, a_, na_, b_, nb_); \
            CHECK(0);                                                       \
        }                                                                   \
    } while (0)

TEST(fmt_integers)
{
    SAME("%d %i %u", 0, -1, 42u);
    SAME("%d", INT32_MIN);
    SAME("%lld", (long long)INT64_MIN);
    SAME("%llu", (unsigned long long)UINT64_MAX);
    SAME("%x %X %o", 0xdeadbeefu, 0xabcu, 8u);
    SAME("%#x %#X", 255u, 255u);
    SAME("%08x|%-8x|%8x", 0x1234u, 0x1234u, 0x1234u);
    SAME("%+d % d %+d", 5, 5, -5);
    SAME("%05d %-5d| %5d", -42, -42, -42);
    SAME("%.3d %.0d %5.3d", 7, 0, 7);
    SAME("%hhd %hd %hhu", 300, 70000, 300);
    SAME("%zu %zd", (size_t)12345, (ssize_t)-3);
    SAME("%lx %ld", 0x123456789abcdefl, -9000000000l);
    SAME("%*d %-*d|", 6, 1, 6, 2);
}

TEST(fmt_strings)
{
    SAME("%s|%10s|%-10s|", "abc", "abc", "abc");
    SAME("%.2s|%.*s|", "abcdef", 3, "abcdef");
    SAME("%c%c%5c", 'a', 'b', 'c');
    SAME("100%% done");
    SAME("");
}

TEST(fmt_truncation)
{
    char buf[8];
    int n = fmt_snprintf(buf, sizeof buf, "%s", "hello, world");
    CHECK(n == 12);
    CHECK(strcmp(buf, "hello, ") == 0);
    n = fmt_snprintf(buf, 1, "%d", 12345);
    CHECK(n == 5 && buf[0] == 0);
    n = fmt_snprintf(NULL, 0, "%d", 12345);
    CHECK(n == 5);
}

TEST(fmt_pointer_and_unknown)
{
    char buf[64];
    fmt_snprintf(buf, sizeof buf, "%p", (void *)0x1234);
    CHECK(strcmp(buf, "0x0000000000001234") == 0);
    /* An unknown conversion is shown as written, not fatal. */
    fmt_snprintf(buf, sizeof buf, "a%qb");
    CHECK(strcmp(buf, "a%qb") == 0);
    fmt_snprintf(buf, sizeof buf, "end%");
    CHECK(strcmp(buf, "end%") == 0);
    fmt_snprintf(buf, sizeof buf, "%s", (char *)NULL);
    CHECK(strcmp(buf, "(null)") == 0);
}
