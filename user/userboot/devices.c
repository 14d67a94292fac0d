/*
 * The device manager (see devices.h). A device's driver is built from the
 * programs archive as any program is (programs.c), with the driver grants
 * of program_abi.h (ATOLL_DRIVER_*): the other end of its channel, its
 * interrupt line, its port ranges. Each start derives them afresh from the
 * roots: a restarted driver never inherits a handle its predecessor could
 * have passed on, and the line its predecessor claimed is released by the
 * kernel when that component's handles went.
 */
#include "user/userboot/devices.h"

#include "user/sdk/program_abi.h"
#include "user/userboot/console.h"
#include "user/userboot/jobs.h"
#include "user/userboot/kbd.h"
#include "user/userboot/keybench.h"
#include "user/userboot/programs.h"
#include "user/userboot/shell.h"
#include "user/userboot/term.h"
#include "user/userboot/userboot.h"

enum role { ROLE_KEYBOARD, ROLE_TERMINAL };

enum dev_state {
    DEV_OFF,        /* not started: no driver, no device, or given up */
    DEV_WAITING,    /* to be started at tick next_try */
    DEV_LOADING,    /* its instances are being added */
    DEV_RUNNING,    /* its entry runs */
};

struct device {
    const char *driver;             /* its program's name */
    enum role role;
    int32_t line;                   /* ISA interrupt line */
    int32_t ports[2][2];            /* port ranges: first, count */
    int nports;

    enum dev_state state;
    struct program_build build;
    atoll_handle comp;              /* its component, or -1 */
    atoll_handle chan;              /* our end of its channel, or -1 */
    bool watched;                   /* chan is in the wait set */
    int64_t id;                     /* its component's number */
    uint64_t started;               /* tick of the latest start */
    uint64_t next_try;              /* tick to start at (DEV_WAITING) */
    uint32_t restarts;              /* quick restarts in a row */
    uint64_t busy_since;            /* tick its line was first found busy */
    struct kbd kbd;                 /* ROLE_KEYBOARD's decoder */
    struct term_in term;            /* ROLE_TERMINAL's decoder */
};

static struct device devices[] = {
    { .driver = ATOLL_DRIVER_PS2KBD, .role = ROLE_KEYBOARD, .line = 1,
      .ports = { { 0x60, 1 }, { 0x64, 1 } }, .nports = 2 },
    { .driver = ATOLL_DRIVER_UART, .role = ROLE_TERMINAL, .line = 4,
      .ports = { { 0x3f8, 8 } }, .nports = 1 },
};
#define NDEVICES ((int)(sizeof devices / sizeof devices[0]))

/* A driver that ran this long before it ended has its quick restarts
 * back. */
#define HEALTHY_S 10

static atoll_handle ports_root = -1, irqs_root = -1, events = -1;
static uint64_t hz = 100;

static void say(const struct device *d, const char *what)
{
    static char line[160];
    fmt_snprintf(line, sizeof line, "userboot: driver %s: %s\n", d->driver, what);
    atoll_log(line);
}

static void unwatch(struct device *d)
{
    if (d->watched)
        atoll_waitset_remove(events, d - devices);
    d->watched = false;
}

/* Starts d's driver: false (said) when it cannot be done now; d->state
 * says whether to try again. */
