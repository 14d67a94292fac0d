"""suite.py: the benchmark programs and their three builds.

Each bench/programs/*.c is one program; its header comment carries a line

    bench: n=SIZE test=SIZE kind=KIND [simd]

SIZE for `make bench` (about 1 s natively) and for `make test` (a few ms),
the kind of work it exercises, and `simd` when it is also built with
-msimd128 (issue 9). Adding a program is adding one file.

Builds go to BUILD/bench/{native,wasm,simd}/, each rebuilt when its source,
the support files or these flags change.
"""
import os
import re
import subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
PROGRAMS = os.path.join(ROOT, 'bench', 'programs')
SUPPORT = [os.path.join(PROGRAMS, 'lib', f) for f in ('bench.h', 'native_main.c')]

# -fno-math-errno: sqrt becomes one instruction natively, as in Wasm, and
# the programs' core needs no libm (the kernel build has none).
NATIVE_CMD = ['gcc', '-std=c11', '-O2', '-fno-math-errno', '-Wall', '-Wextra']
# -ffreestanding: no libc headers exist for bare wasm32. -mbulk-memory:
# memcpy/memset become memory.copy/memory.fill (Wasm 2.0) instead of calls
# to a libc that is not there.
WASM_CMD = ['clang', '--target=wasm32', '-std=c11', '-O2', '-ffreestanding',
            '-mbulk-memory', '-nostdlib', '-Wl,--no-entry', '-Wl,--export=run',
            '-Wall', '-Wextra']
SIMD_FLAGS = ['-msimd128']

HEADER = re.compile(r'bench:\s+n=(\d+)\s+test=(\d+)\s+kind=(\w+)(\s+simd)?')


class Program:
    def __init__(self, name, source, n, test_n, kind, simd, summary):
        self.name, self.source = name, source
        self.n, self.test_n, self.kind, self.simd = n, test_n, kind, simd
        self.summary = summary  # the file's first comment line, for reports


def discover(names=None):
    """Programs in bench/programs, sorted by name; names filters them."""
    progs = []
    for f in sorted(os.listdir(PROGRAMS)):
        if not f.endswith('.c'):
            continue
        path = os.path.join(PROGRAMS, f)
        with open(path) as fh:
            head = fh.read(2000)
        m = HEADER.search(head)
        if not m:
            raise SystemExit('bench: %s has no "bench: n=... test=... kind=..." line' % path)
        first = head.split('\n', 1)[0]
        summary = first.split(':', 1)[1].strip(' */.') if ':' in first else ''
        name = f[:-2]
        progs.append(Program(name, path, int(m.group(1)), int(m.group(2)),
                             m.group(3), bool(m.group(4)), summary))
    if names:
        known = {p.name for p in progs}
        bad = [x for x in names if x not in known]
        if bad:
            raise SystemExit('bench: unknown program(s): %s' % ', '.join(bad))
        progs = [p for p in progs if p.name in names]
    return progs


def _stale(out, inputs):
    if not os.path.exists(out):
        return True
    t = os.path.getmtime(out)
    return any(os.path.getmtime(i) > t for i in inputs)


def _build(cmd, out, inputs, log):
    if not _stale(out, inputs + [__file__]):
        return
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if log:
        log(' '.join(cmd))
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('bench: build failed:\n%s\n%s' % (' '.join(cmd), r.stderr))
    if r.stderr.strip() and log:
        log(r.stderr.rstrip())


def native_path(build, p):
    return os.path.join(build, 'bench', 'native', p.name)


def wasm_path(build, p, simd=False):
    return os.path.join(build, 'bench', 'simd' if simd else 'wasm', p.name + '.wasm')


def build_all(build, progs, log=print):
    """Builds every program natively, to wasm32, and with SIMD when marked."""
    rel = lambda path: os.path.relpath(path, ROOT)
    for p in progs:
        src = rel(p.source)
        main = rel(SUPPORT[1])
        out = native_path(build, p)
        _build(NATIVE_CMD + [src, main, '-o', out], out, [p.source] + SUPPORT, log)
        out = wasm_path(build, p)
        _build(WASM_CMD + [src, '-o', out], out, [p.source, SUPPORT[0]], log)
        if p.simd:
            out = wasm_path(build, p, simd=True)
            _build(WASM_CMD + SIMD_FLAGS + [src, '-o', out], out, [p.source, SUPPORT[0]], log)


def commands():
    """The build commands, as the report prints them."""
    return {
        'native': ' '.join(NATIVE_CMD + ['PROG.c', 'bench/programs/lib/native_main.c']),
        'wasm': ' '.join(WASM_CMD + ['PROG.c']),
        'simd': ' '.join(WASM_CMD + SIMD_FLAGS + ['PROG.c']),
    }
