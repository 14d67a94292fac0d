#!/usr/bin/env python3
"""make bench-drivers: what a driver in Wasm pays to reach its device
(issue 18). bench/drivers/drvbench.c, booted as userboot in the kernel
under QEMU, times a port read and write (the RTC's), an interrupt (the
i8042 told to raise IRQ 1, to the driver's wait returning), the
acknowledgement, and a driver's whole round per interrupt: under TCG
(nanoseconds of emulated time, relative) and under `-icount shift=0`
(guest instructions: clock_ns advances 1 ns per instruction). A boot of
the image (build/atoll.iso) gives keystroke to echo (userboot's keybench
command: the i8042 types a key, the real ps2kbd driver and shell echo
it) and each driver's memory (`ps`).

    bench/drivers/measure.py [-n RUNS] [--build DIR] [--append FILE]

Each run's figure is the median of drvbench's batches; the table gives
the median of the runs with their min and max. QEMU runs under
CPU 1 when the machine has one.
"""
import argparse
import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from atollqemu import Boot  # noqa: E402

FIGURE = re.compile(r"drv-bench: (\w+) (-?\d+) ns")
NAMES = [
    ("port_in", "one `port_in` (RTC data port)"),
    ("port_out", "one `port_out` (RTC index port)"),
    ("irq_ack", "one `irq_ack`"),
    ("irq", "interrupt to the driver: two port writes raise IRQ 1, `wait_one` returns"),
    ("irq_round", "a driver's round: the writes, the wait, the data read, the ack"),
    ("keystroke", "keystroke to echo on screen: the i8042 types a key, ps2kbd, its message, "
                  "userboot's ready, the echo's screen write (`keybench`, %d keys)"),
]


def pin():
    """Pins this process, and so the QEMUs it starts, to CPU 1 if there is
    one (the two CPUs of these machines can differ by 25 %)."""
    if 1 in os.sched_getaffinity(0):
        os.sched_setaffinity(0, {1})
        return True
    return False


def one_run(build, icount):
    prog = os.path.join(build, "bench", "drivers", "drvbench.wasm")
    env = os.path.join(build, "user", "env.wasm")
    extra = ["-icount", "shift=0"] if icount else []
    with Boot(append="loglevel=2", modules=[prog + " userboot", env + " env"], timeout=300,
              extra=extra) as b:
        ok = b.wait_for("drv-bench: done", 280)
        text = b.serial
    if not ok or "drv-bench: failed" in text:
        raise RuntimeError("drvbench did not finish:\n" + text[-2000:])
    out = {}
    for m in FIGURE.finditer(text):
        out.setdefault(m.group(1), []).append(int(m.group(2)))
    return {k: statistics.median(v) for k, v in out.items()}


KEYBENCH = re.compile(r"keybench: (\d+) keys, keystroke to echo: median (\d+) ns")


def image_run(build, icount):
    """A boot of the image (build/atoll.iso): userboot's keybench (keystroke
    to echo, KEYS keys) and ps. Returns (keybench's median, {driver: KiB of
    Wasm memory})."""
    iso = os.path.join(build, "atoll.iso")
    extra = ["-icount", "shift=0"] if icount else []
    with Boot(iso=iso, timeout=300, serial_input=True, extra=extra) as b:
        if not b.wait_for("uart: serial port at 0x3f8 ready", 200):
            raise RuntimeError("the image's serial driver did not start:\n" + b.serial[-2000:])
        time.sleep(1)
        b.serial_write("keybench %d\r" % KEYS)
        if not b.wait_for("keystroke to echo", 200):
            raise RuntimeError("keybench did not finish:\n" + b.serial[-2000:])
        b.serial_write("ps\r")
        b.wait_for("  uart ", 30)
        time.sleep(0.5)
        text = b.serial
    m = KEYBENCH.search(text)
    memory = {m2.group(1): int(m2.group(2)) for m2 in
              re.finditer(r"^\s*\d+\s+(ps2kbd|uart)\s+driver\s+\d+\s+(\d+)", text, re.M)}
    return int(m.group(2)), memory


KEYS = 200


def measure(build, runs):
    pin()
    tcg = [one_run(build, False) for _ in range(runs)]
    icount = [one_run(build, True) for _ in range(runs)]
    memory = {}
    for r, mode in [(t, False) for t in tcg] + [(i, True) for i in icount]:
        r["keystroke"], memory = image_run(build, mode)
    return tcg, icount, memory


def cell(values, unit=""):
    med = statistics.median(values)
    unit = " " + unit if unit else ""
    return "**%d%s** (%d-%d)" % (med, unit, min(values), max(values))


def markdown(tcg, icount, memory, runs):
    lines = ["## Drivers in Wasm: device access (issue 18)", "",
             "`make bench-drivers` (bench/drivers/measure.py), %d runs each; "
             "drvbench booted as userboot, QEMU pinned to one CPU." % runs, "",
             "| what | TCG, ns (median, min-max) | instructions (`-icount shift=0`) |",
             "| --- | --- | --- |"]
    for key, what in NAMES:
        t = [r[key] for r in tcg if key in r]
        i = [r[key] for r in icount if key in r]
        what = what % KEYS if "%d" in what else what
        lines.append("| %s | %s | %s |" % (what, cell(t, "ns") if t else "not measured",
                                           cell(i) if i else "not measured"))
    lines.append("")
    lines.append("Not compared: the same accesses from Linux need `ioperm`, which this "
                 "machine refuses (a container); V8 has no device access. For scale: the "
                 "Kernel primitives section above has a component_call round trip between "
                 "two components, in instructions too.")
    lines.append("")
    if memory:
        lines.append("Memory per driver (`ps`, the Wasm memory of its instances): " +
                     ", ".join("%s %d KiB" % kv for kv in sorted(memory.items())) + ".")
    else:
        lines.append("Memory per driver: not measured (the image's boot did not answer ps).")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--append", help="also append the section to this file (make bench: "
                    "bench/results.md)")
    a = ap.parse_args()
    tcg, icount, memory = measure(os.path.abspath(a.build), a.n)
    text = markdown(tcg, icount, memory, a.n)
    print(text)
    if a.append:
        with open(a.append, "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
