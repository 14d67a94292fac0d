#!/usr/bin/env python3
"""Reads Atoll's 80x25 text screen from outside QEMU, as 25 lines of text.

Two ways, one per kind of display (see dev/screen.h):
  - VGA text mode: the cells themselves, `pmemsave 0xb8000 4000` through
    the monitor;
  - a linear framebuffer (UEFI): a `screendump` (PPM), each 8x16 cell
    matched exactly against the glyphs the kernel draws, which come from
    the same PSF font through scripts/gen-font.py. The grid sits where the
    kernel puts it: centred, on whole pixels.

With a tests/qemu/atollqemu.py Boot:
    lines = screen_lines(boot)          # picks the method from the mode
    assert wait_for_screen(boot, "memory:", timeout=10)

Without one, anything with a monitor(command) method and the directory QEMU
runs in (file names are given bare, relative to it: FACTS.md explains why)
can be wrapped: Monitor("path/to/monitor.sock", qemu_cwd).

As a program, decodes a saved file or reads a running QEMU (started with
-monitor unix:SOCKET,server,nowait; files are written to QEMU_CWD):
    tests/qemu/screen_ocr.py screen.ppm | vga.bin
    tests/qemu/screen_ocr.py --monitor SOCKET QEMU_CWD
"""
import importlib.util
import os
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

COLS, ROWS = 80, 25
GLYPH_W, GLYPH_H = 8, 16
TEXT_MODE_DUMP = (720, 400)     # QEMU draws VGA text with 9-pixel cells

# The VGA palette (dev/fbcon.c: vga_palette_rgb), colour index by RGB.
PALETTE = [(0x00, 0x00, 0x00), (0x00, 0x00, 0xaa), (0x00, 0xaa, 0x00), (0x00, 0xaa, 0xaa),
           (0xaa, 0x00, 0x00), (0xaa, 0x00, 0xaa), (0xaa, 0x55, 0x00), (0xaa, 0xaa, 0xaa),
           (0x55, 0x55, 0x55), (0x55, 0x55, 0xff), (0x55, 0xff, 0x55), (0x55, 0xff, 0xff),
           (0xff, 0x55, 0x55), (0xff, 0x55, 0xff), (0xff, 0xff, 0x55), (0xff, 0xff, 0xff)]
COLOUR_INDEX = {rgb: i for i, rgb in enumerate(PALETTE)}


