"""The official WASI preview-1 suite in the kernel (issue 17): the tests
that atoll-run passes (tests/wasi/run.py) run from the shell under QEMU on
the same WASI layer, in one boot: each is put in the programs archive as
tNN.wasm and started with `run NAME=value... tNN ARGS` (quoted where a
word has blanks, quotes or newlines); a test that preopens fs-tests.dir
gets a fresh copy of the suite's folder (in the image's files, copied to
/tmp/tNN by tests/wasi/tools/ftool.c) with `run --dir /tmp/tNN::fs-tests.dir`, its exit status read from what the shell prints (nothing for
0, "tNN: exit status N" otherwise) and its stdout compared when the suite
gives one. A test whose arguments or environment cannot be typed at all
is skipped with that reason, counted and printed. The suite lives beside
the repository (../shared); without it the test says so and fails.
"""
import os
import re
import sys
import tarfile
import tempfile

from atollqemu import Boot
from test_programs import archive_modules, command, start, USER

FTOOL = os.path.join(USER, "programs", "ftool.wasm")

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


def suite_files(runnable):
    """The files module: each language's fs-tests.dir (without leftover
    *.cleanup files) at /LANG/fs-tests.dir."""
    path = os.path.join(tempfile.mkdtemp(prefix="atoll-suite-files-"), "files.tar")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for lang in sorted({t.lang for t, _ in runnable if t.spec.get("dirs")}):
            d = os.path.join(os.path.dirname(next(t.wasm for t, _ in runnable
                                                  if t.lang == lang)), "fs-tests.dir")
            tar.add(d, arcname="%s/fs-tests.dir" % lang,
                    filter=lambda m: None if m.name.endswith(".cleanup") else m)
    return path + " files"


def test_wasi_suite_in_the_kernel():
    assert os.path.isdir(SUITE), "the WASI suite is not at %s" % SUITE
    skips = wasi_run.read_skips(SKIPS)
    tests = [t for t in wasi_run.find_tests(SUITE)
             if "%s/%s" % (t.lang, t.name) not in skips and t.name not in skips]
    assert len(tests) >= 20, "only %d tests outside the skip list" % len(tests)
    runnable, skipped = [], []
    for t in tests:
        why = t.error or shell_cannot_carry(t.spec)
        if not why and [d for d in t.spec.get("dirs", []) if d != "fs-tests.dir"]:
            why = "preopens a folder other than fs-tests.dir: %r" % t.spec["dirs"]
        (skipped if why else runnable).append((t, why))
    programs = {"t%02d" % i: t.wasm for i, (t, _) in enumerate(runnable)}
    programs["ftool"] = FTOOL
    modules = archive_modules(programs, wasi=True, fsd=True) + [suite_files(runnable)]
    failures = []
    with Boot(append="loglevel=2", modules=modules, timeout=600) as b:
        start(b)
        for i, (t, _) in enumerate(runnable):
            name = "t%02d" % i
            line = line_of(name, t.spec)
            if t.spec.get("dirs"):
                # A fresh, writable copy of the suite's folder, as run.py
                # gives each test (the image's copy is read-only).
                out = command(b, "run ftool cp /%s/fs-tests.dir /tmp/%s" % (t.lang, name),
                              timeout=120, fast=True)
                assert "exit status" not in out, out
                line = line.replace("run ", "run --dir /tmp/%s::fs-tests.dir " % name, 1)
            else:
                line = line.replace("run ", "run --no-dirs ", 1)   # as the suite has it
            out = command(b, line, timeout=120, fast=True)
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
