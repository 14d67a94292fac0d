/* keybench (see keybench.h). */
#include "user/userboot/keybench.h"

#include "user/sdk/program_abi.h"
#include "user/userboot/console.h"
#include "user/userboot/jobs.h"
#include "user/userboot/shell.h"
#include "user/userboot/userboot.h"

#define IOPORTS (ATOLL_GRANTED + ATOLL_BOOT_GRANT_IOPORTS)
#define SC_A 0x1e
#define SC_BACKSPACE 0x0e

static struct {
    bool on, seen;
    int total, done;
    atoll_handle data, ctrl;
    int64_t t0;
    uint64_t since;             /* tick the awaited key was injected at */
    int64_t ns[KEYBENCH_MAX];
} kb = { .data = -1, .ctrl = -1 };

static bool in_empty(void)
{
    int32_t st;
    for (int i = 0; i < 100000; i++)
        if (atoll_port_in(kb.ctrl, 0x64, 1, &st) == ATOLL_OK && !(st & 2))
            return true;
    return false;
}

static void stop(void)
{
    kb.on = false;
    atoll_handle_drop(kb.data);
    atoll_handle_drop(kb.ctrl);
    kb.data = kb.ctrl = -1;
}

static bool inject(void)
{
    int32_t code = kb.done % 2 ? SC_BACKSPACE : SC_A;
    kb.seen = false;
    kb.since = userboot_ticks();
    kb.t0 = atoll_clock_ns();
    return in_empty() && atoll_port_out(kb.ctrl, 0x64, 1, 0xd2) == ATOLL_OK && in_empty() &&
           atoll_port_out(kb.data, 0x60, 1, code) == ATOLL_OK;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(void)
{
    /* A small insertion sort: at most KEYBENCH_MAX values, once. */
    for (int i = 1; i < kb.done; i++)
        for (int j = i; j > 0 && cmp(&kb.ns[j - 1], &kb.ns[j]) > 0; j--) {
            int64_t t = kb.ns[j];
            kb.ns[j] = kb.ns[j - 1];
            kb.ns[j - 1] = t;
        }
    shell_hide();
    con_printf("keybench: %d keys, keystroke to echo: median %lld ns (min %lld, max %lld)\n",
               kb.done, (long long)kb.ns[kb.done / 2], (long long)kb.ns[0],
               (long long)kb.ns[kb.done - 1]);
    shell_show();
}

void cmd_keybench(const char *args)
{
    int n = 0;
    for (const char *p = args; *p >= '0' && *p <= '9' && n <= KEYBENCH_MAX; p++)
        n = n * 10 + (*p - '0');
    if (!*args)
        n = 100;
    if (n < 2 || n > KEYBENCH_MAX || n % 2) {
        con_printf("usage: keybench N (an even number of keys, 2 to %d)\n", KEYBENCH_MAX);
        return;
    }
    if (kb.on) {
        con_printf("keybench: already running\n");
        return;
    }
    if (atoll_ioport_range(IOPORTS, 0x60, 1, &kb.data) != ATOLL_OK ||
        atoll_ioport_range(IOPORTS, 0x64, 1, &kb.ctrl) != ATOLL_OK) {
        con_printf("keybench: no PS/2 ports to type through\n");
        stop();
        return;
    }
    kb.on = true;
    kb.total = n;
    kb.done = 0;
    if (!inject()) {
        con_printf("keybench: the controller takes no key\n");
        stop();
    }
}

void keybench_key_seen(void)
{
    if (kb.on)
        kb.seen = true;
}

void keybench_after_flush(void)
{
    if (!kb.on || !kb.seen)
        return;
    kb.ns[kb.done++] = atoll_clock_ns() - kb.t0;
    if (kb.done == kb.total) {
        report();
        stop();
        con_flush();
        return;
    }
    if (!inject()) {
        shell_hide();
        con_printf("keybench: the controller takes no key\n");
        shell_show();
        stop();
        con_flush();
    }
}

void keybench_tick(void)
{
    int64_t hz = atoll_sys_info(ATOLL_INFO_TICK_HZ);
    if (kb.on && userboot_ticks() - kb.since > 2 * (uint64_t)(hz > 0 ? hz : 100)) {
        shell_hide();
        con_printf("keybench: a key was not echoed (no keyboard driver?); %d done\n", kb.done);
        shell_show();
        stop();
    }
}
