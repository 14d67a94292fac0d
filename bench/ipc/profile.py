#!/usr/bin/env python3
"""Where the kernel's instructions go in one IPC round trip, by function.

    bench/ipc/profile.py [--symbol sys_channel_call] [--steps 6000]

Boots bench/ipc/ipc_bench.wat in the kernel under `-icount shift=0` with
QEMU's gdb stub, lets gdb stop at SYMBOL (after 200 hits, well inside the
timed part), single-steps STEPS instructions recording each PC, and maps
the PCs to functions (`nm`). SYMBOL is entered twice per round trip (once
by each side), so the round trip is the distance between every second
entry; it matches `make bench-ipc`'s icount figure. The default symbol
is the channel_call round trip's; `--symbol sys_channel_write` profiles
the three-call round trip. Addresses outside the kernel's text (compiled
Wasm, the trampolines) are counted as "(compiled code)". Needs gdb.
"""
import argparse
import bisect
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import measure  # noqa: E402
from atollqemu import Boot  # noqa: E402


def symbols(elf):
    out = subprocess.run(["nm", "-n", "--defined-only", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1].lower() in "tw":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--symbol", default="sys_channel_call")
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    a = ap.parse_args()
    if not shutil.which("gdb"):
        sys.exit("profile.py: needs gdb")
    tmp = tempfile.mkdtemp()
    elf = os.path.join(tmp, "atoll.elf")      # a copy: a rebuild meanwhile cannot skew it
    shutil.copy(os.path.join(a.build, "atoll.elf"), elf)
    pcs_file = os.path.join(tmp, "pcs.txt")
    script = os.path.join(tmp, "steps.gdb")
    with open(script, "w") as f:
        f.write("set pagination off\ntarget remote :1234\nhbreak %s\nignore 1 200\ncontinue\n"
                "delete\nset logging file %s\nset logging overwrite on\n"
                "set logging redirect on\nset logging enabled on\nset $i = 0\n"
                "while $i < %d\n  printf \"PC %%lx\\n\", $pc\n  stepi\n  set $i = $i + 1\nend\n"
                "set logging enabled off\ndetach\n" % (a.symbol, pcs_file, a.steps))
    prog = measure.build_program((2000, 200, 100))
    with Boot(append="loglevel=1", modules=[prog + " userboot"], timeout=1800,
              extra=["-icount", "shift=0", "-s"], kernel=elf):
        time.sleep(2)
        subprocess.run(["gdb", "-q", "-batch", "-x", script, elf], capture_output=True,
                       timeout=1200)
    syms = symbols(elf)
    addrs = [s[0] for s in syms]
    by_name = dict((n, x) for x, n in syms)
    entry = by_name[a.symbol]
    text = (by_name["_text_start"], by_name["_text_end"])   # boot/kernel.ld

    def name(pc):
        if not text[0] <= pc < text[1]:
            return "(compiled code)"
        return syms[bisect.bisect_right(addrs, pc) - 1][1]

    pcs = [int(l.split()[1], 16) for l in open(pcs_file) if l.startswith("PC")]
    hits = [i for i, p in enumerate(pcs) if p == entry]
    if len(hits) < 3:
        sys.exit("profile.py: %s entered %d times in %d steps" % (a.symbol, len(hits), len(pcs)))
    lo, hi = hits[0], hits[2]
    counts = collections.Counter(name(p) for p in pcs[lo:hi])
    print("round trip: %d instructions (entries of %s at steps %s)"
          % (hi - lo, a.symbol, hits[:5]))
    for fn, n in counts.most_common():
        print("%6d  %s" % (n, fn))
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
