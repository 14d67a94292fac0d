"""Containment (issue 14): no program may panic or freeze the kernel, and
kill always ends what it names. wasm/escape_userboot.wat runs each case
next to a companion counting its ticks (see its header): self-nesting
instantiation, memory.grow / table.grow / a coral call at every offset of
a fresh stack page, kills of components waiting in component_call and
component_add, busy in a long copy, in module_create and in compiled code,
self-nesting component_call, a cycle of grants, a tree of components
under a limit, and twelve components taking all the memory they may while
the syscall fuzzer, a huge table and an innocent recursion run. Expected:
every check passes, no panic, the count and heap back at baseline, one
log line for the nested trap, and the kill latencies printed.
"""
import re

from atollqemu import Boot
import adversarial_modules
import userboot_programs as programs

CHILDREN = ["child_counter", "child_nest", "child_deep", "child_loop", "child_start_loops",
            "child_waiter", "child_copier", "child_selfcall", "child_bomb", "child_grow", "child_hog",
            "child_fuzz", "child_table1m", "child_depth", "child_compiler",
            ("functions", adversarial_modules.many_functions())]
# Guest CPU time a victim may use after its kill (issue 14's bound).
KILL_CPU_US = 10000


def kill_latencies(serial):
    """{victim: (stop_us, cpu_us, wall_us)} from the userboot's lines: the
    CPU time the victim took to stop after its kill, all the CPU it used
    after the kill (releasing what it held included), and the wall time
    until its thread had ended."""
    return {m.group(1): tuple(int(g) for g in m.groups()[1:]) for m in re.finditer(
        r"contain: kill latency ([\w-]+): stop (\d+) us, all cpu (\d+) us, wall (\d+) us",
        serial)}


def test_hostile_programs_are_contained_and_kills_end_them():
    path = programs.with_children("escape_userboot", CHILDREN)
    with Boot(append="loglevel=2", modules=[path + " userboot"], timeout=400) as b:
        assert b.wait_for("init returned", 300), "did not finish:\n" + b.serial[-3000:]
        serial = b.serial
    m = re.search(r"contain: (\d+) passed, (\d+) failed", serial)
    assert m, "no summary:\n" + serial[-3000:]
    failures = "\n".join(l for l in serial.splitlines() if "contain: check" in l)
    assert m.group(2) == "0" and int(m.group(1)) >= 1000, failures or serial[-3000:]
    assert "panic" not in serial, serial[-3000:]
    # the nested trap: one report, of what it was, and no echo per level
    traps = [l for l in serial.splitlines() if "call stack exhausted" in l and "trapped" in l]
    assert len(traps) == 1, "\n".join(traps[:20])
    lat = kill_latencies(serial)
    assert set(lat) == {"compiled-code", "host-call", "wait-call", "wait-add", "compiler"}, lat
    for victim, (stop, cpu, wall) in lat.items():
        assert stop < KILL_CPU_US, "%s took %d us of CPU to stop after its kill" % (victim, stop)
