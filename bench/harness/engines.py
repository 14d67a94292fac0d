"""engines.py: the ways a benchmark program is run, each timing the call.

An engine's run(prog, n) returns a Result: the checksum run(n) gave and the
execution time of that call alone, measured inside the runner (process
start and compilation excluded), plus what else the runner reports. It
raises EngineError with a short reason when the program cannot run there.

    native        gcc -O2 build; clock_gettime around run(n)
    v8            node, default tiering; run(n) is timed after a first call
                  of run(n/4) that lets V8 tier up (see run_node.mjs)
    liftoff       node --liftoff-only: V8's baseline compiler alone
    atoll         build/atoll-run --invoke run N, when it exists
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 300  # seconds for one run; a hang is an error, not a figure


class EngineError(Exception):
    pass


class Result:
    def __init__(self, checksum, ms, extra=None):
        self.checksum, self.ms, self.extra = checksum, ms, extra or {}


def _run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise EngineError('timed out after %d s' % TIMEOUT)
    except OSError as e:
        raise EngineError('cannot run %s: %s' % (cmd[0], e.strerror))
    if r.returncode != 0:
        lines = (r.stderr or r.stdout).strip().splitlines()
        raise EngineError((lines[-1] if lines else 'exit status %d' % r.returncode)[:160])
    return r


class Native:
    key, label = 'native', 'native (gcc -O2)'

    def __init__(self, build):
        self.build = build

    def available(self):
        return None

    def command(self):
        return 'BUILD/bench/native/PROG N'

    def run(self, prog, n, wasm):
        from suite import native_path
        out = _run([native_path(self.build, prog), str(n)]).stdout
        m = re.search(r'checksum=(\d+) ns=(\d+)', out)
        if not m:
            raise EngineError('unexpected output: %r' % out[:80])
        return Result(int(m.group(1)), int(m.group(2)) / 1e6)


class Node:
    def __init__(self, key, label, flags, warmup):
        self.key, self.label, self.flags, self.warmup = key, label, flags, warmup

    def available(self):
        try:
            subprocess.run(['node', '--version'], capture_output=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return 'node not installed'
        return None

    def argv(self, wasm, n):
        return ['node'] + self.flags + [os.path.join(HERE, 'run_node.mjs'), wasm, str(n),
                                        '1' if self.warmup else '0']

    def command(self):
        return ' '.join(self.argv('PROG.wasm', 'N')).replace(HERE, 'bench/harness')

    def run(self, prog, n, wasm):
        out = _run(self.argv(wasm, n)).stdout.strip().splitlines()
        try:
            d = json.loads(out[-1])
        except (IndexError, ValueError):
            raise EngineError('unexpected output from node')
        extra = {k: d[k] for k in ('compile_ms', 'instantiate_ms', 'first_ms') if d.get(k) is not None}
        return Result(int(d['checksum']), float(d['run_ms']), extra)


def v8_default():
    return Node('v8', 'V8 default tiering', [], warmup=True)


def v8_liftoff():
    # --liftoff-only: on node 20, --liftoff --no-wasm-tier-up still tiers up.
    return Node('liftoff', 'V8 Liftoff only', ['--liftoff-only'], warmup=False)


_UNITS = {'ns': 1e-6, 'us': 1e-3, 'µs': 1e-3, 'ms': 1.0, 's': 1e3}
_TIME = r'\b%s\b\D{0,8}?([\d.]+)\s*(ns|us|µs|ms|s)\b'
_CALL_TIME = re.compile(_TIME % 'call')
_PHASES = {k + '_ms': re.compile(_TIME % k) for k in ('compile', 'instantiate')}


class Atoll:
    """build/atoll-run. If its usage mentions --time, it is run as
    `atoll-run --time FILE --invoke run N` and the call's time is read from
    a stderr line such as "atoll-run: time: ... call 123456 ns". Otherwise
    the call is timed from outside: the wall time of run(N) less the median
    wall time of run(0), which every program returns at once, so start-up,
    decoding, compiling and instantiating cancel out."""
    key, label = 'atoll', 'Atoll (atoll-run)'

    def __init__(self, build):
        self.built = os.path.join(build, 'atoll-run')
        # A copy is run, so that a rebuild of atoll-run while the benchmarks
        # run (the compiler is being worked on) changes no figure midway.
        self.path = os.path.join(build, 'bench', 'atoll-run')
        self.startup = {}  # wasm path -> median start-up ms
        self.self_timed = None

    def available(self):
        if not os.access(self.built, os.X_OK):
            return 'not available (%s not built yet)' % self.built
        if self.self_timed is None:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            try:
                shutil.copy2(self.built, self.path)
            except OSError as e:
                return 'not available (cannot copy %s: %s)' % (self.built, e.strerror)
            r = subprocess.run([self.path], capture_output=True, text=True)
            # --time as a whole option: --timeout (a run limit) is not it.
            self.self_timed = re.search(r'--time(?![\w-])', r.stderr + r.stdout) is not None
        return None

    def method(self):
        if self.self_timed:
            return 'timed by atoll-run --time around the call'
        return 'wall time of run(N) minus the median wall time of run(0) (start-up, compile, instantiate)'

    def command(self):
        t = ' --time' if self.self_timed else ''
        return '%s%s PROG.wasm --invoke run N' % (os.path.relpath(self.built), t)

    def _invoke(self, wasm, n, timed):
        cmd = [self.path] + (['--time'] if timed else []) + [wasm, '--invoke', 'run', str(n)]
        t0 = time.perf_counter()
        r = _run(cmd)
        wall = (time.perf_counter() - t0) * 1e3
        m = re.match(r'\s*(-?\d+)\s*:\s*i32', r.stdout)
        if not m:
            raise EngineError('unexpected output: %r' % r.stdout[:80])
        return int(m.group(1)) & 0xffffffff, wall, r.stderr

    def run(self, prog, n, wasm):
        if self.self_timed:
            checksum, _, err = self._invoke(wasm, n, True)
            m = _CALL_TIME.search(err)
            if not m:
                raise EngineError('atoll-run --time printed no call time')
            extra = {}
            for k, rx in _PHASES.items():
                p = rx.search(err)
                if p:
                    extra[k] = float(p.group(1)) * _UNITS[p.group(2)]
            return Result(checksum, float(m.group(1)) * _UNITS[m.group(2)], extra)
        if wasm not in self.startup:
            self.startup[wasm] = statistics.median(self._invoke(wasm, 0, False)[1] for _ in range(3))
        checksum, wall, _ = self._invoke(wasm, n, False)
        return Result(checksum, max(wall - self.startup[wasm], 0.0),
                      {'startup_ms': self.startup[wasm]})


def all_engines(build):
    return [Native(build), v8_default(), v8_liftoff(), Atoll(build)]
