#!/usr/bin/env python3
"""The real programs of mk/apps.mk under atoll-run (issue 17), on a host
folder given with --dir, as the file service's host store serves it:

- sqlite (our shell over SQLite): a table made, 1000 rows inserted in one
  transaction, counted and summed; a second run on the same file reads
  them back; statements from stdin, a bad one reported as `Error: ...`
  with exit status 1 while the others still run; the file left on the
  host is a valid SQLite database that python3's sqlite3 module reads,
  with the same rows; no journal left behind;
- lz4 (LZ4's own command-line tool): a file of mixed data compressed and
  decompressed in the folder, the result compared byte for byte, the
  compressed file smaller; a damaged compressed file refused with a
  non-zero status. (Not as a filter on stdin/stdout, nor -t, which
  writes to /dev/null: bench/files/FOUND.md says why.)

Part of make test (make test-apps).

    tests/wasi/test_apps.py BUILD
"""
import os
import random
import sqlite3
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
RUN = os.path.join(BUILD, "atoll-run")
PROGRAMS = os.path.join(BUILD, "user", "programs")
SQLITE = os.path.join(PROGRAMS, "sqlite.wasm")
LZ4 = os.path.join(PROGRAMS, "lz4.wasm")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   apps: " + what)
    else:
        failed += 1
        print("FAIL apps: %s\n%s" % (what, detail))


