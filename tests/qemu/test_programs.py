"""Programs from the boot image, started by the shell (issue 6): the image
`make iso` writes carries build/user/programs.tar, which the kernel grants
userboot; its shell lists them (ls), runs them in the foreground and in the
background (run NAME [ARGS] [&]), shows its jobs (ps) and ends them (kill).

Keys are typed through the QEMU monitor; each check reads the serial log,
where userboot mirrors every screen line, and the VGA text screen.

Needs build/atoll.iso (make iso) with the programs archive; the trapping
program and the one whose start function never returns are WAT modules of
this file, booted in archives of their own with the same kernel
(Multiboot1, SeaBIOS).
"""
import os
import re
import tarfile
import tempfile
import time

from atollqemu import BUILD, ISO, Boot
import screen_ocr
from userboot_programs import wat2wasm

PROMPT = "atoll>"
USER = os.path.join(BUILD, "user")
# QEMU monitor key names for the characters typed here.
NAMED = {" ": "spc", "\n": "ret", "-": "minus", "&": "shift-7", ".": "dot",
         '"': "shift-apostrophe", "\\": "backslash", "=": "equal", "_": "shift-minus",
         ",": "comma", "/": "slash", ":": "shift-semicolon"}


def keys_for(text):
    return [NAMED.get(c) or ("shift-" + c.lower() if c.isupper() else c) for c in text]


def screen(boot):
    return [l.rstrip() for l in screen_ocr.read_screen(boot, "text")["lines"]]


def wait_serial(boot, pred, timeout=20):
    """Waits until pred(serial) is true; returns the serial log."""
    deadline = time.monotonic() + timeout
    while True:
        s = boot.serial
        if pred(s) or time.monotonic() > deadline:
            return s
        time.sleep(0.1)


KERNEL_LOG = re.compile(r"^\[\s*\d+\.\d+\] .*\n?", re.M)


def user_lines(text):
    """text without the kernel's own log lines ("[   1.234] ..."), which
    share the serial port with userboot's mirror of the screen."""
    return KERNEL_LOG.sub("", text)


def last_row(boot):
    rows = [l for l in screen(boot) if l]
    return rows[-1] if rows else ""


def command(boot, line, done=lambda out: True, prompt=True, timeout=30, fast=False):
    """Types line and Enter, then waits until done(text after the command's
    echo on serial) holds and, with prompt, the prompt is back on screen;
    returns that text, without the next prompt.
    fast: keys held 20 ms, 40 ms apart (for long runs of commands)."""
    mark = len(boot.serial)
    if fast:
        boot.send_keys(keys_for(line + "\n"), gap=0.04, hold=20)
    else:
        boot.send_keys(keys_for(line + "\n"), gap=0.1)
    # The echo of what was typed, after the mark; the prompt before it may
    # be on the line already, or on an earlier one when the kernel's log
    # came between (it shares the serial line and starts a line of its own).
    echo = line + "\n"

    def after(s):
        i = s.find(echo, mark)
        return user_lines(s[i + len(echo):]) if i >= 0 else None
    deadline = time.monotonic() + timeout
    while True:
        out = after(boot.serial)
        # The prompt is back on the screen and on the serial line: the
        # terminal's bytes go through the uart driver, a moment after the
        # screen has them.
        ok = out is not None and done(out) and (
            not prompt or (last_row(boot) == PROMPT and PROMPT + " " in out))
        if ok or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert ok, "after %r: serial shows:\n%s\nscreen:\n%s" % (
        line, boot.serial[-3000:], "\n".join(screen(boot)))
    # The next prompt, already on the terminal, is not the command's.
    if prompt and out.endswith(PROMPT + " "):
        out = out[:-len(PROMPT) - 1]
    return out


def start(boot, timeout=60):
    assert boot.wait_for("userboot: init returned 0", timeout), \
        "userboot did not start:\n" + boot.serial[-3000:]
    # Keys typed before the keyboard driver runs wait in the controller's
    # small queue: type once the drivers run.
    assert boot.wait_for("userboot: drivers running:", timeout), \
        "the drivers did not start:\n" + boot.serial[-3000:]
    assert "files in the programs archive" in boot.serial, \
        "userboot found no programs archive:\n" + boot.serial[-3000:]


def ps_jobs(out):
    """{name: (id, state)} of a ps output, the drivers left out (their
    state reads "driver": test_drivers.py looks at them)."""
    jobs = {}
    for m in re.finditer(r"^\s*(\d+)\s+(\S+)\s+(\w+)\s", out, re.M):
        if m.group(3) != "driver":
            jobs[m.group(2)] = (int(m.group(1)), m.group(3))
    return jobs


def need_iso():
    assert os.path.exists(ISO), "%s is missing: run make iso" % ISO