def _load_gen_font():
    spec = importlib.util.spec_from_file_location(
        "gen_font", os.path.join(ROOT, "scripts", "gen-font.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gen_font = _load_gen_font()
CP437 = gen_font.CP437


def char_of(byte):
    """The character a cell byte shows; blank for 0 and the no-break space."""
    return " " if byte in (0, 0xff) else CP437[byte]


class Font:
    """The kernel's glyphs, indexed for exact matching."""

    def __init__(self, psf=gen_font.DEFAULT_PSF):
        self.glyphs = gen_font.cp437_glyphs(psf)
        self.by_bitmap = {}
        self.by_top = {}                # rows 0-13 only: under the cursor
        # Several bytes may share a glyph (0, space, 0xff): printable ASCII
        # wins, then the lowest byte.
        order = sorted(range(256), key=lambda b: (not 0x20 <= b < 0x7f, b))
        for b in order:
            g = self.glyphs[b]
            self.by_bitmap.setdefault(g, b)
            self.by_top.setdefault(g[:GLYPH_H - 2], b)


_font = None


def font():
    global _font
    if _font is None:
        _font = Font()
    return _font


# ---- decoding ----------------------------------------------------------

def decode_vga_cells(data):
    """4000 bytes of cells -> (25 lines, 25 lists of attribute bytes,
    25 lists of cell bytes)."""
    if len(data) < COLS * ROWS * 2:
        raise ValueError("%d bytes of cells, expected %d" % (len(data), COLS * ROWS * 2))
    lines, attrs, cells = [], [], []
    for r in range(ROWS):
        row = data[r * COLS * 2:(r + 1) * COLS * 2]
        lines.append("".join(char_of(row[2 * c]) for c in range(COLS)).rstrip())
        attrs.append([row[2 * c + 1] for c in range(COLS)])
        cells.append([row[2 * c] for c in range(COLS)])
    return lines, attrs, cells


def parse_ppm(data):
    """A binary PPM (P6, maxval 255) -> (width, height, RGB bytes)."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise ValueError("not a P6 PPM with 8-bit channels")
    w, h = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + w * h * 3]
    if len(pixels) != w * h * 3:
        raise ValueError("PPM truncated")
    return w, h, pixels


def grid_origin(width, height):
    """Where the kernel puts cell (0, 0): the grid centred (dev/fbcon.c)."""
    return (width - COLS * GLYPH_W) // 2, (height - ROWS * GLYPH_H) // 2


def decode_cell(bitmap_of, colours):
    """Matches one cell. bitmap_of(colour) -> 16 bytes with that colour's
    pixels set. Returns (byte, attr, cursor) or None when nothing matches."""
    f = font()
    if len(colours) == 1:
        (c,) = colours
        return 0x20, COLOUR_INDEX[c] << 4 | 7, False
    if len(colours) != 2:
        return None
    a, b = sorted(colours, key=COLOUR_INDEX.get)
    for fg, bg in ((a, b), (b, a)):
        bits = bitmap_of(fg)
        attr = COLOUR_INDEX[bg] << 4 | COLOUR_INDEX[fg]
        if bits in f.by_bitmap:
            return f.by_bitmap[bits], attr, False
        if bits[GLYPH_H - 2:] == b"\xff\xff" and bits[:GLYPH_H - 2] in f.by_top:
            return f.by_top[bits[:GLYPH_H - 2]], attr, True
    return None


def decode_framebuffer(width, height, pixels, origin=None):
    """RGB pixels of the whole display -> a dict: lines (25 strings), attrs
    (25 lists of attribute bytes), cells (25 lists of cell bytes), cursor
    ((row, col) or None). A cell that matches no glyph reads as U+FFFD with
    byte and attribute None. Where two readings draw the same pixels (a
    blank in any foreground; a glyph or its inverse in swapped colours) one
    is picked: the pixels, not the bytes, are what is known."""
    ox, oy = origin if origin else grid_origin(width, height)
    if ox < 0 or oy < 0 or ox + COLS * GLYPH_W > width or oy + ROWS * GLYPH_H > height:
        raise ValueError("a %dx%d display cannot hold the text grid" % (width, height))
    stride = width * 3
    lines, attrs, cells, cursor = [], [], [], None
    for r in range(ROWS):
        chars, row_attrs, row_cells = [], [], []
        for c in range(COLS):
            x0, y0 = ox + c * GLYPH_W, oy + r * GLYPH_H
            rows = []
            for y in range(GLYPH_H):
                p = (y0 + y) * stride + x0 * 3
                rows.append([bytes(pixels[p + 3 * i:p + 3 * i + 3]) for i in range(GLYPH_W)])
            colours = {tuple(px) for row in rows for px in row}
            got = None
            if colours <= COLOUR_INDEX.keys():

                def bitmap_of(colour, rows=rows):
                    col = bytes(colour)
                    return bytes(sum(0x80 >> i for i, px in enumerate(row) if px == col)
                                 for row in rows)

                got = decode_cell(bitmap_of, colours)
            if got is None:
                chars.append("\ufffd")
                row_attrs.append(None)
                row_cells.append(None)
                continue
            byte, attr, under = got
            if under:
                cursor = (r, c)
            chars.append(char_of(byte))
            row_attrs.append(attr)
            row_cells.append(byte)
        lines.append("".join(chars).rstrip())
        attrs.append(row_attrs)
        cells.append(row_cells)
    return {"lines": lines, "attrs": attrs, "cells": cells, "cursor": cursor}


# ---- reading a running QEMU ---------------------------------------------

class Monitor:
    """A bare human-monitor connection, for use without atollqemu.Boot:
    has the two things this module needs, monitor() and tmp (QEMU's cwd)."""

    def __init__(self, socket_path, qemu_cwd, timeout=10):
        self.tmp = qemu_cwd
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(socket_path)
        self._prompt()

    def _prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            buf += chunk
        return buf.decode("utf-8", "replace")

    def monitor(self, command):
        self.sock.sendall((command + "\n").encode())
        return self._prompt()

    def close(self):
        self.sock.close()


def _fetch(qemu, command, name, complete, timeout=10):
    """Runs a monitor command that writes `name` in QEMU's cwd; waits until
    complete(data) holds and returns the data."""
    path = os.path.join(qemu.tmp, name)
    if os.path.exists(path):
        os.unlink(path)
    out = qemu.monitor('%s "%s"' % (command, name))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            if complete(data):
                return data
        time.sleep(0.02)
    raise RuntimeError("QEMU wrote no %s (monitor said: %s)" % (name, out.strip()))


def _ppm_complete(data):
    try:
        parse_ppm(data)
        return True
    except (ValueError, IndexError):
        return False


def read_cells(qemu):
    """The 4000 bytes at 0xb8000 (VGA text mode)."""
    return _fetch(qemu, "pmemsave 0xb8000 %d" % (COLS * ROWS * 2), "screen-cells.bin",
                  lambda d: len(d) == COLS * ROWS * 2)


def read_screendump(qemu):
    """The display as (width, height, RGB bytes)."""
    return parse_ppm(_fetch(qemu, "screendump", "screen-dump.ppm", _ppm_complete))


def read_screen(qemu, mode="auto"):
    """The screen as a dict: lines (25 strings), attrs, cells (25 lists of
    attribute bytes and of cell bytes), mode ("text" or "framebuffer"),
    cursor ((row, col) or None; framebuffer only). mode
    "auto" tells them apart by the display's size: QEMU shows VGA text as
    720x400."""
    dump = None
    if mode == "auto":
        dump = read_screendump(qemu)
        mode = "text" if dump[:2] == TEXT_MODE_DUMP else "framebuffer"
    if mode == "text":
        lines, attrs, cells = decode_vga_cells(read_cells(qemu))
        return {"mode": mode, "lines": lines, "attrs": attrs, "cells": cells, "cursor": None}
    w, h, pixels = dump or read_screendump(qemu)
    screen = decode_framebuffer(w, h, pixels)
    screen.update(mode=mode, size=(w, h))
    return screen


def screen_lines(qemu, mode="auto"):
    return read_screen(qemu, mode)["lines"]


def wait_for_screen(qemu, text, timeout=10, mode="auto"):
    """Polls the screen until a line contains `text` (or, for a list, one
    line contains every item). Returns that line, or None on timeout."""
    items = [text] if isinstance(text, str) else list(text)
    deadline = time.monotonic() + timeout
    while True:
        try:
            for line in screen_lines(qemu, mode):
                if all(i in line for i in items):
                    return line
        except (ValueError, RuntimeError):
            pass        # mid mode switch or not drawn yet: try again
        if time.monotonic() > deadline:
            return None
        proc = getattr(qemu, "proc", None)
        if proc is not None and proc.poll() is not None:
            return None
        time.sleep(0.2)


def main(argv):
    if len(argv) == 4 and argv[1] == "--monitor":
        # A running QEMU: its monitor socket, and the directory it runs in.
        qemu = Monitor(argv[2], argv[3])
        screen = read_screen(qemu)
        qemu.close()
        lines, cursor = screen["lines"], screen["cursor"]
    elif len(argv) == 2:
        with open(argv[1], "rb") as f:
            data = f.read()
        if data[:2] == b"P6":
            screen = decode_framebuffer(*parse_ppm(data))
            lines, cursor = screen["lines"], screen["cursor"]
        else:
            lines, cursor = decode_vga_cells(data)[0], None
    else:
        sys.exit("usage: screen_ocr.py SCREEN.ppm | CELLS.bin | --monitor SOCKET QEMU_CWD")
    for line in lines:
        print(line)
    if cursor:
        print("(cursor at row %d, column %d)" % cursor)


if __name__ == "__main__":
    main(sys.argv)
