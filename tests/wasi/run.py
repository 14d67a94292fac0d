#!/usr/bin/env python3
"""Runs the WASI preview-1 test suite (wasi-testsuite) against a runtime.

    python3 tests/wasi/run.py --runtime node [--suite DIR] [-k SUBSTRING]
                              [--skip-file FILE] [-j N] [--timeout S]

Each NAME.wasm of the suite's wasm32-wasip1 folders is one test; NAME.json
beside it, when there is one, gives its args, env, preopened dirs, expected
exit code and stdout (the suite's doc/specification.md, "legacy" format).
One line per test (ok / FAIL / skip), then a summary line; the exit status
is 0 only when no test failed. tests/wasi/README.md has the figures.

The suite is never written: the dirs a test preopens are copied into a
fresh scratch folder first, and the runtime runs with that folder as cwd.
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Beside the repository, as make finds it (mk/wasi.mk).
DEFAULT_SUITE = os.path.join(os.path.dirname(ROOT), "shared", "wasi-testsuite")
LANGS = ("assemblyscript", "c", "rust")
WASI_VERSION = "wasm32-wasip1"


# --- runtime adapters ------------------------------------------------------
#
# An adapter only builds the command line; the runner does everything else
# (scratch dirs, timeout, checking). To add a runtime, subclass Adapter,
# implement argv() and add it to ADAPTERS.
#
# argv() gets the absolute path of the program, its args (without argv[0]:
# the runtime supplies that), the env (the whole WASI environment: nothing
# of the runner's own environment may leak in) and the preopens as
# (host, guest) pairs, host an absolute path in the scratch folder, guest
# the name the JSON gives (e.g. "fs-tests.dir", which the Rust tests also
# get as their first argument and open by that name).

class Adapter:
    name = None

    def argv(self, wasm, args, env, dirs):
        raise NotImplementedError

    def check(self):
        """Returns None when the runtime can be run, else why not."""
        return None


class NodeAdapter(Adapter):
    """node's built-in node:wasi, through tests/wasi/node_wasi.mjs."""
    name = "node"

    def __init__(self):
        self.node = os.environ.get("NODE", "node")
        self.script = os.path.join(HERE, "node_wasi.mjs")

    def argv(self, wasm, args, env, dirs):
        # --no-warnings: node:wasi prints an ExperimentalWarning on every
        # start, noise in a failure's stderr.
        cmd = [self.node, "--no-warnings", self.script]
        return cmd + wasmtime_style(wasm, args, env, dirs)

    def check(self):
        if shutil.which(self.node) is None:
            return f"{self.node} not found"
        return None


class AtollRunAdapter(Adapter):
    """Atoll's hosted runtime, build/atoll-run (ATOLL_RUN overrides).

    The command line is the wasmtime-like one atoll-run is to get for WASI:

        build/atoll-run [--dir HOST::GUEST]... [--env K=V]... PROG.wasm ARGS...

    argv[0] of the program is atoll-run's business (the program's file
    name, as wasmtime and node_wasi.mjs give it); the env is exactly the
    --env pairs; stdin is an empty pipe, stdout and stderr are captured.
    """
    name = "atoll-run"

    def __init__(self):
        build = os.environ.get("BUILD", "build")
        self.exe = os.environ.get("ATOLL_RUN",
                                  os.path.join(ROOT, build, "atoll-run"))

    def argv(self, wasm, args, env, dirs):
        return [self.exe] + wasmtime_style(wasm, args, env, dirs)

    def check(self):
        if not os.access(self.exe, os.X_OK):
            return f"{self.exe} not built (make {os.path.relpath(self.exe, ROOT)})"
        return None


def wasmtime_style(wasm, args, env, dirs):
    out = []
    for host, guest in dirs:
        out += ["--dir", f"{host}::{guest}"]
    for k, v in env.items():
        out += ["--env", f"{k}={v}"]
    return out + [wasm] + list(args)


ADAPTERS = {a.name: a for a in (NodeAdapter, AtollRunAdapter)}


