"""Interrupt controllers and the timer across the ways Atoll can boot:
the interrupt ktests (tests/kernel/test_timer.c, test_irq_madt.c,
test_irq_pic.c) pass with the local/I/O APIC, with the 8259 PIC
(`noapic`, and `acpi=off`), with the PIT routed through the I/O APIC's
ISA IRQ 0 override (`timer=pit`), with the RSDP handed over by GRUB
(Multiboot2), and under UEFI; `timer_hz=` sets the rate. (ISA lines
claimed by drivers in Wasm, through both controllers: test_devcap.py,
test_keyboard.py, test_serial.py.)

Needs build/atoll.elf (make kernel); the GRUB boots build their own ISO.
"""
import os
import re
import shutil

from atollqemu import EXIT_PASS, Boot, make_iso

IRQ_KTESTS = ",".join([
    "timer_rate", "timer_bad_rates", "timer_tick_hook", "timer_preempts_spin",
    "madt_parse_good", "madt_parse_hostile", "pic_spurious_irq",
])
UEFI_TIMEOUT = 120


def boot_ktests(options, **kw):
    """Boots with the interrupt ktests and the given options; returns the
    serial log after checking they all passed."""
    append = ("%s test=%s" % (options, IRQ_KTESTS)).strip()
    with Boot(append=append, timeout=kw.pop("timeout", 90), **kw) as b:
        code = b.wait_exit()
        serial = b.serial
    assert code == EXIT_PASS, "exit status %r with %r:\n%s" % (code, options, serial)
    assert "%d passed, 0 failed" % len(IRQ_KTESTS.split(",")) in serial, serial
    return serial


def measured_rates(serial):
    """{asked Hz: measured Hz} from timer_rate's lines."""
    return {int(m.group(1)): float(m.group(2)) for m in
            re.finditer(r"asked (\d+) Hz, programmed [\d.]+ Hz, measured ([\d.]+) Hz", serial)}


def test_apic():
    s = boot_ktests("")
    assert "local APIC timer via local APIC + I/O APIC" in s, s
    assert "RSDP revision" in s and "from the BIOS area" in s, s
    assert set(measured_rates(s)) == {100, 1000}, s


def test_noapic():
    s = boot_ktests("noapic")
    assert "intc: 8259 PIC (boot option noapic)" in s, s
    assert "PIT via 8259 PIC" in s, s


def test_acpi_off_falls_back_to_pic():
    s = boot_ktests("acpi=off")
    assert "falling back to the 8259 PIC" in s, s
    assert "PIT via 8259 PIC" in s, s


def test_pit_through_ioapic_override():
    # QEMU's MADT moves ISA IRQ 0 to GSI 2: the PIT only ticks if the
    # override is honoured.
    s = boot_ktests("timer=pit")
    assert "on ISA IRQ 0 (GSI 2)" in s, s
    assert "PIT via local APIC + I/O APIC" in s, s


def test_timer_hz_option():
    with Boot(append="timer_hz=250 test=timer_tick_hook", timeout=60) as b:
        code = b.wait_exit()
        s = b.serial
    assert code == EXIT_PASS, s
    assert "timer: local APIC timer at 250.000 Hz (asked 250" in s, s


def test_timer_hz_out_of_range():
    with Boot(append="timer_hz=5 test=timer_tick_hook", timeout=60) as b:
        code = b.wait_exit()
        s = b.serial
    assert code == EXIT_PASS, s
    assert "5 Hz is outside" in s and "asked 100" in s, s


def test_multiboot2_rsdp_from_grub():
    iso = make_iso("test=" + IRQ_KTESTS)
    try:
        s = boot_ktests("", iso=iso)
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
    assert "from the boot loader" in s, s
    assert "local APIC timer via local APIC + I/O APIC" in s, s


def test_uefi():
    iso = make_iso("test=" + IRQ_KTESTS)
    try:
        s = boot_ktests("", iso=iso, uefi=True, timeout=UEFI_TIMEOUT)
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
    assert "from the boot loader" in s, s
    assert "intc: local APIC" in s, s


def test_pic_interrupts_arrive_when_firmware_masks_lint0():
    # qboot leaves the local APIC's LINT0 masked (SeaBIOS sets it to
    # ExtINT): without ACPI the kernel must wire the PIC through itself, or
    # no timer or keyboard interrupt ever arrives.
    s = boot_ktests("", extra=["-bios", "/usr/share/qemu/qboot.rom", "-machine", "pc,acpi=off"])
    assert "falling back to the 8259 PIC" in s, s
    assert "PIT via 8259 PIC" in s, s
