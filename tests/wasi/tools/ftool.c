/*
 * ftool — file chores for the tests of the file service (docs/files.md),
 * an ordinary C program on wasi-libc:
 *
 *   ftool cat FILE...          prints the files
 *   ftool write FILE TEXT      writes TEXT (and a newline) to FILE
 *   ftool cp SRC DST           copies a tree: files, folders, symlinks
 *   ftool ls DIR               names, types and sizes, sorted
 *   ftool lines N              prints N numbered lines (an output flood)
 *   ftool poll MS              waits for stdin at most MS ms (poll_oneoff):
 *                              prints "stdin: N bytes", "stdin: end" or
 *                              "timeout", then the line if there is one
 *
 * Exits 1 with the failing path and its error on stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "ftool: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return fail("open", src);
    FILE *out = fopen(dst, "wb");
    if (!out) {
        fclose(in);
        return fail("create", dst);
    }
    char buf[8192];
    size_t n;
    int e = 0;
    while (!e && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            e = fail("write", dst);
    if (!e && ferror(in))
        e = fail("read", src);
    fclose(in);
    if (fclose(out) && !e)
        e = fail("close", dst);
    return e;
}

static int copy(const char *src, const char *dst)
{
    struct stat st;
    if (lstat(src, &st))
        return fail("stat", src);
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0)
            return fail("readlink", src);
        target[n] = 0;
        return symlink(target, dst) ? fail("symlink", dst) : 0;
    }
    if (!S_ISDIR(st.st_mode))
        return copy_file(src, dst);
    if (mkdir(dst, 0777) && errno != EEXIST)
        return fail("mkdir", dst);
    DIR *d = opendir(src);
    if (!d)
        return fail("opendir", src);
    struct dirent *e;
    int r = 0;
    while (!r && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *s = malloc(strlen(src) + strlen(e->d_name) + 2);
        char *t = malloc(strlen(dst) + strlen(e->d_name) + 2);
        sprintf(s, "%s/%s", src, e->d_name);
        sprintf(t, "%s/%s", dst, e->d_name);
        r = copy(s, t);
        free(s);
        free(t);
    }
    closedir(d);
    return r;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail("opendir", dir);
    char *names[1024];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (lstat(path, &st))
            return fail("stat", path);
        printf("%s %s %lld\n", S_ISDIR(st.st_mode) ? "d" : S_ISLNK(st.st_mode) ? "l" : "f",
               names[i], (long long)st.st_size);
        free(names[i]);
    }
    return 0;
}

static int poll_stdin(long ms)
{
    __wasi_subscription_t sub[2];
    memset(sub, 0, sizeof sub);
    sub[0].userdata = 1;
    sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    sub[0].u.u.fd_read.file_descriptor = 0;
    sub[1].userdata = 2;
    sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[1].u.u.clock.timeout = (__wasi_timestamp_t)ms * 1000000;
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(sub, ev, 2, &n);
    if (e || n < 1) {
        fprintf(stderr, "ftool: poll_oneoff: errno %d, %u events\n", e, (unsigned)n);
        return 1;
    }
    if (ev[0].userdata == 2) {
        printf("timeout\n");
        return 0;
    }
    if (ev[0].fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP) {
        printf("stdin: end\n");
        return 0;
    }
    printf("stdin: %llu bytes\n", (unsigned long long)ev[0].fd_readwrite.nbytes);
    char line[256];
    if (fgets(line, sizeof line, stdin))
        printf("line: %s", line);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "poll"))
        return poll_stdin(atol(argv[2]));
    if (argc == 3 && !strcmp(argv[1], "lines")) {
        for (long i = 0, n = atol(argv[2]); i < n; i++)
            printf("line %08ld of the flood\n", i);
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "cat")) {
        for (int i = 2; i < argc; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (!f)
                return fail("open", argv[i]);
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                fwrite(buf, 1, n, stdout);
            fclose(f);
        }
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "write")) {
        FILE *f = fopen(argv[2], "w");
        if (!f)
            return fail("create", argv[2]);
        fprintf(f, "%s\n", argv[3]);
        return fclose(f) ? fail("close", argv[2]) : 0;
    }
    if (argc == 4 && !strcmp(argv[1], "cp"))
        return copy(argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "ls"))
        return list(argv[2]);
    fprintf(stderr, "usage: ftool cat FILE... | write FILE TEXT | cp SRC DST | ls DIR | lines N | poll MS\n");
    return 2;
}
