/*
 * The kernel services that kern/'s Coral layer calls (component, coral,
 * kmodule, userboot, handles, memory areas), implemented on Linux for the
 * hosted build (host/atoll_coral.c). Threads are host/host_thread.c's:
 * cooperative ones on one OS thread, each component running its own loop
 * (kern/component.c) as in the kernel. The engine's own host interface is
 * host/host_linux.c and friends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "kernel_host.h"
#include "dev/devio.h"
#include "dev/screen.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"
#include "base/panic.h"
#include "kern/thread.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/phys.h"
#include "mm/pmm.h"

/* Physical addresses are host addresses here (boot modules are buffers). */
uintptr_t phys_map_base;
enum log_level log_threshold = LOG_INFO;

/* ---- heap: malloc, with the counts sys_info reports ---- */

static uint64_t live_allocs;

void *kmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p)
        live_allocs++;
    return p;
}

/* calloc: a large block comes from fresh pages, zero already, touched
 * only as they are used (atoll-run's console ring is 256 MiB). */
void *kzalloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (p)
        live_allocs++;
    return p;
}

void *kzalloc_stoppable(size_t size, bool (*stop)(void))
{
    (void)stop;
    return kzalloc(size);
}

void *kcalloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return kzalloc(n * size);
}

void kfree(void *p)
{
    if (p)
        live_allocs--;
    free(p);
}

void heap_get_stats(struct heap_stats *st)
{
    memset(st, 0, sizeof *st);
    st->live_allocs = live_allocs;
}

void pmm_get_stats(struct pmm_stats *st)
{
    memset(st, 0, sizeof *st);
    st->total_frames = 65536;
    st->free_frames = 65536;
}

/* ---- log, panic ---- */

void vklog(enum log_level level, const char *fmt, va_list ap)
{
    if (level > log_threshold)
        return;
    vfprintf(stderr, fmt, ap);
}

void klog(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vklog(level, fmt, ap);
    va_end(ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "atoll-coral: panic: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* A program's log_write output: standard output. */
void serial_write(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
    fflush(stdout);
}

/* ---- time ---- */

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t start_ns;

uint64_t clock_ns(void)
{
    if (!start_ns)
        start_ns = mono_ns();
    return mono_ns() - start_ns;
}

unsigned timer_hz(void)
{
    return 100;
}

/* base/random.h: Linux's getrandom, which does not block once the host's
 * pool is ready (long before any test runs). */
void random_fill(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t k = getrandom(p, n, 0);
        if (k <= 0)
            abort();            /* Linux without a random source: nothing to run on */
        p += k;
        n -= (size_t)k;
    }
}

bool random_hardware(void)
{
    return true;
}

/* Linux keeps the page tables; the hosted build has no regions. */
uint64_t mmu_table_frames(void) { return 0; }
uint64_t vregion_table_frames(void) { return 0; }

/* Linux backs its stacks itself. */
bool kstack_reserve(struct kstack *ks, size_t n)
{
    (void)ks, (void)n;
    return true;
}

/* ---- screen, console ---- */

static uint16_t cells[SCREEN_CELLS];

uint16_t *screen_cells(void)
{
    return cells;
}

/* Device capabilities on Linux (dev/devio.h): there are no ports, so a
 * port is a latch, a read giving what was last written there (0 at
 * first), little-endian across a wider access: the capability checks
 * (kern/devcap.c) run exactly as in the kernel, against a device that
 * cannot hurt the machine. No line ever fires: a claim succeeds, a wait
 * on it times out. */
static uint8_t port_latch[0x10000 + 3];

uint32_t devio_in(uint16_t port, unsigned width)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < width && i < 4; i++)
        v |= (uint32_t)port_latch[port + i] << (8 * i);
    return v;
}

void devio_out(uint16_t port, unsigned width, uint32_t value)
{
    for (unsigned i = 0; i < width && i < 4; i++)
        port_latch[port + i] = (uint8_t)(value >> (8 * i));
}

int devio_irq_claim(unsigned line, void (*fn)(void *ctx), void *ctx)
{
    (void)fn;
    (void)ctx;
    return line < 16 ? 0 : -1;
}

void devio_irq_mask(unsigned line, bool masked)
{
    (void)line;
    (void)masked;
}

void devio_irq_release(unsigned line)
{
    (void)line;
}

void console_detach(void) {}
void console_attach(void) {}
