#!/usr/bin/env python3
"""Kill latency in the real kernel under QEMU/TCG (issue 14): boots
tests/qemu/wasm/escape_userboot.wat N times (-n, default 5) pinned to one
host CPU, and reports for each victim the median over the boots of

  stop:    the victim's CPU time from its kill until its Wasm code stopped
           (component_info key 8: what the kill bound is about);
  all cpu: all the CPU it used after the kill, the report on the log and
           the release of what it held included;
  wall:    the wall time from the kill until its thread had ended (the
           killer polls; on one vCPU the killer's own share is in it).

Victims: an endless loop of compiled code (measured twice per boot: once
cold, once warm), a component waiting in component_call and in
component_add on a child that never returns, one copying 16 MiB between
memory areas in a loop (a long host call) and one compiling a module of
60000 functions in a loop (module_create).

    python3 bench/kill/measure.py [-n N]
"""
import argparse
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "qemu"))

from atollqemu import Boot  # noqa: E402
import test_containment  # noqa: E402
import userboot_programs as programs  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    args = ap.parse_args()
    # One host CPU: the two of these machines differ in speed.
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass
    path = programs.with_children("escape_userboot", test_containment.CHILDREN)
    samples = {}
    for i in range(args.n):
        with Boot(append="loglevel=2", modules=[path + " userboot"], timeout=400) as b:
            if not b.wait_for("init returned", 300):
                sys.exit("boot %d did not finish:\n%s" % (i, b.serial[-2000:]))
            serial = b.serial
        seen = {}
        for m in re.finditer(r"contain: kill latency ([\w-]+): stop (\d+) us, all cpu (\d+) us, "
                             r"wall (\d+) us", serial):
            name = m.group(1)
            seen[name] = seen.get(name, 0) + 1
            if name == "compiled-code":
                name += " (cold)" if seen[name] == 1 else " (warm)"
            samples.setdefault(name, []).append(tuple(int(g) for g in m.groups()[1:]))
    print("kill latency, medians of %d boots (QEMU/TCG, one vCPU, pinned), ms" % args.n)
    print("%-22s %8s %8s %8s %8s" % ("victim", "stop", "max", "all cpu", "wall"))
    for name in sorted(samples):
        rows = samples[name]
        stop = [r[0] / 1000 for r in rows]
        print("%-22s %8.2f %8.2f %8.2f %8.2f" % (
            name, statistics.median(stop), max(stop),
            statistics.median(r[1] / 1000 for r in rows),
            statistics.median(r[2] / 1000 for r in rows)))


if __name__ == "__main__":
    main()
