"""The real programs of mk/apps.mk in the kernel (issue 17), run from the
shell on the file service (docs/files.md):

- sqlite (our shell over SQLite's amalgamation from better-sqlite3) on
  /tmp/x.db: a table made and 1000 rows inserted in one transaction from
  statements typed on its stdin, counted; a second run opens the file
  again and reads them; a bad statement reports `Error: ...` and exit
  status 1; the file is in /tmp, and no journal is left;
- lz4 (LZ4's own command-line tool, from the npm package lz4): a file of
  the image compressed into /tmp and decompressed again, the sizes
  compared, and a small text file round-tripped and printed byte for byte.

The same programs under atoll-run: tests/wasi/test_apps.py.
"""
import os
import random
import re

from atollqemu import Boot
import test_programs
from test_programs import archive_modules, command, start, wait_serial, keys_for, USER
from test_files import files_module

PROGRAMS = os.path.join(USER, "programs")
SQLITE = os.path.join(PROGRAMS, "sqlite.wasm")
LZ4 = os.path.join(PROGRAMS, "lz4.wasm")
FTOOL = os.path.join(PROGRAMS, "ftool.wasm")

# QEMU monitor names of the keys SQL needs (US layout, as userboot's
# keyboard map), added to the ones test_programs knows.
test_programs.NAMED.update({"'": "apostrophe", "(": "shift-9", ")": "shift-0", "*": "shift-8",
                            "|": "shift-backslash", ";": "semicolon", "<": "shift-comma",
                            ">": "shift-dot", "+": "shift-equal"})

NOTE = "compressed twice, decompressed once: lz4 in the kernel\nsecond line 12345\n"


DATA_SIZE = []


def image(folder):
    rnd = random.Random(17)
    text = b"".join(b"line %d: the quick brown fox %d\n" % (i, rnd.randrange(50))
                    for i in range(4000))
    noise = bytes(rnd.randrange(256) for _ in range(30000))
    with open(os.path.join(folder, "data.bin"), "wb") as f:
        f.write(text + noise + text)
    DATA_SIZE[:] = [2 * len(text) + len(noise)]
    with open(os.path.join(folder, "note.txt"), "w") as f:
        f.write(NOTE)


def typed(b, lines, wait_for=None, timeout=120):
    """Types lines on the running program's stdin; waits for wait_for in
    the serial log after them."""
    mark = len(b.serial)
    for line in lines:
        b.send_keys(keys_for(line + "\n"), gap=0.04, hold=20)
    if wait_for:
        s = wait_serial(b, lambda s: wait_for in s[mark:], timeout=timeout)
        assert wait_for in s[mark:], "no %r after typing:\n%s" % (wait_for, s[mark:][-3000:])


def test_sqlite_and_lz4_from_the_shell():
    for f in (SQLITE, LZ4, FTOOL):
        assert os.path.exists(f), "%s is missing: make test-kernel builds it" % f
    modules = archive_modules({"sqlite": SQLITE, "lz4": LZ4, "ftool": FTOOL},
                              wasi=True, fsd=True) + [files_module(image)]
    with Boot(append="loglevel=2", modules=modules, timeout=900) as b:
        start(b)
        assert b.wait_for("fsd: serving 2 files of the image at /, and /tmp", 60), \
            b.serial[-2000:]

        # sqlite: statements on stdin, 1000 rows in one transaction.
        mark = len(b.serial)
        b.send_keys(keys_for("run sqlite /tmp/x.db\n"), gap=0.04, hold=20)
        wait_serial(b, lambda s: "run sqlite /tmp/x.db" in s[mark:])
        typed(b, ["CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);",
                  "BEGIN;",
                  "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c",
                  "  WHERE i<1000) INSERT INTO t SELECT i, 'row '||i FROM c;",
                  "COMMIT;",
                  "SELECT count(*), sum(a), max(length(b)) FROM t;"],
              wait_for="1000|500500|8", timeout=300)
        b.send_keys(["ctrl-d"])
        out = command(b, "ps", lambda o: "userboot" in o, timeout=60)
        assert "sqlite" not in out, out
        assert "Error" not in b.serial[mark:], b.serial[mark:][-3000:]

        # A second run reads the file again.
        out = command(b, 'run sqlite /tmp/x.db "SELECT b FROM t WHERE a=777"',
                      lambda o: "row 777" in o, timeout=120, fast=True)
        assert out.strip() == "row 777", out
        out = command(b, 'run sqlite /tmp/x.db "SELECT count(*) FROM t WHERE b<>\'\'"',
                      lambda o: re.search(r"^\d+$", o, re.M), timeout=120, fast=True)
        assert out.strip() == "1000", out

        # A bad statement: the error, the next statement still runs, status 1.
        out = command(b, 'run sqlite /tmp/x.db "SELECT * FROM nowhere" "SELECT 6*7"',
                      lambda o: "exit status" in o, timeout=120, fast=True)
        assert out.splitlines() == ["Error: no such table: nowhere", "42",
                                    "sqlite: exit status 1"], out

        out = command(b, "run ftool ls /tmp", lambda o: "x.db" in o, timeout=60, fast=True)
        m = re.search(r"^f x\.db (\d+)$", out, re.M)
        assert m and int(m.group(1)) >= 4096 and int(m.group(1)) % 4096 == 0, out
        assert "journal" not in out, out

        # lz4: a file of the image into /tmp and back.
        out = command(b, "run lz4 -q /data.bin /tmp/d.lz4", lambda o: True, timeout=180,
                      fast=True)
        assert "exit status" not in out and "trapped" not in out, out
        out = command(b, "run lz4 -q -d /tmp/d.lz4 /tmp/d.out", lambda o: True, timeout=180,
                      fast=True)
        assert "exit status" not in out and "trapped" not in out, out
        out = command(b, "run ftool ls /tmp", lambda o: "d.out" in o, timeout=60, fast=True)
        size = DATA_SIZE[0]
        assert re.search(r"^f d\.out %d$" % size, out, re.M), (size, out)
        m = re.search(r"^f d\.lz4 (\d+)$", out, re.M)
        assert m and int(m.group(1)) < size * 3 // 4, out

        # A small text file, compressed and decompressed, printed whole.
        for line in ("run lz4 -q /note.txt /tmp/n.lz4", "run lz4 -q -d /tmp/n.lz4 /tmp/n.txt"):
            out = command(b, line, lambda o: True, timeout=120, fast=True)
            assert "exit status" not in out, out
        out = command(b, "run ftool cat /tmp/n.txt", lambda o: "12345" in o, timeout=60,
                      fast=True)
        assert out == NOTE, repr(out)
        assert "panic" not in b.serial, b.serial[-3000:]
