/*
 * ps2kbd — the PS/2 keyboard driver (docs/drivers.md walks through it).
 *
 * It holds the i8042 controller's two ports and interrupt line 1, and
 * nothing else of the machine. It brings the controller up (keyboard
 * port only, scancode set 2 translated by the controller to set 1, the
 * mouse port off), then forwards every byte the keyboard sends, raw, to
 * its client: as messages on a channel (userboot decodes them), or as
 * press_key calls on a component (a Coral userboot, whose interface
 * receives keys that way).
 *
 * Every wait has a deadline: a missing or silent controller is an exit
 * status, never a hang. The kernel masks line 1 from the interrupt until
 * irq_ack, so a controller that keeps interrupting cannot take the CPU
 * from anyone; an edge that came while masked may be lost, so after each
 * ack the status register, not the count of wake-ups, says whether
 * bytes wait.
 */
#include "user/sdk/atoll.h"
#include "user/sdk/program.h"
#include "user/sdk/program_abi.h"

#define CLIENT (ATOLL_GRANTED + ATOLL_DRIVER_CLIENT_GRANT)
#define IRQ    (ATOLL_GRANTED + ATOLL_DRIVER_IRQ_GRANT)
#define DATA_PORT (ATOLL_GRANTED + ATOLL_DRIVER_PORTS_GRANT)
#define CTRL_PORT (ATOLL_GRANTED + ATOLL_DRIVER_PORTS_GRANT + 1)

#define DATA        0x60
#define STATUS      0x64    /* read */
#define COMMAND     0x64    /* write */

#define ST_OUT_FULL 0x01    /* a byte waits at DATA for us */
#define ST_IN_FULL  0x02    /* the controller has not taken our last write */
#define ST_AUX      0x20    /* the waiting byte came from the mouse port */

#define CMD_WRITE_CONFIG    0x60
#define CMD_DISABLE_AUX     0xa7
#define CMD_DISABLE_KBD     0xad
#define CMD_ENABLE_KBD      0xae

#define CFG_KBD_IRQ         0x01
#define CFG_SYSTEM          0x04    /* "POST passed", as firmware leaves it */
#define CFG_AUX_CLOCK_OFF   0x20
#define CFG_TRANSLATE       0x40

#define KBD_ACK             0xfa
#define KBD_RESEND          0xfe

/* A controller answers in microseconds; the deadlines are long because
 * the driver may be preempted for a while between two looks (a loaded
 * machine, an emulator's host), not because devices are slow. */
#define MS                  1000000ll
#define CTRL_TIMEOUT_NS     (500 * MS)
#define KBD_TIMEOUT_NS      (500 * MS)

/* Bytes taken per wake-up at most: a stuck status bit cannot keep the
 * driver in its loop (the next round comes after an ack). */
#define MAX_BYTES_PER_IRQ   64

#define KEY_IRQ    1
#define KEY_CLIENT 2

static bool to_component;       /* the client is a component (press_key) */
static int32_t press_instance = -1;
static uint64_t dropped;        /* bytes the client did not take */

/* A port read; 0xff when the kernel refuses it (as a missing device
 * reads), which the callers' deadlines then end. */
static uint8_t in8(atoll_handle ports, int32_t port)
{
    int32_t v = 0xff;
    if (atoll_port_in(ports, port, 1, &v) != ATOLL_OK)
        return 0xff;
    return (uint8_t)v;
}

/* The status is looked at once more after the deadline: a driver
 * preempted past it must not call a ready device silent. */
static bool wait_status(uint8_t mask, bool set, int64_t timeout_ns)
{
    int64_t end = atoll_clock_ns() + timeout_ns;
    for (;;) {
        bool late = atoll_clock_ns() >= end;
        if (!!(in8(CTRL_PORT, STATUS) & mask) == set)
            return true;
        if (late)
            return false;
    }
}

static bool out8(atoll_handle ports, int32_t port, uint8_t v)
{
    return wait_status(ST_IN_FULL, false, CTRL_TIMEOUT_NS) &&
           atoll_port_out(ports, port, 1, v) == ATOLL_OK;
}

