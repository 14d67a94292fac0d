"""The drivers in Wasm (user/drivers, docs/drivers.md), in the real
kernel, started by userboot, the device manager:

- The shell driven through the serial port alone: bytes written into the
  serial line (a pipe here, as a terminal would) are echoed as typed,
  the prompt shows at once, Backspace and the Up arrow edit the line,
  `run hello` answers "Hello, World!"; under BIOS and under UEFI.
- A driver killed (`kill ID`), and one that traps (a test build of ps2kbd
  that traps on F12): userboot restarts it, the device works again
  (keys typed afterwards reach the shell, through PS/2 and serial), the
  other components went on, and the kernel heap and component count are
  back at their baseline.
- A hostile serial driver (tests/drivers/hostile_uart.c, in place of
  uart.wasm): every port, range and line it was not granted is refused;
  its flood of oversized messages gets it killed and restarted, again and
  again, while the shell answers through the keyboard.
- `ps` lists the drivers by name.
- The drivers' benchmark program (bench/drivers/drvbench.c, make
  bench-drivers) runs to its end with every figure, so it cannot rot.
"""
import os
import re
import shutil
import tarfile
import tempfile
import time

from atollqemu import BUILD, ISO, Boot, make_iso
from test_programs import keys_for, screen as screen_rows

USER = os.path.join(BUILD, "user")
PROMPT = "atoll> "
UEFI_TIMEOUT = 120


def ready(b, timeout=90):
    assert b.wait_for("uart: serial port at 0x3f8 ready", timeout), \
        "the serial driver did not start:\n" + b.serial[-3000:]
    # The prompt was drawn before the driver ran: it is on the line once
    # the driver has sent what waited for it (the kernel's log may follow).
    wait_serial(b, lambda s: PROMPT in s.split("uart: serial port at 0x3f8 ready")[-1],
                20, "no prompt on serial")


def type_serial(b, text, expect, timeout=30):
    """Writes text into the serial line and waits until expect shows on
    serial after what was there; returns the new text."""
    mark = len(b.serial)
    b.serial_write(text)
    deadline = time.monotonic() + timeout
    while True:
        new = b.serial[mark:]
        if expect in new:
            return new
        assert time.monotonic() < deadline, \
            "after writing %r, no %r on serial:\n%s" % (text, expect, b.serial[-3000:])
        time.sleep(0.05)


def wait_serial(b, pred, timeout=30, what=""):
    deadline = time.monotonic() + timeout
    while not pred(b.serial):
        assert time.monotonic() < deadline, "%s:\n%s" % (what, b.serial[-3000:])
        time.sleep(0.1)


def shell_over_serial(b):
    ready(b)
    # Each key is echoed as it is typed, before Enter: the terminal is
    # the shell's, not a line-buffered log. (The kernel's log shares the
    # line: a program's log line may come between the prompt and the
    # echo, so only the echo is looked for.)
    type_serial(b, "ec", "ec")
    type_serial(b, "ho hi", "ho hi")
    # Backspace (DEL, as terminals send it) erases; Enter is "\r".
    type_serial(b, "\x7f\x7fyou\r", "you\n" + PROMPT)
    assert "echo you\nyou\n" + PROMPT in b.serial, b.serial[-300:]
    # The Up arrow (ESC [ A) recalls the last line.
    type_serial(b, "\x1b[A", "echo you")
    type_serial(b, "\r", "you\n" + PROMPT)
    out = type_serial(b, "run hello\r", "Hello, World!")
    wait_serial(b, lambda s: "Hello, World!\n" + PROMPT in s, what="no prompt after hello")
    return out


def test_shell_over_serial_under_bios():
    with Boot(iso=ISO, timeout=240, serial_input=True) as b:
        shell_over_serial(b)
        # keybench (make bench-drivers): keys typed by the i8042 through
        # the real driver, each echoed; the line is left as it was.
        out = type_serial(b, "keybench 20\r", "keystroke to echo", 60)
        assert re.search(r"keybench: 20 keys, keystroke to echo: median \d+ ns", out), out
        type_serial(b, "echo after\r", "after\n" + PROMPT)
        assert "panic" not in b.serial, b.serial


