/*
 * Device capabilities: I/O port ranges and interrupt lines (devcap.h,
 * docs/drivers.md). The calls that reach them are kern/coral_devcap.c's.
 */
#include "kern/devcap.h"

#include "base/spinlock.h"
#include "dev/devio.h"
#include "kern/account.h"
#include "kern/component.h"      /* CORAL_* results */
#include "kern/wait.h"
#include "mm/heap.h"

/*
 * The ports drivers may have: an allow-list, so that anything not named
 * here (the PIC, the PIT and its gate at 0x61, the POST port 0x80 the
 * kernel's io_wait writes, the debug exit 0xf4, A20/reset at 0x92 and
 * 0xcf9, PCI configuration at 0xcf8-0xcff, whose BARs and bus mastering
 * reach all memory, ACPI's power-management block, VGA's registers the
 * screen code programs) can never be granted, whatever a future table
 * forgets. COM1 is shared: its driver has it, and the kernel still writes
 * its log and panics there, polled (dev/serial.h), so the log survives a
 * dead driver; a driver that reprograms the line garbles that log, and
 * nothing else.
 */
static const struct {
    uint16_t first, count;
} grantable_ports[] = {
    { 0x060, 1 },   /* PS/2 controller: data */
    { 0x064, 1 },   /* PS/2 controller: status, command */
    { 0x070, 2 },   /* CMOS and RTC: index, data */
    { 0x170, 8 },   /* ATA secondary: command block */
    { 0x1f0, 8 },   /* ATA primary: command block */
    { 0x2e8, 8 },   /* COM4 */
    { 0x2f8, 8 },   /* COM2 */
    { 0x376, 1 },   /* ATA secondary: control */
    { 0x378, 8 },   /* LPT1 */
    { 0x3e8, 8 },   /* COM3 */
    { 0x3f6, 1 },   /* ATA primary: control */
    { 0x3f8, 8 },   /* COM1 */
};

/* ISA lines drivers may claim: all but the timer (0) and the PIC
 * cascade (2). */
#define KERNEL_LINES ((1u << 0) | (1u << 2))
#define ISA_LINES    16u
#define LINES_ALL    ((1u << ISA_LINES) - 1)

bool devcap_ports_grantable(uint32_t port, uint32_t count)
{
    for (unsigned i = 0; i < sizeof grantable_ports / sizeof grantable_ports[0]; i++) {
        uint32_t f = grantable_ports[i].first, n = grantable_ports[i].count;
        if (port >= f && count <= n && port - f <= n - count)
            return true;
    }
    return false;
}

bool devcap_line_grantable(uint32_t line)
{
    return line < ISA_LINES && !(KERNEL_LINES & (1u << line));
}

/* ---- port ranges ---- */

struct ioports {
    struct kobj k;
    uint32_t first, count;          /* [first, first+count), within 0..0xffff */
    struct account *acct;           /* pays for it; NULL for the root */
};

static void ioports_destroy(struct kobj *o)
{
    struct ioports *p = (struct ioports *)o;
    if (p->acct) {
        account_credit(p->acct, sizeof *p);
        account_put(p->acct);
    }
    kfree(p);
}

static const struct kobj_ops ioports_ops = { .name = "I/O port range",
                                             .destroy = ioports_destroy };

static struct ioports *ioports_new(uint32_t first, uint32_t count, struct account *acct)
{
    if (acct && !account_charge(acct, sizeof(struct ioports)))
        return NULL;
    struct ioports *p = kzalloc(sizeof *p);
    if (!p) {
        if (acct)
            account_credit(acct, sizeof(struct ioports));
        return NULL;
    }
    kobj_init(&p->k, KOBJ_IOPORTS, &ioports_ops);
    p->first = first;
    p->count = count;
    p->acct = acct ? account_get(acct) : NULL;
    return p;
}

struct kobj *devcap_root_ports(void)
{
    struct ioports *p = ioports_new(0, 0x10000, NULL);
    return p ? &p->k : NULL;
}

/* Whether [port, port+n) lies in p's range (n >= 1, port < 2^32). */
static bool in_range(const struct ioports *p, uint32_t port, uint32_t n)
{
    return port >= p->first && n <= p->count && port - p->first <= p->count - n;
}

int devcap_ioport_range(struct kobj *parent, uint32_t first, uint32_t count,
                        struct account *acct, struct kobj **out)
{
    struct ioports *p = (struct ioports *)parent;
    *out = NULL;
    /* Numbers first: a count of 0 or past the port space is a bad
     * argument whatever the handle covers. */
    if (count == 0 || first > 0xffff || count > 0x10000 - first)
        return CORAL_EINVAL;
    /* Beyond the parent, or reaching a port the kernel keeps: a right
     * the handle does not carry. */
    if (!in_range(p, first, count) || !devcap_ports_grantable(first, count))
        return CORAL_ERIGHTS;
    struct ioports *n = ioports_new(first, count, acct);
    if (!n)
        return CORAL_EINTERNAL;
    *out = &n->k;
    return CORAL_OK;
}

