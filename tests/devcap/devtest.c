/*
 * devtest — the device capabilities (docs/drivers.md) from a program,
 * booted as userboot: the kernel grants it the root I/O port range
 * (handles[3]) and the root set of interrupt lines (handles[4]), which
 * the SDK names 1 + the grant's index.
 *
 * The refusals hold everywhere: a port outside a range, a width of 3, a
 * handle of the wrong kind or lacking the right, a sub-range exceeding
 * its parent or reaching a port the kernel keeps, a line the kernel owns,
 * a line claimed twice. Then, where the machine has an RTC (the kernel
 * in QEMU; the hosted build's ports are latches, which it tells by
 * status register A), the whole path end to end: the RTC programmed
 * through a port range to interrupt periodically on IRQ 8, the line
 * object waited on and acknowledged, several interrupts; then a line
 * never acknowledged while the device keeps asking: it stays masked (no
 * interrupt is taken: irq_ack's count grows by one) and the system runs
 * on (a sleep and a busy child still run); released and claimed again,
 * it works. The last line is "devcap: N passed, M failed, K skipped".
 * tests/qemu/test_devcap.py wants 0 failed and 0 skipped in QEMU.
 */
#include "user/sdk/program.h"

static int passed, failed, skipped;

static void check(int ok, const char *what, int64_t got)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    atoll_printf("devcap: check failed: %s (got %lld)\n", what, (long long)got);
}

#define EXPECT(expr, want, what)                                              \
    do {                                                                     \
        int64_t got_ = (expr);                                               \
        check(got_ == (want), what, got_);                                   \
    } while (0)

#define PORTS (1 + ATOLL_BOOT_GRANT_IOPORTS)
#define IRQS  (1 + ATOLL_BOOT_GRANT_IRQS)

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define RTC_A     0x0a
#define RTC_B     0x0b
#define RTC_C     0x0c
#define RTC_PIE   0x40          /* register B: periodic interrupt enable */
#define RTC_PF    0x40          /* register C: periodic interrupt flag */
#define RTC_LINE  8

static int64_t objects(void)
{
    return atoll_sys_info(ATOLL_INFO_OBJECTS);
}

/* Objects go when their last reference does; a dropped component's go
 * once its thread has ended: wait for the count, at most 5 s. */
static int64_t objects_settle(int64_t want)
{
    int64_t end = atoll_clock_ns() + 5000000000ll, n;
    while ((n = objects()) != want && atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 10000000);
    return n;
}

static int32_t rtc_read(atoll_handle rtc, int reg)
{
    int32_t v = -1;
    if (atoll_port_out(rtc, RTC_INDEX, 1, reg) != ATOLL_OK ||
        atoll_port_in(rtc, RTC_DATA, 1, &v) != ATOLL_OK)
        return -1;
    return v;
}

static int32_t rtc_write(atoll_handle rtc, int reg, int32_t v)
{
    int32_t st = atoll_port_out(rtc, RTC_INDEX, 1, reg);
    return st ? st : atoll_port_out(rtc, RTC_DATA, 1, v);
}

/* Kinds, rights and the roots' shape. */
static void roots(void)
{
    int32_t r = 0;
    EXPECT(atoll_handle_kind(PORTS), ATOLL_KIND_IOPORTS, "grant 3 is the port root");
    EXPECT(atoll_handle_kind(IRQS), ATOLL_KIND_IRQ, "grant 4 is the line root");
    EXPECT(atoll_handle_rights(PORTS, &r), ATOLL_OK, "port root: rights");
    EXPECT(r, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE | ATOLL_RIGHT_TRANSFER |
                  ATOLL_RIGHT_DUPLICATE | ATOLL_RIGHT_CONTROL, "port root: every right");
    EXPECT(atoll_handle_rights(IRQS, &r), ATOLL_OK, "line root: rights");
    EXPECT(r, ATOLL_RIGHT_TRANSFER | ATOLL_RIGHT_DUPLICATE | ATOLL_RIGHT_WAIT |
                  ATOLL_RIGHT_CONTROL, "line root: every right");
}

