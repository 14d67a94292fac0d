#!/usr/bin/env python3
"""Boot time of Atoll under QEMU/TCG, measured (not asserted).

For each boot path, boots N times and reports the medians of:
  - kernel entry -> banner, as the kernel measures it with the TSC
    ("boot time: X ms since kernel entry" on serial);
  - QEMU start -> banner on serial, wall clock, as seen from outside.

    python3 bench/boot/measure.py [-n RUNS]     (or: make bench-boot)
"""
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "qemu"))
from atollqemu import ISO, Boot  # noqa: E402

PATHS = [
    ("Multiboot1 -kernel, SeaBIOS", dict()),
    ("Multiboot1 -kernel, qboot", dict(extra=["-bios", "/usr/share/qemu/qboot.rom"])),
    ("GRUB ISO, SeaBIOS (BIOS)", dict(iso=ISO)),
    ("GRUB ISO, OVMF (UEFI)", dict(iso=ISO, uefi=True)),
]


def one(kw):
    with Boot(timeout=120, **kw) as b:
        t0 = b.started
        while time.monotonic() - t0 < 120:
            out = b.serial
            m = re.search(r"boot time: ([\d.]+) ms since kernel entry", out)
            if m:
                return float(m.group(1)), (time.monotonic() - t0) * 1000
            time.sleep(0.005)
    raise RuntimeError("no banner")


def main():
    runs = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 5
    print("Boot time, %d runs each, medians (min-max); TCG, -cpu max, -m 256M" % runs)
    print("%-30s %28s %28s" % ("path", "kernel entry->banner (ms)", "QEMU start->banner (ms)"))
    for name, kw in PATHS:
        if "iso" in kw and not os.path.exists(ISO):
            print("%-30s (no %s: run make iso)" % (name, ISO))
            continue
        k, w = [], []
        for _ in range(runs):
            a, b = one(kw)
            k.append(a)
            w.append(b)
        print("%-30s %12.1f (%.1f-%.1f) %15.0f (%.0f-%.0f)" %
              (name, statistics.median(k), min(k), max(k), statistics.median(w), min(w), max(w)))


if __name__ == "__main__":
    main()
