#!/usr/bin/env python3
"""bench.py: `make bench`, the execution benchmarks.

Builds every program (suite.py), runs each RUNS times on every engine
(engines.py), rounds interleaved so that a slow spell of the machine
touches all engines alike, checks every checksum against native, and
writes the report and the chart (report.py).

    bench.py [--build DIR] [--runs N] [--quick] [--engines a,b]
             [--out FILE.md] [--chart FILE.png] [PROGRAM...]

--quick: one run at 1/8 of each size, for development; its figures are
noisy and not for the committed report.

Then, unless --quick or --no-system, the other parts of issue 7 (compile
speed, kernel primitives, memory: system.py) are measured with
--system-runs runs (default: --runs) and appended to the report.
--system-only skips the execution part (its goal row says not measured).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import engines  # noqa: E402
import report  # noqa: E402
import system  # noqa: E402
import suite  # noqa: E402


class Cell:
    """One program build on one engine: its runs, or why it has none."""

    def __init__(self):
        self.ms, self.checksums, self.extra, self.error = [], [], {}, None

    def add(self, res):
        self.ms.append(res.ms)
        self.checksums.append(res.checksum)
        for k, v in res.extra.items():
            self.extra.setdefault(k, []).append(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.environ.get('BUILD', 'build'))
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--engines', default='native,v8,liftoff,atoll')
    ap.add_argument('--out', default='bench/results.md')
    ap.add_argument('--chart', default='bench/results.png')
    ap.add_argument('--no-system', action='store_true')
    ap.add_argument('--system-only', action='store_true')
    ap.add_argument('--system-runs', type=int, default=None)
    ap.add_argument('programs', nargs='*')
    args = ap.parse_args()
    runs = 1 if args.quick else args.runs
    started = time.time()
    args.load_start = os.getloadavg()[0]
    sys_runs = args.system_runs or args.runs
    if args.system_only:
        with open(args.out, 'w') as f:
            f.write('# Benchmarks (system parts only: bench.py --system-only)\n')
        system.append(args.out, args.build, sys_runs, (None, 0, 0))
        print('bench: wrote %s' % args.out, file=sys.stderr)
        return 0

    progs = suite.discover(args.programs)
    suite.build_all(args.build, progs, log=lambda s: print('  ' + s, file=sys.stderr))
    chosen = args.engines.split(',')
    engs = [e for e in engines.all_engines(args.build) if e.key in chosen]
    if not engs or engs[0].key != 'native':
        raise SystemExit('bench: native must be among the engines (the reference)')
    missing = {}
    for e in engs:
        why = e.available()
        if why:
            missing[e.key] = why
            print('bench: %s: %s' % (e.label, why), file=sys.stderr)
    live = [e for e in engs if e.key not in missing]

    # Rows: each program's plain build, then the -msimd128 builds; the
    # native figure is shared (gcc builds once).
    rows = [(p, False) for p in progs] + [(p, True) for p in progs if p.simd]
    size = {p.name: max(1, p.n // 8) if args.quick else p.n for p in progs}
    cells = {(p.name, simd, e.key): Cell() for p, simd in rows for e in live}
    for r in range(runs):
        for p, simd in rows:
            for e in live:
                if simd and e.key == 'native':
                    continue
                c = cells[(p.name, simd, e.key)]
                if c.error:
                    continue
                try:
                    res = e.run(p, size[p.name], suite.wasm_path(args.build, p, simd))
                except engines.EngineError as err:
                    c.error = str(err)
                    print('  %s%s on %s: %s' % (p.name, ' simd128' if simd else '', e.key, err),
                          file=sys.stderr)
                    continue
                c.add(res)
                print('  [%d/%d] %-9s%-8s %-8s %9.1f ms' % (r + 1, runs, p.name,
                      ' simd' if simd else '', e.key, res.ms), file=sys.stderr)
    for p, simd in rows:
        if simd:
            for e in live:
                if e.key == 'native':
                    cells[(p.name, True, 'native')] = cells[(p.name, False, 'native')]
    no_chart = report.write(args, progs, rows, size, engs, missing, cells, runs,
                            time.time() - started)
    if not args.quick and not args.no_system:
        main_rows = report._main_rows(rows)
        _, ratios = report._table(main_rows, size, engs, missing, cells)
        got = ratios.get('atoll', [])
        system.append(args.out, args.build, sys_runs,
                      (report.geomean(got), len(got), len(main_rows)))
    print('bench: wrote %s%s' % (args.out, '' if no_chart else ' and ' + args.chart),
          file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
