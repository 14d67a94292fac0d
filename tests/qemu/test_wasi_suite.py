"""The official WASI preview-1 suite in the kernel (issue 17): the tests
that atoll-run passes (tests/wasi/run.py, minus the 49 that preopen a
folder) run from the shell under QEMU on the same WASI layer, in one
boot: each is put in the programs archive as tNN.wasm and started with
`run NAME=value... tNN ARGS` (quoted where a word has blanks, quotes or
newlines), its exit status read from what the shell prints (nothing for
0, "tNN: exit status N" otherwise) and its stdout compared when the suite
gives one. A test whose arguments or environment cannot be typed at all
is skipped with that reason, counted and printed. The suite lives beside
the repository (../shared); without it the test says so and fails.
"""
import os
import re
import sys

from atollqemu import Boot
from test_programs import archive_modules, command, start

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "wasi"))
import run as wasi_run  # noqa: E402

SUITE = os.environ.get("WASI_TESTSUITE", wasi_run.DEFAULT_SUITE)
SKIPS = os.path.join(ROOT, "tests", "wasi", "atoll-run-known-failures.txt")
SAFE = re.compile(r"^[A-Za-z0-9./,:+_=-]+$")
TYPABLE = re.compile(r'^[A-Za-z0-9./,:+_=\- "\\\n]*$')


def word(s):
    """s as one word of the shell's run line (user/userboot/jobs.c)."""
    if SAFE.match(s):
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def line_of(name, spec):
    env = [word("%s=%s" % kv) for kv in spec["env"].items()]
    return " ".join(["run"] + env + [name] + [word(a) for a in spec["args"]])


def shell_cannot_carry(spec):
    for s in list(spec["args"]) + ["%s=%s" % kv for kv in spec["env"].items()]:
        if not TYPABLE.match(s):
            return "a word that cannot be typed at the shell: %r" % s
    return None


def test_wasi_suite_in_the_kernel():
    assert os.path.isdir(SUITE), "the WASI suite is not at %s" % SUITE
    skips = wasi_run.read_skips(SKIPS)
    tests = [t for t in wasi_run.find_tests(SUITE)
             if "%s/%s" % (t.lang, t.name) not in skips and t.name not in skips]
    assert len(tests) >= 20, "only %d tests outside the skip list" % len(tests)
    runnable, skipped = [], []
    for t in tests:
        why = t.error or shell_cannot_carry(t.spec)
        if not why and t.spec.get("dirs"):
            why = "preopens a folder: the shell cannot give one yet"
        (skipped if why else runnable).append((t, why))
    modules = archive_modules({"t%02d" % i: t.wasm for i, (t, _) in enumerate(runnable)},
                              wasi=True)
    failures = []
    with Boot(append="loglevel=2", modules=modules, timeout=600) as b:
        start(b)
        for i, (t, _) in enumerate(runnable):
            name = "t%02d" % i
            out = command(b, line_of(name, t.spec), timeout=120)
            m = re.search(r"^%s: (exit status (\d+)|.*)$" % name, out, re.M)
            status = 0 if not m else int(m.group(2)) if m.group(2) else None
            label = "%s/%s" % (t.lang, t.name)
            refused = re.search(r"^run: %s: .*$" % name, out, re.M)
            if refused:                 # never ran: not a pass, whatever it expects
                failures.append("%s: %s" % (label, refused.group(0)))
            elif status != t.spec["exit_code"]:
                failures.append("%s: %s, expected exit %d" % (
                    label, m.group(1) if m else "exit 0", t.spec["exit_code"]))
            elif t.spec["stdout"] is not None and t.spec["stdout"] not in out:
                failures.append("%s: stdout %r, expected %r" % (label, out, t.spec["stdout"]))
        assert "panic" not in b.serial, b.serial[-3000:]
    for t, why in skipped:
        print("    skip %s/%s: %s" % (t.lang, t.name, why))
    print("    wasi-testsuite in the kernel: %d passed, %d failed, %d skipped here, "
          "%d skipped as for atoll-run" % (len(runnable) - len(failures), len(failures),
                                           len(skipped), 72 - len(tests)))
    assert not failures, "\n".join(failures)
