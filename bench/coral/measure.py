#!/usr/bin/env python3
"""make bench-coral: what the Coral interface costs, measured by a program
(bench/coral/coral_bench.wat) with clock_ns, in the hosted build
(build/atoll-coral: the kernel's Coral layer on Linux, native speed) and in
the kernel under QEMU TCG; and the time from kernel entry to the shell
prompt (userboot's init returning, TSC, under TCG). Medians of -n runs.

    bench/coral/measure.py [-n RUNS]
"""
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from atollqemu import Boot  # noqa: E402
import userboot_programs  # noqa: E402

BUILD = os.path.join(ROOT, "build")
FIGURE = re.compile(r"coral-bench: (\S+) (\d+) ns")


def figures(text):
    return {m.group(1): int(m.group(2)) for m in FIGURE.finditer(text)}


def hosted(prog):
    out = subprocess.run([os.path.join(BUILD, "atoll-coral"), prog], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    return figures(out)


def in_kernel(prog):
    with Boot(append="loglevel=1", modules=[prog + " userboot"], timeout=600) as b:
        assert b.wait_for("coral-bench: spawn", 600), "no result:\n" + b.serial[-2000:]
        return figures(b.serial)


def boot_to_prompt():
    mods = [os.path.join(BUILD, "user", "userboot.wasm") + " userboot",
            os.path.join(BUILD, "user", "env.wasm") + " env"]
    with Boot(append="loglevel=2", modules=mods, timeout=120) as b:
        assert b.wait_for("init returned", 60), b.serial[-2000:]
        m = re.search(r"init returned -?\d+, (\d+) ms after kernel entry", b.serial)
        return int(m.group(1))


def median_of(runs):
    keys = runs[0].keys()
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def main():
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 3
    here = os.path.dirname(os.path.abspath(__file__))
    prog = userboot_programs.with_children("coral_bench", ["child"], wat_dir=here)
    h = median_of([hosted(prog) for _ in range(n)])
    k = median_of([in_kernel(prog) for _ in range(n)])
    what = {
        "handle_kind": "coral call: handle_kind",
        "vma_write_64": "coral call: vma_write of 64 bytes",
        "wasm_call": "Wasm-to-Wasm call, for scale",
        "module_create": "module_create of a 45-byte module",
        "spawn": "spawn: create + add instance + call + drop",
    }
    print("Coral interface costs, median of %d runs (ns)" % n)
    print("%-44s %14s %16s" % ("", "hosted (Linux)", "kernel (QEMU TCG)"))
    for key, label in what.items():
        print("%-44s %14d %16d" % (label, h[key], k[key]))
    ms = statistics.median(boot_to_prompt() for _ in range(n))
    print("kernel entry to shell prompt (C userboot, TCG, TSC): %d ms" % ms)


if __name__ == "__main__":
    main()
