/*
 * workload.c: what each copy of SQLite inside big.wasm does when main.c
 * calls it. build-big.sh compiles it in the same translation unit as one
 * copy of the amalgamation (copy.c), so the sqlite3_* names below are that
 * copy's (renamed by its rename header) and the #ifdefs see the copy's own
 * compile-time options: each variant runs SQL through the extensions it was
 * built with, so the code that makes it different is reached, not dead.
 *
 * BIG_WORK is the entry's name (big_work_K). It returns 0 and a checksum
 * of the core queries, which every copy must agree on (main.c compares
 * them and checks the sum against its own C arithmetic), or prints what
 * failed and returns 1.
 */
#include <stdio.h>
#include <string.h>

#include "big.h"

/* One statement, its first column's integer; -1 and a message on error. */
static long long big_query_int(sqlite3 *db, const char *sql, const char *copy)
{
    sqlite3_stmt *st = 0;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) {
        printf("%s: prepare failed: %s: %s\n", copy, sql, sqlite3_errmsg(db));
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        printf("%s: no row: %s: %s\n", copy, sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return v;
}

static int big_exec(sqlite3 *db, const char *sql, const char *copy)
{
    char *err = 0;
    if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) {
        printf("%s: %s: %s\n", copy, sql, err ? err : "?");
        sqlite3_free(err);
        return 1;
    }
    return 0;
}

int BIG_WORK(const char *copy, struct big_result *r)
{
    sqlite3 *db = 0;
    memset(r, 0, sizeof *r);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        printf("%s: cannot open a database in memory\n", copy);
        return 1;
    }
    int bad = big_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT);"
                           "CREATE INDEX t_s ON t(s);", copy);
    /* Rows through a prepared statement with bound values, in one
     * transaction: the VDBE, the B-tree, the pager in memory. */
    sqlite3_stmt *ins = 0;
    bad |= big_exec(db, "BEGIN", copy);
    if (!bad && sqlite3_prepare_v2(db, "INSERT INTO t(v, s) VALUES(?1, ?2)", -1, &ins, 0) == SQLITE_OK) {
        for (int i = 1; i <= BIG_ROWS; i++) {
            char s[32];
            snprintf(s, sizeof s, "row %d %s", i, i % 3 ? "plain" : "third");
            sqlite3_bind_int64(ins, 1, (long long)i * i);
            sqlite3_bind_text(ins, 2, s, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                printf("%s: insert %d: %s\n", copy, i, sqlite3_errmsg(db));
                bad = 1;
                break;
            }
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
    } else {
        bad = 1;
    }
    bad |= big_exec(db, "COMMIT", copy);
    if (bad) {
        sqlite3_close(db);
        return 1;
    }
    r->sum = big_query_int(db, "SELECT sum(v) FROM t", copy);
    r->count = big_query_int(db, "SELECT count(*) FROM t WHERE s LIKE '%third'", copy);
    /* A join, a group by, a sort and a window function: the planner and the sorter. */
    long long grouped = big_query_int(db,
        "SELECT sum(c * k) FROM (SELECT a.id % 7 AS k, count(*) AS c FROM t a JOIN t b "
        "ON b.id = a.id + 1 GROUP BY k ORDER BY k DESC)", copy);
    long long windowed = big_query_int(db,
        "SELECT max(r) FROM (SELECT row_number() OVER (ORDER BY s DESC) AS r FROM t)", copy);
    long long json = big_query_int(db,
        "SELECT sum(j.value) FROM json_each('[1, 2, 3, 40]') AS j", copy);
    long long cte = big_query_int(db,
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) "
        "SELECT sum(x) FROM c", copy);
    if (r->sum < 0 || r->count < 0 || grouped < 0 || windowed < 0 || json != 46 || cte != 5050) {
        printf("%s: core queries gave %lld %lld %lld %lld %lld %lld\n", copy, r->sum, r->count,
               grouped, windowed, json, cte);
        sqlite3_close(db);
        return 1;
    }
    r->checksum = r->sum * 31 + r->count * 7 + grouped * 3 + windowed + json + cte;

    /* The variant's own extensions. Each checks its answer itself. */
#define BIG_EXPECT(sql, want)                                               \
    do {                                                                     \
        long long got_ = big_query_int(db, sql, copy);                       \
        if (got_ != (want)) {                                                \
            printf("%s: %s gave %lld, not %lld\n", copy, sql, got_, (long long)(want)); \
            bad = 1;                                                         \
        }                                                                    \
        r->features++;                                                       \
    } while (0)
#ifdef SQLITE_ENABLE_FTS5
    bad |= big_exec(db, "CREATE VIRTUAL TABLE f5 USING fts5(body);"
                        "INSERT INTO f5(body) SELECT s FROM t;", copy);
    BIG_EXPECT("SELECT count(*) FROM f5 WHERE f5 MATCH 'third'", r->count);
#endif
#ifdef SQLITE_ENABLE_FTS4
    bad |= big_exec(db, "CREATE VIRTUAL TABLE f4 USING fts4(body);"
                        "INSERT INTO f4(body) SELECT s FROM t;", copy);
    BIG_EXPECT("SELECT count(*) FROM f4 WHERE body MATCH 'plain'", BIG_ROWS - r->count);
#endif
#ifdef SQLITE_ENABLE_RTREE
    bad |= big_exec(db, "CREATE VIRTUAL TABLE rt USING rtree(id, x0, x1, y0, y1);"
                        "INSERT INTO rt SELECT id, id, id + 2, 0, 1 FROM t;", copy);
    BIG_EXPECT("SELECT count(*) FROM rt WHERE x0 <= 50 AND x1 >= 50", 3);
#endif
#ifdef SQLITE_ENABLE_GEOPOLY
    BIG_EXPECT("SELECT geopoly_area('[[0,0],[4,0],[4,3],[0,3],[0,0]]')", 12);
#endif
#ifdef SQLITE_ENABLE_SESSION
    {
        sqlite3_session *ses = 0;
        int n = 0;
        void *cs = 0;
        if (sqlite3session_create(db, "main", &ses) == SQLITE_OK) {
            sqlite3session_attach(ses, "t");
            bad |= big_exec(db, "UPDATE t SET v = v + 1 WHERE id <= 10", copy);
            if (sqlite3session_changeset(ses, &n, &cs) != SQLITE_OK || n <= 0) {
                printf("%s: no changeset\n", copy);
                bad = 1;
            }
            sqlite3_free(cs);
            sqlite3session_delete(ses);
            bad |= big_exec(db, "UPDATE t SET v = v - 1 WHERE id <= 10", copy);
        } else {
            bad = 1;
        }
        r->features++;
    }
#endif
#ifdef SQLITE_ENABLE_STAT4
    bad |= big_exec(db, "ANALYZE", copy);
    BIG_EXPECT("SELECT count(*) > 0 FROM sqlite_stat4", 1);
#endif
#ifdef SQLITE_ENABLE_DBSTAT_VTAB
    BIG_EXPECT("SELECT count(*) > 0 FROM dbstat WHERE name = 't'", 1);
#endif
#ifdef SQLITE_ENABLE_MATH_FUNCTIONS
    BIG_EXPECT("SELECT CAST(round(sqrt(2.0) * 1000000) AS INTEGER)", 1414214);
#endif
#ifdef SQLITE_SOUNDEX
    BIG_EXPECT("SELECT soundex('Robert') = 'R163'", 1);
#endif
    if (sqlite3_close(db) != SQLITE_OK) {
        printf("%s: close failed\n", copy);
        bad = 1;
    }
    return bad;
}