static bool start(struct device *d)
{
    static char why[192];
    char file[40];
    fmt_snprintf(file, sizeof file, "%s.wasm", d->driver);
    if (!programs_find(file)) {
        say(d, "not in the programs archive: the device stays unused");
        d->state = DEV_OFF;
        return false;
    }
    atoll_handle irq = -1, ranges[2] = { -1, -1 }, theirs = -1, ours = -1;
    int32_t r = atoll_irq_line(irqs_root, d->line, &irq);
    if (r == ATOLL_EBUSY) {
        /* Its predecessor's line goes when that component's handles do,
         * which may be a moment after its end is seen; or another driver
         * (the kernel's boot ps2kbd) has it. */
        if (!d->busy_since)
            d->busy_since = userboot_ticks();
        if (userboot_ticks() - d->busy_since == 2 * hz)
            say(d, "its interrupt line is still claimed by someone else; waiting");
        d->state = DEV_WAITING;
        d->next_try = userboot_ticks() + 1;
        return false;
    }
    d->busy_since = 0;
    bool ok = r == ATOLL_OK;
    for (int i = 0; ok && i < d->nports; i++)
        ok = atoll_ioport_range(ports_root, d->ports[i][0], d->ports[i][1], &ranges[i]) ==
             ATOLL_OK;
    ok = ok && atoll_channel_create(&ours, &theirs) == ATOLL_OK;
    if (!ok) {
        fmt_snprintf(why, sizeof why, "cannot have its capabilities (line %d: %s)", d->line,
                     atoll_result_name(r));
        say(d, why);
    }
    if (ok && !programs_plan(d->driver, &d->build.plan, why, sizeof why)) {
        say(d, why);
        ok = false;
    }
    atoll_handle grants[4] = { theirs, irq, ranges[0], ranges[1] };
    ok = ok && programs_build_begin(&d->build, grants, 2 + d->nports, why, sizeof why);
    /* Granted (or failed): the copies are the driver's, or nobody's. */
    atoll_handle mine[] = { irq, ranges[0], ranges[1], theirs };
    for (unsigned i = 0; i < sizeof mine / sizeof mine[0]; i++)
        if (mine[i] >= 0)
            atoll_handle_drop(mine[i]);
    if (!ok) {
        if (ours >= 0)
            atoll_handle_drop(ours);
        d->state = DEV_OFF;
        return false;
    }
    d->comp = d->build.comp;
    atoll_component_info(d->comp, ATOLL_COMP_ID, &d->id);
    if (d->role == ROLE_TERMINAL)
        con_term_attach(ours);      /* what waited for a terminal goes now */
    if (d->chan >= 0)
        atoll_handle_drop(d->chan); /* the previous driver's */
    d->chan = ours;
    d->watched = atoll_waitset_add(events, d->chan,
                                   ATOLL_SIGNAL_READABLE | ATOLL_SIGNAL_PEER_CLOSED,
                                   d - devices) == ATOLL_OK;
    if (!d->watched)
        say(d, "cannot watch its channel: its input is read at ticks");
    d->kbd = (struct kbd){ 0 };
    d->term = (struct term_in){ 0 };
    d->state = DEV_LOADING;
    d->started = userboot_ticks();
    return true;
}

/* d's driver has ended (state, value: component_status): said, and a
 * restart planned unless it found no device. */
static void ended(struct device *d, int32_t state, int64_t value)
{
    static char why[192];
    unwatch(d);
    bool again = true;
    if (state == ATOLL_STATE_TRAPPED) {
        static char text[160];
        int64_t n = 0;
        if (atoll_component_describe(d->comp, ATOLL_SELF, atoll_off(text),
                                     (int64_t)sizeof text - 1, &n) != ATOLL_OK || n < 0)
            n = 0;
        text[n] = 0;
        fmt_snprintf(why, sizeof why, "%s; restarting it", n ? text : "trapped");
    } else if (state == ATOLL_STATE_KILLED) {
        fmt_snprintf(why, sizeof why, "killed; restarting it");
    } else if (value == ATOLL_DRIVER_NO_DEVICE || value == ATOLL_DRIVER_BAD_GRANTS) {
        fmt_snprintf(why, sizeof why, "ended with status %d (%s); not restarted", (int)value,
                     value == ATOLL_DRIVER_NO_DEVICE ? "no device" : "unusable grants");
        again = false;
    } else {
        fmt_snprintf(why, sizeof why, "ended with status %d; restarting it", (int)value);
    }
    say(d, why);
    atoll_handle_drop(d->comp);
    d->comp = -1;
    if (!again) {
        if (d->role == ROLE_TERMINAL)
            con_term_attach(-1);    /* no terminal after all: the log */
        atoll_handle_drop(d->chan);
        d->chan = -1;
        d->state = DEV_OFF;
        return;
    }
    uint64_t now = userboot_ticks();
    if (now - d->started >= HEALTHY_S * hz)
        d->restarts = 0;
    d->state = DEV_WAITING;
    d->next_try = d->restarts < DEVICES_RESTART_BURST ? now : now + DEVICES_RESTART_SLOW_S * hz;
    d->restarts++;
}

void devices_start(atoll_handle ports, atoll_handle irqs)
{
    int64_t rate = atoll_sys_info(ATOLL_INFO_TICK_HZ);
    if (rate > 0)
        hz = (uint64_t)rate;
    ports_root = ports;
    irqs_root = irqs;
    for (int i = 0; i < NDEVICES; i++) {
        devices[i].comp = -1;
        devices[i].chan = -1;
    }
    if (atoll_handle_kind(ports) != ATOLL_KIND_IOPORTS ||
        atoll_handle_kind(irqs) != ATOLL_KIND_IRQ) {
        atoll_log("userboot: no device capabilities were granted: no drivers\n");
        return;
    }
    if (atoll_waitset_create(&events) != ATOLL_OK || atoll_events_watch(events) != ATOLL_OK) {
        atoll_log("userboot: cannot watch events: no drivers\n");
        return;
    }
    for (int i = 0; i < NDEVICES; i++)
        start(&devices[i]);
}

