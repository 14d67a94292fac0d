"""userboot and the Coral interface end to end: the kernel boots a Wasm
program as its first component, hands it the screen and the keyboard,
and keeps it and every other component apart.

- A userboot written for Coral's interface alone (wasm/coral_userboot.wat,
  shaped like Coral's own) draws its title, sees the kinds of its handles,
  spins on ticks and echoes keys: read back from the VGA text cells, and
  from the framebuffer under UEFI.
- Hostile arguments to every coral function (wasm/hostile_userboot.wat)
  get result 1 (or 2 at a kernel limit) and the kernel goes on; to the
  IPC functions (wasm/ipc_hostile_userboot.wat: null, stale, wrong-kind
  and under-privileged handles in every position, extreme offsets,
  lengths, rights, signal masks and deadlines) the result docs/abi.md
  gives, nothing moved, nothing leaked; started
  calls, their status, description and kill (wasm/started_userboot.wat).
- Adds that do not wait (wasm/addstart_userboot.wat): the outcome and its
  reason in component_status and component_describe, and a start function
  that never returns, killed: its thread ends and nothing is left.
- A child that never returns, one that traps and one that spins until its
  last handle is dropped (wasm/containment_userboot.wat): the trap is
  reported with component, instance, function and kind, the dropped one is
  interrupted in compiled code and ends; userboot's ticks and keys go on.
"""
import os
import re
import shutil
import time

from atollqemu import Boot, make_iso
import screen_ocr
import userboot_programs as programs

UEFI_TIMEOUT = 90


def boot_userboot(path, keyboard=False, **kw):
    """keyboard: with the boot driver ps2kbd, which the kernel starts to
    call the userboot's press_key."""
    mods = [path + " userboot"] + (programs.keyboard_modules() if keyboard else [])
    return Boot(append="loglevel=2", modules=mods, timeout=90, **kw)


def lines(boot, mode="text"):
    """The 25 rows, padded to 80 columns."""
    return [l.ljust(80) for l in screen_ocr.read_screen(boot, mode)["lines"]]


def wait_line(boot, pred, timeout=15, mode="text"):
    deadline = time.monotonic() + timeout
    while True:
        ls = lines(boot, mode)
        if any(pred(l) for l in ls) or time.monotonic() > deadline:
            return ls
        time.sleep(0.3)


def check_coral_screen(boot, mode):
    ls = wait_line(boot, lambda l: "Coral - userboot" in l, mode=mode,
                   timeout=UEFI_TIMEOUT if mode != "text" else 15)
    shown = "\n".join(ls)
    assert ls[1].startswith(" Coral - userboot"), "no title; screen:\n" + shown
    assert ls[2] == "_" * 80, "no underline; screen:\n" + shown
    # handles[0] the screen (1, a memory area), its own memory (1), the
    # programs archive (1, an empty one: this image has none), and a handles
    # table sized to the grants (screen, programs, files, I/O ports,
    # interrupt lines: 5), capped at its declared maximum, 4
    assert ls[3].rstrip() == "k 1114", "handle kinds: %r" % ls[3]
    spin = ls[1][78]
    deadline = time.monotonic() + 10
    while lines(boot, mode)[1][78] == spin:
        assert time.monotonic() < deadline, "the spinner does not move: tick is not delivered"
        time.sleep(0.2)
    boot.send_keys(["h", "e", "l", "l", "o"])
    ls = wait_line(boot, lambda l: l.startswith("hello"), mode=mode)
    assert ls[4].rstrip() == "hello", "echo: %r; screen:\n%s" % (ls[4], "\n".join(ls))


def test_coral_userboot_on_vga_text():
    path = programs.build("coral_userboot")
    with boot_userboot(path, keyboard=True) as b:
        assert b.wait_for("init returned 42", 20), "init not called:\n" + b.serial
        check_coral_screen(b, "text")
        assert "panic" not in b.serial, b.serial


def test_coral_userboot_on_uefi_framebuffer():
    path = programs.build("coral_userboot")
    iso = make_iso(cmdline="loglevel=2", modules=[(path, "userboot")] + [
        tuple(m.split(" ", 1)) for m in programs.keyboard_modules()])
    try:
        with Boot(iso=iso, uefi=True, timeout=UEFI_TIMEOUT + 60) as b:
            assert b.wait_for("init returned 42", UEFI_TIMEOUT), "init not called:\n" + b.serial
            check_coral_screen(b, "framebuffer")
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)


