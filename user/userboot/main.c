/*
 * userboot, the first program: a console with a shell on the screen and
 * on the serial terminal, and the device manager. The kernel calls the
 * exports below, one at a time; each ends by flushing the console, so one
 * event costs one screen write and one terminal message.
 *
 * Handles: ATOLL_SELF is this program's memory, ATOLL_GRANTED (SDK index
 * 1, coral.handles[0]) is the screen, SDK index 2 the programs archive
 * and 3 the files archive (empty when the image has none), 4 and 5 the
 * roots of the I/O ports and interrupt lines (program_abi.h:
 * ATOLL_BOOT_GRANT_*).
 *
 * Keys come from the drivers (devices.c), through ready; press_key takes
 * a scancode from whoever calls it (a keyboard driver started by the
 * kernel, atoll-coral's --keys).
 */
#include "user/sdk/atoll.h"
#include "user/sdk/program_abi.h"
#include "user/userboot/console.h"
#include "user/userboot/devices.h"
#include "user/userboot/jobs.h"
#include "user/userboot/kbd.h"
#include "user/userboot/keybench.h"
#include "user/userboot/programs.h"
#include "user/userboot/shell.h"
#include "user/userboot/userboot.h"

#define SCREEN (ATOLL_GRANTED + ATOLL_BOOT_GRANT_SCREEN)
#define PROGRAMS (ATOLL_GRANTED + ATOLL_BOOT_GRANT_PROGRAMS)
#define FILES (ATOLL_GRANTED + ATOLL_BOOT_GRANT_FILES)
#define IOPORTS (ATOLL_GRANTED + ATOLL_BOOT_GRANT_IOPORTS)
#define IRQS (ATOLL_GRANTED + ATOLL_BOOT_GRANT_IRQS)
#define TITLE "Atoll " USERBOOT_VERSION " - userboot (type help)"
/* Spinner steps per second, whatever the timer rate. */
#define SPIN_PER_SECOND 8

static struct kbd kbd;
static uint64_t ticks;
static uint64_t ticks_per_step = 1;
static unsigned spin;

uint64_t userboot_ticks(void)
{
    return ticks;
}

ATOLL_EXPORT(init) int32_t init(void)
{
    int64_t hz = atoll_sys_info(ATOLL_INFO_TICK_HZ);
    if (hz >= SPIN_PER_SECOND)
        ticks_per_step = (uint64_t)hz / SPIN_PER_SECOND;
    if (!con_init(SCREEN))
        atoll_log("userboot: handle 1 is not an 80x25 screen; serial only\n");
    con_title(TITLE);
    con_spinner('|');
    atoll_log(TITLE "\n");
    programs_init(PROGRAMS);
    devices_start(IOPORTS, IRQS);
    jobs_start_files(FILES);
    shell_start();
    con_flush();
    return 0;
}

ATOLL_EXPORT(tick) void tick(void)
{
    static const char frames[] = "|/-\\";
    ticks++;
    if (ticks % ticks_per_step == 0) {
        spin = (spin + 1) % (sizeof frames - 1);
        con_spinner(frames[spin]);
    }
    devices_tick();
    jobs_tick();
    keybench_tick();
    con_flush();
}

ATOLL_EXPORT(ready) void ready(int64_t key, int32_t signals)
{
    devices_ready(key, signals);
    con_flush();
    keybench_after_flush();
}

ATOLL_EXPORT(press_key) void press_key(int32_t scancode)
{
    int c = kbd_feed(&kbd, scancode);
    if (c != KBD_NONE) {
        shell_key(c);
        con_flush();
    }
}
