"""A 20+ MB WASI command compiles and runs to its exit status, in atoll-run
and in the kernel from the shell (issue 17: "large third-party WASI
binaries (20+ MB) ... compile time and memory must hold").

The module is bench/large/big.wasm (bench/large/build-big.sh: eleven
variants of SQLite linked into one command, 25 MB; make test-kernel builds
it). It checks its own answers: each copy runs SQL through its extensions,
and main compares them with each other and with C; it prints
"big: 11 copies of SQLite, 0 failed, ..." and exits with the status given
on its command line. No figure here is timed: make bench-large measures.

In the kernel it runs under the 256 MiB of `make run`; the test also reads
what the compile took at its peak (mem's least free RAM) and checks it
stayed under what the module's size explains, so a regression to the old
doubling of the code region (146 MB of regions for this module) fails.
"""
import os
import re
import subprocess

from atollqemu import BUILD, Boot
from test_programs import archive_modules, command, start

BIG = os.path.join(BUILD, "bench", "large", "big.wasm")
ATOLL_RUN = os.path.join(BUILD, "atoll-run")
SUMMARY = re.compile(r"big: (\d+) copies of SQLite, (\d+) failed, (\d+) extension checks, "
                     r"checksum (-?\d+)")


def need_big():
    assert os.path.exists(BIG), "%s is missing: make test-kernel builds it" % BIG
    size = os.path.getsize(BIG)
    assert size >= 20 * 1000 * 1000, "big.wasm is only %d bytes" % size
    return size


def check_summary(out):
    m = SUMMARY.search(out)
    assert m, "no summary line:\n" + out[-3000:]
    copies, failed, checks = int(m.group(1)), int(m.group(2)), int(m.group(3))
    assert copies >= 8 and failed == 0 and checks > 0, out[-3000:]
    return m.group(4)


def test_atoll_run_compiles_and_runs_the_large_module():
    need_big()
    p = subprocess.run([ATOLL_RUN, BIG, "5"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 5, "exit %d:\n%s\n%s" % (p.returncode, p.stdout[-3000:], p.stderr)
    assert "FAILED" not in p.stdout, p.stdout
    assert len(re.findall(r"^copy \d+ \(.*\): ok", p.stdout, re.M)) >= 8, p.stdout
    check_summary(p.stdout)


def test_the_kernel_compiles_and_runs_the_large_module_from_the_shell():
    size = need_big()
    # One boot: under TCG the compile of 25 MB and the run take seconds.
    with Boot(append="loglevel=2", modules=archive_modules({"big": BIG}, wasi=True),
              memory="256M", timeout=900) as b:
        start(b, timeout=300)
        out = command(b, "ls", lambda o: "big" in o)
        assert re.search(r"big\s+%d bytes\s+\(WASI command\)" % size, out), out
        out = command(b, "mem", lambda o: "least free RAM" in o)
        free0 = int(re.search(r"free RAM\s+(\d+) KiB", out).group(1))
        out = command(b, "run big -q 7", lambda o: "exit status" in o or "trapped" in o
                      or "not compiled" in o, timeout=800)
        assert "big: exit status 7" in out, out
        assert "FAILED" not in out, out
        check_summary(out)
        out = command(b, "mem", lambda o: "least free RAM" in o)
        low = int(re.search(r"least free RAM\s+(\d+) KiB", out).group(1))
        # The peak: the archive's bytes are outside this RAM; the kernel's
        # copy, the decoded module (1.7x), the code (2.25x at most before
        # it grows, by an eighth), the trap table and the program's own
        # memory. 6x the module leaves room; the doubling took 8.2x.
        peak = (free0 - low) * 1024
        print("    peak RAM taken: %.0f MiB (%.1fx the module)" % (peak / 1048576, peak / size))
        assert peak < 6 * size, "the compile and run took %d bytes at the peak" % peak
        # The module stays compiled: a second run costs no compile.
        out = command(b, "run big -q", lambda o: "exit status" in o or "big:" in o,
                      timeout=800)
        check_summary(out)
        assert "panic" not in b.serial, b.serial[-3000:]
