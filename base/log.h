/*
 * The kernel log: formatted lines to COM1 and, once a screen exists, to the
 * screen console. Safe from interrupt and fault handlers (it never
 * allocates and never blocks beyond a short spinlock).
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Messages above this level are dropped (boot option loglevel=0..3). */
extern enum log_level log_threshold;

void klog(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vklog(enum log_level level, const char *fmt, va_list ap);

/* Raw output, no level, no timestamp: used by panic reports and banners. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vkprintf(const char *fmt, va_list ap);

/* A second sink for log output (the screen console), or NULL. */
/* The early log's sink (the serial port): set first thing at boot. */
void log_set_serial(void (*putc)(char c));
void log_set_console(void (*putc)(char c));

/* Drops the lock unconditionally: the panic path may interrupt a holder. */
void log_break_lock(void);

#define pr_err(...)   klog(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)  klog(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

#endif
