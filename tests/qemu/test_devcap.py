"""Device capabilities (issue 18, first step) in the real kernel:
tests/devcap/devtest.c, booted as userboot (the one component granted
the roots of the I/O ports and interrupt lines), checks the refusals (a
port outside a range, a width of 3, a handle of the wrong kind or
lacking the right, a sub-range exceeding its parent, the kernel's own
ports and lines, a line claimed twice), then programs the RTC through a
port range to interrupt on IRQ 8, waits on the line object and
acknowledges it several times, leaves it unacknowledged while the RTC
keeps asking (one interrupt taken, the line masked; a child component
runs meanwhile), releases and claims it again. With the I/O APIC and
with the 8259 PIC (`noapic`): the masking differs. Expected: every check
passes, none skipped, no panic, the timer's events go on afterwards.
And the same calls with hostile arguments at the externref level
(wasm/devcap_hostile_userboot.wat): null, stale and wrong-kind handles,
numbers at i32's extremes, missing rights, revoked handles.
"""
import os
import re

from atollqemu import BUILD, Boot
import userboot_programs as programs

DEVTEST = os.path.join(BUILD, "tests", "devcap", "devtest.wasm")
ENV = os.path.join(BUILD, "user", "env.wasm")


def run_devtest(append):
    with Boot(append=append, modules=[DEVTEST + " userboot", ENV + " env"], timeout=120) as b:
        ok = b.wait_for("devcap: still ticking", timeout=100)
        out = b.serial
        m = re.search(r"devcap: (\d+) passed, (\d+) failed, (\d+) skipped", out)
        failures = "\n".join(l for l in out.splitlines() if "check failed" in l)
        assert m, out[-3000:]
        assert m.group(2) == "0" and m.group(3) == "0" and int(m.group(1)) >= 100, \
            failures or out[-3000:]
        assert "init returned 0" in out, out[-3000:]
        assert ok, "no timer event after the checks:\n" + out[-2000:]
        assert "panic" not in out, out[-3000:]
        return int(m.group(1))


def test_devcap_with_the_ioapic():
    print("    %d checks passed (I/O APIC)" % run_devtest("loglevel=2"))


def test_devcap_with_the_pic():
    print("    %d checks passed (8259 PIC)" % run_devtest("loglevel=2 noapic"))


def test_devcap_hostile_arguments_get_their_documented_results():
    path = programs.with_children("devcap_hostile_userboot", [])
    with Boot(append="loglevel=2", modules=[path + " userboot"], timeout=90) as b:
        assert b.wait_for("init returned", 60), "init did not return:\n" + b.serial[-3000:]
        m = re.search(r"hostdev: (\d+) passed, (\d+) failed", b.serial)
        assert m, "no summary:\n" + b.serial[-3000:]
        failures = "\n".join(l for l in b.serial.splitlines() if "hostdev: check" in l)
        assert m.group(2) == "0" and int(m.group(1)) >= 300, failures or b.serial[-3000:]
        assert "init returned 0" in b.serial and "panic" not in b.serial, b.serial[-3000:]
        print("    %s checks passed" % m.group(1))
