#!/usr/bin/env python3
"""Differential fuzzer: random valid modules from binaryen (wasm-opt -ttf)
run by Atoll (fuzz-run: the engine on Linux) and by node (V8); their
outputs must agree.

    tests/runtime/fuzz_diff.py FUZZ_RUN [--seconds N] [--count N] [--seed S]
                               [--jobs J] [--batch B] [--tier both|liftoff|turbofan]
                               [--simd-every N] [--plant-v128]

Module i of seed S is made from bytes drawn from Random(S * 2**32 + i)
(which also picks binaryen's optimization level for it, none half the
time), so
a seed names the same modules on every machine and every run; the modules
go in batches of B (one fuzz-run and one node process per batch), handed
to J workers (default 2: both cores) in order until the time or the count
is spent. A batch started is finished, so a run covers modules 0..N-1.

What is compared, module by module (fuzz_run.c prints it, fuzz_diff.js
the same from node):
  - instantiation (a trap during it, and its kind);
  - every exported function, called in export order with zero arguments:
    the sequence of fuzzing-support.log-* calls with their argument (a
    v128 as its four i32 lanes, exactly), then its results or that it
    trapped and the trap's class (fuzz_run.c folds Atoll's kinds into the
    classes V8's messages tell apart);
  - then every exported global's value and a hash of each exported memory
    (its size and every byte).
Floats that cross to JavaScript compare as bits, except that every NaN is
"nan": the spec lets an arithmetic NaN have any payload and sign, and a JS
number cannot carry a signalling NaN, so nothing more can be told there.
Bytes in memory and v128 logs compare exactly; when only a NaN could
explain a difference the module is re-run after `wasm-opt --denan` (which
turns every scalar NaN into a number), and if the two then agree it is
reported as a NaN difference to judge by hand rather than a divergence.
binaryen 108's --denan leaves v128 values alone, so a v128 whose float
lanes hold NaNs that differ is a divergence, to judge by hand (a lane's
type is not known: an i32 lane of -1 is an f32 NaN's pattern, so no rule
on the bits could forgive NaNs without forgiving integers).
Both sides run out of stack at different depths: when either side's call
ends in "call stack exhausted" (V8: RangeError), the module is compared up
to that call and counted as exhausted; a call Atoll stops at its time
limit ends the comparison the same way.

A module is compared, or it is not: nothing that was not run is agreement.
A module that either side refuses (does not decode, compile or link) is
a divergence when the other side runs it, and "not compared" when both
refuse it, with both reasons kept and the most common ones printed. An
export with a v128 in its type is listed by both sides and not called
(JavaScript cannot call it), and counted as a call not compared; a call
that fails on both sides outside Wasm ("trap host") ends the module's
comparison there, counted apart.

The node tier alternates by batch: even batches run V8's baseline
(--liftoff-only), odd ones its optimizing tier (--no-liftoff); --tier picks
one. 1 in 16 modules is made with SIMD enabled (--simd-every N: 1 in N; 1
for all): their vectors show in log-v128 calls, results and memory.

--plant-v128 makes fuzz-run misprint the first v128 each module logs, a
divergence planted for fuzz_diff_self.py (make test-fuzz-diff-self) to
see caught.

Every divergent module is kept in build/fuzz-diff/ (--dir DIR) with both
outputs (diverge-SEED-I.wasm, .atoll, .node, and .tier). The last line is "N modules
compared, N not compared (refused by both), N divergences, N NaN-only";
the exit status is 1 when there are divergences, else 3 when no module
was compared (such a run tested nothing), else 0.
"""
import collections
import argparse, os, random, re, shutil, subprocess, sys, threading, time

FEATURES = ["--enable-sign-ext", "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int", "--enable-bulk-memory",
            "--enable-multivalue"]
# Not --enable-reference-types: binaryen 108 then types ref.func as the
# typed-function-references proposal's non-nullable (ref func) and writes
# modules that V8 and Atoll both refuse.
# Half the modules are optimized by binaryen after they are made, for the
# shapes its optimizer leaves (coalesced locals, selects, br_if with values).
OPTS = [[], [], [], ["-O1"], ["-O2"], ["-O3"], ["-Os"], ["-Oz"]]
HERE = os.path.dirname(os.path.abspath(__file__))
TIERS = {"liftoff": ["--liftoff-only"], "turbofan": ["--no-liftoff"]}


