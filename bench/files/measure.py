#!/usr/bin/env python3
"""make bench-files: files through the WASI layer (issue 17), side by side
with node's node:wasi and Linux:

- a file read/write loop (bench/files/fileloop.c, the same C on wasi-libc
  and natively): 16 MiB written in 4 KiB and in 64 KiB writes, fsync'd,
  read back in the same chunks and checked; each phase timed inside the
  program with clock_gettime, under atoll-run (--dir on a host folder,
  the file service's host store), node 20 (`node:wasi`, the same
  preopen) and natively (gcc -O2);
- SQLite: our shell (user/apps/sqlite) given, on stdin, a CREATE TABLE,
  1000 INSERTs in one transaction and a query, on a fresh file; timed
  inside (`sqlite -t`: open to close) and as a whole process, under
  atoll-run, node and the same shell and amalgamation built by gcc -O2;
- in the kernel (unless --no-kernel): fileloop on /tmp (fsd's memory
  store), 1 MiB, run from the shell under QEMU with `-icount shift=0`,
  where a ns of clock_ns is an instruction: instructions per write and
  read call through the layer and the file service.

Medians of RUNS fresh processes, pinned to CPU 1 when there is one.

    bench/files/measure.py [-n RUNS] [--build DIR] [--no-kernel] [--update FILE]

--update FILE replaces (or appends) this section in FILE between its
markers, so make bench can add it to bench/results.md.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

PHASE = re.compile(r"fileloop: (write|read) (\d+) (\d+) ns (\d+) calls")
SQL_TIME = re.compile(r"sqlite: time (\d+) ns")
BEGIN, END = "<!-- bench-files: begin -->", "<!-- bench-files: end -->"
SQLITE_OPTIONS = ["-DSQLITE_DEFAULT_UNIX_VFS=\"unix-none\"", "-DSQLITE_OMIT_WAL",
                  "-DSQLITE_MAX_MMAP_SIZE=0", "-DSQLITE_THREADSAFE=0",
                  "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_DQS=0"]


def pinned():
    if shutil.which("taskset") and 1 in os.sched_getaffinity(0):
        return ["taskset", "-c", "1"]
    return []


def newer(dst, *srcs):
    return os.path.exists(dst) and all(os.path.getmtime(dst) >= os.path.getmtime(s)
                                       for s in srcs)


def build(build_dir):
    out = os.path.join(build_dir, "bench", "files")
    os.makedirs(out, exist_ok=True)
    src = os.path.join(HERE, "fileloop.c")
    p = {"fileloop.wasm": os.path.join(out, "fileloop.wasm"),
         "fileloop": os.path.join(out, "fileloop-native"),
         "sqlite.wasm": os.path.join(build_dir, "user", "programs", "sqlite.wasm"),
         "sqlite": os.path.join(out, "sqlite-native")}
    if not newer(p["fileloop.wasm"], src):
        subprocess.run(["clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall",
                        "-Werror", "-o", p["fileloop.wasm"], src], check=True)
    if not newer(p["fileloop"], src):
        subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", p["fileloop"], src], check=True)
    amal = os.path.join(build_dir, "bench", "decode", "package", "deps", "sqlite3")
    shell = os.path.join(ROOT, "user", "apps", "sqlite", "sqlite.c")
    for f in (p["sqlite.wasm"], os.path.join(amal, "sqlite3.c")):
        if not os.path.exists(f):
            raise RuntimeError("%s is missing: make apps builds it" % f)
    if not newer(p["sqlite"], shell, os.path.join(amal, "sqlite3.c")):
        # The same SQLite as the Wasm build: its options, gcc -O2.
        subprocess.run(["gcc", "-O2", "-I" + amal] + SQLITE_OPTIONS +
                       ["-o", p["sqlite"], shell, os.path.join(amal, "sqlite3.c"), "-lm"],
                       check=True)
    return p


def runners(build_dir):
    node = ["node", "--no-warnings", os.path.join(ROOT, "tests", "wasi", "node_wasi.mjs")]
    run = os.path.join(build_dir, "atoll-run")
    # (name, command for a program with folder d preopened as /d, its path for the program)
    return [("atoll-run", lambda prog, d: [run, "--dir", d + "::/d", prog], "/d"),
            ("node", lambda prog, d: node + ["--dir", d + "::/d", prog], "/d"),
            ("native", lambda prog, d: [prog], None)]


def fileloop(p, build_dir, runs, log):
    res = {}
    for name, cmd, guest in runners(build_dir):
        prog = p["fileloop"] if name == "native" else p["fileloop.wasm"]
        per = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="atoll-bench-files-", dir=build_dir) as d:
                q = subprocess.run(pinned() + cmd(prog, d) + [guest or d, "16"],
                                   capture_output=True, timeout=600)
                figs = {(m.group(1), int(m.group(2))): (int(m.group(3)), int(m.group(4)))
                        for m in PHASE.finditer(q.stdout.decode())}
                if q.returncode != 0 or len(figs) != 4:
                    raise RuntimeError("fileloop under %s: exit %d: %s" % (
                        name, q.returncode, (q.stdout + q.stderr).decode(errors="replace")[-500:]))
                per.append(figs)
        res[name] = {k: (statistics.median(r[k][0] for r in per), per[0][k][1]) for k in per[0]}
        log("  files: fileloop under %s done" % name)
    return res


def sql_script():
    return ("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);\nBEGIN;\n" +
            "".join("INSERT INTO t VALUES (%d, 'row number %d', %d.5);\n" % (i, i, i)
                    for i in range(1, 1001)) +
            "COMMIT;\nSELECT count(*), sum(a), sum(c), max(b) FROM t WHERE b LIKE 'row%';\n"
            ).encode()


SQL_ANSWER = "1000|500500|501000.0|row number 999\n"


def sqlite(p, build_dir, runs, log):
    res = {}
    for name, cmd, guest in runners(build_dir):
        prog = p["sqlite"] if name == "native" else p["sqlite.wasm"]
        inside, whole = [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="atoll-bench-sql-", dir=build_dir) as d:
                db = (guest or d) + "/b.db"
                t = time.monotonic_ns()
                q = subprocess.run(pinned() + cmd(prog, d) + ["-t", db], input=sql_script(),
                                   capture_output=True, timeout=600)
                whole.append(time.monotonic_ns() - t)
                out = (q.stdout + q.stderr).decode(errors="replace")
                m = SQL_TIME.search(out)
                if q.returncode != 0 or SQL_ANSWER not in out or not m:
                    raise RuntimeError("sqlite under %s: exit %d: %s" % (name, q.returncode,
                                                                         out[-500:]))
                inside.append(int(m.group(1)))
        res[name] = {"inside": statistics.median(inside), "whole": statistics.median(whole)}
        log("  files: sqlite under %s done" % name)
    return res


def in_kernel(build_dir, prog):
    """fileloop /tmp 1 from the shell under -icount shift=0: instructions
    per phase (clock_ns counts instructions)."""
    from atollqemu import Boot
    from test_programs import archive_modules, start, keys_for, wait_serial
    modules = archive_modules({"fileloop": prog}, wasi=True, fsd=True)
    with Boot(append="loglevel=2", modules=modules, timeout=900,
              extra=["-icount", "shift=0"]) as b:
        start(b, timeout=300)
        mark = len(b.serial)
        # Typed slowly: under icount the guest's time runs at its own pace.
        b.send_keys(keys_for("run fileloop /tmp 1\n"), gap=0.5)
        wait_serial(b, lambda s: len(PHASE.findall(s[mark:])) == 4 or "exit status" in s[mark:],
                    timeout=600)
        out = b.serial[mark:]
    figs = {(m.group(1), int(m.group(2))): (int(m.group(3)), int(m.group(4)))
            for m in PHASE.finditer(out)}
    if len(figs) != 4:
        raise RuntimeError("no figures from the kernel:\n" + out[-1000:])
    return figs


def measure(build_dir, runs, log=print, kernel=True):
    build_dir = os.path.abspath(build_dir)
    p = build(build_dir)
    res = {"runs": runs, "pinned": bool(pinned())}
    log("  files: fileloop, 16 MiB (%d runs each)" % runs)
    res["loop"] = fileloop(p, build_dir, runs, log)
    log("  files: sqlite, 1000 inserts (%d runs each)" % runs)
    res["sqlite"] = sqlite(p, build_dir, runs, log)
    if kernel:
        log("  files: fileloop in the kernel (QEMU, icount)")
        res["kernel"] = in_kernel(build_dir, p["fileloop.wasm"])
    return res


def ms(ns):
    return "%.1f ms" % (ns / 1e6)


def markdown(res, command):
    out = []
    add = out.append
    add(BEGIN)
    add("## Files through the WASI layer (issue 17)")
    add("")
    add("Measured by `%s` (`bench/files/measure.py`), %s; median of %d fresh processes "
        "each, %s. atoll-run: `--dir` on a host folder (the file service's core over "
        "`host/hostfs.c`); node 20: `node:wasi` with the same preopen; native: the same C "
        "built by gcc -O2. The folder is on the build tree's disk (ext4)."
        % (command, time.strftime("%Y-%m-%d"), res["runs"],
           "pinned to CPU 1" if res["pinned"] else "not pinned"))
    add("")
    add("**A file read/write loop** (`bench/files/fileloop.c`): 16 MiB written in chunks, "
        "fsync'd and closed, then read back in the same chunks and checked; each phase "
        "timed inside the program.")
    add("")
    add("| phase | atoll-run | node:wasi | Linux native | atoll-run ÷ node | atoll-run ÷ native "
        "| atoll-run per call | native per call |")
    add("|---|---|---|---|---|---|---|---|")
    loop = res["loop"]
    for key in (("write", 4096), ("read", 4096), ("write", 65536), ("read", 65536)):
        a, calls = loop["atoll-run"][key]
        n, _ = loop["node"][key]
        x, xcalls = loop["native"][key]
        add("| %s %d KiB (%d calls) | %s | %s | %s | %.2f× | %.2f× | %.1f µs | %.1f µs |"
            % (key[0], key[1] // 1024, calls, ms(a), ms(n), ms(x), a / n, a / x,
               a / calls / 1e3, x / xcalls / 1e3))
    k = res.get("kernel")
    if k:
        add("")
        add("In the kernel: the same program on `/tmp` (fsd's memory store), 1 MiB, run from "
            "the shell under QEMU with `-icount shift=0` (a ns is an instruction): "
            "instructions per call, through the layer (the copies in and out of the "
            "program's memory) and one `channel_call` to fsd a call (60 KiB at most a "
            "round trip).")
        add("")
        add("| call | instructions per call | per KiB |")
        add("|---|---|---|")
        for key in (("write", 4096), ("read", 4096), ("write", 65536), ("read", 65536)):
            ins, calls = k[key]
            add("| %s of %d KiB | %d | %d |" % (key[0], key[1] // 1024, ins / calls,
                                                ins / calls / (key[1] / 1024)))
        add("")
        add("That is 9 to 21 instructions a byte: every byte is copied several times (the "
            "program's memory to the layer's with `vma_write`, the layer's to the channel, "
            "the channel to fsd's memory, into its store; the other way for a read), and "
            "which of these copies runs byte by byte is not yet profiled "
            "(bench/files/FOUND.md).")
    s = res["sqlite"]
    add("")
    add("**SQLite** (`user/apps/sqlite`, our shell over SQLite 3.53.2; options as in "
        "its Makefile, the same for gcc): on stdin, CREATE TABLE, 1000 INSERTs in one "
        "transaction, COMMIT, a query over the rows, on a fresh file. *Inside*: "
        "`sqlite -t`, open to close; *process*: the whole run, start (and for the Wasm "
        "runtimes, compiling the 1.1 MB module) to exit.")
    add("")
    add("| | atoll-run | node:wasi | Linux native | atoll-run ÷ node | atoll-run ÷ native |")
    add("|---|---|---|---|---|---|")
    for f, what in (("inside", "inside (open to close)"), ("whole", "process, start to exit")):
        add("| %s | %s | %s | %s | %.2f× | %.2f× |" % (
            what, ms(s["atoll-run"][f]), ms(s["node"][f]), ms(s["native"][f]),
            s["atoll-run"][f] / s["node"][f], s["atoll-run"][f] / s["native"][f]))
    add("")
    add("node's *inside* figure is far above its file loop's: not investigated here; it may "
        "include V8 compiling or tiering up SQLite's functions during the run, which "
        "atoll-run does before `_start` (its compile is in the *process* row).")
    add(END)
    return out


def update(path, lines):
    text = open(path).read() if os.path.exists(path) else ""
    block = "\n".join(lines) + "\n"
    if BEGIN in text and END in text:
        a = text.index(BEGIN)
        b = text.index(END) + len(END)
        text = text[:a] + block.rstrip("\n") + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    with open(path, "w") as f:
        f.write(text)


def main():
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 5
    build_dir = sys.argv[sys.argv.index("--build") + 1] if "--build" in sys.argv else \
        os.path.join(ROOT, "build")
    res = measure(build_dir, n, log=lambda s: print(s, file=sys.stderr),
                  kernel="--no-kernel" not in sys.argv)
    lines = markdown(res, "make bench-files")
    print("\n".join(lines))
    if "--update" in sys.argv:
        update(sys.argv[sys.argv.index("--update") + 1], lines)


if __name__ == "__main__":
    main()
