/*
 * The PS/2 keyboard path: bytes the i8042 delivers on IRQ 1 reach the
 * kernel queue in order, a full queue drops and counts instead of
 * blocking, and (keyboard_echo, driven by tests/qemu/test_keyboard.py)
 * real key presses from QEMU arrive as set-1 make and break codes.
 *
 * The first two need no host: the controller's "write keyboard output"
 * command makes it deliver a byte exactly as if the keyboard had sent it,
 * interrupt included.
 */
#include <stddef.h>

#include "dev/i8042.h"
#include "dev/keyboard.h"
#include "base/clock.h"
#include "kern/ktest.h"
#include "base/log.h"

#define MS (1000ull * 1000)

static volatile unsigned notified;

static void on_key(void)
{
    notified++;
}

KTEST(keyboard_inject)
{
    static const uint8_t seq[] = { 0x1e, 0x9e, 0xe0, 0x48, 0xe0, 0xc8, 0x2a, 0xaa, 0x00, 0xff };
    KCHECK(keyboard_present(), "no keyboard controller");
    keyboard_flush();
    struct keyboard_stats before, after;
    keyboard_get_stats(&before);
    notified = 0;
    keyboard_set_notify(on_key);
    for (unsigned i = 0; i < sizeof seq; i++) {
        if (i8042_inject(seq[i])) {
            keyboard_set_notify(NULL);
            return ktest_fail(__FILE__, __LINE__, "byte %u (%#x) was not taken by the interrupt", i, seq[i]);
        }
    }
    keyboard_set_notify(NULL);
    KCHECK(notified == sizeof seq, "notified %u times for %u codes", notified, (unsigned)sizeof seq);
    for (unsigned i = 0; i < sizeof seq; i++) {
        uint8_t c;
        KCHECK(keyboard_wait(&c, 100 * MS), "byte %u missing from the queue", i);
        KCHECK(c == seq[i], "byte %u is %#x, sent %#x", i, c, seq[i]);
    }
    uint8_t extra;
    KCHECK(!keyboard_pop(&extra), "an extra byte %#x in the queue", extra);
    keyboard_get_stats(&after);
    KCHECK(after.received - before.received == sizeof seq, "received %llu, sent %u",
           (unsigned long long)(after.received - before.received), (unsigned)sizeof seq);
    KCHECK(after.dropped == before.dropped, "dropped %llu", (unsigned long long)(after.dropped - before.dropped));
    return true;
}

KTEST(keyboard_queue_full)
{
    enum { EXTRA = 10 };
    KCHECK(keyboard_present(), "no keyboard controller");
    keyboard_flush();
    struct keyboard_stats before, after;
    keyboard_get_stats(&before);
    for (unsigned i = 0; i < KEYBOARD_QUEUE_SIZE + EXTRA; i++)
        KCHECK(i8042_inject((uint8_t)i) == 0, "byte %u was not taken by the interrupt", i);
    keyboard_get_stats(&after);
    KCHECK(keyboard_pending() == KEYBOARD_QUEUE_SIZE, "%u queued", keyboard_pending());
    KCHECK(after.dropped - before.dropped == EXTRA, "dropped %llu, expected %d",
           (unsigned long long)(after.dropped - before.dropped), EXTRA);
    /* The oldest codes are kept: the newest are the ones dropped. */
    for (unsigned i = 0; i < KEYBOARD_QUEUE_SIZE; i++) {
        uint8_t c;
        KCHECK(keyboard_pop(&c), "queue ran dry at %u", i);
        KCHECK(c == (uint8_t)i, "code %u is %#x", i, c);
    }
    KCHECK(keyboard_pending() == 0, "%u left", keyboard_pending());
    return true;
}

/*
 * Waits for keys from the host and prints each scancode; ends with the
 * Escape break code (0x81). Run only when named (the flag that keeps it
 * out of test=all): it needs someone pressing keys.
 */
#define ECHO_IDLE_TIMEOUT_NS (30000ull * MS)

KTEST_MANUAL(keyboard_echo)
{
    KCHECK(keyboard_present(), "no keyboard controller");
    keyboard_flush();
    kprintf("keyboard_echo: ready\n");
    unsigned n = 0;
    for (;;) {
        uint8_t c;
        KCHECK(keyboard_wait(&c, ECHO_IDLE_TIMEOUT_NS), "no key for 30 s after %u codes", n);
        kprintf("keyboard_echo: code %02x\n", c);
        n++;
        if (c == 0x81)
            break;
    }
    struct keyboard_stats st;
    keyboard_get_stats(&st);
    kprintf("keyboard_echo: %u codes, %llu dropped\n", n, (unsigned long long)st.dropped);
    return true;
}
