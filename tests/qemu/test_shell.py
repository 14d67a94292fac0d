"""The image a user boots (`make iso`, `make run`): the kernel starts the C
userboot (build/user/userboot.wasm with its SDK instance env.wasm) and its
shell answers on screen and on serial, under SeaBIOS on VGA text and under
OVMF on the framebuffer. Keys are typed through the QEMU monitor; the
screen is read back from outside (VGA cells, or the framebuffer decoded
glyph by glyph).

Needs build/atoll.iso (make iso).
"""
import os
import time

from atollqemu import ISO, Boot

PROMPT = "atoll>"
UEFI_TIMEOUT = 90
# QEMU monitor key names for the characters typed here.
NAMED = {" ": "spc", "\n": "ret", "-": "minus", "!": "shift-1", "(": "shift-9", ")": "shift-0"}

import screen_ocr  # noqa: E402


def keys_for(text):
    return [NAMED.get(c) or ("shift-" + c.lower() if c.isupper() else c) for c in text]


def screen(boot, mode):
    return [l.rstrip() for l in screen_ocr.read_screen(boot, mode)["lines"]]


def wait_screen(boot, mode, pred, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        ls = screen(boot, mode)
        if pred(ls) or time.monotonic() > deadline:
            return ls
        time.sleep(0.3)


def session(boot, mode, boot_timeout):
    assert boot.wait_for("userboot: init returned 0", boot_timeout), \
        "userboot did not start:\n" + boot.serial[-3000:]
    # The first line says which drivers run; the prompt follows it.
    ls = wait_screen(boot, mode, lambda ls: len(ls) > 2 and ls[2] == PROMPT)
    shown = "\n".join(ls)
    assert ls[0].startswith(" Atoll"), "no title bar:\n" + shown
    assert ls[1] == "userboot: drivers running: ps2kbd uart", "no drivers:\n" + shown
    assert ls[2] == PROMPT, "no prompt:\n" + shown
    spin = ls[0][-1:]
    ls = wait_screen(boot, mode, lambda ls: ls[0][-1:] != spin, 10)
    assert ls[0][-1:] != spin, "the spinner does not turn (no ticks)"

    boot.send_keys(keys_for("echo Hi there!\n"))
    ls = wait_screen(boot, mode, lambda ls: "Hi there!" in ls)
    assert ls[2] == PROMPT + " echo Hi there!" and ls[3] == "Hi there!", "\n".join(ls)

    boot.send_keys(keys_for("demo\n"))
    ls = wait_screen(boot, mode, lambda ls: any(l.startswith("demo: handle_drop(module)")
                                                for l in ls), 30)
    shown = "\n".join(ls)
    for want in ["= 0 ok, kind 2 (module)", "component_create() = 0 ok, kind 3 (component)",
                 "component_add_instance() = 0 ok, instance 0",
                 "call answer() = 0 ok, result 42", "call square(12) = 0 ok, result 144",
                 "call boom() = 4 trapped, trap 1 (unreachable)"]:
        assert any(want in l for l in ls), "demo: no %r on screen:\n%s" % (want, shown)
    # the demo's child trapped on purpose: reported on serial, shell goes on
    assert "during a call of boom: unreachable" in boot.serial, boot.serial[-3000:]
    boot.send_keys(keys_for("help\n"))
    ls = wait_screen(boot, mode, lambda ls: any(l.lstrip().startswith("uptime") for l in ls))
    assert any(l.lstrip().startswith("demo") for l in ls), "\n".join(ls)
    # every screen line went to serial too (the terminal's; the kernel's
    # log may have come between the prompt and what was typed)
    for line in ["echo Hi there!\n", "\nHi there!\n",
                 "call answer() = 0 ok, result 42\n"]:
        assert line in boot.serial, "serial lacks %r:\n%s" % (line, boot.serial[-3000:])
    assert "panic" not in boot.serial, boot.serial[-3000:]


def need_iso():
    assert os.path.exists(ISO), "%s is missing: run make iso" % ISO


def test_shell_bios_vga_text():
    need_iso()
    with Boot(iso=ISO, timeout=150) as b:
        session(b, "text", 60)


def test_shell_uefi_framebuffer():
    need_iso()
    with Boot(iso=ISO, uefi=True, timeout=UEFI_TIMEOUT + 120) as b:
        session(b, "framebuffer", UEFI_TIMEOUT)