/* Port ranges: derivation and access refused where they must be. */
static void ports(void)
{
    atoll_handle rtc = -1, one = -1, sub = -1, ro = -1, nc = -1;
    int32_t v = 0;
    EXPECT(atoll_ioport_range(PORTS, 0x70, 2, &rtc), ATOLL_OK, "the RTC's ports from the root");
    EXPECT(atoll_handle_kind(rtc), ATOLL_KIND_IOPORTS, "a range is a port range");

    /* The kernel's own ports: in no object, the root included. */
    EXPECT(atoll_port_in(PORTS, 0x20, 1, &v), ATOLL_ERIGHTS, "the PIC through the root");
    EXPECT(atoll_port_in(PORTS, 0x40, 1, &v), ATOLL_ERIGHTS, "the PIT through the root");
    EXPECT(atoll_port_out(PORTS, 0xf4, 1, 0x7f), ATOLL_ERIGHTS, "the debug exit");
    EXPECT(atoll_port_in(PORTS, 0x61, 1, &v), ATOLL_ERIGHTS, "the PIT's gate, beside PS/2's data");
    EXPECT(atoll_port_in(PORTS, 0x92, 1, &v), ATOLL_ERIGHTS, "A20 and fast reset");
    EXPECT(atoll_port_in(PORTS, 0x3d4, 1, &v), ATOLL_ERIGHTS, "VGA's CRT index");
    EXPECT(atoll_port_in(PORTS, 0xcfc, 4, &v), ATOLL_ERIGHTS, "PCI configuration");
    EXPECT(atoll_ioport_range(PORTS, 0x3f8, 9, &sub), ATOLL_ERIGHTS, "COM1 and one port more");
    EXPECT(atoll_ioport_range(PORTS, 0x60, 5, &sub), ATOLL_ERIGHTS,
           "the PS/2 ports as one range (the PIT's gate lies between)");
    EXPECT(atoll_ioport_range(PORTS, 0x20, 2, &sub), ATOLL_ERIGHTS, "the PIC as a range");
    EXPECT(atoll_ioport_range(PORTS, 0x6f, 3, &sub), ATOLL_ERIGHTS,
           "a range one port wider than the RTC's window");
    EXPECT(atoll_ioport_range(PORTS, 0x2f8, 16, &sub), ATOLL_ERIGHTS,
           "a range across two windows (COM2 and beyond)");

    /* Bad numbers. */
    EXPECT(atoll_ioport_range(PORTS, 0x70, 0, &sub), ATOLL_EINVAL, "a range of 0 ports");
    EXPECT(atoll_ioport_range(PORTS, 0xffff, 2, &sub), ATOLL_EINVAL, "a range past 0xffff");
    EXPECT(atoll_ioport_range(PORTS, -1, 1, &sub), ATOLL_EINVAL, "a range at port -1");
    EXPECT(atoll_ioport_range(PORTS, 0x70, -1, &sub), ATOLL_EINVAL, "a range of -1 ports");
    EXPECT(atoll_port_in(rtc, 0x70, 3, &v), ATOLL_EINVAL, "a width of 3");
    EXPECT(atoll_port_in(rtc, 0x70, 0, &v), ATOLL_EINVAL, "a width of 0");
    EXPECT(atoll_port_in(rtc, 0x70, 8, &v), ATOLL_EINVAL, "a width of 8");
    EXPECT(atoll_port_out(rtc, 0x70, -1, 0), ATOLL_EINVAL, "a width of -1");
    EXPECT(atoll_port_in(rtc, 0x10070, 1, &v), ATOLL_EINVAL, "a port past 0xffff");

    /* Outside the range. */
    EXPECT(atoll_port_in(rtc, 0x72, 1, &v), ATOLL_ERIGHTS, "a port past the range");
    EXPECT(atoll_port_in(rtc, 0x6f, 1, &v), ATOLL_ERIGHTS, "a port before the range");
    EXPECT(atoll_port_in(rtc, 0x71, 2, &v), ATOLL_ERIGHTS, "a word reaching past the range");
    EXPECT(atoll_port_in(rtc, 0x70, 4, &v), ATOLL_ERIGHTS, "a doubleword reaching past it");
    EXPECT(atoll_port_in(rtc, 0x1f0, 1, &v), ATOLL_ERIGHTS, "another window's port");

    /* A sub-range never exceeds its parent. */
    EXPECT(atoll_ioport_range(rtc, 0x71, 1, &one), ATOLL_OK, "a sub-range of one port");
    EXPECT(atoll_ioport_range(one, 0x70, 2, &sub), ATOLL_ERIGHTS, "wider than its parent");
    EXPECT(atoll_ioport_range(one, 0x70, 1, &sub), ATOLL_ERIGHTS, "beside its parent");
    EXPECT(atoll_port_in(one, 0x70, 1, &v), ATOLL_ERIGHTS, "the sub-range's parent's port");
    EXPECT(atoll_ioport_range(rtc, 0x70, 2, &sub), ATOLL_OK, "a sub-range equal to its parent");
    atoll_handle_drop(sub);

    /* Rights. */
    EXPECT(atoll_handle_duplicate(rtc, ATOLL_RIGHT_READ | ATOLL_RIGHT_CONTROL, &ro), ATOLL_OK,
           "a read-only view");
    EXPECT(atoll_port_out(ro, 0x70, 1, RTC_A), ATOLL_ERIGHTS, "port_out without write");
    EXPECT(atoll_ioport_range(ro, 0x71, 1, &sub), ATOLL_OK, "a part of a read-only range");
    int32_t r = 0;
    EXPECT(atoll_handle_rights(sub, &r), ATOLL_OK, "its rights");
    EXPECT(r, ATOLL_RIGHT_READ | ATOLL_RIGHT_CONTROL, "a read-only range's part is read-only");
    EXPECT(atoll_port_out(sub, 0x71, 1, 0), ATOLL_ERIGHTS, "so it cannot write either");
    atoll_handle_drop(sub);
    EXPECT(atoll_handle_duplicate(rtc, ATOLL_RIGHT_WRITE, &nc), ATOLL_OK, "a write-only view");
    EXPECT(atoll_port_in(nc, 0x71, 1, &v), ATOLL_ERIGHTS, "port_in without read");
    EXPECT(atoll_ioport_range(nc, 0x71, 1, &sub), ATOLL_ERIGHTS, "a range without control");

    /* Wrong kinds. */
    atoll_handle buf = -1;
    EXPECT(atoll_vma_create(4096, &buf), ATOLL_OK, "a buffer");
    EXPECT(atoll_port_in(buf, 0x70, 1, &v), ATOLL_EINVAL, "port_in on a memory area");
    EXPECT(atoll_port_out(IRQS, 0x70, 1, 0), ATOLL_EINVAL, "port_out on the line root");
    EXPECT(atoll_ioport_range(IRQS, 0x70, 2, &sub), ATOLL_EINVAL, "ioport_range on lines");
    EXPECT(atoll_port_in(0, 0x70, 1, &v), ATOLL_EINVAL, "port_in on this program's memory");
    EXPECT(atoll_port_in(100000, 0x70, 1, &v), ATOLL_EINVAL, "port_in on no handle");
    atoll_handle_drop(buf);
    atoll_handle_drop(ro);
    atoll_handle_drop(nc);
    atoll_handle_drop(one);
    atoll_handle_drop(rtc);
}

