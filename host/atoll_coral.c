/*
 * atoll-coral: a userboot on Linux, through the kernel's own Coral layer
 * (kern/userboot.c, component.c, coral.c, kmodule.c, handles, memory
 * areas) over the hosted services of host/kernel_host.c. The program gets
 * an 80x25 screen buffer as handle 0, its init runs, then the keys and
 * ticks given here are delivered, and the screen can be printed. For
 * developing programs without booting, for tests of the Coral layer under
 * the sanitizers, and for measuring a coral call natively.
 *
 *   atoll-coral [--module NAME=FILE]... [--keys TEXT] [--ticks N] [--screen]
 *               USERBOOT.wasm
 *
 * Each component runs its own thread, as in the kernel, but the threads
 * are cooperative ones on one OS thread (host/host_thread.c): a component
 * runs until it waits (for work, or for another component to serve its
 * request) or ends, then the next runnable one does. So a
 * component_start'ed call runs when its component's thread next runs (at
 * the latest when the caller waits or its event returns), and runs to its
 * end: there is no preemption, so an endless loop stays endless here, and
 * a kill reaches a component only when it calls the kernel or waits.
 * After userboot's init, after each typed character and after each tick,
 * atoll-coral lets every component run until all wait for work. When
 * every thread waits and no component can run again (two that wait for
 * each other; the kernel's timer would fail such a request after 2 s,
 * here there is no timer), "deadlock: all threads blocked" is reported
 * and the exit status is 3.
 *
 * --module adds a boot module (userboot's imports from NAME resolve to it,
 * as in the kernel); --keys types TEXT on a US keyboard (PS/2 set-1 make
 * and break codes, \n is Enter, each a call of userboot's press_key, as
 * the keyboard driver makes them); output of log_write goes to standard
 * output, the kernel's log to standard error. --ticks N gives N timer
 * ticks, each to every component that takes them (as the kernel's timer
 * does). Exit status 0; 1 when userboot cannot start or has trapped; 3 on
 * a deadlock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "dev/screen.h"
#include "file.h"
#include "host_thread.h"
#include "kernel_host.h"
#include "linux_trap.h"
#include "kern/component.h"
#include "kern/coral.h"
#include "kern/userboot.h"

/* Set-1 make codes of the US layout: unshifted, then shifted characters. */
static const char row_plain[] = "1234567890-=";
static const char row_shift[] = "!@#$%^&*()_+";
static const char letters_q[] = "qwertyuiop[]", shift_q[] = "QWERTYUIOP{}";
static const char letters_a[] = "asdfghjkl;'`", shift_a[] = "ASDFGHJKL:\"~";
static const char letters_z[] = "\\zxcvbnm,./", shift_z[] = "|ZXCVBNM<>?";

/* The make code of c and whether it needs Shift; 0 when not typeable. */
static int scancode(char c, int *shift)
{
    const char *p;
    *shift = 0;
    if (c == '\n') return 0x1c;
    if (c == ' ') return 0x39;
    if (c == '\b') return 0x0e;
    if (c == '\t') return 0x0f;
    if ((p = strchr(row_plain, c)) && c) return 0x02 + (int)(p - row_plain);
    if ((p = strchr(row_shift, c)) && c) return *shift = 1, 0x02 + (int)(p - row_shift);
    if ((p = strchr(letters_q, c)) && c) return 0x10 + (int)(p - letters_q);
    if ((p = strchr(shift_q, c)) && c) return *shift = 1, 0x10 + (int)(p - shift_q);
    if ((p = strchr(letters_a, c)) && c) return 0x1e + (int)(p - letters_a);
    if ((p = strchr(shift_a, c)) && c) return *shift = 1, 0x1e + (int)(p - shift_a);
    if ((p = strchr(letters_z, c)) && c) return 0x2b + (int)(p - letters_z);
    if ((p = strchr(shift_z, c)) && c) return *shift = 1, 0x2b + (int)(p - shift_z);
    return 0;
}

