/*
 * sqlite: a small shell over SQLite's amalgamation (not SQLite's own
 * shell.c), a WASI command that runs on Atoll from the shell and under
 * build/atoll-run, and natively on Linux for the benchmarks.
 *
 *     sqlite [-t] DBFILE [SQL...]
 *
 * With SQL arguments, it runs each (an argument may hold several
 * statements); without, it reads statements from stdin line by line and
 * runs each as soon as it is complete (sqlite3_complete: ended by `;`
 * outside quotes, comments and triggers' bodies). Rows are printed as
 * `a|b|c` (NULL as nothing), as SQLite's shell prints them by default.
 * A statement that fails prints `Error: MESSAGE` on stderr and the
 * shell goes on with the next; the exit status is 1 when any failed (or
 * the file could not be opened), else 0. -t prints on stderr the time
 * spent running SQL (`sqlite: time N ns`), from after the open to after
 * the close, so a benchmark sees SQLite's work without process start.
 *
 * Build (user/apps/sqlite/Makefile, mk/apps.mk): the amalgamation from
 * the npm package better-sqlite3 with the options chosen there, said why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sqlite3.h"

static int failures;

static void report(sqlite3 *db)
{
    fprintf(stderr, "Error: %s\n", sqlite3_errmsg(db));
    failures++;
}

/* Prints one row: columns as text, '|' between them. */
static void print_row(sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const unsigned char *v = sqlite3_column_text(st, i);
        if (i)
            putchar('|');
        if (v)
            fwrite(v, 1, (size_t)sqlite3_column_bytes(st, i), stdout);
    }
    putchar('\n');
}

/* Runs every statement of sql; a failing one is reported and the rest of
 * this text is skipped (its tail cannot be trusted to start a statement,
 * as SQLite's shell also stops a batch at its first error). */
static void run_sql(sqlite3 *db, const char *sql)
{
    while (*sql) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
            report(db);
            return;
        }
        if (!st) {              /* only blanks or a comment was left */
            sql = tail;
            continue;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            print_row(st);
        if (rc != SQLITE_DONE) {
            report(db);
            sqlite3_finalize(st);
            return;
        }
        sqlite3_finalize(st);
        sql = tail;
    }
}

/* Statements from stdin: lines are gathered until they make a complete
 * statement, which is then run. What is left at the end of input is run
 * too, so a last statement without its ';' is not dropped silently. */
static void run_stdin(sqlite3 *db)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    char line[4096];
    if (!buf) {
        fprintf(stderr, "Error: out of memory\n");
        failures++;
        return;
    }
    buf[0] = '\0';
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (len + n + 1 > cap) {
            while (len + n + 1 > cap)
                cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                fprintf(stderr, "Error: out of memory\n");
                failures++;
                free(buf);
                return;
            }
            buf = nb;
        }
        memcpy(buf + len, line, n + 1);
        len += n;
        /* A long line arrives in pieces: only a whole one can end a
         * statement. */
        if ((n && line[n - 1] == '\n') && sqlite3_complete(buf)) {
            run_sql(db, buf);
            len = 0;
            buf[0] = '\0';
        }
    }
    if (len && strspn(buf, " \t\r\n") != len)
        run_sql(db, buf);
    free(buf);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int timed = 0, a = 1;
    if (a < argc && strcmp(argv[a], "-t") == 0) {
        timed = 1;
        a++;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: sqlite [-t] DBFILE [SQL...]   (no SQL: statements from stdin)\n");
        return 2;
    }
    sqlite3 *db = NULL;
    long long t0 = now_ns();
    if (sqlite3_open(argv[a], &db) != SQLITE_OK) {
        fprintf(stderr, "Error: cannot open %s: %s\n", argv[a],
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return 1;
    }
    if (a + 1 < argc)
        for (int i = a + 1; i < argc; i++)
            run_sql(db, argv[i]);
    else
        run_stdin(db);
    if (sqlite3_close(db) != SQLITE_OK) {
        report(db);
    }
    fflush(stdout);
    if (timed)
        fprintf(stderr, "sqlite: time %lld ns\n", now_ns() - t0);
    return failures ? 1 : 0;
}