int devcap_port_check(struct kobj *range, uint32_t port, uint32_t width)
{
    if (width != 1 && width != 2 && width != 4)
        return CORAL_EINVAL;
    if (port > 0xffff)
        return CORAL_EINVAL;
    /* Every byte the access touches must be the handle's and grantable:
     * a 4-byte read at the range's last port would reach past it. */
    if (!in_range((struct ioports *)range, port, width) || !devcap_ports_grantable(port, width))
        return CORAL_ERIGHTS;
    return CORAL_OK;
}

/* ---- interrupt lines ---- */

struct irqcap {
    struct kobj k;
    uint32_t lines;                 /* the set it covers (a root), or one line */
    int32_t line;                   /* the claimed line, -1 for a set */
    uint64_t fired;                 /* interrupts taken (a line), under irq_lock */
    struct account *acct;
};

/* Guards owner[] and the masking of claimed lines; taken in interrupt
 * context, so always with interrupts off. Order: irq_lock, then ipc_lock. */
static spinlock_t irq_lock = SPINLOCK_INIT;
static struct irqcap *owner[ISA_LINES];

/* The line's interrupt: the line is masked until the driver's irq_ack,
 * and the object says readable. Interrupts are off (the trap layer runs
 * handlers so); the EOI was sent before this. */
static void line_fired(void *ctx)
{
    struct irqcap *q = ctx;
    spin_lock_irqs_off(&irq_lock);
    if (owner[q->line] == q) {
        devio_irq_mask((unsigned)q->line, true);
        q->fired++;
        kobj_signal(&q->k, 0, SIGNAL_READABLE);
    }
    spin_unlock_irqs_off(&irq_lock);
}

static void irqcap_destroy(struct kobj *o)
{
    struct irqcap *q = (struct irqcap *)o;
    if (q->line >= 0) {
        uint64_t f = spin_lock_irqsave(&irq_lock);
        if (owner[q->line] == q) {
            devio_irq_release((unsigned)q->line);
            owner[q->line] = NULL;
        }
        spin_unlock_irqrestore(&irq_lock, f);
    }
    if (q->acct) {
        account_credit(q->acct, sizeof *q);
        account_put(q->acct);
    }
    kfree(q);
}

static const struct kobj_ops irqcap_ops = { .name = "interrupt lines",
                                            .destroy = irqcap_destroy };

static struct irqcap *irqcap_new(uint32_t lines, int32_t line, struct account *acct)
{
    if (acct && !account_charge(acct, sizeof(struct irqcap)))
        return NULL;
    struct irqcap *q = kzalloc(sizeof *q);
    if (!q) {
        if (acct)
            account_credit(acct, sizeof(struct irqcap));
        return NULL;
    }
    kobj_init(&q->k, KOBJ_IRQ, &irqcap_ops);
    q->lines = lines;
    q->line = line;
    q->acct = acct ? account_get(acct) : NULL;
    return q;
}

struct kobj *devcap_root_irqs(void)
{
    struct irqcap *q = irqcap_new(LINES_ALL & ~KERNEL_LINES, -1, NULL);
    return q ? &q->k : NULL;
}

int devcap_irq_line(struct kobj *lines, uint32_t line, struct account *acct, struct kobj **out)
{
    struct irqcap *set = (struct irqcap *)lines;
    *out = NULL;
    if (line >= ISA_LINES)
        return CORAL_EINVAL;
    /* A line outside the set, or one the kernel keeps. */
    if (!(set->lines & (1u << line)) || !devcap_line_grantable(line))
        return CORAL_ERIGHTS;
    struct irqcap *q = irqcap_new(1u << line, (int32_t)line, acct);
    if (!q)
        return CORAL_EINTERNAL;
    /* Claimed under the lock, so two claims of one line cannot both win;
     * the handler may run as soon as the line is unmasked, and finds its
     * owner set. */
    int st = CORAL_OK;
    uint64_t f = spin_lock_irqsave(&irq_lock);
    if (owner[line])
        st = CORAL_EBUSY;
    else {
        owner[line] = q;
        if (devio_irq_claim(line, line_fired, q)) {
            owner[line] = NULL;
            st = CORAL_EINTERNAL;
        }
    }
    spin_unlock_irqrestore(&irq_lock, f);
    if (st) {
        /* Not the owner: its destroy leaves the line alone. */
        kobj_put(&q->k);
        return st;
    }
    *out = &q->k;
    return CORAL_OK;
}

int devcap_irq_ack(struct kobj *irq, uint64_t *fired)
{
    struct irqcap *q = (struct irqcap *)irq;
    *fired = 0;
    /* A set of lines has no interrupt to acknowledge. */
    if (q->line < 0)
        return CORAL_EINVAL;
    /* Readable cleared before the line is unmasked: an interrupt right
     * after the unmask sets it again, never lost. */
    uint64_t f = spin_lock_irqsave(&irq_lock);
    if (owner[q->line] == q) {
        kobj_signal(&q->k, SIGNAL_READABLE, 0);
        devio_irq_mask((unsigned)q->line, false);
    }
    *fired = q->fired;
    spin_unlock_irqrestore(&irq_lock, f);
    return CORAL_OK;
}
