#!/usr/bin/env python3
"""make bench-coral: what the Coral interface costs, measured by a program
(bench/coral/coral_bench.wat) with clock_ns, in the hosted build
(build/atoll-coral: the kernel's Coral layer on Linux, native speed) and in
the kernel under QEMU TCG; the Linux counterparts on the same machine
(bench/coral/linux_prims.c, natively); and the time from kernel entry to
the shell prompt (userboot's init returning, TSC, under TCG). Medians of
-n runs, with min and max.

    bench/coral/measure.py [-n RUNS] [--build DIR]

make bench calls measure() and markdown() (bench/harness/system.py).
"""
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from atollqemu import Boot  # noqa: E402
import userboot_programs  # noqa: E402

FIGURE = re.compile(r"(coral|linux)-bench: (\S+) (-?\d+) (ns|bytes)")

# (key, label, Linux counterpart key or None); the order of the table.
ROWS = [
    ("handle_kind", "coral call: handle_kind (a handle lookup)", "getpid"),
    ("wasm_call", "Wasm-to-Wasm call, for scale", None),
    ("vma_write_64", "vma_write of 64 bytes", None),
    ("vma_write_4k", "vma_write of 4 KiB", "memcpy_4k"),
    ("vma_write_4k", "vma_write of 4 KiB (against a pipe)", "pipe_4k"),
    ("module_create", "module_create of the %d-byte child module", None),
    ("instantiate", "instantiate: component_add_instance alone", None),
    ("spawn", "spawn: create + add instance + call + drop", "fork_exec"),
    ("spawn_create", "  of which component_create", None),
    ("spawn_add", "  of which component_add_instance", None),
    ("spawn_call", "  of which component_call (first call)", None),
    ("spawn_drop", "  of which handle_drop", None),
    ("pingpong_round_trip", "component_call round trip (2 switches)", "pipe_pingpong_round_trip"),
    ("switch", "one switch (round trip / 2)", "pipe_switch"),
    ("tick_latency_mean", "event delivery: timer IRQ to tick export, mean", None),
    ("tick_latency_min", "event delivery, fastest of 100", None),
    ("tick_latency_max", "event delivery, slowest of 100", None),
]
LINUX_LABEL = {
    "getpid": "syscall(SYS_getpid)",
    "memcpy_4k": "memcpy of 4 KiB",
    "pipe_4k": "write 4 KiB to a pipe + read it",
    "fork_exec": "fork + exec static hello + waitpid",
    "pipe_pingpong_round_trip": "pipe ping-pong round trip, 2 processes",
    "pipe_switch": "pipe ping-pong / 2",
}


def figures(text, unit=None):
    return {m.group(2): int(m.group(3)) for m in FIGURE.finditer(text)
            if unit is None or m.group(4) == unit}


def build_program():
    return userboot_programs.with_children("coral_bench", ["child"], wat_dir=HERE)


