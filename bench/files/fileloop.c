/*
 * fileloop: a file read/write loop through POSIX calls, for make
 * bench-files (bench/files/measure.py). The same C runs on wasi-libc
 * (under atoll-run, node's node:wasi, and in the kernel from the shell,
 * where each call goes through the WASI layer to the file service) and
 * natively on Linux.
 *
 *     fileloop DIR [MIB]
 *
 * For each chunk size (4 KiB, 64 KiB) it writes MIB MiB (default 16) to
 * DIR/fileloop.dat in chunks, fsyncs and closes it, then reads it back in
 * chunks of the same size and checks every byte. It prints one line a
 * phase, `fileloop: PHASE CHUNK N ns C calls` (write includes the fsync
 * and close), timed with clock_gettime around the calls alone, and exits
 * 1 on any error or a wrong byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Every chunk is the same pattern with its offset in its first 8 bytes,
 * so a chunk written at the wrong place or read twice is caught, while
 * making and checking it costs a memcpy/memcmp: the figures are the file
 * calls', not the pattern's. */
static uint8_t ref[65536];

static void stamp(uint8_t *buf, uint64_t off)
{
    memcpy(buf, &off, sizeof off);
}

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "fileloop: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int loop(const char *path, size_t chunk, size_t total, uint8_t *buf)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fail("create", path);
    long long calls = 0, t0 = now_ns();
    memcpy(buf, ref, chunk);
    for (size_t off = 0; off < total; off += chunk) {
        stamp(buf, off);
        size_t done = 0;
        while (done < chunk) {
            ssize_t n = write(fd, buf + done, chunk - done);
            calls++;
            if (n <= 0)
                return fail("write", path);
            done += (size_t)n;
        }
    }
    if (fsync(fd) != 0)
        return fail("fsync", path);
    if (close(fd) != 0)
        return fail("close", path);
    long long t1 = now_ns();
    printf("fileloop: write %zu %lld ns %lld calls\n", chunk, t1 - t0, calls);

    fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail("open", path);
    calls = 0;
    t0 = now_ns();
    size_t off = 0;
    for (;;) {
        ssize_t n = read(fd, buf, chunk);
        calls++;
        if (n < 0)
            return fail("read", path);
        if (n == 0)
            break;
        uint64_t at;
        memcpy(&at, buf, sizeof at);
        if ((size_t)n != chunk || at != off || memcmp(buf + 8, ref + 8, chunk - 8) != 0) {
            fprintf(stderr, "fileloop: %s: the %zu bytes at %zu are wrong\n", path, (size_t)n, off);
            return 1;
        }
        off += (size_t)n;
    }
    close(fd);
    t1 = now_ns();
    if (off != total) {
        fprintf(stderr, "fileloop: %s: read %zu bytes back, wrote %zu\n", path, off, total);
        return 1;
    }
    printf("fileloop: read %zu %lld ns %lld calls\n", chunk, t1 - t0, calls);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fileloop DIR [MIB]\n");
        return 2;
    }
    size_t mib = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 16;
    if (mib == 0 || mib > 1024) {
        fprintf(stderr, "fileloop: MIB must be 1..1024\n");
        return 2;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/fileloop.dat", argv[1]);
    static uint8_t buf[65536];
    for (size_t j = 0; j < sizeof ref; j++)
        ref[j] = (uint8_t)(j * 131 + (j >> 8));
    static const size_t chunks[] = {4096, 65536};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        if (loop(path, chunks[i], mib << 20, buf))
            return 1;
    if (unlink(path) != 0)
        return fail("unlink", path);
    return 0;
}