# --- the suite -------------------------------------------------------------

class Test:
    def __init__(self, lang, folder, name):
        self.lang = lang
        self.folder = folder
        self.name = name
        self.wasm = os.path.join(folder, name + ".wasm")
        self.error = None
        try:
            self.spec = read_spec(os.path.join(folder, name + ".json"))
        except (ValueError, OSError) as e:
            # Fails this test, not the whole run.
            self.error = f"{name}.json: {e}"
            self.spec = read_spec(None)


def read_spec(path):
    # The defaults of doc/specification.md, except stdout: the suite's own
    # runner checks it only when the JSON gives it (Config.stdout = None),
    # and so do we.
    spec = {"args": [], "env": {}, "dirs": [], "exit_code": 0, "stdout": None}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            given = json.load(f)
        if "operations" in given:
            # The operation-based format: none of the preview-1 tests use
            # it; a test that does fails loudly rather than run wrongly.
            raise ValueError("operation-based spec not supported")
        for k, v in given.items():
            if k not in spec and k != "stderr":
                raise ValueError(f"unknown field {k!r}")
            spec[k] = v
    return spec


def find_tests(suite):
    tests = []
    for lang in LANGS:
        folder = os.path.join(suite, "tests", lang, "testsuite", WASI_VERSION)
        if not os.path.isdir(folder):
            continue
        for f in sorted(os.listdir(folder)):
            if f.endswith(".wasm"):
                tests.append(Test(lang, folder, f[:-5]))
    return tests


def read_skips(path):
    """name -> reason, from a file of one test a line: NAME or LANG/NAME
    (e.g. rust/readlink), then optionally "# reason". A line without its
    own reason takes the comment line just above it, so one comment can
    cover a group; a blank line ends a group."""
    skips = {}
    if not path:
        return skips
    block = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                block = ""
                continue
            if line.startswith("#"):
                block = line.lstrip("#").strip()
                continue
            name, _, why = line.partition("#")
            skips[name.strip()] = why.strip() or block or "in the skip file"
    return skips


# --- running one test --------------------------------------------------------

def make_writable(top):
    # The shared suite is read-only on disk, and copy2 keeps the mode: the
    # tests that create files in fs-tests.dir would fail on the copy.
    for d, subdirs, files in os.walk(top):
        for p in [d] + [os.path.join(d, f) for f in files]:
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)


def remove_cleanup(top):
    # The suite's convention for what a test leaves behind; a fresh copy
    # has none, but a runtime that ran the suite in place may have left
    # some in a copy's source, so they go from the copy before each run.
    for d, subdirs, files in os.walk(top):
        for n in files + subdirs:
            if n.endswith(".cleanup"):
                p = os.path.join(d, n)
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    os.unlink(p)


