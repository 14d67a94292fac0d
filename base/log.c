/*
 * The log streams through fmt_vformat straight to the sinks, one lock per
 * line so lines from interrupt handlers never interleave mid-line.
 */
#include "base/log.h"

#include "base/clock.h"
#include "base/spinlock.h"
#include "lib/fmt.h"

enum log_level log_threshold = LOG_INFO;

static spinlock_t log_lock = SPINLOCK_INIT;
/* The sinks: the early log's port and the screen's console, registered by
 * the devices' owner (kmain, dev/console.c), so this layer knows no
 * device. */
static void (*serial_putc_fn)(char c);
static void (*console_putc)(char c);

static void sink(char c, void *ctx)
{
    (void)ctx;
    if (serial_putc_fn)
        serial_putc_fn(c);
    if (console_putc)
        console_putc(c);
}

void log_set_serial(void (*putc)(char c))
{
    serial_putc_fn = putc;
}

void log_set_console(void (*putc)(char c))
{
    console_putc = putc;
}

void log_break_lock(void)
{
    log_lock.locked = 0;
}

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(sink, 0, fmt, ap);
    va_end(ap);
}

void vkprintf(const char *fmt, va_list ap)
{
    uint64_t f = spin_lock_irqsave(&log_lock);
    fmt_vformat(sink, 0, fmt, ap);
    spin_unlock_irqrestore(&log_lock, f);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
}

void vklog(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
    if (level > log_threshold)
        return;
    uint64_t ns = clock_ns();
    uint64_t f = spin_lock_irqsave(&log_lock);
    emit("[%5llu.%06llu] %s", (unsigned long long)(ns / 1000000000),
         (unsigned long long)(ns / 1000 % 1000000), tag[level]);
    fmt_vformat(sink, 0, fmt, ap);
    spin_unlock_irqrestore(&log_lock, f);
}

void klog(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vklog(level, fmt, ap);
    va_end(ap);
}
