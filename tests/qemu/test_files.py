"""The file service in the kernel (issue 17, docs/files.md): fsd, started
by userboot at boot, serves the image's files (the boot module "files",
make iso FILES=folder) read-only at /, an in-memory /tmp and /dev/null to WASI
programs run from the shell (tests/wasi/tools/ftool.c, an ordinary C
program on wasi-libc). `run --dir PATH[::NAME]` gives a program only the
folders named. The layer and the service given wild pointers, paths out
of a folder and damaged archives answer with errors; the service lives on.
"""
import os
import re
import tarfile
import tempfile

from atollqemu import Boot
from test_programs import archive_modules, command, start, keys_for, wait_serial, USER

PROGRAMS = os.path.join(USER, "programs")
FTOOL = os.path.join(PROGRAMS, "ftool.wasm")
HOSTILE = os.path.join(PROGRAMS, "wasi_hostile.wasm")


def files_module(build):
    """A files boot module: build(folder) fills a fresh folder, archived as
    make iso FILES= archives it."""
    folder = tempfile.mkdtemp(prefix="atoll-files-")
    build(folder)
    path = os.path.join(tempfile.mkdtemp(prefix="atoll-files-tar-"), "files.tar")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
        t.add(folder, arcname=".")
    return path + " files"


def image(folder):
    with open(os.path.join(folder, "greeting.txt"), "w") as f:
        f.write("hello from the image\n")
    os.makedirs(os.path.join(folder, "docs", "deep"))
    with open(os.path.join(folder, "docs", "deep", "note.txt"), "w") as f:
        f.write("a note, two folders down\n")
    os.symlink("deep/note.txt", os.path.join(folder, "docs", "link"))
    with open(os.path.join(folder, "big.bin"), "wb") as f:
        f.write(bytes(range(256)) * 1024)       # 256 KiB: reads in many pieces


def modules(files_mod):
    return archive_modules({"ftool": FTOOL, "wasi-hostile": HOSTILE}, wasi=True, fsd=True) + \
        [files_mod]


def test_image_files_and_tmp():
    with Boot(append="loglevel=2", modules=modules(files_module(image)), timeout=300) as b:
        start(b)
        assert b.wait_for("fsd: serving 3 files of the image at /, and /tmp", 60), b.serial[-2000:]
        out = command(b, "run ftool cat /greeting.txt", lambda o: "image" in o)
        assert "hello from the image" in out, out
        out = command(b, "run ftool cat /docs/link", lambda o: "note" in o)
        assert "a note, two folders down" in out, out
        out = command(b, "run ftool ls /", lambda o: "greeting" in o)
        assert re.search(r"^f big.bin 262144$", out, re.M), out
        assert re.search(r"^d docs 0$", out, re.M) and re.search(r"^d tmp 0$", out, re.M), out
        # The image is read-only; /tmp is not.
        out = command(b, "run ftool write /greeting.txt changed", lambda o: "exit status" in o)
        assert "Read-only file system" in out, out
        out = command(b, "run ftool write /tmp/a.txt written", lambda o: True)
        assert "exit status" not in out, out
        out = command(b, "run ftool cat /tmp/a.txt", lambda o: "written" in o)
        # /dev/null takes writes and reads as empty.
        out = command(b, "run ftool write /dev/null gone", lambda o: True)
        assert "exit status" not in out, out
        out = command(b, "run ftool cat /dev/null /tmp/a.txt", lambda o: "written" in o)
        assert out.strip() == "written", repr(out)
        # A copy of the image's tree (256 KiB in pieces, a symlink) into /tmp.
        out = command(b, "run ftool cp /docs /tmp/docs", lambda o: True)
        assert "exit status" not in out, out
        out = command(b, "run ftool cp /big.bin /tmp/big.bin", lambda o: True, timeout=120)
        out = command(b, "run ftool ls /tmp", lambda o: "big" in o)
        assert re.search(r"^f big.bin 262144$", out, re.M), out
        out = command(b, "run ftool cat /tmp/docs/link", lambda o: "note" in o)
        # --dir: only the folders named, under the names given. (These are
        # paths of Atoll's own tree, fsd's /tmp inside the guest, not of
        # the machine running the test.)
        out = command(b, "run --dir /tmp::/guest ftool cat /guest/a.txt", lambda o: "written" in o)
        out = command(b, "run --dir /tmp::/guest ftool cat /greeting.txt",
                      lambda o: "exit status" in o)
        assert "ftool: open /greeting.txt" in out, out
        # The layer and the service given wild pointers and escapes.
        out = command(b, "run --dir /tmp::sb wasi-hostile",
                      lambda o: re.search(r"wasi-hostile: \d+ passed", o), timeout=120)
        m = re.search(r"wasi-hostile: (\d+) passed, (\d+) failed", out)
        assert m and m.group(2) == "0" and int(m.group(1)) > 80, out
        out = command(b, "ps", lambda o: "fsd" in o)
        assert re.search(r"fsd\s+(running|idle)", out), out
        out = command(b, "run ftool cat /tmp/a.txt", lambda o: "written" in o)
        assert "panic" not in b.serial, b.serial[-3000:]


def test_a_damaged_files_archive_is_reported_and_tmp_still_served():
    good = files_module(image).split()[0]
    raw = bytearray(open(good, "rb").read())
    with tarfile.open(good) as t:
        last = t.getmembers()[-1]
    raw[last.offset + 148] ^= 0x5     # the last header's checksum
    bad = os.path.join(tempfile.mkdtemp(prefix="atoll-files-bad-"), "files.tar")
    with open(bad, "wb") as f:
        f.write(raw)
    with Boot(append="loglevel=2", modules=modules(bad + " files"), timeout=300) as b:
        start(b)
        assert b.wait_for("fsd: the image's files: a damaged header at", 60), b.serial[-2000:]
        assert b.wait_for("fsd: serving", 30), b.serial[-2000:]
        out = command(b, "run ftool write /tmp/x ok", lambda o: True)
        out = command(b, "run ftool cat /tmp/x", lambda o: "ok" in o)
        assert "panic" not in b.serial, b.serial[-3000:]


def test_poll_oneoff_waits_for_a_line_or_the_clock():
    with Boot(append="loglevel=2", modules=modules(files_module(image)), timeout=300) as b:
        start(b)
        out = command(b, "run ftool poll 300", lambda o: "timeout" in o)
        mark = len(b.serial)
        b.send_keys(keys_for("run ftool poll 20000\n"), gap=0.1)
        wait_serial(b, lambda s: "run ftool poll 20000" in s[mark:])
        b.send_keys(keys_for("abc\n"), gap=0.1)
        s = wait_serial(b, lambda s: "line: abc" in s[mark:], timeout=60)
        assert "stdin: 4 bytes" in s[mark:] and "line: abc" in s[mark:], s[mark:]
        mark = len(b.serial)
        b.send_keys(keys_for("run ftool poll 20000\n"), gap=0.1)
        wait_serial(b, lambda s: "run ftool poll 20000" in s[mark:])
        b.send_keys(["ctrl-d"])
        s = wait_serial(b, lambda s: "stdin: end" in s[mark:], timeout=60)
        assert "stdin: end" in s[mark:], s[mark:]
        assert "panic" not in b.serial
