/*
 * wasi_hostile — the WASI layer (user/wasi) given wild pointers and
 * lengths, through wasi-libc's raw calls (<wasi/api.h>): each answers with
 * an errno, the layer never traps and the kernel survives. With a
 * preopened folder at fd 3, the file calls too: wild pointers, paths out
 * of the sandbox (.., absolute, through a symlink), names too long, loops;
 * a refused call moves nothing (no offset, no byte, no descriptor). Prints
 * "wasi-hostile: N passed, M failed" and exits with M (proc_exit).
 * tests/qemu/test_wasi.py runs it from the shell, tests/wasi/test_atoll_run.py
 * under atoll-run with --dir.
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

/* path_open as the layer exports it, with the path's length: wasi-libc's
 * takes a C string (and would run strlen over a wild pointer itself). */
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t len, int32_t oflags,
                      int64_t base, int64_t inheriting, int32_t fdflags, int32_t fd_ptr)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")));

/* path_open of a C string beneath dir. */
static int open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                   __wasi_rights_t rights, __wasi_lookupflags_t follow, __wasi_fd_t *fd)
{
    return __wasi_path_open(dir, follow, path, oflags, rights, rights, 0, fd);
}

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | \
            __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)

static void files(__wasi_fd_t dir)
{
    __wasi_fd_t fd = 0, fd2 = 0;
    __wasi_size_t n = 0;
    char big[4200];
    expect("path_open: a path past memory",
           raw_path_open((int32_t)dir, 0, WILD(int32_t), 8, 0, RW, RW, 0, (int32_t)(uintptr_t)&fd),
           __WASI_ERRNO_FAULT);
    expect("path_open: a path length past memory",
           raw_path_open((int32_t)dir, 0, (int32_t)(uintptr_t)"f", -1, 0, RW, RW, 0,
                         (int32_t)(uintptr_t)&fd), __WASI_ERRNO_FAULT);
    expect("path_open: a fd pointer past memory",
           open_at(dir, "f", __WASI_OFLAGS_CREAT, RW, 0, WILD(__wasi_fd_t *)), __WASI_ERRNO_FAULT);
    expect("path_open: ..", open_at(dir, "../f", __WASI_OFLAGS_CREAT, RW, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_open: an absolute path", open_at(dir, "/etc/passwd", 0, RW, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_create_directory: d", __wasi_path_create_directory(dir, "d"), 0);
    expect("path_open: d/../../f", open_at(dir, "./d/../../f", 0, RW, 0, &fd),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_open: d/.. is the folder", open_at(dir, "d/..", __WASI_OFLAGS_DIRECTORY,
                                                    __WASI_RIGHTS_FD_READDIR, 0, &fd), 0);
    expect("fd_close: it", __wasi_fd_close(fd), 0);
    expect("path_remove_directory: d", __wasi_path_remove_directory(dir, "d"), 0);
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = 0;
    expect("path_open: a path of 4 KiB", open_at(dir, big, 0, RW, 0, &fd),
           __WASI_ERRNO_NAMETOOLONG);
    big[300] = 0;
    expect("path_open: a name of 300 bytes", open_at(dir, big, __WASI_OFLAGS_CREAT, RW, 0, &fd),
           __WASI_ERRNO_NAMETOOLONG);
    expect("path_open: a NUL inside the path",
           raw_path_open((int32_t)dir, 0, (int32_t)(uintptr_t)"f\0g", 3, __WASI_OFLAGS_CREAT, RW,
                         RW, 0, (int32_t)(uintptr_t)&fd),
           __WASI_ERRNO_INVAL);
    expect("path_symlink: to the outside (made, relative)",
           __wasi_path_symlink("../..", dir, "out"), 0);
    expect("path_open: through it", open_at(dir, "out/x", 0, RW, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                            &fd), __WASI_ERRNO_NOTCAPABLE);
    expect("path_symlink: an absolute target", __wasi_path_symlink("/etc", dir, "abs"),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_symlink: loop a", __wasi_path_symlink("loop-b", dir, "loop-a"), 0);
    expect("path_symlink: loop b", __wasi_path_symlink("loop-a", dir, "loop-b"), 0);
    expect("path_open: a loop", open_at(dir, "loop-a", 0, RW, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                        &fd), __WASI_ERRNO_LOOP);
    /* A file with 5 bytes, then reads and writes that must move nothing. */
    expect("path_open: a new file", open_at(dir, "f", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                                            RW | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0, &fd), 0);
    __wasi_ciovec_t five = { (const uint8_t *)"12345", 5 };
    expect("fd_write: 5 bytes", __wasi_fd_write(fd, &five, 1, &n), 0);
    __wasi_filesize_t pos = 0;
    expect("fd_seek: back to 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
    __wasi_iovec_t wild = { WILD(uint8_t *), 5 };
    expect("fd_read: a file into a buffer past memory", __wasi_fd_read(fd, &wild, 1, &n),
           __WASI_ERRNO_FAULT);
    __wasi_ciovec_t wild_out = { WILD(const uint8_t *), 5 };
    expect("fd_write: a file from a buffer past memory", __wasi_fd_write(fd, &wild_out, 1, &n),
           __WASI_ERRNO_FAULT);
    uint8_t got[8] = { 0 };
    __wasi_iovec_t in = { got, sizeof got };
    expect("fd_read: then from where it was", __wasi_fd_read(fd, &in, 1, &n), 0);
    expect("fd_read: the 5 bytes, no more", (int)n == 5 && !memcmp(got, "12345", 5), 1);
    expect("fd_seek: before 0", __wasi_fd_seek(fd, -10, __WASI_WHENCE_CUR, &pos),
           __WASI_ERRNO_INVAL);
    expect("fd_pread: at 2^63", __wasi_fd_pread(fd, &in, 1, 0x8000000000000000ull, &n),
           __WASI_ERRNO_INVAL);
    expect("fd_filestat_get: past memory", __wasi_fd_filestat_get(fd, WILD(__wasi_filestat_t *)),
           __WASI_ERRNO_FAULT);
    expect("fd_filestat_set_size: 2^63", __wasi_fd_filestat_set_size(fd, 0x8000000000000000ull),
           __WASI_ERRNO_INVAL);
    expect("fd_fdstat_set_rights: more rights",
           __wasi_fd_fdstat_set_rights(fd, RW | __WASI_RIGHTS_PATH_OPEN, 0),
           __WASI_ERRNO_NOTCAPABLE);
    expect("fd_renumber: to a closed descriptor", __wasi_fd_renumber(fd, 900), __WASI_ERRNO_BADF);
    expect("path_open: a file as a directory", open_at(fd, "x", 0, RW, 0, &fd2),
           __WASI_ERRNO_NOTDIR);
    expect("fd_close", __wasi_fd_close(fd), 0);
    expect("fd_close: again", __wasi_fd_close(fd), __WASI_ERRNO_BADF);
    expect("path_open: read only", open_at(dir, "f", 0, __WASI_RIGHTS_FD_READ, 0, &fd), 0);
    expect("fd_write: without the right", __wasi_fd_write(fd, &five, 1, &n),
           __WASI_ERRNO_NOTCAPABLE);
    expect("fd_close: the read-only one", __wasi_fd_close(fd), 0);
    __wasi_filestat_t fst;
    expect("path_filestat_get: the file kept 5 bytes",
           __wasi_path_filestat_get(dir, 0, "f", &fst) == 0 && fst.size == 5, 1);
    expect("path_filestat_get: past memory",
           __wasi_path_filestat_get(dir, 0, "f", WILD(__wasi_filestat_t *)), __WASI_ERRNO_FAULT);
    expect("path_readlink: a buffer past memory",
           __wasi_path_readlink(dir, "out", WILD(uint8_t *), 16, &n), __WASI_ERRNO_FAULT);
    expect("path_readlink: not a link", __wasi_path_readlink(dir, "f", (uint8_t *)big, 16, &n),
           __WASI_ERRNO_INVAL);
    __wasi_dircookie_t cookie = 0;
    expect("fd_readdir: a buffer past memory",
           __wasi_fd_readdir(dir, WILD(uint8_t *), 256, cookie, &n), __WASI_ERRNO_FAULT);
    expect("fd_readdir: a 1-byte buffer is filled whole (there is more)",
           __wasi_fd_readdir(dir, (uint8_t *)big, 1, cookie, &n) == 0 && n == 1, 1);
    expect("path_rename: out of the folder", __wasi_path_rename(dir, "f", dir, "../f"),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_link: out of the folder", __wasi_path_link(dir, 0, "f", dir, "out/f"),
           __WASI_ERRNO_NOTCAPABLE);
    expect("path_remove_directory: ..", __wasi_path_remove_directory(dir, ".."),
           __WASI_ERRNO_NOTCAPABLE);
    /* A thousand opens refused after the descriptor would exist: none
     * is left behind, so a thousand more still succeed and close. */
    for (int i = 0; i < 1000; i++)
        if (open_at(dir, "f", 0, RW, 0, WILD(__wasi_fd_t *)) != __WASI_ERRNO_FAULT)
            failed++;
    int opened = 0;
    for (int i = 0; i < 1000; i++)
        if (open_at(dir, "f", 0, RW, 0, &fd) == 0 && __wasi_fd_close(fd) == 0)
            opened++;
    expect("path_open: no descriptor leaked", opened, 1000);
    expect("path_unlink_file: f", __wasi_path_unlink_file(dir, "f"), 0);
    expect("path_unlink_file: out", __wasi_path_unlink_file(dir, "out"), 0);
    expect("path_unlink_file: loop-a", __wasi_path_unlink_file(dir, "loop-a"), 0);
    expect("path_unlink_file: loop-b", __wasi_path_unlink_file(dir, "loop-b"), 0);
}

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
    if (__wasi_fd_prestat_get(3, &pre) == 0)
        files(3);
    else
        expect("fd_prestat_get: 3 is no preopen", __wasi_fd_prestat_get(3, &pre),
               __WASI_ERRNO_BADF);
    expect("fd_seek: on stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &t), __WASI_ERRNO_SPIPE);
    /* after all that, writing still works */
    expect("fd_write: a good line", __wasi_fd_write(1, &ok, 1, &n), 0);
    expect("fd_write: all of it", (int)n, (int)(sizeof text - 1));
    printf("wasi-hostile: %d passed, %d failed\n", passed, failed);
    fflush(stdout);
    exit(failed);
}
