#!/usr/bin/env python3
"""make bench-drivers: what a driver in Wasm pays to reach its device
(issue 18). bench/drivers/drvbench.c, booted as userboot in the kernel
under QEMU, times a port read and write (the RTC's), an interrupt (the
i8042 told to raise IRQ 1, to the driver's wait returning), the
acknowledgement, and a driver's whole round per interrupt: under TCG
(nanoseconds of emulated time, relative) and under `-icount shift=0`
(guest instructions: clock_ns advances 1 ns per instruction). The memory
of each driver comes from `ps` in a boot of the image (build/atoll.iso).

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


def driver_memory(build):
    """{driver: KiB of Wasm memory} from ps in a boot of the image."""
    iso = os.path.join(build, "atoll.iso")
    with Boot(iso=iso, timeout=240, serial_input=True) as b:
        if not b.wait_for("uart: serial port at 0x3f8 ready", 120):
            return {}
        time.sleep(1)
        b.serial_write("ps\r")
        b.wait_for("  uart ", 30)
        time.sleep(0.5)
        text = b.serial
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^\s*\d+\s+(ps2kbd|uart)\s+driver\s+\d+\s+(\d+)", text, re.M)}


def measure(build, runs):
    pin()
    tcg = [one_run(build, False) for _ in range(runs)]
    icount = [one_run(build, True) for _ in range(runs)]
    return tcg, icount, driver_memory(build)


def cell(values, unit):
    med = statistics.median(values)
    return "**%d %s** (%d-%d)" % (med, unit, min(values), max(values))


def markdown(tcg, icount, memory, runs):
    lines = ["## Drivers in Wasm: device access (issue 18)", "",
             "`make bench-drivers` (bench/drivers/measure.py), %d runs each; "
             "drvbench booted as userboot, QEMU pinned to one CPU." % runs, "",
             "| what | TCG, ns (median, min-max) | instructions (`-icount shift=0`) |",
             "| --- | --- | --- |"]
    for key, what in NAMES:
        t = [r[key] for r in tcg if key in r]
        i = [r[key] for r in icount if key in r]
        lines.append("| %s | %s | %s |" % (what, cell(t, "ns") if t else "not measured",
                                           cell(i, "") if i else "not measured"))
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
    tcg, icount, memory = measure(a.build, a.n)
    text = markdown(tcg, icount, memory, a.n)
    print(text)
    if a.append:
        with open(a.append, "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