def hosted(build, prog):
    out = subprocess.run([os.path.join(build, "atoll-coral"), prog], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    return figures(out)


def in_kernel(prog, icount=False):
    """Figures from the kernel under TCG; with icount, QEMU's virtual clock
    advances 1 ns per guest instruction (-icount shift=0) and the TSC
    follows it, so every "ns" is a count of instructions executed."""
    extra = ["-icount", "shift=0"] if icount else []
    with Boot(append="loglevel=1", modules=[prog + " userboot"], timeout=600,
              extra=extra) as b:
        if not b.wait_for("coral-bench: done", 600):
            raise RuntimeError("no result from the kernel:\n" + b.serial[-2000:])
        return figures(b.serial)


def linux(build):
    d = os.path.join(build, "bench", "coral")
    out = subprocess.run([os.path.join(d, "linux_prims"), os.path.join(d, "linux_hello")],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    return figures(out)


def boot_to_prompt(build, icount=False):
    mods = [os.path.join(build, "user", "userboot.wasm") + " userboot",
            os.path.join(build, "user", "env.wasm") + " env"]
    tar = os.path.join(build, "user", "programs.tar")
    if os.path.exists(tar):
        mods.append(tar + " programs")
    extra = ["-icount", "shift=0"] if icount else []
    with Boot(append="loglevel=2", modules=mods, timeout=120, extra=extra) as b:
        assert b.wait_for("init returned", 60), b.serial[-2000:]
        m = re.search(r"init returned -?\d+, (\d+) ms after kernel entry", b.serial)
        return int(m.group(1))


class Fig:
    """Median, min and max of one figure over runs (None when absent)."""

    def __init__(self, runs, key):
        vals = [r[key] for r in runs if key in r]
        self.vals = vals
        self.median = statistics.median(vals) if vals else None
        self.lo = min(vals) if vals else None
        self.hi = max(vals) if vals else None


def add_switch(r):
    if "pingpong_round_trip" in r:
        r["switch"] = r["pingpong_round_trip"] / 2
    if "pipe_pingpong_round_trip" in r:
        r["pipe_switch"] = r["pipe_pingpong_round_trip"] / 2
    return r


def measure(build, runs, log=print):
    prog = build_program()
    res = {"child_bytes": os.path.getsize(userboot_programs.build("child", HERE)),
           "hosted": [], "kernel": [], "icount": [], "linux": [], "boot_ms": [],
           "boot_icount": []}
    for i in range(runs):
        log("  coral [%d/%d]: hosted, Linux, kernel (TCG), boot to prompt" % (i + 1, runs))
        res["hosted"].append(add_switch(hosted(build, prog)))
        res["linux"].append(add_switch(linux(build)))
        res["kernel"].append(add_switch(in_kernel(prog)))
        res["boot_ms"].append(boot_to_prompt(build))
    # Instruction counts are deterministic but for the timer's phase: two runs.
    for i in range(min(runs, 2)):
        log("  coral [%d/%d]: kernel (TCG, icount: instructions)" % (i + 1, min(runs, 2)))
        res["icount"].append(add_switch(in_kernel(prog, icount=True)))
        res["boot_icount"].append(boot_to_prompt(build, icount=True))
    return res


def fmt_ns(v):
    if v is None:
        return "—"
    if v >= 100000:
        return "%.0f µs" % (v / 1000)
    if v >= 10000:
        return "%.1f µs" % (v / 1000)
    return "%.0f ns" % v


def cell(f):
    if f.median is None:
        return "—"
    if f.lo == f.hi:
        return fmt_ns(f.median)
    return "%s (%s–%s)" % (fmt_ns(f.median), fmt_ns(f.lo), fmt_ns(f.hi))


def rate(res):
    """Instructions per ns of native execution, from the plain Wasm call
    loop: its instruction count in the kernel (icount) over its hosted
    time (the same compiled code). None when either is missing."""
    i, h = Fig(res["icount"], "wasm_call_x1000").median, Fig(res["hosted"], "wasm_call_x1000").median
    return i / h if i and h else None


def estimate(res, key):
    """A native-time estimate of a kernel path: its instructions / rate.
    A lower bound: kernel code runs at a lower IPC than a tight Wasm loop,
    and xsave, rdtsc, cli/sti, MMIO count as one instruction each."""
    r, i = rate(res), Fig(res["icount"], key).median
    return i / r if r and i is not None else None


def _ratio(x):
    return "%.0f×" % x if x >= 10 else "%.2g×" % x


def _count(f):
    if f.median is None:
        return "—"
    if f.lo == f.hi:
        return "%d" % f.median
    return "%d (%d–%d)" % (f.median, f.lo, f.hi)


def markdown(res):
    n = len(res["hosted"])
    r = rate(res)
    out = []
    add = out.append
    add("Medians of %d runs (min–max). **native**: the hosted build `build/atoll-coral` "
        "(kern/ unchanged over host/kernel_host.c, on Linux) and the Linux programs, on this "
        "machine. **TCG**: the kernel under QEMU TCG (`-cpu max`, 1 CPU, `-m 256M`): emulated, "
        "about 10–50× slower than hardware, so those times are relative only. **instructions**: "
        "the same kernel run with `-icount shift=0` (%d runs), where QEMU's clock advances 1 ns "
        "per guest instruction and the TSC follows it, so each figure is the number of x86 "
        "instructions the kernel executed for the primitive (interrupts that fall inside "
        "included). **est.**: those instructions at the rate this machine runs the same compiled "
        "Wasm loop natively (%s instructions/ns: the Wasm call loop's instructions in the kernel "
        "over its hosted time), a lower bound of the time on this CPU: kernel code has a lower "
        "IPC than a tight loop, and xsave, rdtsc, cli/sti and MMIO count as one instruction. "
        "The hosted build runs each component on its own cooperative thread (host/host_thread.c: "
        "a user-level switch on one OS thread, no preemption, no FPU state saved): its "
        "component_call queues a request and switches to the callee's thread and back, as in "
        "the kernel. Each "
        "figure is a mean over a loop inside the program (200000 handle_kind calls, 50000 4 KiB "
        "writes, 200 module_create and spawns, 5000 round trips, 100 ticks)."
        % (n, len(res["icount"]), "%.1f" % r if r else "—"))
    add("")
    add("| primitive | Atoll hosted (native) | Atoll kernel (TCG) | kernel instructions "
        "| kernel est. | Linux counterpart | Linux (native) | Linux ÷ Atoll hosted |")
    add("|---|---|---|---|---|---|---|---|")
    for key, label, lkey in ROWS:
        if "%d" in label:
            label = label % res["child_bytes"]
        h, k, ic = Fig(res["hosted"], key), Fig(res["kernel"], key), Fig(res["icount"], key)
        hosted_cell = cell(h) if not key.startswith("tick") else "— (no timer)"
        est = estimate(res, key)
        row = [label, hosted_cell, cell(k), _count(ic), fmt_ns(est) if est else "—"]
        if lkey:
            lf = Fig(res["linux"], lkey)
            ratio = (_ratio(lf.median / h.median)
                     if h.median and lf.median else "—")
            row += [LINUX_LABEL[lkey], cell(lf), ratio]
        else:
            row += ["—", "—", "—"]
        add("| " + " | ".join(row) + " |")
    add("")
    add("The event delivery figures start at `component_tick_all` in the timer interrupt "
        "handler (where the kernel reads the clock for sys_info 5), after the interrupt entry, "
        "and end at the `clock_ns` call in the `tick` export: the wake-up of the component's "
        "thread, the switch to it and the call of its export.")
    add("")
    add("Kernel memory per idle component (a component with one instance of the child module, "
        "which has no memory or table of its own; 64 of them alive, sys_info before and after, "
        "divided by 64), in the kernel: kernel heap %s bytes, free RAM %s bytes (frames: the "
        "component's stack and page tables included)." % (
            _bytes(res["kernel"], "idle_component_heap"), _bytes(res["kernel"], "idle_component_ram")))
    b, bi = res["boot_ms"], res["boot_icount"]
    add("")
    add("Kernel entry to the shell prompt (the C userboot's init returning, with env and the "
        "programs archive; TSC, -m 256M): median %d ms (%d–%d) under TCG; %s ms of virtual "
        "time under icount, which is not an instruction count here: the boot's calibration "
        "loops spin for a fixed time (TSC against the PIT, the APIC timer against the TSC), "
        "and under icount that time is spent executing instructions." % (
            statistics.median(b), min(b), max(b),
            "%d" % statistics.median(bi) if bi else "—"))
    return out


def _bytes(runs, key):
    f = Fig(runs, key)
    if f.median is None:
        return "—"
    return "%d (%d–%d)" % (f.median, f.lo, f.hi)


def main():
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 3
    build = sys.argv[sys.argv.index("--build") + 1] if "--build" in sys.argv else \
        os.path.join(ROOT, "build")
    res = measure(os.path.abspath(build), n, log=lambda s: print(s, file=sys.stderr))
    print("\n".join(markdown(res)))


if __name__ == "__main__":
    main()
