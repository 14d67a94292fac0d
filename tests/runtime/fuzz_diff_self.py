#!/usr/bin/env python3
"""Self-test of the differential fuzzer (make test-fuzz-diff-self): it must
be able to fail, and it must not count as agreement what it never ran.

    tests/runtime/fuzz_diff_self.py FUZZ_RUN --dir DIR

1. compare() on hand-written outputs: refusals, uncalled exports, traps
   outside Wasm.
2. Hand-written modules through fuzz-run and node: one that logs a v128
   and exports a function taking one (agrees; one call compared, one not),
   three that both sides refuse (not compared, never agreement), one that
   only Atoll refuses (a divergence); the same with fuzz-run's
   --plant-v128 (a divergence).
3. The first 50 SIMD modules of seed 8 (binaryen 108; Liftoff for 0..24,
   TurboFan for 25..49) through fuzz_diff.py itself: all compared and
   agreeing, then with --plant-v128 exactly those that log a v128 (at
   least three) diverge.
Deterministic: fixed seeds, fixed modules, no time limit but fuzz-run's
10 s per call.
"""
import argparse, os, re, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fuzz_diff  # noqa: E402

failures = []
passes = 0


def check(ok, what):
    global passes
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if ok:
        passes += 1
    else:
        failures.append(what)


def check_compare():
    c = fuzz_diff.compare
    ok = ["call f", "result 1"]
    v = c(["invalid: bad"], ["invalid: CompileError"])
    check(v.verdict == "refused" and "bad" in v.detail and "CompileError" in v.detail,
          "both invalid: not compared, both reasons kept")
    v = c(["instantiate: error unknown import env.f"], ["instantiate: error LinkError"])
    check(v.verdict == "refused", "both fail to link: not compared")
    check(c(["skip: not compiled: x"], ["instantiate: error y"]).verdict == "refused",
          "Atoll does not compile, node does not link: not compared")
    check(c(["skip: not compiled: x"], ok).verdict == "differ",
          "only Atoll refuses: a divergence")
    check(c(ok, ["instantiate: error LinkError"]).verdict == "differ",
          "only node refuses: a divergence")
    check(c(ok, ["invalid: CompileError"]).verdict == "differ",
          "only node does not compile: a divergence")
    v = c(["call g", "uncalled: v128"] + ok, ["call g", "uncalled: v128"] + ok)
    check(v == ("same", "", 1, 1), "uncalled v128 export: one call compared, one not")
    check(c(["call g", "uncalled: v128"], ["call g", "result 0"]).verdict == "differ",
          "one side calls what the other does not: a divergence")
    v = c(["call f", "trap host 11"] + ok, ["call f", "trap host TypeError"] + ok)
    check(v.verdict == "hosterr" and v.calls == 0,
          "both fail outside Wasm: not counted as a compared call")
    check(c(["call f", "log v128:00000001 00000000 00000000 00000000", "result"],
            ["call f", "log v128:00000000 00000000 00000000 00000000", "result"]).verdict
          == "differ", "v128 logs differing in one bit: a divergence")


# One call compared (log, which logs a v128 with a NaN lane's exact bits),
# one not (id: a v128 in its type).
SIMD_WAT = """(module
  (import "fuzzing-support" "log-v128" (func $log (param v128)))
  (func (export "log") (result i32)
    (call $log (v128.const i32x4 1 -2 0x7fc00001 0x80000000))
    (i32.const 7))
  (func (export "id") (param v128) (result v128) (local.get 0)))
"""
REFUSED = {
    "unknown import": '(module (import "env" "f" (func)))',
    "logger of the wrong type": '(module (import "fuzzing-support" "log-v128" '
                                '(func (param i32))))',
}
# node hands log-i32 a JavaScript function, which takes any type; fuzz-run
# links the import only when its type is (i32).
ATOLL_REFUSES = '(module (import "fuzzing-support" "log-i32" (func (param f64))))'


def wat(d, name, text):
    src, out = os.path.join(d, name + ".wat"), os.path.join(d, name + ".wasm")
    with open(src, "w") as f:
        f.write(text)
    subprocess.run(["wat2wasm", src, "-o", out], check=True)
    return out


def fuzz(fuzz_run, d, extra=()):
    return fuzz_diff.Fuzz(fuzz_diff.parse([fuzz_run, "--count", "1", "--dir", d] + list(extra)))


