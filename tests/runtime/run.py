#!/usr/bin/env python3
"""Runs the runtime suite: each tests/runtime/*.wat says what to invoke and
what atoll-run must print, one line per check:

    ;; run: NAME ARG... => RESULT | RESULT...     results, in order
    ;; run: NAME ARG... => trap: MESSAGE          a trap (exit status 1)
    ;; run: --timeout MS NAME ARG... => ...       with atoll-run's timer

wat2wasm (with --debug-names, so traps name functions) builds each module
into build/runtime/. Then runs the command after --also (a C test ending
with its own "N passed, N failed", counted in), if given. Ends with
"N passed, N failed"."""
import os
import subprocess
import sys

def main():
    run, folder = sys.argv[1], sys.argv[2]
    also = sys.argv[4:] if len(sys.argv) > 3 and sys.argv[3] == "--also" else None
    out_dir = os.path.join(os.path.dirname(run), "runtime")
    os.makedirs(out_dir, exist_ok=True)
    passed = failed = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".wat"):
            continue
        src = os.path.join(folder, name)
        wasm = os.path.join(out_dir, name[:-4] + ".wasm")
        subprocess.run(["wat2wasm", "--debug-names", src, "-o", wasm], check=True)
        for lineno, line in enumerate(open(src), 1):
            if not line.startswith(";; run:"):
                continue
            call, want = line[len(";; run:"):].split("=>")
            args = call.split()
            want = want.strip()
            opts = []
            if args[0] == "--timeout":
                opts, args = args[:2], args[2:]
            p = subprocess.run([run] + opts + [wasm, "--invoke"] + args, capture_output=True,
                               text=True, timeout=60)
            if want.startswith("trap:"):
                ok = p.returncode == 1 and ("trap: " + want[5:].strip()) in p.stderr
                got = p.stderr.strip()
            else:
                got = " | ".join(l.split(" : ")[0] for l in p.stdout.splitlines())
                ok = p.returncode == 0 and got == want
                got = got or p.stderr.strip()
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"{src}:{lineno}: {call.strip()}: want {want}, got {got}")
    if also:
        p = subprocess.run(also, capture_output=True, text=True, timeout=120)
        lines = p.stdout.strip().splitlines()
        for line in lines[:-1]:
            print(line)
        try:
            n, _, f, _ = lines[-1].replace(",", "").split()
            passed, failed = passed + int(n), failed + int(f)
        except (IndexError, ValueError):
            failed += 1
            print(f"{' '.join(also)}: no result line ({p.stderr.strip()[-300:]})")
        if p.returncode and failed == 0:
            failed += 1
            print(f"{' '.join(also)}: exit status {p.returncode}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

main()