static bool read_data(uint8_t *v, int64_t timeout_ns)
{
    if (!wait_status(ST_OUT_FULL, true, timeout_ns))
        return false;
    *v = in8(DATA_PORT, DATA);
    return true;
}

/* Keys that came while the controller was being set up: handed to the
 * client once it is, so that nothing typed meanwhile is lost. */
static uint8_t early[64];
static int nearly;

static void keep(uint8_t b)
{
    if (nearly < (int)sizeof early)
        early[nearly++] = b;
}

/* Empties the output buffer (a byte or a few; 64 reads at most), keeping
 * keyboard bytes. */
static void flush(void)
{
    for (int i = 0; i < 64; i++) {
        uint8_t st = in8(CTRL_PORT, STATUS);
        if (st == 0xff || !(st & ST_OUT_FULL))
            break;
        uint8_t b = in8(DATA_PORT, DATA);
        if (!(st & ST_AUX) && b != KBD_ACK)
            keep(b);
    }
}

static bool write_config(uint8_t cfg)
{
    return out8(CTRL_PORT, COMMAND, CMD_WRITE_CONFIG) && out8(DATA_PORT, DATA, cfg);
}

/* One byte to the keyboard, and its ACK (again on RESEND). Stray bytes
 * (a key pressed meanwhile) are kept for the client. */
static bool kbd_command(uint8_t v)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if (!out8(DATA_PORT, DATA, v))
            return false;
        uint8_t r;
        for (int i = 0; i < 8; i++) {
            if (!read_data(&r, KBD_TIMEOUT_NS))
                return false;
            if (r == KBD_ACK)
                return true;
            if (r == KBD_RESEND)
                break;
            keep(r);
        }
    }
    return false;
}

/* The controller up, its keyboard interrupt on; false (said) when there
 * is none that works.
 *
 * Keys may be typed while this runs (a driver restarted under a user's
 * fingers), and a keyboard byte can reach the data port even with the
 * keyboard port disabled: nothing here reads a controller's answer, whose
 * byte could not be told from a key's. So no self-test and no read of the
 * configuration byte: the whole configuration is written (translation to
 * set 1, the system flag firmware sets, the mouse's clock off, no
 * interrupts yet). The keyboard's own answers (ACK, 0xfa) are told from
 * keys, and stray keys skipped. */
static bool controller_init(void)
{
    if (in8(CTRL_PORT, STATUS) == 0xff) {
        atoll_printf("ps2kbd: no controller (status reads 0xff)\n");
        return false;
    }
    uint8_t cfg = CFG_SYSTEM | CFG_TRANSLATE | CFG_AUX_CLOCK_OFF;
    if (!out8(CTRL_PORT, COMMAND, CMD_DISABLE_KBD) || !out8(CTRL_PORT, COMMAND, CMD_DISABLE_AUX) ||
        !write_config(cfg) || !out8(CTRL_PORT, COMMAND, CMD_ENABLE_KBD)) {
        atoll_printf("ps2kbd: the controller takes no commands\n");
        return false;
    }
    flush();
    /* Scanning off while switching sets, then set 2 (translated to set 1
     * by the controller), then scanning on. A keyboard that does not
     * answer may be plugged in later: the port stays enabled. */
    if (!kbd_command(0xf5) || !kbd_command(0xf0) || !kbd_command(0x02) || !kbd_command(0xf4))
        atoll_printf("ps2kbd: the keyboard does not answer; its port stays enabled\n");
    flush();
    return write_config(cfg | CFG_KBD_IRQ);
}

/* Hands n bytes to the client; false when the client is gone. A channel
 * client that does not read loses bytes (counted), as a keyboard does
 * when nobody listens: the driver never blocks on its client. */