def run_test(adapter, test, timeout, keep):
    """Returns (ok, why)."""
    scratch = tempfile.mkdtemp(prefix=f"wasi-{test.name}-")
    try:
        dirs = []
        for d in test.spec["dirs"]:
            src = os.path.join(test.folder, d)
            dst = os.path.join(scratch, d)
            shutil.copytree(src, dst, symlinks=True)
            make_writable(dst)
            remove_cleanup(dst)
            dirs.append((dst, d))
        cmd = adapter.argv(test.wasm, test.spec["args"], test.spec["env"], dirs)
        try:
            # fds 0-2 all pipes (stdin empty), as the suite's runner has
            # them. It matters: if any is /dev/null or a file,
            # poll_oneoff_stdio fails under node (EPERM: epoll refuses
            # them), and isatty/stdio look at what fds 0-2 are.
            p = subprocess.run(cmd, cwd=scratch, input=b"", capture_output=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"timeout after {timeout} s"
        except OSError as e:
            return False, f"cannot start {cmd[0]}: {e}"
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        why = []
        if p.returncode != test.spec["exit_code"]:
            why.append(f"exit {p.returncode}, expected {test.spec['exit_code']}")
        if test.spec["stdout"] is not None and out != test.spec["stdout"]:
            why.append(f"stdout {out!r}, expected {test.spec['stdout']!r}")
        if why:
            tail = gist(err) or gist(out)
            if tail:
                why.append(tail)
            return False, "; ".join(why)
        return True, ""
    finally:
        if keep:
            print(f"  (scratch kept: {scratch})", file=sys.stderr)
        else:
            make_writable(scratch)
            shutil.rmtree(scratch, ignore_errors=True)


def gist(text):
    """The line of a failing test's output that says why: a Rust panic's
    message, a C assert, else the last line (a runtime's own error)."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    if not lines:
        return ""
    pick = lines[-1]
    for n, l in enumerate(lines):
        if "panicked at" in l and n + 1 < len(lines):
            pick = lines[n + 1]
            break
        if l.startswith("Assertion failed"):
            pick = l
            break
    return pick if len(pick) <= 200 else pick[:200] + "..."


# --- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runtime", required=True, choices=sorted(ADAPTERS))
    ap.add_argument("--suite", default=os.environ.get("WASI_TESTSUITE", DEFAULT_SUITE))
    ap.add_argument("-k", dest="substr", default=None,
                    help="run only the tests whose name contains SUBSTR")
    ap.add_argument("--skip-file", default=None)
    ap.add_argument("-j", dest="jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--keep", action="store_true",
                    help="keep each test's scratch folder (printed)")
    ap.add_argument("-v", dest="verbose", action="store_true",
                    help="print each failing test's command line")
    opts = ap.parse_args()

    adapter = ADAPTERS[opts.runtime]()
    tests = find_tests(opts.suite)
    if not tests:
        sys.exit(f"run.py: no {WASI_VERSION} tests under {opts.suite}")
    skips = read_skips(opts.skip_file)
    names = {t.name for t in tests} | {f"{t.lang}/{t.name}" for t in tests}
    unknown = set(skips) - names
    if unknown:
        # A typo in the skip file would otherwise skip nothing, silently.
        sys.exit(f"run.py: {opts.skip_file}: not tests of the suite: {', '.join(sorted(unknown))}")

    total = len(tests)
    skipped, todo, unselected = [], [], 0
    for t in tests:
        if opts.substr is not None and opts.substr not in t.name:
            # Left out on purpose, so neither listed nor counted as skips.
            unselected += 1
        elif f"{t.lang}/{t.name}" in skips:
            skipped.append((t, skips[f"{t.lang}/{t.name}"]))
        elif t.name in skips:
            skipped.append((t, skips[t.name]))
        else:
            todo.append(t)

    why_not = adapter.check() if todo else None
    if why_not:
        # Every test fails rather than skips: a runtime that is missing is
        # not a passing suite.
        print(f"run.py: {why_not}", file=sys.stderr)

    def one(t):
        if why_not:
            return t, False, why_not
        if t.error:
            return t, False, t.error
        ok, why = run_test(adapter, t, opts.timeout, opts.keep)
        return t, ok, why

    for t, why in skipped:
        print(f"skip {t.lang}/{t.name}: {why}")
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        # Results in the suite's order, whatever order they finish in.
        for t, ok, why in pool.map(one, todo):
            if ok:
                passed += 1
                print(f"ok   {t.lang}/{t.name}")
            else:
                failed += 1
                print(f"FAIL {t.lang}/{t.name}: {why}")
                if opts.verbose:
                    # SCRATCH: the test's scratch folder, gone by now
                    # (--keep keeps it), and the command's cwd.
                    dirs = [(f"SCRATCH/{d}", d) for d in t.spec["dirs"]]
                    print("     " + shlex.join(adapter.argv(t.wasm, t.spec["args"],
                                                             t.spec["env"], dirs)))
            sys.stdout.flush()

    print(f"wasi-testsuite ({adapter.name}): {passed} passed, {failed} failed, "
          f"{len(skipped)} skipped of {total}"
          + (f" ({unselected} not selected by -k)" if unselected else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
