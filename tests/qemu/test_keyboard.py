"""Keys pressed in QEMU reach a program through the PS/2 driver in Wasm
(user/drivers/ps2kbd): the kernel drives no keyboard. A Coral-style
userboot (wasm/keyecho_userboot.wat) logs each scancode its press_key
gets; the kernel started the boot module ps2kbd for it, with only the
controller's two ports and line 1. Keys go in through the monitor's
sendkey and must come out as PS/2 set 1, make and break codes in order,
with the I/O APIC routing IRQ 1, with the 8259 PIC (`noapic`), and after
OVMF (UEFI) had the keyboard.

The shell's keyboard (Atoll's userboot starting ps2kbd itself) is
exercised by every shell test (test_shell.py, test_programs.py...).
SeaBIOS sets up the i8042; qboot does not, so these boots keep QEMU's
default firmware.
"""
import os
import shutil

from atollqemu import Boot, make_iso
import userboot_programs as programs


# (sendkey name, the set-1 codes it must produce, in order)
KEYS = [
    ("a", [0x1e, 0x9e]),
    ("z", [0x2c, 0xac]),
    ("ret", [0x1c, 0x9c]),
    ("up", [0xe0, 0x48, 0xe0, 0xc8]),           # an extended key: 0xe0 prefixes
]
SHIFTED = ("shift-b", {0x2a, 0x30, 0xb0, 0xaa})  # release order is QEMU's business
END = ("esc", [0x01, 0x81])


def codes_from(serial):
    return [int(l.split()[-1], 16) for l in serial.splitlines()
            if l.startswith("keyecho: code ")]


def run_keys(append, ready_timeout=30, iso=None, **kw):
    path = programs.build("keyecho_userboot")
    mods = [path + " userboot"] + programs.keyboard_modules()
    if iso:
        iso = make_iso(append, modules=[tuple(m.split(" ", 1)) for m in mods])
        kw.update(iso=iso)
    try:
        with Boot(append=append, modules=[] if iso else mods, timeout=150, **kw) as b:
            assert b.wait_for("as userboot's keyboard driver", ready_timeout), \
                "the kernel did not start ps2kbd:\n" + b.serial
            # The driver brings the controller up once it runs: a key
            # pressed before that is not lost (the controller keeps it)
            # but may come before the test's marker; wait a moment.
            b.wait_for("keyecho: never", 2)
            names = [k for k, _ in KEYS] + [SHIFTED[0], END[0]]
            # sendkey holds each key ~100 ms and returns at once: the gap
            # keeps presses apart and well under the 500 ms typematic delay.
            b.send_keys(names, gap=0.25)
            want = [c for _, cs in KEYS for c in cs]
            b.wait_for("keyecho: code 81", 30)
            serial = b.serial
    finally:
        if iso:
            shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
    got = codes_from(serial)
    assert got[:len(want)] == want, "codes %s, expected %s first\n%s" % (
        " ".join("%02x" % c for c in got), " ".join("%02x" % c for c in want), serial)
    shifted = got[len(want):len(want) + 4]
    assert set(shifted) == SHIFTED[1] and shifted[0] == 0x2a and \
        shifted.index(0x30) < shifted.index(0xb0), \
        "shift-b gave %s" % " ".join("%02x" % c for c in shifted)
    assert got[len(want) + 4:] == END[1], \
        "tail %s" % " ".join("%02x" % c for c in got[len(want) + 4:])
    assert "panic" not in serial and "dropped" not in serial, serial
    return serial


def test_keys_through_ioapic():
    serial = run_keys("loglevel=2")
    assert "intc: local APIC" in serial, serial


def test_keys_through_pic():
    serial = run_keys("loglevel=2 noapic")
    assert "intc: 8259 PIC" in serial, serial


def test_keys_under_uefi():
    serial = run_keys("loglevel=2", ready_timeout=120, iso=True, uefi=True)
    assert "Multiboot2" in serial, serial