static bool deliver(const uint8_t *bytes, int n)
{
    static const char press[] = "press_key";
    if (!to_component) {
        int32_t r = atoll_channel_write(CLIENT, ATOLL_SELF, atoll_off(bytes), n, -1, -1, -1, -1);
        if (r == ATOLL_EWOULDBLOCK)
            dropped += (uint64_t)n;
        return r != ATOLL_EPEER;
    }
    for (int i = 0; i < n; i++) {
        int64_t result;
        int32_t r = ATOLL_EINVAL;
        if (press_instance >= 0)
            r = atoll_component_call(CLIENT, press_instance, ATOLL_SELF, atoll_off(press),
                                     sizeof press - 1, bytes[i], &result);
        /* The instance that exports it is found once, on the first key. */
        for (int32_t k = 0; r == ATOLL_EINVAL && press_instance < 0 && k < 32; k++) {
            r = atoll_component_call(CLIENT, k, ATOLL_SELF, atoll_off(press), sizeof press - 1,
                                     bytes[i], &result);
            if (r != ATOLL_EINVAL)
                press_instance = k;
        }
        if (r == ATOLL_EINVAL && press_instance < 0) {
            atoll_printf("ps2kbd: the client exports no press_key(i32)\n");
            return false;
        }
        if (r != ATOLL_OK && r != ATOLL_ETRAPPED)
            return false;       /* it has ended */
    }
    return true;
}

/* Takes what the controller holds; false when the client is gone. */
static bool serve(void)
{
    uint8_t bytes[MAX_BYTES_PER_IRQ];
    int n = 0;
    for (int i = 0; i < MAX_BYTES_PER_IRQ; i++) {
        uint8_t st = in8(CTRL_PORT, STATUS);
        if (st == 0xff || !(st & ST_OUT_FULL))
            break;
        uint8_t b = in8(DATA_PORT, DATA);
#ifdef PS2KBD_TRAP_ON
        /* A test build (tests/qemu/test_drivers.py): a driver that traps
         * on one key, to be restarted. */
        if (b == PS2KBD_TRAP_ON)
            __builtin_trap();
#endif
        if (!(st & ST_AUX))
            bytes[n++] = b;
    }
    return n == 0 || deliver(bytes, n);
}

int main(void)
{
    int32_t kind = atoll_handle_kind(CLIENT);
    to_component = kind == ATOLL_KIND_COMPONENT;
    if ((kind != ATOLL_KIND_CHANNEL && !to_component) ||
        atoll_handle_kind(IRQ) != ATOLL_KIND_IRQ ||
        atoll_handle_kind(DATA_PORT) != ATOLL_KIND_IOPORTS ||
        atoll_handle_kind(CTRL_PORT) != ATOLL_KIND_IOPORTS) {
        atoll_printf("ps2kbd: started without its grants (client, line, two port ranges)\n");
        return ATOLL_DRIVER_BAD_GRANTS;
    }
    if (!controller_init())
        return ATOLL_DRIVER_NO_DEVICE;

    atoll_handle ws;
    if (atoll_waitset_create(&ws) != ATOLL_OK ||
        atoll_waitset_add(ws, IRQ, ATOLL_SIGNAL_READABLE, KEY_IRQ) != ATOLL_OK ||
        atoll_waitset_add(ws, CLIENT, to_component ? ATOLL_SIGNAL_ENDED
                                                   : ATOLL_SIGNAL_PEER_CLOSED,
                          KEY_CLIENT) != ATOLL_OK) {
        atoll_printf("ps2kbd: cannot make its wait set\n");
        return ATOLL_DRIVER_BAD_GRANTS;
    }
    /* Keys typed during the set-up first; then, as a line claimed afresh
     * may hold an interrupt from before: serve, then ack, which also
     * unmasks it. */
    int64_t fired;
    if ((nearly && !deliver(early, nearly)) || !serve())
        return 0;
    atoll_irq_ack(IRQ, &fired);
    for (;;) {
        int64_t key;
        int32_t seen;
        if (atoll_waitset_wait(ws, ATOLL_FOREVER, &key, &seen) != ATOLL_OK)
            continue;
        if (key == KEY_CLIENT)
            break;
        if (!serve())
            break;
        atoll_irq_ack(IRQ, &fired);
        if (!serve())
            break;
    }
    if (dropped)
        atoll_printf("ps2kbd: %llu bytes dropped (the client did not read)\n",
                     (unsigned long long)dropped);
    return 0;
}
