/*
 * drvbench — what a driver's access to its device costs (issue 18),
 * booted as userboot (the one component granted the roots of the ports
 * and lines), in the kernel under QEMU: bench/drivers/measure.py runs it
 * under TCG (times) and under -icount shift=0, where clock_ns counts
 * instructions (1 ns each).
 *
 * Figures, each the median of BATCHES batches of ROUNDS, one line per
 * batch ("drv-bench: NAME VALUE ns"):
 *   port_in     one port_in of the RTC's data port (0x71)
 *   port_out    one port_out of the RTC's index port (0x70)
 *   irq         an interrupt to the driver: two port writes make the
 *               i8042 raise IRQ 1 (command 0xd2, "as if the keyboard
 *               sent"), and wait_one on the line object returns readable
 *               (the kernel's interrupt entry, masking, the signal, the
 *               wait's return)
 *   irq_ack     one irq_ack (unmask)
 *   irq_round   the whole round a driver makes per interrupt: the two
 *               writes, the wait, the data port read, the ack
 * "drv-bench: failed STEP" when something refused.
 */
#include "user/sdk/program.h"

#define PORTS (1 + ATOLL_BOOT_GRANT_IOPORTS)
#define IRQS  (1 + ATOLL_BOOT_GRANT_IRQS)

#ifndef ROUNDS
#define ROUNDS 2000
#endif
#ifndef BATCHES
#define BATCHES 7
#endif

static atoll_handle rtc, data, ctrl, line;

static void fail(const char *step)
{
    atoll_printf("drv-bench: failed %s\n", step);
}

static bool wait_in_empty(void)
{
    int32_t st;
    for (int i = 0; i < 100000; i++)
        if (atoll_port_in(ctrl, 0x64, 1, &st) == ATOLL_OK && !(st & 2))
            return true;
    return false;
}

/* One interrupt: the i8042 is told to deliver byte b as the keyboard's. */
static bool inject(int32_t b)
{
    return wait_in_empty() && atoll_port_out(ctrl, 0x64, 1, 0xd2) == ATOLL_OK &&
           wait_in_empty() && atoll_port_out(data, 0x60, 1, b) == ATOLL_OK;
}

static bool irq_once(int64_t *to_wait, int64_t *whole)
{
    int32_t seen, v;
    int64_t fired;
    int64_t t0 = atoll_clock_ns();
    if (!inject(0x1e))
        return false;
    if (atoll_wait_one(line, ATOLL_SIGNAL_READABLE, t0 + 1000000000, &seen) != ATOLL_OK)
        return false;
    int64_t t1 = atoll_clock_ns();
    if (atoll_port_in(data, 0x60, 1, &v) != ATOLL_OK || atoll_irq_ack(line, &fired) != ATOLL_OK)
        return false;
    *to_wait = t1 - t0;
    *whole = atoll_clock_ns() - t0;
    return true;
}

int main(void)
{
    if (atoll_ioport_range(PORTS, 0x70, 2, &rtc) != ATOLL_OK ||
        atoll_ioport_range(PORTS, 0x60, 1, &data) != ATOLL_OK ||
        atoll_ioport_range(PORTS, 0x64, 1, &ctrl) != ATOLL_OK ||
        atoll_irq_line(IRQS, 1, &line) != ATOLL_OK) {
        fail("capabilities");
        return 1;
    }
    /* The i8042: keyboard port on, translation, its interrupt on. */
    int32_t v;
    if (!wait_in_empty() || atoll_port_out(ctrl, 0x64, 1, 0x60) != ATOLL_OK ||
        !wait_in_empty() || atoll_port_out(data, 0x60, 1, 0x65) != ATOLL_OK) {
        fail("i8042");
        return 1;
    }
    for (int i = 0; i < 16; i++)
        if (atoll_port_in(ctrl, 0x64, 1, &v) == ATOLL_OK && (v & 1))
            atoll_port_in(data, 0x60, 1, &v);
    int64_t fired;
    atoll_irq_ack(line, &fired);

    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = atoll_clock_ns();
        for (int i = 0; i < ROUNDS; i++)
            atoll_port_in(rtc, 0x71, 1, &v);
        int64_t t1 = atoll_clock_ns();
        for (int i = 0; i < ROUNDS; i++)
            atoll_port_out(rtc, 0x70, 1, 0x0c);
        int64_t t2 = atoll_clock_ns();
        for (int i = 0; i < ROUNDS; i++)
            atoll_irq_ack(line, &fired);
        int64_t t3 = atoll_clock_ns();
        atoll_printf("drv-bench: port_in %lld ns\n", (long long)((t1 - t0) / ROUNDS));
        atoll_printf("drv-bench: port_out %lld ns\n", (long long)((t2 - t1) / ROUNDS));
        atoll_printf("drv-bench: irq_ack %lld ns\n", (long long)((t3 - t2) / ROUNDS));
        int64_t sum_wait = 0, sum_whole = 0;
        int n = ROUNDS / 10;
        for (int i = 0; i < n; i++) {
            int64_t w, all;
            if (!irq_once(&w, &all)) {
                fail("irq");
                return 1;
            }
            sum_wait += w;
            sum_whole += all;
        }
        atoll_printf("drv-bench: irq %lld ns\n", (long long)(sum_wait / n));
        atoll_printf("drv-bench: irq_round %lld ns\n", (long long)(sum_whole / n));
    }
    atoll_printf("drv-bench: done\n");
    return 0;
}

/* Booted as the first program: the kernel calls init; with no console
 * granted the output goes to the log. */
ATOLL_EXPORT(init) int32_t init(void)
{
    return main();
}
