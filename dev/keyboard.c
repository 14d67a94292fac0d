/* The keyboard interrupt and the scancode queue behind it. */
#include <stddef.h>

#include "dev/keyboard.h"

#include "arch/x86/cpu.h"
#include "dev/i8042.h"
#include "dev/intc.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/spinlock.h"

_Static_assert((KEYBOARD_QUEUE_SIZE & (KEYBOARD_QUEUE_SIZE - 1)) == 0, "queue size is a power of two");

/* head and tail run freely; their difference is the fill. Guarded by lock. */
static struct {
    spinlock_t lock;
    uint32_t head;          /* next to pop */
    uint32_t tail;          /* next to push */
    uint8_t codes[KEYBOARD_QUEUE_SIZE];
    struct keyboard_stats stats;
} q = { .lock = SPINLOCK_INIT };

static bool present;
static void (*volatile notify)(void);

/* Bound on bytes taken per interrupt, so a stuck status bit cannot keep
 * the CPU in the handler. */
#define MAX_BYTES_PER_IRQ 16

static void keyboard_irq(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    bool queued = false;
    uint8_t byte;
    bool aux;
    uint64_t flags = spin_lock_irqsave(&q.lock);
    for (int i = 0; i < MAX_BYTES_PER_IRQ && i8042_read(&byte, &aux); i++) {
        if (aux) {
            q.stats.aux_discarded++;
            continue;
        }
        q.stats.received++;
        if (q.tail - q.head == KEYBOARD_QUEUE_SIZE) {
            q.stats.dropped++;
            continue;
        }
        q.codes[q.tail++ % KEYBOARD_QUEUE_SIZE] = byte;
        queued = true;
    }
    spin_unlock_irqrestore(&q.lock, flags);
    void (*fn)(void) = notify;
    if (queued && fn)
        fn();
}

int keyboard_init(void)
{
    if (i8042_init())
        return -1;
    if (intc_enable_isa_irq(1, keyboard_irq, NULL)) {
        pr_warn("keyboard: cannot route IRQ 1\n");
        return -1;
    }
    if (i8042_set_irq(true)) {
        intc_disable_isa_irq(1);
        pr_warn("keyboard: the controller refused to enable IRQ 1\n");
        return -1;
    }
    present = true;
    pr_info("keyboard: PS/2 on ISA IRQ 1 (GSI %u), scancode set 1, queue of %u\n", intc_isa_gsi(1),
            KEYBOARD_QUEUE_SIZE);
    return 0;
}

bool keyboard_present(void)
{
    return present;
}

bool keyboard_pop(uint8_t *code)
{
    uint64_t flags = spin_lock_irqsave(&q.lock);
    bool any = q.head != q.tail;
    if (any)
        *code = q.codes[q.head++ % KEYBOARD_QUEUE_SIZE];
    spin_unlock_irqrestore(&q.lock, flags);
    return any;
}

bool keyboard_wait(uint8_t *code, uint64_t timeout_ns)
{
    uint64_t end = clock_ns() + timeout_ns;
    for (;;) {
        /* Check and halt with interrupts off, then `sti; hlt` as one
         * step: a key arriving in between still wakes the hlt. */
        irq_disable();
        if (keyboard_pop(code)) {
            irq_enable();
            return true;
        }
        if (clock_ns() >= end) {
            irq_enable();
            return false;
        }
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

unsigned keyboard_pending(void)
{
    uint64_t flags = spin_lock_irqsave(&q.lock);
    unsigned n = q.tail - q.head;
    spin_unlock_irqrestore(&q.lock, flags);
    return n;
}

void keyboard_get_stats(struct keyboard_stats *st)
{
    uint64_t flags = spin_lock_irqsave(&q.lock);
    *st = q.stats;
    spin_unlock_irqrestore(&q.lock, flags);
}

void keyboard_set_notify(void (*fn)(void))
{
    notify = fn;
}

void keyboard_flush(void)
{
    uint64_t flags = spin_lock_irqsave(&q.lock);
    q.head = q.tail;
    spin_unlock_irqrestore(&q.lock, flags);
}
