/*
 * wasi_hostile — the WASI layer (user/wasi) given wild pointers and
 * lengths, through wasi-libc's raw calls (<wasi/api.h>): each answers with
 * an errno, the layer never traps and the kernel survives. Prints
 * "wasi-hostile: N passed, M failed" and exits with M (proc_exit).
 * tests/qemu/test_wasi.py runs it from the shell.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int passed, failed;
static uint8_t buf_in[64];

static void expect(const char *what, int got, int want)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    printf("wasi-hostile: %s: errno %d, not %d\n", what, got, want);
}

/* An address past the end of this program's memory (a few MiB at most). */
#define WILD(t) ((t)(uintptr_t)0xfffffff0u)

int main(void)
{
    __wasi_size_t n = 0;
    char text[] = "wasi-hostile: this line is written\n";
    __wasi_ciovec_t ok = { (const uint8_t *)text, sizeof text - 1 };
    __wasi_ciovec_t past = { WILD(const uint8_t *), 64 };
    __wasi_ciovec_t huge = { (const uint8_t *)text, 0xffffffffu };

    expect("fd_write: iovecs past memory", __wasi_fd_write(1, WILD(const __wasi_ciovec_t *), 1, &n),
           __WASI_ERRNO_FAULT);
    expect("fd_write: a buffer past memory", __wasi_fd_write(1, &past, 1, &n), __WASI_ERRNO_FAULT);
    expect("fd_write: a length past memory", __wasi_fd_write(1, &huge, 1, &n), __WASI_ERRNO_FAULT);
    expect("fd_write: a count past memory", __wasi_fd_write(1, &ok, 1, WILD(__wasi_size_t *)),
           __WASI_ERRNO_FAULT);
    expect("fd_write: a closed descriptor", __wasi_fd_write(9, &ok, 1, &n), __WASI_ERRNO_BADF);
    expect("fd_write: stdin", __wasi_fd_write(0, &ok, 1, &n), __WASI_ERRNO_BADF);
    expect("fd_write: 2^31 iovecs", __wasi_fd_write(1, &ok, 0x80000000u, &n), __WASI_ERRNO_FAULT);
    __wasi_iovec_t in = { WILD(uint8_t *), 16 };
    expect("fd_read: iovecs past memory", __wasi_fd_read(0, WILD(const __wasi_iovec_t *), 1, &n),
           __WASI_ERRNO_FAULT);
    expect("fd_read: stdout", __wasi_fd_read(1, &in, 1, &n), __WASI_ERRNO_BADF);
    expect("fd_read: a buffer past memory", __wasi_fd_read(0, &in, 1, &n), __WASI_ERRNO_FAULT);
    __wasi_iovec_t in_ok = { buf_in, sizeof buf_in };
    expect("fd_read: a count past memory",
           __wasi_fd_read(0, &in_ok, 1, WILD(__wasi_size_t *)), __WASI_ERRNO_FAULT);
    expect("args_sizes_get: past memory",
           __wasi_args_sizes_get(WILD(__wasi_size_t *), &n), __WASI_ERRNO_FAULT);
    uint8_t buf[256];
    expect("args_get: argv past memory", __wasi_args_get(WILD(uint8_t **), buf), __WASI_ERRNO_FAULT);
    uint8_t *argv[8];
    expect("args_get: strings past memory", __wasi_args_get(argv, WILD(uint8_t *)),
           __WASI_ERRNO_FAULT);
    __wasi_timestamp_t t;
    expect("clock_time_get: an unknown clock", __wasi_clock_time_get(99, 0, &t),
           __WASI_ERRNO_INVAL);
    expect("clock_time_get: past memory",
           __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, WILD(__wasi_timestamp_t *)),
           __WASI_ERRNO_FAULT);
    expect("clock_res_get: an unknown clock", __wasi_clock_res_get(0x7fffffff, &t),
           __WASI_ERRNO_INVAL);
    __wasi_event_t ev[2];
    __wasi_subscription_t sub = { 0 };
    expect("poll_oneoff: nothing to wait for", __wasi_poll_oneoff(&sub, ev, 0, &n),
           __WASI_ERRNO_INVAL);
    expect("poll_oneoff: subscriptions past memory",
           __wasi_poll_oneoff(WILD(const __wasi_subscription_t *), ev, 1, &n), __WASI_ERRNO_FAULT);
    expect("poll_oneoff: a million subscriptions", __wasi_poll_oneoff(&sub, ev, 1000000, &n),
           __WASI_ERRNO_INVAL);
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub.u.u.clock.timeout = 1000000;
    expect("poll_oneoff: events past memory",
           __wasi_poll_oneoff(&sub, WILD(__wasi_event_t *), 1, &n), __WASI_ERRNO_FAULT);
    expect("poll_oneoff: 1 ms", __wasi_poll_oneoff(&sub, ev, 1, &n), 0);
    expect("poll_oneoff: one event", (int)n, 1);
    expect("random_get: past memory", __wasi_random_get(WILD(uint8_t *), 4096), __WASI_ERRNO_FAULT);
    expect("random_get: a length past memory", __wasi_random_get(buf, 0x7fffffff),
           __WASI_ERRNO_FAULT);
    uint8_t r1[16] = { 0 }, r2[16] = { 0 };
    expect("random_get: 16 bytes", __wasi_random_get(r1, sizeof r1), 0);
    expect("random_get: 16 more", __wasi_random_get(r2, sizeof r2), 0);
    expect("random_get: that differ", memcmp(r1, r2, sizeof r1) != 0, 1);
    __wasi_fdstat_t st;
    expect("fd_fdstat_get: past memory", __wasi_fd_fdstat_get(1, WILD(__wasi_fdstat_t *)),
           __WASI_ERRNO_FAULT);
    expect("fd_fdstat_get: a closed descriptor", __wasi_fd_fdstat_get(77, &st), __WASI_ERRNO_BADF);
    __wasi_prestat_t pre;
    expect("fd_prestat_get: no preopens yet", __wasi_fd_prestat_get(3, &pre), __WASI_ERRNO_BADF);
    expect("fd_seek: on stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &t), __WASI_ERRNO_SPIPE);
    /* after all that, writing still works */
    expect("fd_write: a good line", __wasi_fd_write(1, &ok, 1, &n), 0);
    expect("fd_write: all of it", (int)n, (int)(sizeof text - 1));
    printf("wasi-hostile: %d passed, %d failed\n", passed, failed);
    fflush(stdout);
    exit(failed);
}
