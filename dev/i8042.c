/*
 * i8042 bring-up: disable both ports, flush, configure (translation on,
 * interrupts off), self-test, enable the keyboard port, then ask the
 * keyboard itself for scancode set 2 and scanning on.
 */
#include "dev/i8042.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "base/clock.h"
#include "base/log.h"

#define DATA        0x60
#define STATUS      0x64    /* read */
#define COMMAND     0x64    /* write */

#define ST_OUT_FULL 0x01    /* a byte waits at DATA for us */
#define ST_IN_FULL  0x02    /* the controller has not taken our last write */
#define ST_AUX      0x20    /* the waiting byte came from the mouse port */

#define CMD_READ_CONFIG     0x20
#define CMD_WRITE_CONFIG    0x60
#define CMD_DISABLE_AUX     0xa7
#define CMD_SELF_TEST       0xaa
#define CMD_DISABLE_KBD     0xad
#define CMD_ENABLE_KBD      0xae
#define CMD_WRITE_KBD_OUT   0xd2

#define CFG_KBD_IRQ         0x01
#define CFG_AUX_IRQ         0x02
#define CFG_KBD_CLOCK_OFF   0x10
#define CFG_AUX_CLOCK_OFF   0x20
#define CFG_TRANSLATE       0x40

#define KBD_ACK             0xfa
#define KBD_RESEND          0xfe

#define CTRL_TIMEOUT_NS     (50ull * 1000 * 1000)
#define KBD_TIMEOUT_NS      (200ull * 1000 * 1000)

static uint8_t config;

static bool wait_status(uint8_t mask, bool set, uint64_t timeout_ns)
{
    uint64_t end = clock_ns() + timeout_ns;
    do {
        if (!!(inb(STATUS) & mask) == set)
            return true;
        cpu_relax();
    } while (clock_ns() < end);
    return false;
}

static int write_port(uint16_t port, uint8_t v)
{
    if (!wait_status(ST_IN_FULL, false, CTRL_TIMEOUT_NS))
        return -1;
    outb(port, v);
    return 0;
}

static int read_data(uint8_t *v, uint64_t timeout_ns)
{
    if (!wait_status(ST_OUT_FULL, true, timeout_ns))
        return -1;
    *v = inb(DATA);
    return 0;
}

static void flush(void)
{
    /* The buffer is a byte or a few; 64 is plenty, and bounded. */
    for (int i = 0; i < 64 && (inb(STATUS) & ST_OUT_FULL); i++)
        (void)inb(DATA);
}

static int write_config(uint8_t cfg)
{
    if (write_port(COMMAND, CMD_WRITE_CONFIG) || write_port(DATA, cfg))
        return -1;
    config = cfg;
    return 0;
}

/* Sends one byte to the keyboard and waits for its ACK (retrying on
 * RESEND). Stray bytes (a key pressed meanwhile) are skipped. */
static int kbd_command(uint8_t v)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if (write_port(DATA, v))
            return -1;
        uint8_t r;
        for (int i = 0; i < 8; i++) {
            if (read_data(&r, KBD_TIMEOUT_NS))
                return -1;
            if (r == KBD_ACK)
                return 0;
            if (r == KBD_RESEND)
                break;
        }
    }
    return -1;
}

int i8042_init(void)
{
    if (inb(STATUS) == 0xff) {
        pr_warn("i8042: no controller (status reads 0xff)\n");
        return -1;
    }
    if (write_port(COMMAND, CMD_DISABLE_KBD) || write_port(COMMAND, CMD_DISABLE_AUX)) {
        pr_warn("i8042: the controller takes no commands\n");
        return -1;
    }
    flush();
    uint8_t cfg, r;
    if (write_port(COMMAND, CMD_READ_CONFIG) || read_data(&cfg, CTRL_TIMEOUT_NS)) {
        pr_warn("i8042: cannot read the configuration byte\n");
        return -1;
    }
    cfg &= (uint8_t)~(CFG_KBD_IRQ | CFG_AUX_IRQ | CFG_KBD_CLOCK_OFF);
    cfg |= CFG_TRANSLATE | CFG_AUX_CLOCK_OFF;
    if (write_config(cfg))
        return -1;
    if (write_port(COMMAND, CMD_SELF_TEST) || read_data(&r, CTRL_TIMEOUT_NS) || r != 0x55) {
        pr_warn("i8042: self-test failed\n");
        return -1;
    }
    /* Some controllers reset their configuration on self-test. */
    if (write_config(cfg) || write_port(COMMAND, CMD_ENABLE_KBD))
        return -1;
    flush();
    /* Scanning off while switching sets, then set 2 (translated to set 1
     * by the controller), then scanning on. */
    if (kbd_command(0xf5) || kbd_command(0xf0) || kbd_command(0x02) || kbd_command(0xf4)) {
        pr_warn("i8042: the keyboard does not answer; port left enabled\n");
        flush();
        return 0;
    }
    flush();
    return 0;
}

int i8042_set_irq(bool on)
{
    uint8_t cfg = on ? (config | CFG_KBD_IRQ) : (config & (uint8_t)~CFG_KBD_IRQ);
    return write_config(cfg);
}

bool i8042_read(uint8_t *byte, bool *from_aux)
{
    uint8_t st = inb(STATUS);
    if (!(st & ST_OUT_FULL))
        return false;
    *from_aux = (st & ST_AUX) != 0;
    *byte = inb(DATA);
    return true;
}

int i8042_inject(uint8_t byte)
{
    if (write_port(COMMAND, CMD_WRITE_KBD_OUT) || write_port(DATA, byte))
        return -1;
    return wait_status(ST_OUT_FULL, false, CTRL_TIMEOUT_NS) ? 0 : -1;
}
