#!/usr/bin/env python3
"""atoll-run as a WASI runner (issue 17), beyond the official suite: a C
program built with wasi-libc (user/examples/wasi-hello) gets its
arguments, its stdin until end of file and its exit status; the layer
given wild pointers (tests/wasi/hostile) answers errnos; an import nobody
provides is an error naming it; a trap exits 134; --dir puts a host folder
behind the file service, and nothing outside it can be reached. Part of
make test-wasi.

    tests/wasi/test_atoll_run.py BUILD
"""
import os
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
RUN = os.path.join(BUILD, "atoll-run")
PROGRAMS = os.path.join(BUILD, "user", "programs")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   atoll-run: " + what)
    else:
        failed += 1
        print("FAIL atoll-run: %s\n%s" % (what, detail))


def run(args, stdin=b""):
    p = subprocess.run([RUN] + args, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def wat(text):
    d = tempfile.mkdtemp(prefix="atoll-run-")
    src, out = os.path.join(d, "m.wat"), os.path.join(d, "m.wasm")
    with open(src, "w") as f:
        f.write(text)
    subprocess.run(["wat2wasm", src, "-o", out], check=True)
    return out


hello = os.path.join(PROGRAMS, "wasi-hello.wasm")
rc, out, err = run([hello, "one", "two"])
check("wasi-hello: arguments and a float", rc == 0 and
      "hello from WASI: 3 arguments, pi is about 3.14159" in out and "argv[2] = two" in out,
      out + err)
rc, out, err = run([hello, "-r"], b"first\nsecond\n")
check("wasi-hello: stdin until end of file",
      rc == 0 and "line 1: first" in out and "line 2: second" in out and
      "end of input after 2 lines" in out, out + err)
rc, out, err = run([hello, "-x", "42"])
check("wasi-hello: exit status through proc_exit", rc == 42, "rc %d\n%s" % (rc, out + err))
rc, out, err = run(["--env", "A=1", "--env", "B=two", wat('''(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $s (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $s (i32.const 0) (i32.const 4)))
    ;; exit with count * 100 + bytes: 2 and "A=1\\0B=two\\0" (10)
    (call $e (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 100))
                      (i32.load (i32.const 4))))))''')])
check("--env: two variables reach the program", rc == 210, "rc %d\n%s" % (rc, err))

rc, out, err = run([os.path.join(PROGRAMS, "wasi_hostile.wasm")])
check("wild pointers get errnos", rc == 0 and "wasi-hostile:" in out and " 0 failed" in out,
      out + err)
rc, out, err = run([wat('''(module
  (import "wasi_snapshot_preview1" "no_such_call" (func $x))
  (memory (export "memory") 1)
  (func (export "_start")))''')])
check("an import nobody provides is named", rc == 1 and "no_such_call" in err, err)
rc, out, err = run([wat('''(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") unreachable))''')])
check("a trap exits 134 and is reported", rc == 134 and "unreachable" in err, "rc %d\n%s" % (rc, err))
unknown = wat('''(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32)))
  (import "other" "thing" (func $y (param i32) (result i64)))
  (import "other" "more" (func $z))
  (memory (export "memory") 1)
  (func (export "_start") (param) (local $i i32)
    (if (i32.eqz (i32.load (i32.const 0))) (then (call $e (i32.const 7))))
    (call $z)))''')
rc, out, err = run(["--trap-unknown-imports", unknown])
check("--trap-unknown-imports: unknown imports not called do no harm", rc == 7,
      "rc %d\n%s" % (rc, err))
rc, out, err = run([unknown])
check("without it the program is refused, the import named", rc == 1 and '"other"' in err, err)
rc, out, err = run([hello] + ["x" * 1000] * 5)
check("arguments over the console's room are refused, not cut", rc == 1 and
      "over 4032 bytes" in err and out == "", "rc %d\n%s" % (rc, out + err))

# Output beyond the console ring (1 MiB) gets through whole: the program
# waits for the launcher to drain it, with stdin open or closed.
rc, out, err = run([os.path.join(PROGRAMS, "ftool.wasm"), "lines", "200000"])
check("5 MB of output through a 1 MiB ring, stdin closed", rc == 0 and
      len(out) == 200000 * 27 and out.endswith("line 00199999 of the flood\n"),
      "rc %d, %d bytes\n%s" % (rc, len(out), err))

# poll_oneoff on stdin and a clock: whichever comes first.
ftool = os.path.join(PROGRAMS, "ftool.wasm")
rc, out, err = run([ftool, "poll", "100"], b"hello there\n")
check("poll_oneoff: stdin ready, with its bytes", rc == 0 and "stdin: 12 bytes" in out and
      "line: hello there" in out, out + err)
rc, out, err = run([ftool, "poll", "100"])
check("poll_oneoff: stdin at its end is a hangup", rc == 0 and "stdin: end" in out, out + err)
p = subprocess.Popen([RUN, ftool, "poll", "100"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
p.wait(timeout=60)                          # stdin stays open until the program ends
out, err = p.stdout.read(), p.stderr.read()
p.stdin.close()
check("poll_oneoff: with no input the clock comes first", p.returncode == 0 and
      b"timeout" in out, (out + err).decode(errors="replace"))

# --dir: the host folder behind the file service.
folder = tempfile.mkdtemp(prefix="atoll-run-dir-")
sandbox = os.path.join(folder, "sb")
os.mkdir(sandbox)
rc, out, err = run(["--dir", sandbox + "::sb", os.path.join(PROGRAMS, "wasi_hostile.wasm")])
check("--dir: file calls given wild pointers and paths out of the folder get errnos",
      rc == 0 and " 0 failed" in out and "passed" in out, out + err)
check("--dir: nothing was made outside the folder, nothing left in it",
      os.listdir(folder) == ["sb"] and os.listdir(sandbox) == [], repr(os.listdir(folder)))
rc, out, err = run(["--dir", sandbox + "::sb", wat('''(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "out.txt")
  (data (i32.const 32) "written by the guest\\n")
  (func (export "_start") (local $r i32)
    ;; open fd 3's "out.txt", creating it, with the write right
    (local.set $r (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 7)
                              (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0)
                              (i32.const 8)))
    (if (local.get $r) (then (call $e (local.get $r))))
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 21))
    (call $e (call $write (i32.load (i32.const 8)) (i32.const 0) (i32.const 1) (i32.const 12)))))''')])
try:
    with open(os.path.join(sandbox, "out.txt")) as f:
        written = f.read()
except OSError as e:
    written = str(e)
check("--dir: a file the guest writes is on the host", rc == 0 and
      written == "written by the guest\n", "rc %d %r\n%s" % (rc, written, err))
rc, out, err = run(["--dir", os.path.join(folder, "missing"), hello])
check("--dir: a folder that cannot be opened is named", rc == 1 and "missing" in err, err)

print("atoll-run (WASI): %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
