#!/usr/bin/env python3
"""Compile speed on one large real module (SQLite, built by
bench/decode/build-sqlite.sh): Atoll's single-pass compiler
(build/bench/bench-compile: thread CPU time, median of its runs) against
V8's two tiers in node (bench/compile/v8_compile.mjs: `new
WebAssembly.Module(bytes)` with --no-wasm-lazy-compilation, so every
function is compiled before it returns), plus instantiation time and
compiled code size.

    bench/compile/measure.py [-n RUNS] [--build DIR]

make bench calls measure() and markdown() (bench/harness/system.py).
"""
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# (key, label, node flags). V8 compiles on background threads (2 cores
# here); --single-threaded keeps it on one, as Atoll compiles.
V8_MODES = [
    ("liftoff1", "V8 Liftoff, one thread", ["--liftoff-only", "--single-threaded"]),
    ("liftoff", "V8 Liftoff, background threads", ["--liftoff-only"]),
    ("turbofan1", "V8 TurboFan, one thread", ["--no-liftoff", "--single-threaded"]),
    ("turbofan", "V8 TurboFan, background threads", ["--no-liftoff"]),
]
GOAL_MBS = 100.0


def sqlite(build):
    return os.path.join(build, "bench", "decode", "sqlite3.wasm")


def v8_command(flags, wasm):
    return ["node"] + flags + ["--no-wasm-lazy-compilation",
                               os.path.join(HERE, "v8_compile.mjs"), wasm]


def parse(out):
    """The figures of bench-compile's output (also bench/large's)."""
    r = {}
    m = re.search(r"compile: best ([\d.]+) ms = \d+ MB/s, median ([\d.]+) ms", out)
    r["compile_best_ms"], r["compile_ms"] = float(m.group(1)), float(m.group(2))
    m = re.search(r"decode\+validate\+compile: best ([\d.]+) ms = \d+ MB/s, median ([\d.]+) ms", out)
    r["all_best_ms"], r["all_ms"] = float(m.group(1)), float(m.group(2))
    m = re.search(r"code: (\d+) functions, Wasm bodies (\d+) bytes, machine code (\d+) bytes", out)
    r["funcs"], r["wasm_code"], r["machine_code"] = (int(m.group(i)) for i in (1, 2, 3))
    m = re.search(r"instantiate: best ([\d.]+) ms, median ([\d.]+) ms, worst ([\d.]+) ms", out)
    if m:
        r["inst_best_ms"], r["inst_ms"], r["inst_worst_ms"] = (float(m.group(i)) for i in (1, 2, 3))
    return r


def atoll(build, runs):
    wasm = sqlite(build)
    out = subprocess.run([os.path.join(build, "bench", "bench-compile"), "-n", str(runs), wasm],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    r = {"text": out}
    r.update(parse(out))
    return r


def measure(build, runs, log=print):
    wasm = sqlite(build)
    res = {"bytes": os.path.getsize(wasm), "runs": runs}
    log("  compile: Atoll bench-compile -n %d" % (runs * 4))
    res["atoll"] = atoll(build, runs * 4)
    for key, _, flags in V8_MODES:
        res[key] = []
        for i in range(runs):
            log("  compile [%d/%d]: node %s" % (i + 1, runs, " ".join(flags)))
            out = subprocess.run(v8_command(flags, wasm), capture_output=True, text=True,
                                 timeout=600, check=True).stdout
            res[key].append(json.loads(out))
    return res


def _spread(vals, fmt="%.1f"):
    med = statistics.median(vals)
    return (fmt + " (" + fmt + "–" + fmt + ")") % (med, min(vals), max(vals)), med


def markdown(res, build):
    n = res["bytes"]
    a = res["atoll"]
    mb = lambda ms: n / (ms / 1000) / 1e6
    out = []
    add = out.append
    add("The module: SQLite 3 (`bench/decode/build-sqlite.sh`: the amalgamation from the npm "
        "package better-sqlite3, clang -O2 to wasm32-wasi), %d bytes, %d functions, %d bytes of "
        "function bodies. Every figure is native (no QEMU)." % (n, a["funcs"], a["wasm_code"]))
    add("")
    add("Commands: Atoll `%s/bench/bench-compile -n %d sqlite3.wasm` (one process, the module "
        "decoded and compiled %d times; thread CPU time; median with best); V8 `node FLAGS "
        "--no-wasm-lazy-compilation bench/compile/v8_compile.mjs sqlite3.wasm`, a fresh process "
        "per run (V8 caches compiled modules within a process), %d runs, median (min–max). V8's "
        "`new WebAssembly.Module` decodes, validates and compiles, so it compares with Atoll's "
        "decode+validate+compile column; without `--no-wasm-lazy-compilation` node 20 compiles "
        "functions only at their first call (about 10 ms for this module: not a compile figure)."
        % (os.path.relpath(build, ROOT), res["runs"] * 4, res["runs"] * 4, res["runs"]))
    add("")
    add("| compiler | compile ms (wall) | CPU ms | MB/s (by CPU time) | instantiate ms | × Atoll's time |")
    add("|---|---|---|---|---|---|")
    add("| Atoll, compile alone (`wasm_compile`) | — | %.2f (best %.2f) | **%.0f** | — | — |" % (
        a["compile_ms"], a["compile_best_ms"], mb(a["compile_ms"])))
    inst = ("%.3f (%.3f–%.3f)" % (a["inst_ms"], a["inst_best_ms"], a["inst_worst_ms"])
            if "inst_ms" in a else "—")
    add("| Atoll, decode + validate + compile | — | %.2f (best %.2f) | **%.0f** | %s | 1.00 |" % (
        a["all_ms"], a["all_best_ms"], mb(a["all_ms"]), inst))
    for key, label, flags in V8_MODES:
        runs = res[key]
        wall, _ = _spread([r["compile_ms"] for r in runs])
        cpu, cpu_med = _spread([r["compile_cpu_ms"] for r in runs])
        ins, _ = _spread([r["instantiate_ms"] for r in runs], "%.2f")
        add("| %s (`%s`) | %s | %s | %.1f | %s | %.1f |" % (
            label, " ".join(flags), wall, cpu, mb(cpu_med), ins, cpu_med / a["all_ms"]))
    add("")
    add("V8's CPU time is the whole process's during the compile (all its threads), so with "
        "background threads it may exceed the wall time. Instantiation: Atoll's is "
        "`wasm_instantiate` with stub imports (wall, median of %d); V8's is `new "
        "WebAssembly.Instance` with stub imports." % (res["runs"] * 4))
    add("")
    add("Compiled code size: %d bytes of machine code for %d bytes of Wasm function bodies, "
        "**%.2f×** (bench-compile; the engine has no API for it, so it reads the compiled "
        "module's code region and counts up to its last non-zero byte: within a few bytes)." % (
            a["machine_code"], a["wasm_code"], a["machine_code"] / a["wasm_code"]))
    return out


def main():
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 5
    build = sys.argv[sys.argv.index("--build") + 1] if "--build" in sys.argv else \
        os.path.join(ROOT, "build")
    build = os.path.abspath(build)
    res = measure(build, n, log=lambda s: print(s, file=sys.stderr))
    print("\n".join(markdown(res, build)))


if __name__ == "__main__":
    main()
