"""A real C library for programs (issue 17): the SDK builds programs on
Debian's wasi-libc and Rust's std for wasm32-wasi (user/sdk/program.mk).
user/examples/stats is ordinary C (malloc, qsort, strtod, printf with
%.2f, clock_gettime, time, fopen/fscanf); rust-hello and rust-upper are
Rust with std (println!, std::env::args, std::io::stdin, std::fs). Each
runs from the shell in the kernel, on the WASI layer, and the same .wasm
files run on Linux through build/atoll-run, with the same output; there,
with a folder preopened (--dir), fopen and std::fs read files through
the file service.
"""
import os
import re
import subprocess
import tempfile

from atollqemu import BUILD, ISO, Boot
from test_programs import command, keys_for, need_iso, start, wait_serial, USER

PROGRAMS = os.path.join(USER, "programs")
ATOLL_RUN = os.path.join(BUILD, "atoll-run")

# stats 3 1.5 2 -4.25, as printf formats it (numpy: mean 0.5625, the
# population standard deviation 2.8305...).
STATS_OUT = ("4 numbers: -4.25 1.50 2.00 3.00\n"
             "min -4.25, median 1.75, mean 0.56, max 3.00, stddev 2.83\n")
STATS_TIME = re.compile(r"^sorted in \d+ us; time\(\) says \d+ s$", re.M)
RUST_HELLO_OUT = ("Hello from Rust!\nthe first 10 squares add up to 385\n"
                  "arg 1: one\narg 2: two\n")


def test_libc_and_rust_std_programs_run_from_the_shell():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        out = command(b, "ls", lambda o: "stats" in o)
        assert re.search(r"^\s+stats\s+\d+ bytes\s+\(WASI command\)$", out, re.M), out

        out = command(b, "run stats 3 1.5 2 -4.25", lambda o: "sorted in" in o)
        assert out.startswith(STATS_OUT), out
        assert STATS_TIME.search(out), out
        assert "exit status" not in out, out

        # 50000 doubles: a 400 KB malloc, grown memory, qsort's recursion.
        out = command(b, "run stats -n 50000", lambda o: "sorted in" in o, timeout=60)
        assert re.search(r"^50000 numbers: 0\.00 ", out, re.M), out
        assert re.search(r"^min 0\.00, median \d+\.\d\d, mean \d+\.\d\d, max 999\.\d\d, "
                         r"stddev \d+\.\d\d$", out, re.M), out

        # A bad argument: stderr on the console, and the exit status.
        out = command(b, "run stats 1 x", lambda o: "exit status" in o)
        assert "stats: not a number: x" in out and "stats: exit status 2" in out, out

        out = command(b, "run rust-hello one two", lambda o: "arg 2" in o)
        assert out.startswith(RUST_HELLO_OUT), out

        # std::io::stdin in Rust, through the layer's fd_read.
        mark = len(b.serial)
        b.send_keys(keys_for("run rust-upper\n"), gap=0.1)
        wait_serial(b, lambda s: "run rust-upper" in s[mark:])
        b.send_keys(keys_for("std stdin\n"), gap=0.1)
        s = wait_serial(b, lambda s: "STD STDIN" in s[mark:])
        assert "STD STDIN" in s[mark:], s[mark:]
        b.send_keys(["ctrl-d"])
        out = command(b, "ps", lambda o: "userboot" in o)
        assert "rust-upper" not in out, out
        assert "panic" not in b.serial, b.serial[-3000:]


def atoll_run(name, *args, stdin=b"", dirs=()):
    opts = [a for d in dirs for a in ("--dir", d)]
    p = subprocess.run([ATOLL_RUN, *opts, os.path.join(PROGRAMS, name + ".wasm"), *args],
                       input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_the_same_programs_run_under_atoll_run():
    assert os.path.exists(ATOLL_RUN), "%s is missing: run make" % ATOLL_RUN
    rc, out, err = atoll_run("stats", "3", "1.5", "2", "-4.25")
    assert rc == 0 and out.startswith(STATS_OUT) and STATS_TIME.search(out), (rc, out, err)
    # The layer serves stdout and stderr alike, on the console.
    rc, out, err = atoll_run("stats", "1", "x")
    assert rc == 2 and out + err == "stats: not a number: x\n", (rc, out, err)
    rc, out, err = atoll_run("hello", "a")
    assert (rc, out) == (0, "Hello, World!\nargv[1] = a\n"), (rc, out, err)
    rc, out, err = atoll_run("rust-hello", "one", "two")
    assert (rc, out) == (0, RUST_HELLO_OUT), (rc, out, err)
    rc, out, err = atoll_run("rust-upper", stdin=b"abc\nHello World\n")
    assert (rc, out) == (0, "ABC\nHELLO WORLD\n"), (rc, out, err)

    # Files: fopen and fscanf in C, std::fs in Rust, in a preopened folder.
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "numbers.txt"), "w") as f:
            f.write("3 1.5\n2\n-4.25\n")
        with open(os.path.join(d, "note.txt"), "w") as f:
            f.write("a note, Read by std::fs\n")
        data = [d + "::/data"]
        rc, out, err = atoll_run("stats", "-f", "/data/numbers.txt", dirs=data)
        assert rc == 0 and out.startswith(STATS_OUT), (rc, out, err)
        rc, out, err = atoll_run("stats", "-f", "/data/none.txt", dirs=data)
        assert rc == 2 and "none.txt: No such file or directory" in out + err, (rc, out, err)
        rc, out, err = atoll_run("rust-upper", "/data/note.txt", dirs=data)
        assert (rc, out) == (0, "A NOTE, READ BY STD::FS\n"), (rc, out, err)
        rc, out, err = atoll_run("rust-upper", "/data/none", dirs=data)
        assert rc == 1 and "rust-upper: /data/none: No such file" in out + err, (rc, out, err)
