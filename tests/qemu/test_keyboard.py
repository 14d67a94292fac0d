"""Keys pressed in QEMU reach the kernel's queue as PS/2 scancode set 1:
boots with test=keyboard_echo (tests/kernel/test_keyboard.c), presses keys
through the monitor's sendkey, and checks the make and break codes the
kernel prints, with the I/O APIC routing IRQ 1 and with the 8259 PIC
(`noapic`), and after OVMF (UEFI) had the keyboard.

Needs build/atoll.elf (make kernel); the UEFI boot builds its own ISO. SeaBIOS sets up the i8042; qboot
does not, so these boots keep QEMU's default firmware.
"""
import os
import shutil

from atollqemu import EXIT_PASS, Boot, make_iso

# (sendkey name, the set-1 codes it must produce, in order)
KEYS = [
    ("a", [0x1e, 0x9e]),
    ("z", [0x2c, 0xac]),
    ("ret", [0x1c, 0x9c]),
    ("up", [0xe0, 0x48, 0xe0, 0xc8]),           # an extended key: 0xe0 prefixes
]
SHIFTED = ("shift-b", {0x2a, 0x30, 0xb0, 0xaa})  # release order is QEMU's business
END = ("esc", [0x01, 0x81])                      # the kernel test stops at 0x81


def codes_from(serial):
    return [int(l.split()[-1], 16) for l in serial.splitlines()
            if l.startswith("keyboard_echo: code ")]


def run_keys(append, ready_timeout=30, **kw):
    with Boot(append=append, timeout=150, **kw) as b:
        assert b.wait_for("keyboard_echo: ready", ready_timeout), "kernel never got ready:\n" + b.serial
        names = [k for k, _ in KEYS] + [SHIFTED[0], END[0]]
        # sendkey holds each key ~100 ms and returns at once: the gap keeps
        # presses apart and well under the 500 ms typematic delay.
        b.send_keys(names, gap=0.25)
        code = b.wait_exit(30)
        serial = b.serial
    assert code == EXIT_PASS, "exit status %r:\n%s" % (code, serial)
    got = codes_from(serial)
    want = [c for _, cs in KEYS for c in cs]
    assert got[:len(want)] == want, "codes %s, expected %s first" % (
        " ".join("%02x" % c for c in got), " ".join("%02x" % c for c in want))
    shifted = got[len(want):len(want) + 4]
    assert set(shifted) == SHIFTED[1] and shifted[0] == 0x2a and shifted.index(0x30) < shifted.index(0xb0), \
        "shift-b gave %s" % " ".join("%02x" % c for c in shifted)
    assert got[len(want) + 4:] == END[1], "tail %s" % " ".join("%02x" % c for c in got[len(want) + 4:])
    assert "0 dropped" in serial, serial
    return serial


def test_keys_through_ioapic():
    serial = run_keys("test=keyboard_echo")
    assert "intc: local APIC" in serial, serial


def test_keys_through_pic():
    serial = run_keys("noapic test=keyboard_echo")
    assert "intc: 8259 PIC" in serial, serial


def test_keys_under_uefi():
    iso = make_iso("test=keyboard_echo")
    try:
        serial = run_keys("", ready_timeout=120, iso=iso, uefi=True)
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
    assert "Multiboot2" in serial, serial
