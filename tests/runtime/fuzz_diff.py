#!/usr/bin/env python3
"""Differential fuzzer: random modules from binaryen (wasm-opt -ttf) run
by Atoll (fuzz-run) and by node's baseline tier; their outputs must agree.

    tests/runtime/fuzz_diff.py FUZZ_RUN [COUNT] [SEED]

Keeps each disagreeing module in build/fuzz-diff/. Not part of make test:
run it by hand (make fuzz-diff)."""
import os, random, subprocess, sys

def main():
    run = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else None)
    here = os.path.dirname(os.path.abspath(__file__))
    work = os.path.join(os.path.dirname(run), "fuzz-diff")
    os.makedirs(work, exist_ok=True)
    same = differ = skipped = 0
    for i in range(count):
        seed, wasm = os.path.join(work, "seed.bin"), os.path.join(work, "cur.wasm")
        with open(seed, "wb") as f:
            f.write(bytes(rng.getrandbits(8) for _ in range(rng.randrange(100, 8000))))
        if subprocess.run(["wasm-opt", "-ttf", seed, "-o", wasm, "--quiet"],
                          capture_output=True).returncode:
            skipped += 1
            continue
        sig = subprocess.run([run, "--sig", wasm], capture_output=True, text=True)
        if sig.returncode:
            skipped += 1          # not compiled (SIMD) or refused
            continue
        with open(os.path.join(work, "cur.sig"), "w") as f:
            f.write(sig.stdout)
        ours = subprocess.run([run, wasm], capture_output=True, text=True, timeout=60)
        node = subprocess.run(["node", "--liftoff-only", os.path.join(here, "fuzz_diff.js"),
                               wasm, os.path.join(work, "cur.sig")],
                              capture_output=True, text=True, timeout=60)
        if node.returncode:
            skipped += 1
            continue
        if ours.stdout.strip() == node.stdout.strip():
            same += 1
        else:
            differ += 1
            keep = os.path.join(work, "differ-%d.wasm" % i)
            os.rename(wasm, keep)
            print("DIFFER", keep)
    print("%d passed, %d failed, %d skipped" % (same, differ, skipped))
    sys.exit(1 if differ else 0)

main()