/* Interrupt lines: what is refused. */
static void lines(void)
{
    atoll_handle q = -1, q2 = -1, d = -1;
    int64_t fired = -1;
    EXPECT(atoll_irq_line(IRQS, 0, &q), ATOLL_ERIGHTS, "the timer's line");
    EXPECT(atoll_irq_line(IRQS, 2, &q), ATOLL_ERIGHTS, "the cascade");
    EXPECT(atoll_irq_line(IRQS, 16, &q), ATOLL_EINVAL, "line 16");
    EXPECT(atoll_irq_line(IRQS, -1, &q), ATOLL_EINVAL, "line -1");
    EXPECT(atoll_irq_line(PORTS, 5, &q), ATOLL_EINVAL, "irq_line on the port root");
    EXPECT(atoll_irq_ack(IRQS, &fired), ATOLL_EINVAL, "irq_ack on a set of lines");
    EXPECT(atoll_irq_ack(PORTS, &fired), ATOLL_EINVAL, "irq_ack on a port range");

    EXPECT(atoll_irq_line(IRQS, 5, &q), ATOLL_OK, "line 5, which nothing uses");
    EXPECT(atoll_handle_kind(q), ATOLL_KIND_IRQ, "a line object");
    EXPECT(atoll_irq_line(IRQS, 5, &q2), ATOLL_EBUSY, "line 5 again: claimed");
    EXPECT(atoll_irq_line(q, 6, &q2), ATOLL_ERIGHTS, "another line through a line object");
    int32_t obs = -1;
    EXPECT(atoll_wait_one(q, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 20000000ll, &obs),
           ATOLL_ETIMEDOUT, "a quiet line does not fire");
    EXPECT(obs, 0, "and asserts nothing");
    EXPECT(atoll_irq_ack(q, &fired), ATOLL_OK, "acknowledging a line that did not fire");
    EXPECT(fired, 0, "it took no interrupt");
    EXPECT(atoll_handle_duplicate(q, ATOLL_RIGHT_CONTROL, &d), ATOLL_OK, "a view without wait");
    EXPECT(atoll_wait_one(d, ATOLL_SIGNAL_READABLE, 0, &obs), ATOLL_ERIGHTS,
           "wait_one without wait");
    EXPECT(atoll_irq_ack(d, &fired), ATOLL_ERIGHTS, "irq_ack without wait");
    atoll_handle_drop(d);
    atoll_handle_drop(q);
    EXPECT(atoll_irq_line(IRQS, 5, &q), ATOLL_OK, "line 5 once its object is gone");

    /* A driver that is killed lets go of its line: granted to a child
     * (which holds it), dropped here, the line stays claimed until the
     * child is gone, then is free for the next driver. */
    atoll_handle child = -1;
    int32_t index = -1;
    EXPECT(atoll_component_create(&child), ATOLL_OK, "a driver component");
    EXPECT(atoll_component_grant(child, q, &index), ATOLL_OK, "granted the line");
    atoll_handle_drop(q);
    EXPECT(atoll_irq_line(IRQS, 5, &q2), ATOLL_EBUSY, "the driver holds line 5");
    EXPECT(atoll_component_kill(child), ATOLL_OK, "the driver killed");
    atoll_handle_drop(child);
    int64_t end = atoll_clock_ns() + 5000000000ll;
    int32_t st;
    while ((st = atoll_irq_line(IRQS, 5, &q)) == ATOLL_EBUSY && atoll_clock_ns() < end)
        atoll_sleep_until(atoll_clock_ns() + 10000000);
    EXPECT(st, ATOLL_OK, "line 5 free once the killed driver is gone");
    atoll_handle_drop(q);
    EXPECT(atoll_handle_duplicate(IRQS, ATOLL_RIGHT_WAIT | ATOLL_RIGHT_DUPLICATE, &d), ATOLL_OK,
           "a line root without control");
    EXPECT(atoll_irq_line(d, 5, &q), ATOLL_ERIGHTS, "irq_line without control");
    atoll_handle_drop(d);
}

