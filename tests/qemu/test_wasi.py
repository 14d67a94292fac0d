"""WASI commands in the kernel (issue 17): a program built with Debian's
wasi-libc (user/examples/wasi-hello, clang --target=wasm32-wasi) runs from
the shell on the WASI layer (user/wasi, docs/wasi.md): its arguments, a
float through printf, malloc, its input typed at the shell until Ctrl+D,
and an exit status through proc_exit. `ls` tells it apart from
libraries. tests/wasi/hostile/wasi_hostile.c gives the layer
wild pointers and lengths: each call answers with an errno, nothing traps.
"""
import os
import re

from atollqemu import ISO, Boot
from test_programs import archive_modules, command, start, need_iso, keys_for, wait_serial, USER

HOSTILE = os.path.join(USER, "programs", "wasi_hostile.wasm")


def test_wasi_hello_runs_from_the_shell():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        out = command(b, "ls", lambda o: "wasi-hello" in o)
        assert re.search(r"wasi-hello\s+\d+ bytes\s+\(WASI command\)", out), out
        assert re.search(r"^\s+pairlib\s+\d+ bytes\s+\(library\)$", out, re.M), out
        assert "wasi_snapshot_preview1" not in out, out
        out = command(b, "run wasi-hello one two", lambda o: "malloc works" in o)
        assert "hello from WASI: 3 arguments, pi is about 3.14159" in out, out
        assert "argv[0] = wasi-hello" in out and "argv[2] = two" in out, out
        assert "clock: running" in out, out
        assert "exit status" not in out, out
        out = command(b, "run wasi-hello -x 7", lambda o: "exit status" in o)
        assert "wasi-hello: exit status 7" in out, out
        assert "panic" not in b.serial


def test_wasi_hello_reads_its_input_until_ctrl_d():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        mark = len(b.serial)
        b.send_keys(keys_for("run wasi-hello -r\n"), gap=0.1)
        wait_serial(b, lambda s: "malloc works" in s[mark:])
        for i, typed in enumerate(["first line", "second"]):
            b.send_keys(keys_for(typed + "\n"), gap=0.1)
            want = "line %d: %s" % (i + 1, typed)
            s = wait_serial(b, lambda s: want in s[mark:])
            assert want in s[mark:], s[mark:]
        b.send_keys(["ctrl-d"])
        s = wait_serial(b, lambda s: "end of input after 2 lines" in s[mark:])
        assert "end of input after 2 lines" in s[mark:], s[mark:]
        out = command(b, "ps", lambda o: "userboot" in o)
        assert "wasi-hello" not in out, out
        assert "panic" not in b.serial


def test_wild_pointers_get_errnos():
    with Boot(append="loglevel=2", modules=archive_modules({"wasi-hostile": HOSTILE}, wasi=True),
              timeout=240) as b:
        start(b)
        out = command(b, "run wasi-hostile", lambda o: re.search(r"wasi-hostile: \d+ passed", o))
        m = re.search(r"wasi-hostile: (\d+) passed, (\d+) failed", out)
        assert m and m.group(2) == "0" and int(m.group(1)) >= 25, out
        assert "exit status" not in out, out
        assert "this line is written" in out, out
        assert "panic" not in b.serial and "trapped" not in b.serial, b.serial[-3000:]
        print("    %s checks passed" % m.group(1))
        out = command(b, "run wasi-hostile", lambda o: re.search(r"wasi-hostile: \d+ passed", o))
        assert "0 failed" in out, out
