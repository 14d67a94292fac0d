#!/usr/bin/env python3
"""Runs QEMU test files: every function test_* in tests/qemu/test_*.py
(or the files given). A test passes by returning; it fails by raising
(assert). Prints one line per test and ends with "N passed, N failed".

    tests/qemu/run.py [FILE.py ...] [-k SUBSTRING]
"""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv):
    files, pattern = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "-k":
            pattern = argv[i + 1]
            i += 2
            continue
        files.append(argv[i])
        i += 1
    if not files:
        files = sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                       if f.startswith("test_") and f.endswith(".py"))
    passed = failed = 0
    for path in files:
        mod = load(path)
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            fn = getattr(mod, name)
            if not callable(fn) or (pattern and pattern not in name):
                continue
            label = "%s::%s" % (os.path.basename(path), name)
            t0 = time.monotonic()
            try:
                fn()
                passed += 1
                print("ok     %-55s %6.1fs" % (label, time.monotonic() - t0), flush=True)
            except Exception as e:  # noqa: BLE001 - report any failure
                failed += 1
                print("FAILED %-55s %6.1fs" % (label, time.monotonic() - t0), flush=True)
                msg = "".join(traceback.format_exception_only(type(e), e)).strip()
                for line in msg.splitlines()[:60]:
                    print("    " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