def test_programs_from_the_boot_image():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        out = command(b, "ls", lambda o: "spin" in o)
        # The examples are WASI commands on wasi-libc or Rust's std.
        for name in ["hello", "rust-hello", "pair", "spin", "vectors", "stats"]:
            assert re.search(r"^  %s\s+\d+ bytes  \(WASI command\)$" % re.escape(name), out,
                             re.M), "ls lacks %s:\n%s" % (name, out)
        assert re.search(r"^  pairlib\s+\d+ bytes  \(library\)$", out, re.M), out

        out = command(b, "run hello")
        assert out.startswith("Hello, World!\n"), out
        ls = screen(b)
        assert "Hello, World!" in ls, "not on screen:\n" + "\n".join(ls)

        out = command(b, "run hello a bc")
        assert "argv[1] = a\n" in out and "argv[2] = bc\n" in out, out

        out = command(b, "run rust-hello")
        assert "Hello from Rust!" in out, out

        # Built with -msimd128: v128 code compiled by the kernel, the same
        # output as under V8 (tests/user/test_programs.mjs).
        out = command(b, "run vectors")
        assert ('dot product 354.000, bytes 0x1b69, reversed "!DMIS olleh"\n'
                "vectors: all 3 agree\n") in out, out

        out = command(b, "run pair")
        assert "pairlib says 6 * 7 = 42" in out, out
        assert "pairlib says gcd(1071, 462) = 21" in out, out

        # A program that never ends, in the background: the prompt comes
        # back at once and the shell keeps answering.
        out = command(b, "run spin &", lambda o: re.search(r"^\[\d+\] spin$", o, re.M))
        spin_id = int(re.search(r"^\[(\d+)\] spin$", out, re.M).group(1))
        wait_serial(b, lambda s: "spin: looping forever" in s, 20)
        t0 = time.monotonic()
        out = command(b, "ps", lambda o: "spin" in o, timeout=20)
        answered = time.monotonic() - t0
        jobs = ps_jobs(out)
        assert jobs.get("spin") == (spin_id, "running"), out
        assert jobs.get("userboot", (0,))[0] == 1, out
        assert answered < 10, "ps took %.1f s while spin runs" % answered
        command(b, "echo still here", lambda o: "still here\n" in o)

        # CPU time goes to spin: a later ps shows more of it.
        def cpu():
            o = command(b, "ps", lambda o: "spin" in o)
            return int(re.search(r"^\s*%d\s+spin\s+running\s+(\d+)" % spin_id, o, re.M).group(1))
        first = cpu()
        time.sleep(1)
        second = cpu()
        assert second > first, "spin's CPU time did not grow: %d then %d" % (first, second)

        command(b, "kill %d" % spin_id, lambda o: "[%d] spin killed" % spin_id in o, timeout=20)
        out = command(b, "ps", lambda o: "userboot" in o)
        assert "spin" not in ps_jobs(out), out

        # In the foreground, Ctrl+C ends it.
        out = command(b, "run spin", lambda o: "spin: looping forever" in o, prompt=False)
        b.send_keys(["ctrl-c"])
        assert wait_serial(b, lambda s: "\nspin: killed\n" in s[-2000:]), b.serial[-3000:]

        out = command(b, "run nosuch", lambda o: "no such program" in o)
        assert out.startswith("run: nosuch: no such program\n"), out
        # Up recalls the line.
        mark = len(b.serial)
        b.send_keys(["up", "ret"])
        assert wait_serial(b, lambda s: "no such program" in s[mark:]), b.serial[-3000:]
        assert "panic" not in b.serial, b.serial[-3000:]


# The trapping program: prints a line, then divides by zero in $divide.
BOOM_WAT = """(module
  (import "env" "memory" (memory 16))
  (import "env" "atoll_vma_write" (func $vw (param i32 i32 i64 i64 i64) (result i32)))
  (data (i32.const 0x2000) "boom: about to divide by zero\\n")
  (func $divide (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $main (export "atoll_start") (result i32)
    ;; the console is SDK handle 1: bytes into its ring at 4096, then head
    (drop (call $vw (i32.const 0) (i32.const 1) (i64.const 0x2000) (i64.const 4096) (i64.const 30)))
    (i32.store (i32.const 0x3000) (i32.const 30))
    (drop (call $vw (i32.const 0) (i32.const 1) (i64.const 0x3000) (i64.const 16) (i64.const 4)))
    (call $divide (i32.const 0))))
"""


