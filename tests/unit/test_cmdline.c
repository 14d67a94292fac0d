/* base/cmdline: keys, values, bare words, malformed numbers. */
#include <string.h>

#include "base/cmdline.h"
#include "unit.h"

TEST(cmdline_lookup)
{
    char v[32];
    cmdline_init("build/atoll.elf test=a,b loglevel=3 noapic timer_hz=1000 x= test2=no");
    CHECK(cmdline_get("test", v, sizeof v) && strcmp(v, "a,b") == 0);
    CHECK(cmdline_test_mode());
    CHECK(cmdline_get("noapic", v, sizeof v) && v[0] == 0);
    CHECK(cmdline_get("x", v, sizeof v) && v[0] == 0);
    CHECK(!cmdline_get("tes", v, sizeof v));
    CHECK(!cmdline_get("timer", v, sizeof v));
    CHECK(cmdline_get_ulong("timer_hz", 100) == 1000);
    CHECK(cmdline_get_ulong("loglevel", 2) == 3);
    CHECK(cmdline_get_ulong("missing", 7) == 7);
    CHECK(cmdline_get_ulong("x", 7) == 7);
    CHECK(cmdline_get_ulong("test", 7) == 7);       /* not a number */
}

TEST(cmdline_hostile)
{
    char v[4];
    cmdline_init("timer_hz=99999999999999999999999 k=abcdefgh");
    CHECK(cmdline_get_ulong("timer_hz", 5) == 5);   /* overflow: default */
    CHECK(cmdline_get("k", v, sizeof v) && strcmp(v, "abc") == 0);
    CHECK(!cmdline_test_mode());
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cmdline_init(big);                              /* longer than the copy */
    CHECK(!cmdline_get("test", v, sizeof v));
    cmdline_init("");
    CHECK(!cmdline_get("a", v, sizeof v));
}
