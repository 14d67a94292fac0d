/* linux_ipc.c: the Linux counterparts of bench/ipc's figures, on the same
 * machine, natively (gcc -O2), between two processes (fork):
 *
 *   pipe_round_trip        8 bytes to the other process through a pipe and
 *                          the same 8 bytes back through a second pipe
 *   socketpair_round_trip  the same over an AF_UNIX SOCK_STREAM socketpair
 *                          (one bidirectional socket per side, like a
 *                          channel's two endpoints)
 *   pipe_stream_64k        64 KiB write()s through a pipe to a reader that
 *                          reads them whole (looping over short reads) and
 *                          answers one byte at the end of each batch, so a
 *                          batch is timed until the reader has it all, as
 *                          the Atoll stream waits for B's ack
 *
 *   linux_ipc [ROUNDS BATCHES STREAM]
 *
 * Prints "linux-bench: NAME N ns" once per batch (per round trip, or per
 * 64 KiB message), after a warm-up batch that is not printed; measure.py
 * takes the median. Run it under `taskset -c 1` (measure.py does): the
 * child inherits the affinity, so both processes share one CPU as
 * components share the kernel's one CPU, and every exchange is a real
 * switch rather than two CPUs spinning into each other's wake-ups.
 * Timed with CLOCK_MONOTONIC.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MSG = 8, BIG = 65536 };

static long rounds = 20000, batches = 7, stream = 2000;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* Reads exactly n bytes (a pipe or stream socket may return fewer);
 * 0 at end of file, -1 on error. */
static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return r == 0 ? 0 : -1;
        p += r;
        n -= (size_t)r;
    }
    return 1;
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 1;
}

/* Echoes MSG-byte messages from rfd to wfd until end of file. */
static void echo(int rfd, int wfd)
{
    char m[MSG];
    while (read_all(rfd, m, sizeof m) == 1)
        if (write_all(wfd, m, sizeof m) != 1)
            _exit(1);
    _exit(0);
}

/* n round trips, each checked: the reply is the sequence number sent. */
static void round_trips(int wfd, int rfd, long n, uint64_t *seq)
{
    for (long i = 0; i < n; i++, (*seq)++) {
        uint64_t back;
        if (write_all(wfd, seq, sizeof *seq) != 1 || read_all(rfd, &back, sizeof back) != 1)
            die("round trip");
        if (back != *seq) {
            fprintf(stderr, "linux_ipc: echo %llu, sent %llu\n", (unsigned long long)back,
                    (unsigned long long)*seq);
            exit(1);
        }
    }
}

static void run_round_trips(const char *name, int wfd, int rfd)
{
    uint64_t seq = 0;
    round_trips(wfd, rfd, rounds / 10 + 1, &seq);   /* warm-up: both processes running */
    for (long b = 0; b < batches; b++) {
        uint64_t t = now_ns();
        round_trips(wfd, rfd, rounds, &seq);
        printf("linux-bench: %s %llu ns\n", name,
               (unsigned long long)((now_ns() - t) / (uint64_t)rounds));
    }
}

/* A child process running serve(its read end, its write end) over two
 * pipes (it never returns); our ends in *wfd and *rfd. */
static pid_t spawn_over_pipes(void (*serve)(int rfd, int wfd), int *wfd, int *rfd)
{
    int to[2], from[2];
    if (pipe(to) || pipe(from))
        die("pipe");
    pid_t p = fork();
    if (p < 0)
        die("fork");
    if (p == 0) {
        close(to[1]);
        close(from[0]);
        serve(to[0], from[1]);
    }
    close(to[0]);
    close(from[1]);
    *wfd = to[1];
    *rfd = from[0];
    return p;
}

static void finish_child(pid_t p, int wfd, int rfd)
{
    close(wfd);
    close(rfd);
    waitpid(p, NULL, 0);
}

static void bench_pipe_round_trip(void)
{
    int wfd, rfd;
    pid_t p = spawn_over_pipes(echo, &wfd, &rfd);
    run_round_trips("pipe_round_trip", wfd, rfd);
    finish_child(p, wfd, rfd);
}

static void bench_socketpair_round_trip(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        die("socketpair");
    pid_t p = fork();
    if (p < 0)
        die("fork");
    if (p == 0) {
        close(sv[0]);
        echo(sv[1], sv[1]);
    }
    close(sv[1]);
    run_round_trips("socketpair_round_trip", sv[0], sv[0]);
    close(sv[0]);
    waitpid(p, NULL, 0);
}

/* The reader: whole 64 KiB messages; one byte back after every `stream`. */
static void sink(int rfd, int wfd)
{
    static char buf[BIG];
    long n = 0;
    while (read_all(rfd, buf, sizeof buf) == 1)
        if (++n % stream == 0 && write_all(wfd, "k", 1) != 1)
            _exit(1);
    _exit(0);
}

static void stream_batch(int wfd, int rfd)
{
    static char buf[BIG];
    char ack;
    for (long i = 0; i < stream; i++) {
        if (write_all(wfd, buf, sizeof buf) != 1)
            die("stream write");
    }
    if (read_all(rfd, &ack, 1) != 1)
        die("stream ack");
}

static void bench_pipe_stream(void)
{
    int wfd, rfd;
    pid_t p = spawn_over_pipes(sink, &wfd, &rfd);
    stream_batch(wfd, rfd);             /* warm-up */
    for (long b = 0; b < batches; b++) {
        uint64_t t = now_ns();
        stream_batch(wfd, rfd);
        printf("linux-bench: pipe_stream_64k %llu ns\n",
               (unsigned long long)((now_ns() - t) / (uint64_t)stream));
    }
    finish_child(p, wfd, rfd);
}

int main(int argc, char **argv)
{
    if (argc == 4) {
        rounds = strtol(argv[1], NULL, 10);
        batches = strtol(argv[2], NULL, 10);
        stream = strtol(argv[3], NULL, 10);
    }
    if (argc != 1 && argc != 4) {
        fprintf(stderr, "usage: linux_ipc [ROUNDS BATCHES STREAM]\n");
        return 2;
    }
    if (rounds < 1 || batches < 1 || stream < 1) {
        fprintf(stderr, "linux_ipc: ROUNDS, BATCHES and STREAM must be positive\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    bench_pipe_round_trip();
    bench_socketpair_round_trip();
    bench_pipe_stream();
    return 0;
}