def make_module(seed, i, path, simd_every=16):
    """Module i of `seed` at path; False when binaryen refuses the bytes."""
    rng = random.Random(seed * 2**32 + i)
    raw = bytes(rng.getrandbits(8) for _ in range(rng.randrange(100, 8000)))
    with open(path + ".bin", "wb") as f:
        f.write(raw)
    feats = FEATURES + (["--enable-simd"] if i % simd_every == simd_every - 1 else [])
    opt = OPTS[rng.randrange(len(OPTS))]
    r = subprocess.run(["wasm-opt", "-ttf", path + ".bin", "-o", path, "--quiet"] + feats + opt,
                       capture_output=True)
    os.unlink(path + ".bin")
    return r.returncode == 0


def sections(text):
    """'module FILE' sections of a batch's output: {FILE: [lines]}."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("module "):
            cur = out.setdefault(line[7:], [])
        elif cur is not None:
            cur.append(line)
    return out


def run(cmd, timeout):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return "timeout", out, ""


def split_calls(lines):
    """head (before the first call), [call blocks], tail (globals, memory)."""
    head, calls, tail = [], [], []
    for line in lines:
        if line.startswith("call "):
            calls.append([line])
        elif line.startswith(("global ", "memory ")):
            tail.append(line)
        elif calls:
            calls[-1].append(line)
        else:
            head.append(line)
    return head, calls, tail


# First lines of a module a side does not run: it does not decode or
# compile ("skip: not compiled" from fuzz-run), or it does not link.
REFUSALS = ("invalid", "skip:", "instantiate: error")


def refusal(lines):
    """Why a side did not run the module, or None when it did."""
    return lines[0] if lines[:1] and lines[0].startswith(REFUSALS) else None


def same_line(x, y):
    """V8 says "float unrepresentable in integer range" both where the spec
    says "integer overflow" (a truncation out of range) and "invalid
    conversion to integer" (of a NaN); its "divide result unrepresentable"
    is the overflow of a signed division."""
    return x == y or (x == "trap overflow" and y == "trap convert")


def same_block(x, y):
    return len(x) == len(y) and all(same_line(p, q) for p, q in zip(x, y))


Verdict = collections.namedtuple("Verdict", "verdict detail calls uncalled")


def compare(a, b):
    """A Verdict. verdict: same; exhausted, timeout or hosterr (compared up
    to the call that ended so); differ; refused (by both: not compared).
    calls: calls compared; uncalled: calls neither side made (v128)."""
    ra, rb = refusal(a), refusal(b)
    if ra and rb:
        return Verdict("refused", "atoll %r, node %r" % (ra, rb), 0, 0)
    if ra or rb:
        return Verdict("differ", "only %s refuses it: %r" % ("atoll" if ra else "node", ra or rb),
                       0, 0)
    ha, ca, ta = split_calls(a)
    hb, cb, tb = split_calls(b)
    if not same_block(ha, hb):
        return Verdict("differ", "instantiation: %s vs %s" % (ha, hb), 0, 0)
    calls = uncalled = 0
    for x, y in zip(ca, cb):
        if x[-1] == "trap stack" or y[-1] == "trap stack":
            return Verdict("exhausted", x[0], calls, uncalled)
        if x[-1] == "trap timeout":
            return Verdict("timeout", "%s ran past Atoll's time limit" % x[0], calls, uncalled)
        if x[-1].startswith("trap host") and y[-1].startswith("trap host"):
            return Verdict("hosterr", "%s: atoll %r, node %r" % (x[0], x[-1], y[-1]),
                           calls, uncalled)
        if not same_block(x, y):
            for k, (p, q) in enumerate(zip(x, y)):
                if not same_line(p, q):
                    return Verdict("differ", "%s, line %d: atoll %r, node %r" % (x[0], k, p, q),
                                   calls, uncalled)
            return Verdict("differ", "%s: atoll %d lines, node %d" % (x[0], len(x), len(y)),
                           calls, uncalled)
        if x[-1].startswith("uncalled:"):
            uncalled += 1
        else:
            calls += 1
    if len(ca) != len(cb):
        return Verdict("differ", "atoll made %d calls, node %d" % (len(ca), len(cb)),
                       calls, uncalled)
    if ta != tb:
        return Verdict("differ", "final state: atoll %s, node %s" % (ta, tb), calls, uncalled)
    return Verdict("same", "", calls, uncalled)


class Fuzz:
    VERDICTS = ("same", "exhausted", "timeout", "hosterr", "nan", "differ", "refused",
                "ungenerated")
    COMPARED = ("same", "exhausted", "timeout", "hosterr", "nan", "differ")

    def __init__(self, args):
        self.a = args
        self.work = args.dir or os.path.join(os.path.dirname(os.path.abspath(args.fuzz_run)),
                                             "fuzz-diff")
        os.makedirs(self.work, exist_ok=True)
        self.lock = threading.Lock()
        self.next_batch = 0
        self.deadline = time.time() + args.seconds if args.seconds else None
        self.counts = dict.fromkeys(self.VERDICTS, 0)
        self.calls = self.uncalled = 0
        self.reasons = collections.Counter()   # (atoll, node) refusals
        self.found = []          # (index, verdict, detail)
        self.done = 0            # batches finished
        self.t0 = time.time()

    def take(self):
        with self.lock:
            b = self.next_batch
            if self.deadline and time.time() >= self.deadline:
                return None
            if self.a.count and b * self.a.batch >= self.a.count:
                return None
            self.next_batch += 1
            return b

    def tier(self, b):
        if self.a.tier != "both":
            return TIERS[self.a.tier]
        return TIERS["liftoff"] if b % 2 == 0 else TIERS["turbofan"]

    def atoll(self, files, wdir):
        """Atoll's sections for files; a crash ends a batch, so the modules
        it did not finish are rerun one by one."""
        plant = ["--plant-v128"] if self.a.plant_v128 else []
        rc, out, err = run([self.a.fuzz_run, "--timeout", "10000"] + plant + files, 300)
        got = sections(out)
        if rc != 0 and len(files) > 1:
            for f in files:
                if f not in got or f == list(got)[-1]:
                    got.update(self.atoll([f], wdir))
        elif rc != 0:
            got.setdefault(files[0], []).append("crash: %s %s" % (rc, err.strip()[-200:]))
        return got

    def node(self, files, tier, sigf):
        rc, out, err = run(["node"] + tier + [os.path.join(HERE, "fuzz_diff.js"), sigf] + files,
                           300)
        got = sections(out)
        if rc != 0 and len(files) > 1:
            for f in files:
                if f not in got or f == list(got)[-1]:
                    got.update(self.node([f], tier, sigf))
        elif rc != 0:
            got.setdefault(files[0], []).append("crash: %s %s" % (rc, err.strip()[-200:]))
        return got

    def both(self, files, tier, wdir):
        """Atoll's and node's sections for files (a batch, or one module)."""
        sigf = os.path.join(wdir, "sigs")
        _, sig, _ = run([self.a.fuzz_run, "--sig"] + files, 120)
        with open(sigf, "w") as f:
            f.write(sig)
        return self.atoll(files, wdir), self.node(files, tier, sigf)

    def judge(self, i, f, mine, node, tier, wdir):
        """Module i's Verdict, its outputs kept when it differs."""
        a, b = mine.get(f, ["missing"]), node.get(f, ["missing"])
        v = compare(a, b)
        if v.verdict != "differ":
            return v
        # Could a NaN's payload explain it? Rerun both without NaNs. Not
        # when a side refused the module: no NaN explains that.
        dn = f + ".denan.wasm"
        if not (refusal(a) or refusal(b)) and subprocess.run(
                ["wasm-opt", f, "--denan", "-o", dn, "--quiet"] + FEATURES + ["--enable-simd"],
                capture_output=True).returncode == 0:
            m2, n2 = self.both([dn], tier, wdir)
            if compare(m2.get(dn, ["missing"]), n2.get(dn, ["missing"])).verdict in (
                    "same", "exhausted", "timeout"):
                v = v._replace(verdict="nan")
        keep = os.path.join(self.work, "%s-%d-%d" % ("nan" if v.verdict == "nan" else "diverge",
                                                      self.a.seed, i))
        shutil.copy(f, keep + ".wasm")
        with open(keep + ".atoll", "w") as g:
            g.write("\n".join(a) + "\n")
        with open(keep + ".node", "w") as g:
            g.write("\n".join(b) + "\n")
        with open(keep + ".tier", "w") as g:
            g.write(" ".join(tier) + "\n")
        return v._replace(detail="%s (%s)" % (v.detail, keep + ".wasm"))

    def run_files(self, files, tier, wdir):
        """{i: Verdict} for files {path: i}, run as one batch."""
        mine, node = self.both(list(files), tier, wdir)
        return {i: self.judge(i, f, mine, node, tier, wdir) for f, i in files.items()}

    def run_modules(self, idx, tier, wdir):
        """{i: Verdict} for modules idx of the seed, made in wdir."""
        files, results = {}, {}
        for i in idx:
            p = os.path.join(wdir, "m%d.wasm" % i)
            if make_module(self.a.seed, i, p, self.a.simd_every):
                files[p] = i
            else:
                results[i] = Verdict("ungenerated", "", 0, 0)
        if files:
            results.update(self.run_files(files, tier, wdir))
        return results

    def record(self, results):
        """Counts results {i: Verdict} in; the caller holds the lock."""
        for i, v in sorted(results.items()):
            self.counts[v.verdict] += 1
            self.calls += v.calls
            self.uncalled += v.uncalled
            if v.verdict == "refused":
                self.reasons[v.detail[:160]] += 1
            if v.verdict in ("differ", "nan"):
                self.found.append((i, v.verdict, v.detail))
                print("%s module %d: %s" % ("DIVERGE" if v.verdict == "differ" else "NAN", i,
                                            v.detail), flush=True)

    def worker(self, k):
        wdir = os.path.join(self.work, "w%d" % k)
        os.makedirs(wdir, exist_ok=True)
        while True:
            b = self.take()
            if b is None:
                return
            idx = range(b * self.a.batch, (b + 1) * self.a.batch)
            if self.a.count:
                idx = [i for i in idx if i < self.a.count]
            results = self.run_modules(idx, self.tier(b), wdir)
            for f in os.listdir(wdir):
                os.unlink(os.path.join(wdir, f))
            with self.lock:
                self.done += 1
                if self.done % 200 == 0:
                    print("... %d modules made, %.0f s" % (self.done * self.a.batch,
                          time.time() - self.t0), file=sys.stderr, flush=True)
                self.record(results)

    def summary(self):
        """The closing lines, and the exit status."""
        c = self.counts
        compared = sum(c[v] for v in self.COMPARED)
        lines = [
            "seed %d, modules 0..%d, %.0f s, node tier %s%s"
            % (self.a.seed, self.next_batch * self.a.batch - 1, time.time() - self.t0,
               self.a.tier, ", v128 log planted" if self.a.plant_v128 else ""),
            "compared: %d modules: %d agree, %d stack-exhausted and %d timed out (compared up "
            "to that call), %d failed outside Wasm on both sides (compared up to that call), "
            "%d NaN-only differences, %d divergences"
            % (compared, c["same"], c["exhausted"], c["timeout"], c["hosterr"], c["nan"],
               c["differ"]),
            "calls: %d compared, %d not compared (a v128 in the export's type: neither side "
            "calls it)" % (self.calls, self.uncalled),
            "not compared: %d modules refused by both, %d not generated by binaryen"
            % (c["refused"], c["ungenerated"])]
        for r, n in self.reasons.most_common(5):
            lines.append("  %d refused: %s" % (n, r))
        lines.append("%d modules compared, %d not compared (refused by both), %d divergences, "
                     "%d NaN-only" % (compared, c["refused"], c["differ"], c["nan"]))
        status = 1 if c["differ"] else 3 if not compared else 0
        if status == 3:
            lines.append("no module was compared: this run tested nothing")
        return "\n".join(lines), status

    def main(self):
        ws = [threading.Thread(target=self.worker, args=(k,)) for k in range(self.a.jobs)]
        for w in ws:
            w.start()
        for w in ws:
            w.join()
        text, status = self.summary()
        print(text)
        return status


def parse(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("fuzz_run")
    p.add_argument("count_compat", nargs="?", type=int, default=None)
    p.add_argument("--seconds", type=float, default=0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--batch", type=int, default=25)
    p.add_argument("--tier", choices=["both", "liftoff", "turbofan"], default="both")
    p.add_argument("--simd-every", type=int, default=16)
    p.add_argument("--plant-v128", action="store_true")
    p.add_argument("--dir", help="where divergent modules are kept (default: fuzz-diff/ "
                   "next to FUZZ_RUN)")
    a = p.parse_args(argv)
    if a.simd_every < 1:
        p.error("--simd-every must be at least 1")
    if a.count_compat:
        a.count = a.count_compat
    if not a.seconds and not a.count:
        a.seconds = 60
    return a


if __name__ == "__main__":
    sys.exit(Fuzz(parse()).main())