def run(args, stdin=b""):
    p = subprocess.run([RUN] + args, input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def insert_1000():
    # One row per statement, as a program would send them, in one
    # transaction: 1000 INSERTs through the parser, not one bulk statement.
    # On stdin: arguments are limited to 4032 bytes (docs/programs.md).
    return ("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);\nBEGIN;\n" +
            "".join("INSERT INTO t VALUES (%d, 'row %d');\n" % (i, i) for i in range(1, 1001)) +
            "COMMIT;\nSELECT count(*), sum(a) FROM t;\nSELECT b FROM t WHERE a = 777;\n").encode()


# The layer writes stderr into the same console ring as stdout
# (docs/wasi.md), so atoll-run prints both on its stdout: errors are
# looked for in both, in order.
def test_sqlite(folder):
    db = "/data/x.db"
    rc, out, err = run(["--dir", folder + "::/data", SQLITE, db], insert_1000())
    check("sqlite: create, 1000 inserts in a transaction (stdin), count",
          rc == 0 and out + err == "1000|500500\nrow 777\n",
          "rc %d\nout %r\nerr %r" % (rc, out[-300:], err[-300:]))
    host_db = os.path.join(folder, "x.db")
    check("sqlite: the file is on the host", os.path.isfile(host_db) and
          os.path.getsize(host_db) >= 4096, str(os.listdir(folder)))
    check("sqlite: no journal left behind", not os.path.exists(host_db + "-journal"),
          str(os.listdir(folder)))

    rc, out, err = run(["--dir", folder + "::/data", SQLITE, db,
                        "SELECT a, b FROM t WHERE a % 250 = 0 ORDER BY a"])
    check("sqlite: a second run reads the rows back",
          rc == 0 and out == "250|row 250\n500|row 500\n750|row 750\n1000|row 1000\n",
          "rc %d\nout %r\nerr %r" % (rc, out, err))

    script = (b"UPDATE t SET b = 'changed' WHERE a <= 10;\n"
              b"SELECT count(*)\n  FROM t WHERE b = 'changed';\n"
              b"SELEKT 1;\n"
              b"SELECT 'semi;colon', NULL, 2.5;\n"
              b"INSERT INTO t VALUES (1, 'duplicate');\n"
              b"SELECT max(a) FROM t")          # the last, without its ';'
    rc, out, err = run(["--dir", folder + "::/data", SQLITE, db], script)
    check("sqlite: statements from stdin, errors reported, the rest run, status 1",
          rc == 1 and out == '10\nsemi;colon||2.5\n1000\n' and
          err == 'Error: near "SELEKT": syntax error\nError: UNIQUE constraint failed: t.a\n',
          "rc %d\nout %r\nerr %r" % (rc, out, err))

    rc, out, err = run(["--dir", folder + "::/data", SQLITE, db, "SELECT * FROM nowhere"])
    check("sqlite: a bad statement as an argument, status 1",
          rc == 1 and out + err == "Error: no such table: nowhere\n",
          "rc %d\nout %r\nerr %r" % (rc, out, err))

    try:
        con = sqlite3.connect(host_db)
        rows = con.execute("SELECT count(*), sum(a), "
                           "sum(b = 'changed') FROM t").fetchone()
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        check("sqlite: python3's sqlite3 reads the host file: same rows, integrity ok",
              rows == (1000, 500500, 10) and ok == "ok", "%r %r" % (rows, ok))
    except sqlite3.Error as e:
        check("sqlite: python3's sqlite3 reads the host file", False, repr(e))

    rc, out, err = run(["--dir", folder + "::/data", SQLITE, "/data/no/such/dir/y.db", "SELECT 1"])
    check("sqlite: a file that cannot be opened is an error, status 1",
          rc == 1 and "Error: cannot open /data/no/such/dir/y.db" in out + err, "rc %d\nout %r\nerr %r" % (rc, out, err))


def sample_data():
    # Compressible text and incompressible bytes, so both of lz4's block
    # kinds appear; seeded, so a failure can be replayed.
    rnd = random.Random(17)
    text = b"".join(b"line %d: the quick brown fox %d\n" % (i, rnd.randrange(50))
                    for i in range(40000))
    noise = bytes(rnd.randrange(256) for _ in range(200000))
    return text[:600000] + noise + text[600000:]


def test_lz4(folder):
    data = sample_data()
    with open(os.path.join(folder, "in.bin"), "wb") as f:
        f.write(data)
    rc, out, err = run(["--dir", folder + "::/d", LZ4, "-q", "/d/in.bin", "/d/in.bin.lz4"])
    comp = os.path.join(folder, "in.bin.lz4")
    size = os.path.getsize(comp) if os.path.exists(comp) else -1
    check("lz4: compresses a file (%d -> %d bytes)" % (len(data), size),
          rc == 0 and 0 < size < len(data) * 3 // 4, "rc %d\n%s%s" % (rc, out, err))
    rc, out, err = run(["--dir", folder + "::/d", LZ4, "-q", "-d", "/d/in.bin.lz4", "/d/out.bin"])
    with open(os.path.join(folder, "out.bin"), "rb") as f:
        back = f.read()
    check("lz4: decompresses it back, byte for byte", rc == 0 and back == data,
          "rc %d, %d bytes back\n%s%s" % (rc, len(back), out, err))
    # As a filter: stdin and stdout are pipes, which the layer does not
    # call a terminal (lz4 refuses to read compressed data from one).
    p = subprocess.run([RUN, LZ4, "-c"], input=data, capture_output=True, timeout=300)
    q = subprocess.run([RUN, LZ4, "-dc"], input=p.stdout, capture_output=True, timeout=300)
    check("lz4: as a filter on pipes, a round trip", p.returncode == 0 and q.returncode == 0 and
          q.stdout == data, "rc %d %d\n%s%s" % (p.returncode, q.returncode,
                                               p.stderr.decode(errors="replace"),
                                               q.stderr.decode(errors="replace")))
    with open(comp, "rb") as f:
        broken = bytearray(f.read())
    for i in range(64, len(broken), 997):       # past the frame header
        broken[i] ^= 0x5a
    with open(os.path.join(folder, "broken.lz4"), "wb") as f:
        f.write(broken)
    rc, out, err = run(["--dir", folder + "::/d", LZ4, "-q", "-d", "-f",
                        "/d/broken.lz4", "/d/broken.out"])
    check("lz4: a damaged file is refused with a non-zero status (no trap)",
          rc not in (0, 134), "rc %d\n%s%s" % (rc, out, err))


for f in (SQLITE, LZ4, RUN):
    if not os.path.exists(f):
        print("FAIL apps: %s is missing (make apps builds it)" % f)
        print("apps (atoll-run): 0 passed, 1 failed")
        sys.exit(1)

with tempfile.TemporaryDirectory(prefix="atoll-apps-") as d:
    os.mkdir(os.path.join(d, "sql"))
    os.mkdir(os.path.join(d, "lz4"))
    test_sqlite(os.path.join(d, "sql"))
    test_lz4(os.path.join(d, "lz4"))

print("apps (atoll-run): %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