def test_hostile_arguments_get_result_1():
    path = programs.with_children("hostile_userboot", [
        "child_answer", "child_importer", "child_unlinkable", "child_start_traps"])
    with boot_userboot(path) as b:
        assert b.wait_for("init returned", 60), "init did not return:\n" + b.serial
        m = re.search(r"hostile: (\d+) passed, (\d+) failed", b.serial)
        assert m, "no hostile summary:\n" + b.serial
        assert int(m.group(2)) == 0 and int(m.group(1)) >= 100, b.serial
        # the child whose call trapped is reported, by name
        assert re.search(r"component \d+ \(child of 1\) trapped: instance 0 \(unnamed\), "
                         r"function \d+ \(boom\), during a call of boom: integer divide by zero",
                         b.serial), b.serial
        assert "init returned 0" in b.serial
        assert "panic" not in b.serial, b.serial


IPC_HOSTILE_CHILDREN = ["child_answer", "child_ipc_blocker"]


def test_ipc_hostile_arguments_get_their_documented_results():
    path = programs.with_children("ipc_hostile_userboot", IPC_HOSTILE_CHILDREN)
    with boot_userboot(path) as b:
        assert b.wait_for("init returned", 60), "init did not return:\n" + b.serial[-3000:]
        m = re.search(r"hostipc: (\d+) passed, (\d+) failed", b.serial)
        assert m, "no summary:\n" + b.serial[-3000:]
        failures = "\n".join(l for l in b.serial.splitlines() if "hostipc: check" in l)
        assert m.group(2) == "0" and int(m.group(1)) >= 1000, failures or b.serial[-3000:]
        assert "init returned 0" in b.serial, b.serial[-3000:]
        assert "panic" not in b.serial, b.serial[-3000:]
        print("    %s checks passed" % m.group(1))


def test_a_wait_set_in_a_wait_set_cannot_leak():
    """A wait set watching itself, or two watching each other, would hold
    references nothing collects (wasm/waitset_cycle_userboot.wat): the
    kernel refuses a wait set as waitset_add's target, and nothing is
    left behind either way."""
    run_checks("waitset_cycle_userboot", [], r"wscycle: (\d+) passed, (\d+) failed", 8)


def run_checks(name, children, summary, at_least):
    """Boots userboot `name` with its children; its summary line (regex
    `summary` with the passed and failed counts) must show no failure and
    at least `at_least` checks. Returns the serial log."""
    path = programs.with_children(name, children)
    with boot_userboot(path) as b:
        assert b.wait_for("init returned", 60), "init did not return:\n" + b.serial
        m = re.search(summary, b.serial)
        assert m, "no summary:\n" + b.serial
        assert int(m.group(2)) == 0 and int(m.group(1)) >= at_least, b.serial
        assert "panic" not in b.serial, b.serial
        return b.serial


def test_started_calls_status_info_describe_kill():
    run_checks("started_userboot", ["child_answer", "child_spin", "child_vmas", "child_churn"],
               r"started: (\d+) passed, (\d+) failed", 40)


def test_add_start_reports_and_a_looping_start_function_is_killed():
    serial = run_checks("addstart_userboot", ["child_answer", "child_unlinkable",
                                              "child_start_traps", "child_start_loops"],
                        r"addstart (\d+) passed, (\d+) failed", 60)
    assert re.search(r"addstart kill latency: \d+ us", serial), serial
    assert re.search(r"component \d+ \(child of 1\): add failed: unknown import", serial), serial
    assert re.search(r"component \d+ \(child of 1\) killed during an add", serial), serial
    assert "init returned 0" in serial, serial


def test_trap_and_endless_loop_are_contained():
    path = programs.with_children("containment_userboot", ["child_spin", "child_trap_tick"])
    with boot_userboot(path, keyboard=True) as b:
        assert b.wait_for("init returned 0", 20), "init failed:\n" + b.serial
        assert b.wait_for("during tick: integer divide by zero", 20), b.serial
        assert re.search(r"component \d+ \(child of 1\) trapped: instance 0 \(unnamed\), "
                         r"function 0 \(deep\), during tick: integer divide by zero", b.serial), \
            b.serial
        # the spinning child runs all along; userboot's ticks still count
        first = int(wait_line(b, lambda l: l.strip().isdigit())[0])
        time.sleep(1.5)
        second = int(lines(b)[0])
        assert second > first + 20, "ticks %d then %d: userboot starved" % (first, second)
        # the child whose last handle userboot dropped, spinning in compiled
        # code, was interrupted at a tick and ended
        assert b.wait_for("killed during tick", 20), b.serial[-2000:]
        b.send_keys(["h", "i"])
        ls = wait_line(b, lambda l: l.rstrip() == "hi")
        assert ls[1].rstrip() == "hi", "keys not delivered while a child spins: %r" % ls[1]
        assert "panic" not in b.serial, b.serial