/* One scancode to userboot's press_key, as a keyboard driver calls it
 * (component_call from its own thread; here a started call, which the
 * settle below runs). */
static void press(struct component *c, uint8_t code)
{
    if (c->ninst && component_start(c, c->ninst - 1, "press_key", 9, code) != CORAL_OK)
        fprintf(stderr, "atoll-coral: userboot takes no press_key(i32)\n");
}

static int type_text(struct component *c, const char *text)
{
    for (const char *t = text; *t; t++) {
        char ch = *t;
        if (ch == '\\' && t[1] == 'n') {
            ch = '\n';
            t++;
        }
        int shift, code = scancode(ch, &shift);
        if (!code) {
            fprintf(stderr, "atoll-coral: cannot type %#x\n", (unsigned char)ch);
            return -1;
        }
        /* At most four codes, then the component takes them all. */
        if (shift) press(c, 0x2a);
        press(c, (uint8_t)code);
        press(c, (uint8_t)(code | 0x80));
        if (shift) press(c, 0xaa);
        host_sched_settle();
        if (c->kill)
            return -1;
    }
    return 0;
}

/* What may be left waiting when atoll-coral settles: a component's
 * thread waiting for work (not for another component). */
static bool component_idle(const struct thread *t)
{
    const struct component *c = t->owner;
    return c && c->state == COMPONENT_IDLE;
}

static void print_screen(void)
{
    const uint16_t *cells = screen_cells();
    for (int r = 0; r < SCREEN_ROWS; r++) {
        char line[SCREEN_COLS + 1];
        int n = 0;
        for (int col = 0; col < SCREEN_COLS; col++) {
            unsigned ch = cells[r * SCREEN_COLS + col] & 0xff;
            line[col] = ch >= 0x20 && ch < 0x7f ? (char)ch : ch ? '?' : ' ';
            if (line[col] != ' ')
                n = col + 1;
        }
        line[n] = 0;
        printf("%s\n", line);
    }
}

static int add_module(const char *path, const char *name)
{
    if (bootinfo.module_count == BOOT_MAX_MODULES) {
        fprintf(stderr, "atoll-coral: too many modules\n");
        return -1;
    }
    size_t len;
    char *bytes = host_read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "atoll-coral: cannot read %s\n", path);
        return -1;
    }
    struct boot_module *bm = &bootinfo.modules[bootinfo.module_count++];
    bm->start = (uintptr_t)bytes;
    bm->end = (uintptr_t)bytes + len;
    bm->cmdline = name;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: atoll-coral [--module NAME=FILE]... [--keys TEXT] [--ticks N] "
                    "[--screen] USERBOOT.wasm\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *keys = NULL, *userboot = NULL;
    long ticks = 0;
    int screen = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--module") && i + 1 < argc) {
            char *eq = strchr(argv[++i], '=');
            if (!eq)
                return usage();
            *eq = 0;
            if (add_module(eq + 1, argv[i]))
                return 1;
        } else if (!strcmp(argv[i], "--keys") && i + 1 < argc) {
            keys = argv[++i];
        } else if (!strcmp(argv[i], "--ticks") && i + 1 < argc) {
            ticks = strtol(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--screen")) {
            screen = 1;
        } else if (argv[i][0] == '-' || userboot) {
            return usage();
        } else {
            userboot = argv[i];
        }
    }
    if (!userboot || add_module(userboot, "userboot"))
        return userboot ? 1 : usage();
    linux_trap_describe = host_thread_describe_fault;
    host_sched_set_idle_check(component_idle);
    coral_init();
    struct component *c = userboot_start();
    if (!c)
        return 1;
    host_sched_settle();
    if (keys && type_text(c, keys))
        return 1;
    for (long i = 0; i < ticks && !c->kill; i++) {
        component_tick_all();
        host_sched_settle();
    }
    if (screen)
        print_screen();
    return c->kill ? 1 : 0;
}