def test_shell_over_serial_under_uefi():
    with Boot(iso=ISO, uefi=True, timeout=UEFI_TIMEOUT + 120, serial_input=True) as b:
        ready(b, UEFI_TIMEOUT)
        shell_over_serial(b)
        assert "panic" not in b.serial, b.serial


def ps(b):
    """{name: (id, state)} from ps typed on serial."""
    out = type_serial(b, "ps\r", "\n" + PROMPT)
    return {m.group(2): (int(m.group(1)), m.group(3))
            for m in re.finditer(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s", out, re.M)}


def mem(b):
    out = type_serial(b, "mem\r", "live components")
    heap = int(re.search(r"kernel heap used\s+(\d+) KiB", out).group(1))
    comps = int(re.search(r"live components\s+(\d+)", out).group(1))
    return heap, comps


def settle_baseline(b, want, timeout=20):
    """Waits until mem() reports want (heap KiB, components); returns the
    last reading."""
    deadline = time.monotonic() + timeout
    while True:
        now = mem(b)
        if now == want or time.monotonic() > deadline:
            return now
        time.sleep(0.5)


def restart(b, victim, end):
    """Ends driver victim with end(b, id) and waits until the restart is
    reported and its successor runs; returns ps before and after."""
    deadline = time.monotonic() + 30
    while True:
        before = ps(b)
        if {"ps2kbd", "uart", "fsd"} <= set(before) and \
                before["ps2kbd"][1] == before["uart"][1] == "driver":
            break
        assert time.monotonic() < deadline, "the drivers do not run: %s" % before
        time.sleep(0.5)
    said = b.serial.count("driver %s:" % victim)
    up = b.serial.count("uart: serial port at")
    end(b, before[victim][0])
    wait_serial(b, lambda s: s.count("driver %s:" % victim) > said, what="no restart reported")
    if victim == "uart":
        # Bytes typed while no driver reads the UART are kept in its
        # 16-byte FIFO at most: wait for the new driver.
        wait_serial(b, lambda s: s.count("uart: serial port at") > up, what="uart not back")
    # Its successor runs: a new component, the same name.
    deadline = time.monotonic() + 30
    while True:
        after = ps(b)
        if victim in after and after[victim][0] != before[victim][0] and \
                after[victim][1] == "driver":
            break
        assert time.monotonic() < deadline, "%s not back: %s" % (victim, after)
        time.sleep(0.5)
    assert after["fsd"] == before["fsd"], "fsd was disturbed: %s -> %s" % (before, after)
    return before, after


def restart_checks(b, victim, end):
    """Ends driver victim with end(b, id) twice; checks that it comes back
    with a new id each time, that both ways of typing reach the shell,
    that fsd (a companion) ran on, and that the second restart left the
    heap and component count where the first did. (The first one is
    taken as the baseline: userboot's SDK table of handles, which never
    reuses a slot so that a stale index cannot name a newer handle, grows
    by doubling as restarts make handles; that is userboot's, not the
    driver's, and grows once in many restarts.)"""
    ready(b)
    restart(b, victim, end)
    base = mem(b)
    before, after = restart(b, victim, end)
    # Keys reach the shell again, through the keyboard and the serial line.
    mark = len(b.serial)
    b.send_keys(keys_for("echo kbd\n"), gap=0.1)
    wait_serial(b, lambda s: "echo kbd\nkbd\n" in s[mark:], what="keyboard keys lost")
    type_serial(b, "echo tty\r", "tty\n" + PROMPT)
    # Nothing of the old driver is left: the same heap and components.
    now = settle_baseline(b, base)
    assert now == base, "heap KiB, components: %s before, %s after" % (base, now)
    return after


def test_a_killed_serial_driver_is_restarted():
    with Boot(iso=ISO, timeout=240, serial_input=True) as b:
        def kill(b, id):
            # Typed into the serial line: the reply may be lost with the
            # driver that carried it, so no echo is awaited.
            b.serial_write("kill %d\r" % id)
        restart_checks(b, "uart", kill)
        assert "panic" not in b.serial, b.serial


def test_a_killed_keyboard_driver_is_restarted():
    with Boot(iso=ISO, timeout=240, serial_input=True) as b:
        def kill(b, id):
            type_serial(b, "kill %d\r" % id, PROMPT)
        restart_checks(b, "ps2kbd", kill)
        assert "panic" not in b.serial, b.serial


def image_with(driver, build):
    """An ISO whose programs archive has, as driver.wasm, the test build
    build (in build/user/programs)."""
    tmp = tempfile.mkdtemp(prefix="atoll-drivers-")
    archive = os.path.join(tmp, "programs.tar")
    swap = os.path.join(USER, "programs", build + ".wasm")
    assert os.path.exists(swap), swap + " is missing: make test-kernel builds it"
    with tarfile.open(os.path.join(USER, "programs.tar")) as src, \
            tarfile.open(archive, "w", format=tarfile.USTAR_FORMAT) as dst:
        for m in src.getmembers():
            if m.name == driver + ".wasm":
                info = dst.gettarinfo(swap, arcname=m.name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(swap, "rb") as f:
                    dst.addfile(info, f)
            else:
                dst.addfile(m, src.extractfile(m))
    iso = make_iso(modules=[(os.path.join(USER, "userboot.wasm"), "userboot"),
                            (os.path.join(USER, "env.wasm"), "env"), (archive, "programs")])
    shutil.rmtree(tmp, ignore_errors=True)
    return iso


def test_a_trapping_keyboard_driver_is_restarted():
    iso = image_with("ps2kbd", "ps2kbd_trap")
    try:
        with Boot(iso=iso, timeout=240, serial_input=True) as b:
            def trap(b, id):
                b.send_keys(["f12"])
            restart_checks(b, "ps2kbd", trap)
            assert re.search(r"driver ps2kbd: trapped in instance \d+ \(ps2kbd\), function \d+ "
                             r"\(\w+\): unreachable; restarting it", b.serial), b.serial[-3000:]
            assert "panic" not in b.serial, b.serial
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)


def test_the_driver_benchmark_runs():
    prog = os.path.join(BUILD, "bench", "drivers", "drvbench.wasm")
    assert os.path.exists(prog), prog + " is missing: make test-kernel builds it"
    with Boot(append="loglevel=2", modules=[prog + " userboot",
                                            os.path.join(USER, "env.wasm") + " env"],
              timeout=240) as b:
        assert b.wait_for("drv-bench: done", 200), b.serial[-3000:]
        text = b.serial
    assert "drv-bench: failed" not in text, text[-3000:]
    for name in ("port_in", "port_out", "irq_ack", "irq", "irq_round"):
        values = [int(v) for v in re.findall(r"drv-bench: %s (\d+) ns" % name, text)]
        assert len(values) == 7 and all(v > 0 for v in values), (name, values)


def test_a_hostile_serial_driver_is_refused_and_contained():
    iso = image_with("uart", "hostile_uart")
    try:
        with Boot(iso=iso, timeout=240) as b:
            assert b.wait_for("hostile-uart: 9 refusals of 9", 90), b.serial[-3000:]
            # It floods userboot with oversized messages: killed, restarted,
            # until userboot slows the restarts down.
            wait_serial(b, lambda s: s.count("driver uart: killed; restarting it") >= 6,
                        timeout=90, what="the flooding driver is not killed and restarted")
            # The rest went on: the shell answers through the keyboard.
            b.send_keys(keys_for("echo still here\n"), gap=0.1)
            deadline = time.monotonic() + 30
            while not any(l.startswith("still here") for l in screen_rows(b)):
                assert time.monotonic() < deadline, "\n".join(screen_rows(b))
                time.sleep(0.3)
            assert "panic" not in b.serial, b.serial[-3000:]
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
