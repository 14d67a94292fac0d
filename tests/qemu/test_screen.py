"""The screen seen from outside QEMU: the boot banner must be on it under
SeaBIOS (VGA text, read from 0xb8000) and under OVMF (a framebuffer, read
by exact glyph matching of a screendump), and the in-kernel screen tests
(tests/kernel/test_screen.c) must pass on text mode and on 24 and 32 bpp
framebuffers.

Needs build/atoll.elf and build/atoll.iso (make kernel iso).
"""
import os
import shutil
import subprocess
import tempfile

from atollqemu import ISO, KERNEL, EXIT_PASS, Boot, run_ktest
import screen_ocr

SCREEN_KTESTS = "screen_console,screen_render,screen_device"
UEFI_TIMEOUT = 90       # OVMF under TCG takes about 5 s to reach the kernel


def need(path):
    assert os.path.exists(path), "%s is missing: run `make kernel iso` first" % path


def make_iso(cmdline, gfxpayload=None):
    """A GRUB ISO of build/atoll.elf with its own kernel command line (and
    video mode, under UEFI); returns its path. The caller removes it."""
    need(KERNEL)
    tmp = tempfile.mkdtemp(prefix="atoll-iso-")
    os.makedirs(os.path.join(tmp, "root", "boot", "grub"))
    shutil.copy(KERNEL, os.path.join(tmp, "root", "boot", "atoll.elf"))
    with open(os.path.join(tmp, "root", "boot", "grub", "grub.cfg"), "w") as f:
        f.write("set timeout=0\nset default=0\ninsmod all_video\n")
        if gfxpayload:
            f.write("set gfxpayload=%s\n" % gfxpayload)
        f.write('menuentry "Atoll" {\n  multiboot2 /boot/atoll.elf %s\n  boot\n}\n' % cmdline)
    iso = os.path.join(tmp, "atoll.iso")
    r = subprocess.run(["grub-mkrescue", "-o", iso, os.path.join(tmp, "root")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    assert r.returncode == 0, "grub-mkrescue failed:\n" + r.stdout.decode(errors="replace")
    return iso


def check_banner(boot, mode, timeout):
    """The banner's first line and its memory line are on screen, in the
    console's default light grey on black."""
    assert boot.wait_for("boot time:", timeout), "no banner on serial:\n" + boot.serial
    title = screen_ocr.wait_for_screen(boot, ["Atoll", "x86_64"], timeout=10, mode=mode)
    screen = screen_ocr.read_screen(boot, mode)
    shown = "\n".join(screen["lines"])
    assert title, "banner title not on screen; screen reads:\n" + shown
    assert any("memory:" in l and "MiB" in l for l in screen["lines"]), \
        "no memory line on screen; screen reads:\n" + shown
    r = next(i for i, l in enumerate(screen["lines"]) if "Atoll" in l)
    col = screen["lines"][r].index("Atoll")
    assert screen["attrs"][r][col] == 0x07, "banner attribute %r" % screen["attrs"][r][col]
    return screen


def test_banner_on_vga_text_multiboot1():
    need(KERNEL)
    with Boot() as b:
        screen = check_banner(b, "text", 30)
        assert screen["mode"] == "text"


def test_banner_on_vga_text_bios_iso():
    need(ISO)
    with Boot(iso=ISO) as b:
        check_banner(b, "text", 30)


def test_banner_on_framebuffer_uefi_iso():
    need(ISO)
    with Boot(iso=ISO, uefi=True, timeout=UEFI_TIMEOUT) as b:
        screen = check_banner(b, "auto", UEFI_TIMEOUT)
        assert screen["mode"] == "framebuffer", "UEFI boot showed %s" % screen["mode"]
        # Every cell decoded: the grid is where the kernel draws it and
        # every glyph is the font's.
        bad = [(r, l) for r, l in enumerate(screen["lines"]) if "\ufffd" in l]
        assert not bad, "cells matching no glyph: %r" % bad
        # The cursor sits at the start of the line after the last output.
        last = max(r for r, l in enumerate(screen["lines"]) if l)
        assert screen["cursor"] == (last + 1, 0), "cursor at %r" % (screen["cursor"],)


def test_screen_ktests_vga_text():
    code, serial = run_ktest(SCREEN_KTESTS, timeout=60)
    assert code == EXIT_PASS, "exit %r:\n%s" % (code, serial[-3000:])
    assert "3 passed, 0 failed" in serial


def run_uefi_ktests(gfxpayload, expect):
    iso = make_iso("test=" + SCREEN_KTESTS, gfxpayload)
    try:
        with Boot(iso=iso, uefi=True, timeout=UEFI_TIMEOUT) as b:
            code = b.wait_exit()
            serial = b.serial
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)
    assert code == EXIT_PASS, "exit %r:\n%s" % (code, serial[-3000:])
    assert "3 passed, 0 failed" in serial
    assert expect in serial, "expected a %s screen:\n%s" % (expect, serial[-3000:])


def test_screen_ktests_uefi_24bpp():
    # OVMF's GRUB, with no framebuffer tag asked for, leaves 800x600x24.
    run_uefi_ktests(None, "framebuffer 800x600, 24 bpp")


def test_screen_ktests_uefi_32bpp():
    run_uefi_ktests("1024x768x32", "framebuffer 1024x768, 32 bpp")
