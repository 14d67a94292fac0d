"""Programs that talk without knowing each other (issue 16), through the
shell of the boot image: `pingd` registers the name "ping" with the
registry userboot serves and answers each message with the same bytes;
`run pingd &` then `run ping hello` prints "pong: hello" and the round
trip. `upper` reads its input (the lines typed at the shell, sent on its
input channel) and echoes each in upper case until Ctrl+D. Ctrl+C still
ends a foreground program that reads nothing. `rust-upper` and
`rust-ping` do the same in Rust (user/sdk/rust/atoll.rs), and `rust-pingd`
serves "ping" in Rust to either client.
"""
import re

from atollqemu import ISO, Boot
from test_programs import command, start, need_iso, ps_jobs, keys_for, wait_serial


def test_ping_finds_pingd_through_the_registry():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        out = command(b, "run ping hello", lambda o: "ping:" in o)
        assert "no service" in out, out
        out = command(b, "run pingd &", lambda o: "pingd" in o)
        wait_serial(b, lambda s: "pingd: serving ping" in s)
        out = command(b, "run ping hello", lambda o: "round trip" in o)
        assert re.search(r"^pong: hello$", out, re.M), out
        m = re.search(r"^round trip: (\d+) us$", out, re.M)
        assert m, out
        print("    ping round trip through the shell's registry: %s us" % m.group(1))
        out = command(b, "run ping two words", lambda o: "round trip" in o)
        assert re.search(r"^pong: two words$", out, re.M), out
        # a second service under the same name is refused while pingd lives
        out = command(b, "run pingd", lambda o: "pingd:" in o)
        assert "cannot register" in out, out
        jobs = ps_jobs(command(b, "ps", lambda o: "pingd" in o))
        assert "pingd" in jobs and jobs["pingd"][1] == "running", jobs
        command(b, "kill %d" % jobs["pingd"][0], lambda o: True)
        wait_serial(b, lambda s: "pingd killed" in s)
        out = command(b, "run ping again", lambda o: "ping:" in o)
        assert "no service" in out, out
        assert "panic" not in b.serial


def upper_echoes_until_ctrl_d(b, prog, line):
    """Runs prog (an upper-casing program), types abc and line, checks the
    echoes, then Ctrl+D: ps no longer lists it."""
    mark = len(b.serial)
    b.send_keys(keys_for("run %s\n" % prog), gap=0.1)
    wait_serial(b, lambda s: "run " + prog in s[mark:])
    for typed in ["abc", line]:
        b.send_keys(keys_for(typed + "\n"), gap=0.1)
        s = wait_serial(b, lambda s: typed.upper() in s[mark:])
        assert typed.upper() in s[mark:], s[mark:]
    b.send_keys(["ctrl-d"])
    out = command(b, "ps", lambda o: "userboot" in o)
    assert prog not in out, out


def test_upper_reads_typed_lines_until_ctrl_d():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        upper_echoes_until_ctrl_d(b, "upper", "Hello World 42")
        # Ctrl+C ends a foreground program reading input
        b.send_keys(keys_for("run upper\n"), gap=0.1)
        wait_serial(b, lambda s: s.count("run upper") >= 2)
        b.send_keys(["ctrl-c"])
        s = wait_serial(b, lambda s: "upper: killed" in s)
        assert "upper: killed" in s, s[-2000:]
        assert "panic" not in b.serial


def test_rust_upper_reads_typed_lines_until_ctrl_d():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        upper_echoes_until_ctrl_d(b, "rust-upper", "Rust Says 42")
        assert "panic" not in b.serial


def test_rust_ping_finds_pingd_through_the_registry():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        out = command(b, "run rust-ping hello", lambda o: "rust-ping:" in o)
        assert "no service" in out and "not registered" in out, out
        command(b, "run pingd &", lambda o: "pingd" in o)
        wait_serial(b, lambda s: "pingd: serving ping" in s)
        out = command(b, "run rust-ping hello", lambda o: "round trip" in o)
        assert re.search(r"^pong: hello$", out, re.M), out
        m = re.search(r"^round trip: (\d+) us$", out, re.M)
        assert m, out
        print("    rust-ping round trip through the shell's registry: %s us" % m.group(1))
        out = command(b, "run rust-ping two words", lambda o: "round trip" in o)
        assert re.search(r"^pong: two words$", out, re.M), out
        assert "panic" not in b.serial


def test_rust_pingd_serves_ping_to_both_clients():
    need_iso()
    with Boot(iso=ISO, timeout=240) as b:
        start(b)
        command(b, "run rust-pingd &", lambda o: "rust-pingd" in o)
        wait_serial(b, lambda s: "rust-pingd: serving ping" in s)
        out = command(b, "run ping hello", lambda o: "round trip" in o)
        assert re.search(r"^pong: hello$", out, re.M), out
        out = command(b, "run rust-ping from rust", lambda o: "round trip" in o)
        assert re.search(r"^pong: from rust$", out, re.M), out
        # the name is rust-pingd's while it lives
        out = command(b, "run pingd", lambda o: "pingd:" in o)
        assert "cannot register" in out, out
        jobs = ps_jobs(command(b, "ps", lambda o: "rust-pingd" in o))
        assert "rust-pingd" in jobs and jobs["rust-pingd"][1] == "running", jobs
        command(b, "kill %d" % jobs["rust-pingd"][0], lambda o: True)
        wait_serial(b, lambda s: "rust-pingd killed" in s)
        out = command(b, "run rust-ping again", lambda o: "rust-ping:" in o)
        assert "no service" in out, out
        assert "panic" not in b.serial
