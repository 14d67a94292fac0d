"""Channels, waiting and rights (issue 16) in the real kernel: the shell
runs tests/ipc/ipctest.c from a programs archive; it checks channels
(order, sizes, bounds, peer closed), handles in messages and their
rights, forged, stale and under-privileged handles, floods, a channel
sent through itself, a ring and a deep chain of channels, waits with
deadlines (a 50 ms wait that uses no CPU), wait sets, round trips with a
child component blocked in waits, a kill that ends a wait, a receiver
killed with handles in flight, and that the kernel's object and message
counts are back where they started. Expected: every check passes, no
panic, the shell answers afterwards.
"""
import os
import re

from atollqemu import BUILD, Boot
from test_programs import archive_modules, command, start

IPCTEST = os.path.join(BUILD, "tests", "ipc", "ipctest.wasm")


def test_ipc_checks_pass_in_the_kernel():
    with Boot(append="loglevel=2", modules=archive_modules({"ipctest": IPCTEST}), timeout=300) as b:
        start(b)
        out = command(b, "run ipctest", lambda o: re.search(r"ipc: \d+ passed", o), timeout=240)
        m = re.search(r"ipc: (\d+) passed, (\d+) failed", out)
        failures = "\n".join(l for l in out.splitlines() if "check failed" in l)
        assert m and m.group(2) == "0" and int(m.group(1)) >= 150, failures or out
        assert "panic" not in b.serial, b.serial[-3000:]
        print("    %s checks passed" % m.group(1))
        for line in out.splitlines():
            if line.startswith(("ipc: wait", "ipc: round trip", "ipc: random")):
                print("   ", line)
        out = command(b, "ps", lambda o: "userboot" in o)
        assert "ipctest" not in out, out
