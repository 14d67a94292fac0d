#!/usr/bin/env python3
"""check.py: `make test-bench`, the benchmark programs' correctness check.

Builds every program natively and to Wasm, runs each at its tiny test
size natively, under node and under Atoll (build/atoll-run), each Wasm
build (and its -msimd128 build, when it has one), and compares the
checksums with the native one. Then the other parts'
programs: bench/coral/coral_bench.wat in the hosted build (every figure
printed, the ping-pong's sum right) and bench/ipc/ipc_bench.wat (every
batch printed, every reply and ack checked by the program itself, at tiny
sizes; and bench/ipc/linux_ipc) when build/atoll-coral exists, and
bench/compile/v8_compile.mjs on one program under node. One line per
check, then "N passed, N failed". Never asserts a time: benchmarks are
measured by `make bench`, not tested.

    check.py [--build DIR] [PROGRAM...]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import engines  # noqa: E402
import suite  # noqa: E402


def check_coral(build):
    import importlib.util
    path = os.path.join(suite.ROOT, 'bench', 'coral', 'measure.py')
    spec = importlib.util.spec_from_file_location('coral_measure', path)
    coral = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(coral)
    if not os.path.exists(os.path.join(build, 'atoll-coral')):
        return 'skipped: no %s/atoll-coral' % build
    figs = coral.hosted(os.path.abspath(build), coral.build_program())
    want = [k for k, _, _ in coral.ROWS if not k.startswith('tick') and k != 'switch']
    missing = [k for k in want if k not in figs]
    if missing:
        raise RuntimeError('coral_bench printed no %s' % ', '.join(missing))
    if figs['pingpong_round_trip'] <= 0:
        raise RuntimeError('coral_bench: the ping-pong sum is wrong')
    return 'coral_bench in atoll-coral: %d figures' % len(figs)


def check_ipc(build):
    import importlib.util
    path = os.path.join(suite.ROOT, 'bench', 'ipc', 'measure.py')
    spec = importlib.util.spec_from_file_location('ipc_measure', path)
    ipc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ipc)
    if not os.path.exists(os.path.join(build, 'atoll-coral')):
        return 'skipped: no %s/atoll-coral' % build
    return ipc.smoke(os.path.abspath(build))


def check_v8_compile(build, progs):
    import json
    import subprocess
    wasm = suite.wasm_path(build, progs[0])
    out = subprocess.run(['node', '--liftoff-only', '--no-wasm-lazy-compilation',
                          os.path.join(suite.ROOT, 'bench', 'compile', 'v8_compile.mjs'), wasm],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    r = json.loads(out)
    if r['bytes'] != os.path.getsize(wasm):
        raise RuntimeError('v8_compile.mjs read %d bytes' % r['bytes'])
    return 'v8_compile.mjs on %s' % os.path.basename(wasm)


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
    # build/atoll-run itself, not the copy `make bench` times.
    atoll = engines.Atoll(args.build)
    atoll.path = atoll.built
    if not os.access(atoll.path, os.X_OK):
        why = why or 'no %s' % atoll.path
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
            problems.append(why)
        for label, wasm in runs if want is not None and not why else []:
            for engine, tag in ((node, ''), (atoll, 'atoll ')):
                try:
                    if engine is atoll:
                        got = atoll._invoke(wasm, p.test_n, False)[0]
                    else:
                        got = node.run(p, p.test_n, wasm).checksum
                    if got != want:
                        problems.append('%s%s: checksum %d, native %d' % (tag, label, got, want))
                except engines.EngineError as e:
                    problems.append('%s%s: %s' % (tag, label, e))
        if problems:
            failed += 1
            print('FAIL %-10s %s' % (p.name, '; '.join(problems)))
        else:
            passed += 1
            print('PASS %-10s n=%d checksum %d (native; node and atoll: %s)' %
                  (p.name, p.test_n, want, ', '.join(r[0].replace('node', 'wasm') for r in runs)))
    for name, fn in (('coral', lambda: check_coral(args.build)),
                     ('ipc', lambda: check_ipc(args.build)),
                     ('v8-compile', lambda: check_v8_compile(args.build, progs))):
        try:
            msg = fn()
            passed += 1
            print('PASS %-10s %s' % (name, msg))
        except Exception as e:  # noqa: BLE001 -- reported as a failure
            failed += 1
            print('FAIL %-10s %s' % (name, str(e).strip().splitlines()[0] if str(e).strip() else e))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
