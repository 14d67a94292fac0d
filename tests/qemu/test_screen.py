"""The screen seen from outside QEMU: the boot banner must be on it under
SeaBIOS (VGA text, read from 0xb8000) and under OVMF (a framebuffer, read
by exact glyph matching of a screendump), and the in-kernel screen tests
(tests/kernel/test_screen.c) must pass on text mode and on 24 and 32 bpp
framebuffers.

Needs build/atoll.elf (make kernel); the ISO boots build their own ISO.
"""
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time

from atollqemu import BUILD, KERNEL, EXIT_PASS, Boot, make_iso, run_ktest
import screen_ocr

SCREEN_KTESTS = "screen_console,screen_render,screen_device"
UEFI_TIMEOUT = 90       # OVMF under TCG takes about 5 s to reach the kernel


def need(path):
    assert os.path.exists(path), "%s is missing: run `make kernel iso` first" % path


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


def test_kernel_font_is_the_readers_font():
    """The font compiled into the kernel (generated into $(BUILD)) is the
    one screen_ocr matches against, and printable ASCII is the PSF's own."""
    path = os.path.join(BUILD, "kernel", "gen", "font8x16.c")
    need(path)
    with open(path) as f:
        rows = re.findall(r"\{ ((?:0x[0-9a-f]{2}, ){15}0x[0-9a-f]{2}) \}", f.read())
    kernel = [bytes(int(v, 16) for v in r.split(", ")) for r in rows]
    reader = screen_ocr.font().glyphs
    assert len(kernel) == 256, "%d glyphs in %s" % (len(kernel), path)
    diff = [b for b in range(256) if kernel[b] != reader[b]]
    assert not diff, "kernel and reader glyphs differ for bytes %r" % diff
    glyphs, umap = screen_ocr.gen_font.load_psf()
    for b in range(0x20, 0x7f):
        assert kernel[b] == glyphs[umap[chr(b)]], "byte %#x is not the PSF's glyph" % b


def test_font_reader_takes_psf2_too():
    """The same font rewritten as PSF2 (Debian ships no 8x16 PSF2 to try)
    gives the same glyphs."""
    glyphs, umap = screen_ocr.gen_font.load_psf()
    by_glyph = {}
    for ch, i in umap.items():
        by_glyph.setdefault(i, []).append(ch)
    table = b"".join("".join(by_glyph.get(i, [])).encode() + b"\xff" for i in range(len(glyphs)))
    header = struct.pack("<8I", 0x864ab572, 0, 32, 1, len(glyphs), 16, 16, 8)
    tmp = tempfile.mkdtemp(prefix="atoll-psf2-")
    try:
        path = os.path.join(tmp, "font.psf")
        with open(path, "wb") as f:
            f.write(header + b"".join(glyphs) + table)
        assert screen_ocr.gen_font.cp437_glyphs(path) == screen_ocr.gen_font.cp437_glyphs()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render_cells(cells, width, height):
    """What the kernel draws for cells (a list of 2000 (byte, attr)), as an
    RGB image: the reader's check against an independent drawing."""
    f = screen_ocr.font()
    ox, oy = screen_ocr.grid_origin(width, height)
    img = bytearray(width * height * 3)
    for i, (byte, attr) in enumerate(cells):
        fg, bg = screen_ocr.PALETTE[attr & 15], screen_ocr.PALETTE[attr >> 4]
        x0, y0 = ox + i % 80 * 8, oy + i // 80 * 16
        for y in range(16):
            bits = f.glyphs[byte][y]
            for x in range(8):
                p = ((y0 + y) * width + x0 + x) * 3
                img[p:p + 3] = bytes(fg if bits & (0x80 >> x) else bg)
    return bytes(img)


def test_reader_reads_back_every_glyph_and_colour():
    """Cells drawn independently of the kernel, read back: redrawing what
    the reader saw gives the same pixels (a glyph and its inverse in swapped
    colours look alike, so the pixels are compared, not the bytes)."""
    cells = [((i * 7) % 256, (i // 256 * 3 + i) % 256) for i in range(2000)]
    image = render_cells(cells, 800, 600)
    screen = screen_ocr.decode_framebuffer(800, 600, image)
    assert screen["cursor"] is None
    back = [(screen["cells"][r][c], screen["attrs"][r][c]) for r in range(25) for c in range(80)]
    unread = [i for i, (b, a) in enumerate(back) if b is None]
    assert not unread, "cells read as nothing: %r" % unread[:20]
    assert render_cells(back, 800, 600) == image, "the reading draws other pixels"
    # Printable ASCII in the default colours reads as itself.
    for i, (byte, attr) in enumerate(cells):
        r, c = divmod(i, 80)
        if 0x21 <= byte < 0x7f and attr == 0x07:
            assert screen["lines"][r][c] == chr(byte)


def test_banner_on_vga_text_multiboot1():
    need(KERNEL)
    with Boot() as b:
        screen = check_banner(b, "text", 30)
        assert screen["mode"] == "text"


def bare_iso():
    """An ISO without boot modules: no userboot takes the screen over, so
    the banner stays on it. (build/atoll.iso boots into the shell:
    test_shell.py.)"""
    return make_iso()


def test_banner_on_vga_text_bios_iso():
    iso = bare_iso()
    try:
        with Boot(iso=iso) as b:
            check_banner(b, "text", 30)
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)


def test_banner_on_framebuffer_uefi_iso():
    iso = bare_iso()
    try:
        banner_on_uefi(iso)
    finally:
        shutil.rmtree(os.path.dirname(iso), ignore_errors=True)


def banner_on_uefi(iso):
    with Boot(iso=iso, uefi=True, timeout=UEFI_TIMEOUT) as b:
        screen = check_banner(b, "auto", UEFI_TIMEOUT)
        assert screen["mode"] == "framebuffer", "UEFI boot showed %s" % screen["mode"]
        # Every cell decoded: the grid is where the kernel draws it and
        # every glyph is the font's. (A dump taken mid-redraw may catch a
        # half-drawn cell: look again before failing.)
        for _ in range(3):
            bad = [(r, l) for r, l in enumerate(screen["lines"]) if "\ufffd" in l]
            if not bad:
                break
            time.sleep(0.5)
            screen = screen_ocr.read_screen(b, "framebuffer")
        assert not bad, "cells matching no glyph: %r" % bad
        # The cursor sits at the start of the line after the last output.
        last = max(r for r, l in enumerate(screen["lines"]) if l)
        assert screen["cursor"] == (last + 1, 0), "cursor at %r" % (screen["cursor"],)


def test_screen_ktests_vga_text():
    code, serial = run_ktest(SCREEN_KTESTS, timeout=60)
    assert code == EXIT_PASS, "exit %r:\n%s" % (code, serial[-3000:])
    assert "3 passed, 0 failed" in serial


def run_uefi_ktests(gfxpayload, expect):
    iso = make_iso("test=" + SCREEN_KTESTS, gfxpayload=gfxpayload)
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
