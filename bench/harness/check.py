#!/usr/bin/env python3
"""check.py: `make test-bench`, the benchmark programs' correctness check.

Builds every program natively and to Wasm, runs each at its tiny test
size natively and under node (and its -msimd128 build, when it has one),
and compares the checksums with the native one. One line per program,
then "N passed, N failed". Never asserts a time: benchmarks are measured
by `make bench`, not tested.

    check.py [--build DIR] [PROGRAM...]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import engines  # noqa: E402
import suite  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.environ.get('BUILD', 'build'))
    ap.add_argument('programs', nargs='*')
    args = ap.parse_args()

    progs = suite.discover(args.programs)
    suite.build_all(args.build, progs, log=None)
    native = engines.Native(args.build)
    node = engines.Node('node', 'node', [], warmup=False)
    why = node.available()
    passed = failed = 0
    for p in progs:
        runs = [('node', suite.wasm_path(args.build, p))]
        if p.simd:
            runs.append(('node simd128', suite.wasm_path(args.build, p, simd=True)))
        problems = []
        try:
            want = native.run(p, p.test_n, None).checksum
        except engines.EngineError as e:
            want, problems = None, ['native: %s' % e]
        if want is not None and why:
            problems.append('node: %s' % why)
        for label, wasm in runs if want is not None and not why else []:
            try:
                got = node.run(p, p.test_n, wasm).checksum
                if got != want:
                    problems.append('%s: checksum %d, native %d' % (label, got, want))
            except engines.EngineError as e:
                problems.append('%s: %s' % (label, e))
        if problems:
            failed += 1
            print('FAIL %-10s %s' % (p.name, '; '.join(problems)))
        else:
            passed += 1
            print('PASS %-10s n=%d checksum %d (native, %s)' %
                  (p.name, p.test_n, want, ', '.join(r[0] for r in runs)))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