/* Once every driver runs (or will not), says so on the console, once,
 * above the prompt: the keys typed from then on are read as they come
 * (test harnesses wait for the line). */
static void announce(void)
{
    static bool said;
    if (said || events < 0)
        return;
    for (int i = 0; i < NDEVICES; i++)
        if (devices[i].state != DEV_RUNNING && devices[i].state != DEV_OFF)
            return;
    shell_hide();
    con_printf("userboot: drivers running:");
    int n = 0;
    for (int i = 0; i < NDEVICES; i++)
        if (devices[i].state == DEV_RUNNING)
            con_printf(" %s", devices[i].driver), n++;
    con_printf("%s\n", n ? "" : " none");
    shell_show();
    said = true;
}

void devices_tick(void)
{
    static char why[192];
    uint64_t now = userboot_ticks();
    announce();
    for (int i = 0; i < NDEVICES; i++) {
        struct device *d = &devices[i];
        if (d->state == DEV_WAITING && now >= d->next_try) {
            start(d);
            continue;
        }
        if (d->state != DEV_LOADING && d->state != DEV_RUNNING)
            continue;
        /* A channel the kernel could not watch is read here. */
        if (!d->watched && d->chan >= 0)
            devices_ready(i, ATOLL_SIGNAL_READABLE);
        int64_t value = 0;
        int32_t state = atoll_component_status(d->comp, &value);
        if (d->state == DEV_LOADING && (state == ATOLL_STATE_IDLE || state == ATOLL_STATE_RUNNING)) {
            enum build_step step = programs_build_step(&d->build, why, sizeof why);
            if (step == BUILD_FAILED) {
                say(d, why);
                ended(d, ATOLL_STATE_EXITED, ATOLL_DRIVER_BAD_GRANTS);
            } else if (step == BUILD_DONE) {
                static const char entry[] = ATOLL_ENTRY;
                int32_t r = atoll_component_start(d->comp, d->build.index, ATOLL_SELF,
                                                  atoll_off(entry), sizeof entry - 1, 0);
                if (r == ATOLL_OK) {
                    d->state = DEV_RUNNING;
                } else {
                    fmt_snprintf(why, sizeof why, "component_start: %s", atoll_result_name(r));
                    say(d, why);
                    ended(d, ATOLL_STATE_EXITED, ATOLL_DRIVER_BAD_GRANTS);
                }
            }
            continue;
        }
        if (state == ATOLL_STATE_RUNNING)
            continue;
        ended(d, state, value);
    }
}

void devices_ready(int64_t key, int32_t signals)
{
    (void)signals;
    if (key < 0 || key >= NDEVICES)
        return;
    struct device *d = &devices[key];
    static uint8_t buf[4096];
    /* A few messages a call: the rest come with the next ready. */
    for (int m = 0; m < 16 && d->chan >= 0; m++) {
        int64_t len;
        int32_t nh;
        atoll_handle h[4];
        int32_t r = atoll_channel_read(d->chan, ATOLL_SELF, atoll_off(buf), sizeof buf, &len,
                                       &nh, &h[0], &h[1], &h[2], &h[3]);
        if (r == ATOLL_EPEER || (r != ATOLL_OK && r != ATOLL_EWOULDBLOCK && r != ATOLL_ETOOSMALL)) {
            unwatch(d);             /* its end is seen at the next tick */
            return;
        }
        if (r == ATOLL_ETOOSMALL) {
            /* A driver's messages are small; a longer one is a broken
             * driver's, and is not read: stop listening to it. */
            say(d, "sent a message longer than 4096 bytes; no longer read");
            unwatch(d);
            atoll_component_kill(d->comp);
            return;
        }
        if (r == ATOLL_EWOULDBLOCK)
            return;
        for (int i = 0; i < nh && i < 4; i++)
            atoll_handle_drop(h[i]);
        for (int64_t i = 0; i < len; i++) {
            int c = d->role == ROLE_KEYBOARD ? kbd_feed(&d->kbd, buf[i])
                                             : term_feed(&d->term, buf[i]);
            if (c != KBD_NONE)
                shell_key(c);
            if (d->role == ROLE_KEYBOARD)
                keybench_key_seen();
        }
    }
}

void devices_ps(void)
{
    for (int i = 0; i < NDEVICES; i++) {
        struct device *d = &devices[i];
        if (d->comp >= 0)
            jobs_ps_component(d->id, d->driver, d->comp, d->state == DEV_LOADING, "driver");
    }
}

bool devices_kill(int64_t id, int32_t *result)
{
    for (int i = 0; i < NDEVICES; i++) {
        if (devices[i].comp >= 0 && devices[i].id == id) {
            *result = atoll_component_kill(devices[i].comp);
            return true;
        }
    }
    return false;
}