/* A child that counts while the line is masked: the system keeps
 * running. Its module: (func (export "spin") (param i64) (result i64))
 * counting to its argument. */
static const uint8_t spin_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             /* magic, version */
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7e, 0x01, 0x7e,             /* type (i64) -> i64 */
    0x03, 0x02, 0x01, 0x00,                                     /* func 0: type 0 */
    0x07, 0x08, 0x01, 0x04, 's', 'p', 'i', 'n', 0x00, 0x00,     /* export "spin" */
    0x0a, 0x17, 0x01, 0x15, 0x01, 0x01, 0x7e,                   /* code: one local i64 */
    0x03, 0x40,                                                 /* loop */
    0x20, 0x01, 0x42, 0x01, 0x7c, 0x22, 0x01,                   /* n = n + 1 (tee) */
    0x20, 0x00, 0x53, 0x0d, 0x00,                               /* br_if n < arg */
    0x0b, 0x20, 0x01, 0x0b,                                     /* end; n */
};

/* The RTC's periodic interrupt on IRQ 8, end to end. */
static void rtc(void)
{
    atoll_handle rtc = -1, q = -1;
    EXPECT(atoll_ioport_range(PORTS, RTC_INDEX, 2, &rtc), ATOLL_OK, "the RTC's ports");
    int32_t a = rtc_read(rtc, RTC_A);
    /* A real RTC's divider (bits 4-6) is 010, its 32768 Hz time base;
     * the hosted build's latch reads back the index written. */
    if (a < 0 || (a & 0x70) != 0x20) {
        atoll_printf("devcap: no RTC here (register A reads %d): interrupt checks skipped\n",
                     (int)a);
        skipped++;
        atoll_handle_drop(rtc);
        return;
    }
    passed++;
    EXPECT(atoll_irq_line(IRQS, RTC_LINE, &q), ATOLL_OK, "the RTC's line, 8");

    /* 1024 Hz (rate 6), periodic interrupts on; register C read to
     * clear what is pending. */
    EXPECT(rtc_write(rtc, RTC_A, (a & 0xf0) | 6), ATOLL_OK, "RTC rate 1024 Hz");
    int32_t b = rtc_read(rtc, RTC_B);
    EXPECT(rtc_write(rtc, RTC_B, b | RTC_PIE), ATOLL_OK, "RTC periodic interrupt on");
    rtc_read(rtc, RTC_C);

    int64_t fired = 0, last = 0;
    int got = 0;
    int32_t obs = 0;
    for (int i = 0; i < 8; i++) {
        int32_t st = atoll_wait_one(q, ATOLL_SIGNAL_READABLE,
                                    atoll_clock_ns() + 2000000000ll, &obs);
        if (st != ATOLL_OK)
            break;
        int32_t c = rtc_read(rtc, RTC_C);      /* serves it: the RTC re-arms */
        if (!(c & RTC_PF))
            break;
        if (atoll_irq_ack(q, &fired) != ATOLL_OK || fired != last + 1)
            break;
        last = fired;
        got++;
    }
    EXPECT(got, 8, "eight RTC interrupts waited for, served and acknowledged");
    EXPECT(fired, 8, "the line took exactly eight");

    /* Now never acknowledged: the next interrupt masks the line, and the
     * device keeps asking (register C read every 2 ms re-arms it, as a
     * device holding its request would). */
    EXPECT(atoll_wait_one(q, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 2000000000ll, &obs),
           ATOLL_OK, "a ninth interrupt");
    int64_t t0 = atoll_clock_ns();
    int pf = 0;
    while (atoll_clock_ns() - t0 < 200000000ll) {
        if (rtc_read(rtc, RTC_C) & RTC_PF)
            pf++;
        atoll_sleep_until(atoll_clock_ns() + 2000000ll);
    }
    check(pf >= 5, "the RTC kept raising its flag while the line was masked", pf);
    /* The system ran meanwhile: the sleeps above returned (the timer
     * ticks), and a child component runs a loop to its end. */
    atoll_handle comp = -1, mod = -1, code = -1;
    int32_t inst = -1;
    int64_t result = 0;
    EXPECT(atoll_vma_create(sizeof spin_wasm, &code), ATOLL_OK, "a buffer for the child");
    EXPECT(atoll_vma_write(0, code, (int64_t)(uintptr_t)spin_wasm, 0, sizeof spin_wasm),
           ATOLL_OK, "the child's bytes");
    EXPECT(atoll_module_create(code, 0, sizeof spin_wasm, &mod), ATOLL_OK, "the child module");
    EXPECT(atoll_component_create(&comp), ATOLL_OK, "the child component");
    EXPECT(atoll_component_add_instance(comp, mod, &inst), ATOLL_OK, "its instance");
    EXPECT(atoll_component_call(comp, inst, 0, (int64_t)(uintptr_t)"spin", 4, 1000000,
                                &result), ATOLL_OK,
           "it runs while the line is masked");
    EXPECT(result, 1000000, "and counts to the end");
    atoll_handle_drop(comp);
    atoll_handle_drop(mod);
    atoll_handle_drop(code);
    EXPECT(atoll_irq_ack(q, &fired), ATOLL_OK, "the late acknowledgement");
    EXPECT(fired, 9, "one interrupt taken in 200 ms of asking: the line stayed masked");

    /* Acknowledged, the line fires again. */
    rtc_read(rtc, RTC_C);
    EXPECT(atoll_wait_one(q, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 2000000000ll, &obs),
           ATOLL_OK, "after the ack the line fires again");

    /* Dropped without an ack: the line is masked and released; claimed
     * again it is unmasked and fires. */
    atoll_handle_drop(q);
    rtc_read(rtc, RTC_C);
    EXPECT(atoll_irq_line(IRQS, RTC_LINE, &q), ATOLL_OK, "line 8 claimed again");
    rtc_read(rtc, RTC_C);
    EXPECT(atoll_wait_one(q, ATOLL_SIGNAL_READABLE, atoll_clock_ns() + 2000000000ll, &obs),
           ATOLL_OK, "the new line object gets the interrupt");
    EXPECT(atoll_irq_ack(q, &fired), ATOLL_OK, "and acknowledges it");
    EXPECT(fired, 1, "its count starts afresh");

    /* A wait set watches a line as it does a channel. */
    atoll_handle ws = -1;
    int64_t key = 0;
    EXPECT(atoll_waitset_create(&ws), ATOLL_OK, "a wait set");
    EXPECT(atoll_waitset_add(ws, q, ATOLL_SIGNAL_READABLE, 88), ATOLL_OK, "the line in it");
    rtc_read(rtc, RTC_C);
    EXPECT(atoll_waitset_wait(ws, atoll_clock_ns() + 2000000000ll, &key, &obs), ATOLL_OK,
           "the wait set reports the interrupt");
    EXPECT(key, 88, "under the line's key");
    atoll_handle_drop(ws);

    /* Leave the RTC as it was: periodic interrupts off, rate restored. */
    rtc_write(rtc, RTC_B, b & ~RTC_PIE);
    rtc_write(rtc, RTC_A, a);
    rtc_read(rtc, RTC_C);
    atoll_handle_drop(q);
    atoll_handle_drop(rtc);
}

int main(void)
{
    passed = failed = skipped = 0;
    int64_t base = objects();
    roots();
    ports();
    lines();
    EXPECT(objects_settle(base), base, "objects back after the refusals");
    rtc();
    EXPECT(objects_settle(base), base, "objects back at the end");
    atoll_printf("devcap: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed != 0;
}

/* Booted as the first program: the kernel calls init before any event;
 * with no console granted the output goes to the log. */
ATOLL_EXPORT(init) int32_t init(void)
{
    return main();
}

/* Timer events after init: the kernel and its scheduler went on after
 * the masked line and its release (tests/qemu/test_devcap.py waits for
 * this line). */
ATOLL_EXPORT(tick) void tick(void)
{
    static int ticks;
    if (++ticks == 20)
        atoll_printf("devcap: still ticking after the checks\n");
}
