"""report.py: bench/results.md and the chart of execution ratios.

A figure is printed only when it was measured and its checksum matched
native's; otherwise the cell says why (not available, error, wrong
checksum). Geometric means are over the plain (non-SIMD) builds, and say
over how many programs when an engine could not run them all.
"""
import datetime
import math
import os
import platform
import statistics
import subprocess

import suite

GOAL = 2.0  # issue 4: Atoll's single-pass code at <= 2.0x native (geomean)


def _first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return 'not found'


def machine(load_start, atoll):
    cpu = 'unknown'
    mem = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            kb = int(f.readline().split()[1])
            mem = '%.1f GiB' % (kb / 2**20)
    except OSError:
        pass
    return [
        ('CPU', '%s, %d logical cores' % (cpu, os.cpu_count() or 0)),
        ('memory', mem),
        ('OS', '%s %s' % (platform.system(), platform.release())),
        ('load average (1 min)', '%.2f at start, %.2f at end (other work on the machine '
                                 'shows here; it widens min–max)' % (load_start, os.getloadavg()[0])),
        ('date', datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')),
        ('gcc', _first_line(['gcc', '--version'])),
        ('clang', _first_line(['clang', '--version'])),
        ('node', '%s (V8 %s)' % (_first_line(['node', '--version']),
                                 _first_line(['node', '-p', 'process.versions.v8']))),
        ('Atoll', 'tree at commit %s; %s' % (
            _first_line(['git', '-C', suite.ROOT, 'describe', '--always', '--dirty']),
            'atoll-run built %s' % datetime.datetime.fromtimestamp(
                os.path.getmtime(atoll), datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
            if os.path.exists(atoll) else 'no atoll-run')),
    ]


class Stat:
    """What one cell shows: a median with its spread, or a reason."""

    def __init__(self, cell, missing, want):
        self.median = self.why = None
        if missing:
            self.why = 'not available'
        elif cell is None or cell.error:
            self.why = 'error: %s' % (cell.error if cell else '?')
        elif not cell.ms:
            self.why = 'no runs'
        elif want is None and len(set(cell.checksums)) > 1:
            self.why = 'checksum differs between runs'  # native itself: not deterministic
        elif want is not None and any(c != want for c in cell.checksums):
            self.why = 'wrong checksum (%d, native %d)' % (cell.checksums[0], want)
        else:
            self.median = statistics.median(cell.ms)
            self.lo, self.hi = min(cell.ms), max(cell.ms)
            self.extra = {k: statistics.median(v) for k, v in cell.extra.items()}

    def text(self):
        if self.median is None:
            return self.why.replace('|', '/')
        if self.lo == self.hi:
            return '%.1f' % self.median
        return '%.1f (%.1f–%.1f)' % (self.median, self.lo, self.hi)


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def _table(rows, size, engs, missing, cells, geo=True):
    head = '| program | kind | n | ' + ' | '.join(
        '%s ms' % e.label + ('' if e.key == 'native' else ' | ×') for e in engs) + ' |'
    cols = head.count('|') - 1
    lines = [head, '|' + '---|' * cols]
    ratios = {e.key: [] for e in engs}
    low = {e.key: [] for e in engs}  # ratios of the fastest runs
    for p, s in rows:
        want = cells.get((p.name, False, 'native'))
        want = want.checksums[0] if want and want.checksums else -1
        row = ['%s%s' % (p.name, ' (simd128)' if s else ''), p.kind, str(size[p.name])]
        base = None
        for e in engs:
            st = Stat(cells.get((p.name, s, e.key)), e.key in missing,
                      None if e.key == 'native' else want)
            row.append(st.text())
            if e.key == 'native':
                base, base_lo = st.median, getattr(st, 'lo', None)
                continue
            if st.median is not None and base:
                ratios[e.key].append(st.median / base)
                low[e.key].append(st.lo / base_lo)
                row.append('%.2f' % (st.median / base))
            else:
                row.append('—')
        lines.append('| ' + ' | '.join(row) + ' |')
    if not geo:
        return lines, ratios
    count = len(rows)
    for title, rs, bold in (('**geomean**', ratios, '**'), ('geomean of minimums', low, '')):
        row = [title, '', '']
        for e in engs:
            if e.key == 'native':
                row.append('1.00')
                continue
            g = geomean(rs[e.key])
            row.append('')
            if g is None:
                row.append('—')
            elif len(rs[e.key]) < count:
                row.append('%.2f (%d of %d)' % (g, len(rs[e.key]), count))
            else:
                row.append('%s%.2f%s' % (bold, g, bold))
        lines.append('| ' + ' | '.join(row) + ' |')
    return lines, ratios


def _compile_table(progs_rows, engs, missing, cells, build):
    keys = {e.key for e in engs if e.key not in missing}
    if not {'v8', 'liftoff'} <= keys:
        return []
    atoll = 'atoll' in keys and any('compile_ms' in c.extra for k, c in cells.items()
                                    if k[2] == 'atoll' and c)
    lines = ['| program | .wasm KiB | V8 compile ms | V8 instantiate ms | Liftoff-only compile ms '
             '| V8 first call, run(N/4), ms | V8 steady call, run(N), ms |%s' % (
                 ' Atoll decode+compile ms | Atoll instantiate ms |' if atoll else ''),
             '|---|---|---|---|---|---|---|' + ('---|---|' if atoll else '')]
    for p, s in progs_rows:
        if s:
            continue
        v8 = cells.get((p.name, False, 'v8'))
        lo = cells.get((p.name, False, 'liftoff'))
        med = lambda c, k: ('%.2f' % statistics.median(c.extra[k])) if c and k in c.extra else '—'
        kib = os.path.getsize(suite.wasm_path(build, p)) / 1024
        steady = '%.1f' % statistics.median(v8.ms) if v8 and v8.ms else '—'
        at = cells.get((p.name, False, 'atoll'))
        lines.append('| %s | %.1f | %s | %s | %s | %s | %s |' % (
            p.name, kib, med(v8, 'compile_ms'), med(v8, 'instantiate_ms'),
            med(lo, 'compile_ms'), med(v8, 'first_ms'), steady)
            + (' %s | %s |' % (med(at, 'compile_ms'), med(at, 'instantiate_ms')) if atoll else ''))
    return lines


def chart(path, build, progs_rows, engs, missing, cells, size):
    """A clustered bar chart of each engine's ratio to native, per program
    and for the geomean, with the 2.0x goal drawn; gnuplot (gnuplot-nox)."""
    others = [e for e in engs if e.key != 'native' and e.key not in missing]
    main = _main_rows(progs_rows)
    lines, ratios = _table(main, size, engs, missing, cells)
    data = os.path.join(build, 'bench', os.path.basename(path) + '.dat')
    rows = []
    for p, s in main:
        native = cells.get((p.name, False, 'native'))
        base = Stat(native, False, None)
        want = native.checksums[0] if base.median else -1
        vals = []
        for e in others:
            st = Stat(cells.get((p.name, False, e.key)), False, want)
            vals.append('%.4f' % (st.median / base.median) if st.median and base.median else '?')
        rows.append('%s %s' % (p.name, ' '.join(vals)))
    rows.append('geomean %s' % ' '.join(
        '%.4f' % geomean(ratios[e.key]) if ratios[e.key] else '?' for e in others))
    with open(data, 'w') as f:
        f.write('\n'.join(rows) + '\n')
    plots = ", ".join("'%s' using %d%s title '%s'" % (data if i == 0 else '', i + 2,
                      ':xtic(1)' if i == 0 else '', e.label) for i, e in enumerate(others))
    script = '\n'.join([
        'set terminal pngcairo size 1200,520 font "sans,10"',
        "set output '%s'" % path,
        'set datafile missing "?"',
        'set style data histograms',
        'set style histogram clustered gap 1',
        'set style fill solid 0.85 border -1',
        'set title "Execution time relative to native gcc -O2 (median of runs; lower is better)"',
        'set ylabel "× native"',
        'set yrange [0:*]',
        'set grid ytics',
        'set key top left',
        'set xtics rotate by -35 scale 0',
        'set arrow from graph 0, first %g to graph 1, first %g nohead dt 2 lw 2 lc rgb "#c00000"' % (GOAL, GOAL),
        'set label "goal %.1f×" at graph 0.005, first %g left offset 0,0.6 tc rgb "#c00000"' % (GOAL, GOAL),
        'set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#404040"',
        'plot ' + plots,
    ])
    gp = data[:-4] + '.gp'
    with open(gp, 'w') as f:
        f.write(script + '\n')
    if not others or not main:
        return 'no chart: no engine besides native ran, or no program of the main table'
    r = subprocess.run(['gnuplot', gp], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('bench: gnuplot failed: %s' % r.stderr.strip())
    return None


def _main_rows(rows):
    """The rows of the main table and the geometric mean: plain builds of
    the programs that are not SIMD kernels."""
    return [(p, s) for p, s in rows if not p.simd and not s]


def write(args, progs, rows, size, engs, missing, cells, runs, seconds):
    out = []
    add = out.append
    cmd = 'python3 bench/harness/bench.py --runs %d%s%s' % (
        runs, ' --quick' if args.quick else '', ''.join(' ' + p for p in args.programs))
    add('# Execution benchmarks')
    add('')
    add('Written by `make bench` (`%s`: %d run%s of each program on each engine, %.0f s in all). '
        'See bench/README.md for what each program does and how to read this.'
        % (cmd, runs, '' if runs == 1 else 's', seconds))
    if args.quick:
        add('')
        add('**Quick mode**: one run at 1/8 size; noisy, for development only.')
    add('')
    add('## Machine')
    add('')
    snap = os.path.join(args.build, 'bench', 'atoll-run')  # what ran (engines.Atoll)
    for k, v in machine(args.load_start, snap if os.path.exists(snap)
                        else os.path.join(args.build, 'atoll-run')):
        add('- %s: %s' % (k, v))
    add('')
    add('## Commands')
    add('')
    for k, v in suite.commands().items():
        add('- build %s: `%s`' % (k, v))
    for e in engs:
        add('- run %s: `%s`%s' % (e.key, e.command() if e.key not in missing or e.key != 'atoll'
                                  else 'build/atoll-run PROG.wasm --invoke run N',
                                  ' — %s' % missing[e.key] if e.key in missing else ''))
    add('')
    add('## Execution time')
    add('')
    add('Milliseconds for one call of `run(n)`, timed inside the runner (process start, '
        'compilation and instantiation excluded): median (min–max) of %d runs; × is the median '
        'over native\'s. The geomean of minimums (each engine\'s fastest run over native\'s '
        'fastest) is the least disturbed by other load on the machine. V8 default tiering is timed on its second call in the process (a first '
        'call of run(N/4) lets V8 tier up; see below). Atoll: %s.' % (runs, _atoll_method(engs, missing)))
    add('')
    lines, ratios = _table(_main_rows(rows), size, engs, missing, cells)
    out.extend(lines)
    add('')
    add('Goal (issue 4): Atoll ≤ %.1f× native, geometric mean. Anchors measured on this kind of '
        'machine on another 10-program suite: V8 optimizing 1.54×, V8 Liftoff 2.76×, WAMR fast JIT '
        '2.74×.' % GOAL)
    simd_rows = [(p, s) for p, s in rows if p.simd]
    if simd_rows:
        add('')
        add('## SIMD kernels (issue 9)')
        add('')
        add('Built without and with `-msimd128`; the ratio is to the same native build, which '
            'gcc -O2 vectorizes with SSE2. Not in the geometric mean above: a scalar Wasm build '
            'against vector native code measures the missing SIMD, not the compiler.')
        add('')
        out.extend(_table(simd_rows, size, engs, missing, cells, geo=False)[0])
    comp = _compile_table(rows, engs, missing, cells, args.build)
    if comp:
        add('')
        add('## Compile and instantiate')
        add('')
        add('Medians in ms. V8 compile is `WebAssembly.compile` (its baseline tier, Liftoff; '
            'the optimizing tier then works in the background). With default tiering the '
            'harness first calls `run(N/4)`, which runs mostly in Liftoff code (V8 replaces a '
            'function\'s code only at its next call, so a loop inside `run` stays in the code '
            'it started in), then times `run(N)`: compare the first column with a quarter of '
            'the second. Atoll\'s figures, when present, are what `atoll-run --time` prints '
            '(decoding, validation and compilation together).')
        add('')
        out.extend(comp)
    why = chart(args.chart, args.build, rows, engs, missing, cells, size)
    add('')
    add('## Chart')
    add('')
    add(why or '![execution time relative to native](%s)' % os.path.basename(args.chart))
    with open(args.out, 'w') as f:
        f.write('\n'.join(out) + '\n')
    return why


def _atoll_method(engs, missing):
    for e in engs:
        if e.key == 'atoll':
            return missing.get('atoll') or e.method()
    return 'not run'
