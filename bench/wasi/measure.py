#!/usr/bin/env python3
"""make bench-wasi: what running WASI programs costs on Atoll (issue 17),
side by side with node's node:wasi and with Linux:

- start to exit of a WASI hello world (bench/wasi/hello.c, wasi-libc):
  `atoll-run hello.wasm` against `node tests/wasi/node_wasi.mjs
  hello.wasm` and the same C built natively by gcc, each a fresh process,
  wall time (median of RUNS, pinned to CPU 1 when there is one);
- one WASI call through the runtime (bench/wasi/calls.c, timed inside with
  clock_time_get): clock_time_get (one kernel call and an 8-byte copy
  out on Atoll) and args_sizes_get (two 4-byte copies out, no other
  kernel call), ns per call under atoll-run and node, and instructions per
  call in the kernel (the program run from the shell under QEMU with
  `-icount shift=0`, where clock_ns counts instructions:
  bench/ipc/measure.py explains why);
- calls that go to the file service and back (calls.c given a folder):
  stat (path_filestat_get), a 4 KiB pread and a 4 KiB pwrite, on a file
  in a scratch folder (atoll-run and node: --dir; the kernel: /tmp).

    bench/wasi/measure.py [-n RUNS] [--build DIR] [--no-kernel]

A file read/write loop and SQLite are bench/files'; the compile time of
a 20 MB module is bench/large's.
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

FIGURE = re.compile(r"wasi-bench: (\S+) (\d+) ns")
NAMES = ("clock_time_get", "args_sizes_get", "stat", "pread_4k", "pwrite_4k")
CALLS = 200000          # natively; under QEMU the program's default, 100000


def pinned():
    if shutil.which("taskset") and 1 in os.sched_getaffinity(0):
        return ["taskset", "-c", "1"]
    return []


def build_programs(out):
    """hello.wasm, calls.wasm (wasi-libc) and hello-native (gcc)."""
    os.makedirs(out, exist_ok=True)
    progs = {}
    for name in ("hello", "calls"):
        dst = os.path.join(out, name + ".wasm")
        subprocess.run(["clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-o", dst,
                        os.path.join(HERE, name + ".c")], check=True)
        progs[name] = dst
    native = os.path.join(out, "hello-native")
    subprocess.run(["gcc", "-O2", "-o", native, os.path.join(HERE, "hello.c")], check=True)
    progs["native"] = native
    return progs


def wall(cmd, runs):
    """Median wall time (ns) of runs fresh processes of cmd, output checked."""
    times = []
    for _ in range(runs):
        t = time.monotonic_ns()
        p = subprocess.run(pinned() + cmd, capture_output=True, timeout=120)
        times.append(time.monotonic_ns() - t)
        if p.returncode != 0 or b"hello, world" not in p.stdout:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                    p.stderr.decode(errors="replace")[-500:]))
    return statistics.median(times)


def calls(cmd, n, guest_dir):
    p = subprocess.run(pinned() + cmd + [str(n), guest_dir], capture_output=True, timeout=600)
    figs = {m.group(1): int(m.group(2)) for m in FIGURE.finditer(p.stdout.decode())}
    if p.returncode != 0 or len(figs) != len(NAMES):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                p.stderr.decode(errors="replace")[-500:]))
    return figs


def in_kernel(build, prog):
    """Per-call instruction counts: calls.wasm run from the shell under
    -icount shift=0 (clock_ns then counts instructions)."""
    from atollqemu import Boot
    from test_programs import archive_modules, start, keys_for, wait_serial
    modules = archive_modules({"calls": prog}, wasi=True, fsd=True)
    with Boot(append="loglevel=2", modules=modules, timeout=900,
              extra=["-icount", "shift=0"]) as b:
        start(b, timeout=300)
        # Typed slowly: under icount the guest's time runs at its own pace
        # and keys sent at the test's usual gap are lost.
        mark = len(b.serial)
        b.send_keys(keys_for("run calls 20000 /tmp\n"), gap=0.5)
        wait_serial(b, lambda s: "pwrite_4k" in s[mark:], timeout=900)
        out = b.serial[mark:]
    figs = {m.group(1): int(m.group(2)) for m in FIGURE.finditer(out)}
    if len(figs) != len(NAMES):
        raise RuntimeError("no figures from the kernel:\n" + out[-1000:])
    return figs


def measure(build, runs, log=print, kernel=True):
    build = os.path.abspath(build)
    progs = build_programs(os.path.join(build, "bench", "wasi"))
    run = os.path.join(build, "atoll-run")
    node = ["node", "--no-warnings", os.path.join(ROOT, "tests", "wasi", "node_wasi.mjs")]
    res = {"runs": runs, "pinned": bool(pinned())}
    log("  wasi: hello world start to exit (%d runs each)" % runs)
    res["hello"] = {"atoll-run": wall([run, progs["hello"]], runs),
                    "node": wall(node + [progs["hello"]], runs),
                    "native": wall([progs["native"]], runs)}
    log("  wasi: calls (%d each, %d runs)" % (CALLS, runs))
    per = {"atoll-run": [], "node": []}
    scratch = tempfile.mkdtemp(prefix="wasi-bench-")
    for _ in range(runs):
        per["atoll-run"].append(calls([run, "--dir", scratch + "::/scratch", progs["calls"]],
                                      CALLS, "/scratch"))
        per["node"].append(calls(node + ["--dir", scratch + "::/scratch", progs["calls"]],
                                 CALLS, "/scratch"))
    shutil.rmtree(scratch, ignore_errors=True)
    res["calls"] = {k: {f: statistics.median(r[f] for r in v) for f in v[0]}
                    for k, v in per.items()}
    if kernel:
        log("  wasi: calls in the kernel (QEMU, icount)")
        res["kernel"] = in_kernel(build, progs["calls"])
    return res


def fmt_us(ns):
    return "%.2f ms" % (ns / 1e6) if ns >= 1e6 else "%.0f µs" % (ns / 1e3)


def markdown(res):
    out = []
    add = out.append
    h = res["hello"]
    add("A WASI hello world (`bench/wasi/hello.c`, wasi-libc) from start to exit, a fresh "
        "process each time, median of %d (%s): **atoll-run** (the hosted kernel, the WASI "
        "layer, the program compiled on every start), **node** 20 (`node:wasi`), and the "
        "same C built by gcc for Linux." % (res["runs"], "pinned to CPU 1" if res["pinned"]
                                              else "not pinned"))
    add("")
    add("| | atoll-run | node:wasi | Linux native | atoll-run ÷ node |")
    add("|---|---|---|---|---|")
    add("| hello world, start to exit | %s | %s | %s | %.2f× |"
        % (fmt_us(h["atoll-run"]), fmt_us(h["node"]), fmt_us(h["native"]),
           h["atoll-run"] / h["node"]))
    c = res["calls"]
    k = res.get("kernel")
    add("")
    add("One WASI call (`bench/wasi/calls.c`, %d calls timed inside with clock_time_get; "
        "median of the runs). Kernel: the same program run from the shell under QEMU with "
        "`-icount shift=0`, where a ns is an instruction." % CALLS)
    add("")
    add("| call | atoll-run (ns) | node:wasi (ns) | kernel (instructions) |")
    add("|---|---|---|---|")
    for f, what in (("clock_time_get", "clock_time_get (one kernel call, 8 bytes out)"),
                    ("args_sizes_get", "args_sizes_get (two 4-byte copies out)"),
                    ("stat", "stat: path_filestat_get (a round trip to the file service)"),
                    ("pread_4k", "fd_pread, 4 KiB (a round trip, 4 KiB back)"),
                    ("pwrite_4k", "fd_pwrite, 4 KiB (a round trip, 4 KiB there)")):
        add("| %s | %d | %d | %s |" % (what, c["atoll-run"][f], c["node"][f],
                                      "%d" % k[f] if k else "—"))
    add("")
    add("Each copy into or out of the program's memory is a coral call (`vma_write`) from the "
        "layer: the price of keeping the layer's memory apart from the program's "
        "(docs/wasi.md). A file call adds a `channel_call` round trip to the file service: "
        "under atoll-run the launcher answers it natively over a host folder "
        "(`host/hostfs.c`, a Linux system call each); in the kernel fsd answers it from "
        "memory (`/tmp`). The kernel's figures are for 20000 calls each.")
    return out


def main():
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 5
    build = sys.argv[sys.argv.index("--build") + 1] if "--build" in sys.argv else \
        os.path.join(ROOT, "build")
    res = measure(build, n, log=lambda s: print(s, file=sys.stderr),
                  kernel="--no-kernel" not in sys.argv)
    print("\n".join(markdown(res)))


if __name__ == "__main__":
    main()