def check_modules(fuzz_run, d):
    simd = wat(d, "simd", SIMD_WAT)
    refused = [wat(d, "refused%d" % k, t) for k, t in enumerate(REFUSED.values())]
    invalid = os.path.join(d, "invalid.wasm")
    with open(invalid, "wb") as f:
        f.write(b"\0asm\1\0\0\0\x01\x05\x01\x60\x00\x01")     # a cut type section
    one = wat(d, "atoll_refuses", ATOLL_REFUSES)
    files = {simd: 0, invalid: 1, refused[0]: 2, refused[1]: 3}

    for tier in ("liftoff", "turbofan"):
        fz = fuzz(fuzz_run, d)
        r = fz.run_files(files, fuzz_diff.TIERS[tier], d)
        check(r[0] == ("same", "", 1, 1), "%s: v128 logged alike, one call compared, one not "
              "(%s)" % (tier, r[0]))
        for k, what in enumerate(["invalid"] + list(REFUSED), 1):
            check(r[k].verdict == "refused", "%s: both refuse a module (%s): not compared (%s)"
                  % (tier, what, r[k].detail))
        with fz.lock:
            fz.record(r)
        text, status = fz.summary()
        check("1 modules compared, 3 not compared (refused by both), 0 divergences, 0 NaN-only"
              in text and status == 0, "%s: summary counts them apart" % tier)

        fz = fuzz(fuzz_run, d)
        r = fz.run_files({one: 0}, fuzz_diff.TIERS[tier], d)
        check(r[0].verdict == "differ" and "only atoll refuses" in r[0].detail,
              "%s: only Atoll refuses: a divergence (%s)" % (tier, r[0].detail))

        fz = fuzz(fuzz_run, d)
        r = fz.run_files({refused[0]: 0}, fuzz_diff.TIERS[tier], d)
        with fz.lock:
            fz.record(r)
        text, status = fz.summary()
        check(status == 3 and "0 modules compared, 1 not compared" in text,
              "%s: a run that compares nothing fails (status %d)" % (tier, status))

        fz = fuzz(fuzz_run, d, ["--plant-v128"])
        r = fz.run_files({simd: 0}, fuzz_diff.TIERS[tier], d)
        check(r[0].verdict == "differ" and "log v128:00000000" in r[0].detail,
              "%s: planted v128 lane caught (%s)" % (tier, r[0].detail))


def generated(fuzz_run, d, plant):
    cmd = [sys.executable, os.path.join(HERE, "fuzz_diff.py"), fuzz_run, "--count", "50",
           "--seed", "8", "--simd-every", "1", "--jobs", "1", "--dir", d]
    r = subprocess.run(cmd + (["--plant-v128"] if plant else []), capture_output=True,
                       text=True)
    return r.returncode, r.stdout


def check_generated(fuzz_run, d):
    # Which of the modules log a v128, by Atoll's own output.
    gen = os.path.join(d, "gen")
    os.makedirs(gen, exist_ok=True)
    files = []
    for i in range(50):
        p = os.path.join(gen, "m%d.wasm" % i)
        if fuzz_diff.make_module(8, i, p, 1):
            files.append(p)
    out = subprocess.run([fuzz_run] + files, capture_output=True, text=True).stdout
    logs = {int(re.search(r"m(\d+)\.wasm", f).group(1))
            for f, lines in fuzz_diff.sections(out).items()
            if any(x.startswith("log v128:") for x in lines)}
    check(len(files) == 50 and len(logs) >= 3,
          "seed 8 modules 0..49: %d made, %d log a v128 (%s)" % (len(files), len(logs),
                                                                 sorted(logs)))

    rc, out = generated(fuzz_run, d, False)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    check(rc == 0 and last == "50 modules compared, 0 not compared (refused by both), "
          "0 divergences, 0 NaN-only", "seed 8, 50 SIMD modules: all compared, all agree "
          "(status %d: %s)" % (rc, last))
    rc, out = generated(fuzz_run, d, True)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    caught = {int(m) for m in re.findall(r"^DIVERGE module (\d+): .*log v128:", out, re.M)}
    check(rc == 1 and caught == logs and last == "50 modules compared, 0 not compared "
          "(refused by both), %d divergences, 0 NaN-only" % len(logs),
          "seed 8 with --plant-v128: exactly the modules that log a v128 diverge (status %d, "
          "%s: %s)" % (rc, sorted(caught), last))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fuzz_run")
    p.add_argument("--dir", required=True)
    a = p.parse_args()
    shutil.rmtree(a.dir, ignore_errors=True)
    os.makedirs(a.dir)
    fuzz_run = os.path.abspath(a.fuzz_run)
    check_compare()
    check_modules(fuzz_run, a.dir)
    check_generated(fuzz_run, a.dir)
    # The suites' closing line (README, "Tests").
    print("%d passed, %d failed" % (passes, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