def archive_modules(files, wasi=False, fsd=False, drivers=True):
    """The boot modules of a userboot whose programs archive holds
    env.wasm, with wasi the WASI layer, with fsd the file service, with
    drivers the keyboard and serial drivers (the shell's keys come through
    them), and files ({name: path}, each added as name.wasm)."""
    files = dict(files)
    if drivers:
        for d in ("ps2kbd", "uart"):
            files.setdefault(d, os.path.join(USER, "programs", d + ".wasm"))
    if wasi:
        files["wasi_snapshot_preview1"] = os.path.join(USER, "programs",
                                                       "wasi_snapshot_preview1.wasm")
    if fsd:
        files["fsd"] = os.path.join(USER, "programs", "fsd.wasm")
    for f in [os.path.join(USER, "env.wasm"), os.path.join(USER, "userboot.wasm")] + \
            list(files.values()):
        assert os.path.exists(f), "%s is missing: make test-kernel builds it" % f
    folder = tempfile.mkdtemp(prefix="atoll-programs-")
    path = os.path.join(folder, "programs.tar")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
        t.add(os.path.join(USER, "env.wasm"), arcname="env.wasm")
        for name, p in files.items():
            t.add(p, arcname=name + ".wasm")
    return [os.path.join(USER, "env.wasm") + " env",
            os.path.join(USER, "userboot.wasm") + " userboot",
            path + " programs"]


def archive_with(wats):
    """archive_modules with hello.wasm (and the WASI layer it runs on) and
    the WAT programs of wats ({name: text})."""
    files = {"hello": os.path.join(USER, "programs", "hello.wasm")}
    files.update({name: wat2wasm(text, name) for name, text in wats.items()})
    return archive_modules(files, wasi=True)     # hello is a WASI command


def test_a_trapping_program_is_reported():
    modules = archive_with({"boom": BOOM_WAT})
    with Boot(append="loglevel=2", modules=modules, timeout=180) as b:
        start(b)
        out = command(b, "run boom", lambda o: "trapped" in o)
        assert out.startswith("boom: about to divide by zero\n"), out
        m = re.search(r"^boom: trapped in instance \d+ \(boom\), function \d+ \(divide\): "
                      r"integer divide by zero$", out, re.M)
        assert m, "no trap report:\n" + out
        out = command(b, "run boom &", lambda o: "integer divide by zero" in o)
        assert re.search(r"^\[\d+\] boom: trapped in", out, re.M), out
        out = command(b, "run hello")
        assert out.startswith("Hello, World!\n"), "the shell did not go on:\n" + out
        out = command(b, "ps", lambda o: "userboot" in o)
        assert set(ps_jobs(out)) == {"userboot"}, out
        assert "panic" not in b.serial, b.serial[-3000:]


# A program whose start function never returns: the shell adds its
# instances on its own thread (component_add_start), so it still answers.
STUCK_WAT = """(module
  (import "env" "memory" (memory 16))
  (func $forever (loop $l (br $l)))
  (start $forever)
  (func (export "atoll_start") (result i32) (i32.const 0)))
"""


def live_components(boot):
    out = command(boot, "mem", lambda o: "live components" in o)
    return int(re.search(r"live components\s+(\d+)", out).group(1))


def test_a_start_function_that_never_returns_can_be_ended():
    with Boot(append="loglevel=2", modules=archive_with({"stuck": STUCK_WAT}), timeout=240) as b:
        start(b)
        baseline = live_components(b)
        # In the foreground: the prompt waits, Ctrl+C ends it, the shell goes on.
        command(b, "run stuck", prompt=False)
        time.sleep(2)
        assert last_row(b) == PROMPT + " run stuck", "\n".join(screen(b))
        b.send_keys(["ctrl-c"])
        assert wait_serial(b, lambda s: "^C\nstuck: killed\n" in user_lines(s)), \
            b.serial[-3000:]
        out = command(b, "ps", lambda o: "userboot" in o)
        assert set(ps_jobs(out)) == {"userboot"}, out
        command(b, "echo hi", lambda o: o.startswith("hi\n"))
        # In the background: loading, ended by kill.
        out = command(b, "run stuck &", lambda o: re.search(r"^\[\d+\] stuck$", o, re.M))
        stuck_id = int(re.search(r"^\[(\d+)\] stuck$", out, re.M).group(1))
        time.sleep(1)
        out = command(b, "ps", lambda o: "stuck" in o)
        assert ps_jobs(out).get("stuck") == (stuck_id, "loading"), out
        command(b, "echo still here", lambda o: "still here\n" in o)
        command(b, "kill %d" % stuck_id, lambda o: "[%d] stuck killed" % stuck_id in o,
                timeout=20)
        out = command(b, "ps", lambda o: "userboot" in o)
        assert set(ps_jobs(out)) == {"userboot"}, out
        # Nothing is left of either: the kernel's count is back.
        deadline = time.monotonic() + 20
        while live_components(b) != baseline and time.monotonic() < deadline:
            time.sleep(0.5)
        assert live_components(b) == baseline, b.serial[-3000:]
        out = command(b, "run hello")
        assert out.startswith("Hello, World!\n"), "the shell did not go on:\n" + out
        assert "panic" not in b.serial, b.serial[-3000:]
