#!/usr/bin/env python3
"""make bench-large: the compile time and memory of a 20+ MB WASI command
(bench/large/big.wasm, built by build-big.sh: eleven variants of SQLite in
one module), in Atoll's engine and in V8, and in the kernel under QEMU.

- Atoll, hosted (the engine atoll-run uses): `bench-compile -n RUNS`
  (bench/compile/bench_compile.c: thread CPU time of decode+validate+
  compile and of the compile alone, median) and `compile-peak`
  (bench/large/compile_peak.c: the most bytes the engine held at once,
  heap plus code regions, which is what the kernel commits; and the
  process's peak RSS during it); then `atoll-run big.wasm -q`, start to
  exit (compile and run), wall and peak RSS of the process, and the
  same under node:wasi.
- V8 (node 20), `node FLAGS bench/large/v8_compile.mjs big.wasm`: one
  `WebAssembly.compile` of the same bytes, a fresh process per run, with
  `--liftoff-only --no-wasm-lazy-compilation` (baseline tier, every
  function up front, as Atoll compiles), `--no-wasm-lazy-compilation`
  (default tiering, compiled up front) and node's defaults (lazy: it
  validates and compiles each function at its first call, so this is no
  compile figure, but it is what node does); wall, CPU and peak RSS.
- The kernel under QEMU: `run big -q` from the shell with loglevel=3,
  whose kmodule line gives the copy+decode+validate and the compile
  times in the kernel's clock; under TCG (relative: emulated) and under
  `-icount shift=0` (the clock counts instructions, 1 ns each). `mem`
  around it gives the least free RAM, so the kernel's peak.

Every host figure is pinned to one CPU (taskset -c 1) and the median of
RUNS fresh runs.

    bench/large/measure.py [-n RUNS] [--build DIR] [--no-kernel] [--out FILE]
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
sys.path.insert(0, os.path.join(ROOT, "bench", "compile"))
import measure as compile_measure  # noqa: E402  (bench-compile's output parser)

V8_MODES = [
    ("liftoff", "V8 Liftoff (baseline), eager",
     ["--liftoff-only", "--no-wasm-lazy-compilation"]),
    ("default_eager", "V8 default tiering, eager", ["--no-wasm-lazy-compilation"]),
    ("default", "V8 node's defaults (lazy: validation only)", []),
]


def pinned():
    if shutil.which("taskset") and 1 in os.sched_getaffinity(0):
        return ["taskset", "-c", "1"]
    return []


def big(build):
    return os.path.join(build, "bench", "large", "big.wasm")


def hosted(build, runs):
    wasm = big(build)
    out = subprocess.run(pinned() + [os.path.join(build, "bench", "bench-compile"), "-n",
                                     str(runs), wasm],
                         capture_output=True, text=True, timeout=1200, check=True).stdout
    r = compile_measure.parse(out)
    out = subprocess.run(pinned() + [os.path.join(build, "bench", "compile-peak"), wasm],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    r["peak"] = int(re.search(r"engine peak: (\d+) bytes", out).group(1))
    r["decoded"] = int(re.search(r"decoded module (\d+)", out).group(1))
    r["kept"] = int(re.search(r"kept: (\d+) bytes", out).group(1))
    r["rss_kib"] = int(re.search(r"process peak RSS: (\d+) KiB", out).group(1))
    # atoll-run start to exit: compile, instantiate, run the workload.
    walls, rss = [], []
    for _ in range(runs):
        p = subprocess.run(pinned() + ["/usr/bin/time", "-f", "@@ %e %M",
                                       os.path.join(build, "atoll-run"), wasm, "-q", "3"],
                           capture_output=True, text=True, timeout=600)
        assert p.returncode == 3 and "0 failed" in p.stdout, p.stdout + p.stderr
        m = re.search(r"@@ ([\d.]+) (\d+)", p.stderr)
        walls.append(float(m.group(1)) * 1000)
        rss.append(int(m.group(2)))
    r["run_ms"] = walls
    r["run_rss_kib"] = rss
    return r


def node_run(build, runs):
    """node:wasi start to exit (tests/wasi/node_wasi.mjs, node's
    defaults): wall ms and peak RSS KiB of each run."""
    walls, rss = [], []
    for _ in range(runs):
        p = subprocess.run(pinned() + ["/usr/bin/time", "-f", "@@ %e %M", "node", "--no-warnings",
                                       os.path.join(ROOT, "tests", "wasi", "node_wasi.mjs"),
                                       big(build), "-q", "3"],
                           capture_output=True, text=True, timeout=600)
        assert p.returncode == 3 and "0 failed" in p.stdout, p.stdout + p.stderr
        m = re.search(r"@@ ([\d.]+) (\d+)", p.stderr)
        walls.append(float(m.group(1)) * 1000)
        rss.append(int(m.group(2)))
    return {"run_ms": walls, "run_rss_kib": rss}


def v8(build, runs):
    wasm = big(build)
    res = {}
    for key, _, flags in V8_MODES:
        res[key] = []
        for _ in range(runs):
            out = subprocess.run(pinned() + ["node"] + flags +
                                 [os.path.join(HERE, "v8_compile.mjs"), wasm],
                                 capture_output=True, text=True, timeout=1200, check=True).stdout
            res[key].append(json.loads(out))
    return res


KMODULE = re.compile(r"kmodule: (\d+) bytes: copied, decoded and validated in (\d+) us, "
                     r"compiled in (\d+) us")


def kernel(build, icount):
    """The kernel's kmodule line and least free RAM for `run big -q`,
    from one boot."""
    from atollqemu import Boot
    from test_programs import archive_modules, command, start
    extra = ["-icount", "shift=0"] if icount else []
    with Boot(append="loglevel=3", modules=archive_modules({"big": big(build)}, wasi=True),
              memory="256M", timeout=1800, extra=extra) as b:
        start(b, timeout=600)
        mem = lambda: command(b, "mem", lambda o: "least free RAM" in o, timeout=120)
        free0 = int(re.search(r"free RAM\s+(\d+) KiB", mem()).group(1))
        out = command(b, "run big -q 3", lambda o: "exit status" in o, timeout=1500)
        assert "0 failed" in out and "big: exit status 3" in out, out
        low = int(re.search(r"least free RAM\s+(\d+) KiB", mem()).group(1))
        # Boot compiles env, userboot and the WASI layer too: big's line
        # is the one with its size.
        size = os.path.getsize(big(build))
        m = [m for m in KMODULE.finditer(b.serial) if int(m.group(1)) == size]
        assert m, "no kmodule line for big.wasm:\n" + b.serial[-3000:]
        m = m[0]
        return {"decode_us": int(m.group(2)), "compile_us": int(m.group(3)),
                "peak_kib": free0 - low}


def measure(build, runs, log=print, with_kernel=True):
    res = {"bytes": os.path.getsize(big(build)), "runs": runs}
    log("  large: Atoll hosted (bench-compile, compile-peak, atoll-run)")
    res["atoll"] = hosted(build, runs)
    log("  large: V8 (node)")
    res["v8"] = v8(build, runs)
    res["node_run"] = node_run(build, runs)
    if with_kernel:
        # TCG's emulated time varies with the host's load: the median of
        # up to three boots. icount's count is the same every boot.
        res["tcg"] = []
        for i in range(min(runs, 3)):
            log("  large: the kernel under TCG [%d/%d]" % (i + 1, min(runs, 3)))
            res["tcg"].append(kernel(build, False))
        log("  large: the kernel under -icount shift=0")
        res["icount"] = kernel(build, True)
    return res


def _med(vals, fmt="%.0f"):
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(vals), min(vals), max(vals))


def markdown(res):
    n = res["bytes"]
    a = res["atoll"]
    mb = lambda ms: n / (ms / 1000) / 1e6
    mib = lambda b: b / 1048576
    out = []
    add = out.append
    add("The module: `bench/large/big.wasm` (`bench/large/build-big.sh`: eleven variants of "
        "SQLite 3, from the amalgamation of the npm package better-sqlite3, -O0/-O1/-O2/-Os and "
        "different extensions, linked under their own names into one WASI command with "
        "wasi-libc), %d bytes (%.1f MB), %d functions, %d bytes of function bodies. Host "
        "figures pinned to one CPU (`taskset -c 1`), median (min–max) of %d fresh runs." % (
            n, n / 1e6, a["funcs"], a["wasm_code"], res["runs"]))
    add("")
    add("| compiler | decode+validate+compile ms | MB/s | peak memory of the compile |")
    add("|---|---|---|---|")
    add("| Atoll (engine of atoll-run; thread CPU time) | %.0f (best %.0f) | **%.0f** | "
        "%.0f MiB held by the engine (%.1f× the module); %.0f MiB process RSS |" % (
            a["all_ms"], a["all_best_ms"], mb(a["all_ms"]), mib(a["peak"]), a["peak"] / n,
            a["rss_kib"] / 1024))
    add("| Atoll, compile alone (`wasm_compile`) | %.0f | %.0f | — |" % (
        a["compile_ms"], mb(a["compile_ms"])))
    for key, label, flags in V8_MODES:
        runs = res["v8"][key]
        wall = [r["compile_ms"] for r in runs]
        cpu = [r["compile_cpu_ms"] for r in runs]
        rss = [(r["rss_after_kib"] - r["rss_before_kib"]) / 1024 for r in runs]
        peak = [r["max_rss_kib"] / 1024 for r in runs]
        add("| %s (`node %s`) | %s wall, %s CPU | %.0f (wall) | +%.0f MiB RSS after; process "
            "peak %.0f MiB |" % (label, " ".join(flags) or "(no flags)", _med(wall), _med(cpu),
                                 mb(statistics.median(wall)), statistics.median(rss),
                                 statistics.median(peak)))
    add("")
    add("Atoll keeps, once compiled, %.0f MiB (%.1f× the module): the decoded module (its copy "
        "of the bytes and tables, %.0f MiB), %d bytes of machine code (%.2f× the bodies) and "
        "the trap table. `atoll-run big.wasm -q`, start to exit (compile and the workload of "
        "the 11 copies): %s ms, peak RSS %s MiB." % (
            mib(a["kept"]), a["kept"] / n, mib(a["decoded"]), a["machine_code"],
            a["machine_code"] / a["wasm_code"], _med(a["run_ms"]),
            _med([k / 1024 for k in a["run_rss_kib"]])))
    nr = res["node_run"]
    add("The same under node:wasi (`node tests/wasi/node_wasi.mjs big.wasm -q`, node's lazy "
        "defaults): %s ms, peak RSS %s MiB." % (
            _med(nr["run_ms"]), _med([k / 1024 for k in nr["run_rss_kib"]])))
    if "tcg" in res:
        t, i = res["tcg"], res["icount"]
        add("")
        add("In the kernel (`run big -q` from the shell under QEMU, `-m 256M`, loglevel=3: the "
            "kmodule line). Under TCG the times are emulated, so relative only; under `-icount "
            "shift=0` the kernel's clock counts instructions.")
        add("")
        add("| | copy+decode+validate | compile | peak RAM taken (free RAM before less least "
            "free) |")
        add("|---|---|---|---|")
        add("| kernel, TCG (emulated time, median of %d boots) | %s ms | %s ms | %.0f MiB |" % (
            len(t), _med([r["decode_us"] / 1000 for r in t]),
            _med([r["compile_us"] / 1000 for r in t]),
            statistics.median(r["peak_kib"] for r in t) / 1024))
        add("| kernel, icount (instructions) | %.0f M | %.0f M (%.0f per Wasm byte) | %.0f MiB |" % (
            i["decode_us"] / 1000, i["compile_us"] / 1000,
            i["compile_us"] * 1000 / a["wasm_code"], i["peak_kib"] / 1024))
    return out


def main():
    args = sys.argv[1:]
    runs = int(args[args.index("-n") + 1]) if "-n" in args else 5
    build = args[args.index("--build") + 1] if "--build" in args else os.path.join(ROOT, "build")
    build = os.path.abspath(build)
    res = measure(build, runs, log=lambda s: print(s, file=sys.stderr),
                  with_kernel="--no-kernel" not in args)
    text = "\n".join(["## A 20+ MB module: compile time and memory (issue 17)", ""] +
                     markdown(res)) + "\n"
    if "--out" in args:
        path = args[args.index("--out") + 1]
        with open(path, "w") as f:
            f.write(text)
    if "--append" in args:
        with open(args[args.index("--append") + 1], "a") as f:
            f.write("\n" + text)
    print(text)


if __name__ == "__main__":
    main()
