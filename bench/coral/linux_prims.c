/* linux_prims.c: the Linux counterparts of bench/coral's figures, on the
 * same machine, natively (gcc -O2):
 *
 *   getpid       syscall(SYS_getpid): a system call that does nothing
 *                (libc's getpid may be cached; the raw call is not)
 *   memcpy_4k    a 4 KiB memcpy (what vma_write's copy is, alone)
 *   pipe_4k      a 4 KiB write to a pipe and its read back, one process
 *   fork_exec    fork + execve of a static hello + waitpid (spawn)
 *   pipe_pingpong_round_trip
 *                one byte to another process through a pipe and one byte
 *                back (two switches per round trip, as a component_call)
 *
 *   linux_prims HELLO_PATH     prints "linux-bench: NAME N ns" per figure
 *
 * Each figure is the mean over a loop, timed with CLOCK_MONOTONIC;
 * bench/coral/measure.py runs it several times and takes medians.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void report(const char *name, uint64_t total, uint64_t n)
{
    printf("linux-bench: %s %llu ns\n", name, (unsigned long long)(total / n));
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static volatile uint64_t sink;

static void bench_getpid(void)
{
    enum { N = 1000000 };
    uint64_t t = now_ns();
    for (int i = 0; i < N; i++)
        sink += (uint64_t)syscall(SYS_getpid);
    report("getpid", now_ns() - t, N);
}

static void bench_memcpy(void)
{
    enum { N = 500000 };
    static char a[4096] __attribute__((aligned(4096))), b[4096] __attribute__((aligned(4096)));
    memset(a, 1, sizeof a);
    uint64_t t = now_ns();
    for (int i = 0; i < N; i++) {
        memcpy(b, a, sizeof a);
        __asm__ volatile("" : : "r"(b), "r"(a) : "memory");  /* keep every copy */
    }
    report("memcpy_4k", now_ns() - t, N);
}

static void bench_pipe(void)
{
    enum { N = 100000 };
    static char a[4096], b[4096];
    int fd[2];
    if (pipe(fd))
        die("pipe");
    uint64_t t = now_ns();
    for (int i = 0; i < N; i++) {
        if (write(fd[1], a, sizeof a) != sizeof a || read(fd[0], b, sizeof b) != sizeof b)
            die("pipe io");
    }
    report("pipe_4k", now_ns() - t, N);
    close(fd[0]);
    close(fd[1]);
}

static void bench_fork_exec(const char *hello)
{
    enum { N = 300 };
    char *argv[] = { (char *)hello, NULL }, *envp[] = { NULL };
    uint64_t t = now_ns();
    for (int i = 0; i < N; i++) {
        pid_t p = fork();
        if (p < 0)
            die("fork");
        if (p == 0) {
            /* The hello's output goes nowhere: /dev/null on fd 1. */
            freopen("/dev/null", "w", stdout);
            execve(hello, argv, envp);
            _exit(127);
        }
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            die("hello did not run");
    }
    report("fork_exec", now_ns() - t, N);
}

static void bench_pingpong(void)
{
    enum { N = 100000 };
    int to[2], from[2];
    if (pipe(to) || pipe(from))
        die("pipe");
    pid_t p = fork();
    if (p < 0)
        die("fork");
    if (p == 0) {
        char c;
        close(to[1]);
        close(from[0]);
        while (read(to[0], &c, 1) == 1) {
            c++;
            if (write(from[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(to[0]);
    close(from[1]);
    char c = 0;
    for (int i = 0; i < 1000; i++)  /* warm up: both processes running */
        if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
            die("ping");
    uint64_t t = now_ns();
    for (int i = 0; i < N; i++)
        if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
            die("ping");
    report("pipe_pingpong_round_trip", now_ns() - t, N);
    close(to[1]);
    waitpid(p, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: linux_prims HELLO_PATH\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    bench_getpid();
    bench_memcpy();
    bench_pipe();
    bench_fork_exec(argv[1]);
    bench_pingpong();
    return 0;
}
