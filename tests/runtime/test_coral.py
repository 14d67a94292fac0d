#!/usr/bin/env python3
"""make test-coral: the kernel's Coral layer (kern/userboot, component,
coral, kmodule, handles, memory areas) built for Linux under ASan and UBSan
(build/atoll-coral-asan), running the userboots the QEMU tests boot: the
hostile-argument programs (wasm/hostile_userboot.wat, and for the IPC
functions wasm/ipc_hostile_userboot.wat), the Coral-shaped one, the C
shell with typed commands, and tests/ipc/ipctest.c booted as userboot
(channels, rights, waits, wait sets, children blocked in waits and killed
there: the checks test_ipc.py runs in QEMU). Ends with "N passed, N
failed". ASan keeps locals on its fake stacks
(detect_stack_use_after_return), which the hosted threads' switches
announce to it (host/host_thread.c) and which must not mislead the
engine's stack limit.

    tests/runtime/test_coral.py ATOLL_CORAL BUILD/user [IPCTEST.wasm]
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "qemu"))
import userboot_programs as programs  # noqa: E402

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    if not ok:
        print("FAIL %s: %s" % (name, detail[-3000:]))


def sanitizer_report(text):
    """ASan's or UBSan's report in text, or None."""
    m = re.search(r"ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer", text)
    return text[m.start():m.start() + 3000] if m else None


def run(tool, args):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=1")
    return subprocess.run([tool] + args, capture_output=True, text=True, timeout=300, env=env)


def main():
    tool, user = sys.argv[1], sys.argv[2]
    ipctest = sys.argv[3] if len(sys.argv) > 3 else \
        os.path.join(os.path.dirname(user), "tests", "ipc", "ipctest.wasm")

    hostile = programs.with_children("hostile_userboot", [
        "child_answer", "child_importer", "child_unlinkable", "child_start_traps"])
    p = run(tool, [hostile])
    m = re.search(r"hostile: (\d+) passed, (\d+) failed", p.stdout)
    check("hostile arguments", p.returncode == 0 and m and m.group(2) == "0"
          and int(m.group(1)) >= 100, p.stdout + p.stderr)
    check("a trapping child is reported by name",
          "function 4 (boom), during a call of boom: integer divide by zero" in p.stderr,
          p.stderr)
    check("stack exhaustion in a child", "during a call of recurse: call stack exhausted"
          in p.stderr, p.stderr)

    # The IPC functions with hostile externrefs: the results docs/abi.md
    # gives, nothing moved or leaked (the same program as in QEMU; its
    # children blocked for good are ended by kills, which reach a waiting
    # thread here too).
    ipc_hostile = programs.with_children("ipc_hostile_userboot",
                                         ["child_answer", "child_ipc_blocker"])
    p = run(tool, [ipc_hostile])
    m = re.search(r"hostipc: (\d+) passed, (\d+) failed", p.stdout)
    report = sanitizer_report(p.stderr)
    check("hostile IPC arguments", p.returncode == 0 and m and m.group(2) == "0"
          and int(m.group(1)) >= 1000 and "init returned 0" in p.stderr,
          p.stdout + p.stderr)
    check("hostile IPC arguments: no sanitizer report", report is None, report or "")

    # The device capability functions with hostile externrefs (the same
    # program as in QEMU's test_devcap.py).
    p = run(tool, [programs.with_children("devcap_hostile_userboot", [])])
    m = re.search(r"hostdev: (\d+) passed, (\d+) failed", p.stdout)
    report = sanitizer_report(p.stderr)
    check("hostile device capability arguments", p.returncode == 0 and m and
          m.group(2) == "0" and int(m.group(1)) >= 300 and "init returned 0" in p.stderr,
          p.stdout + p.stderr)
    check("hostile device capability arguments: no sanitizer report", report is None,
          report or "")

    coral = programs.build("coral_userboot")
    p = run(tool, ["--keys", "hello", "--ticks", "4", "--screen", coral])
    lines = p.stdout.splitlines()
    check("Coral-shaped userboot", p.returncode == 0 and len(lines) >= 5 and
          lines[1].startswith(" Coral - userboot") and lines[3] == "k 1114" and
          lines[4] == "hello", p.stdout + p.stderr)
    check("its spinner turned", len(lines) > 1 and lines[1].rstrip().endswith("+"),
          p.stdout)

    # Two components calling each other wait for each other for good: the
    # kernel's timer would fail one request after 2 s; here, with no timer,
    # the hosted scheduler reports it and atoll-coral exits with 3.
    deadlock = programs.with_children("deadlock_userboot", ["child_mutual"])
    p = run(tool, [deadlock])
    check("a deadlock is reported, not hung", p.returncode == 3 and
          "deadlock: all threads blocked" in p.stderr, p.stdout + p.stderr)

    env = os.path.join(user, "env.wasm")
    ub = os.path.join(user, "userboot.wasm")
    p = run(tool, ["--module", "env=" + env, "--keys", "echo Hi!\\ndemo\\nnope\\n",
                   "--screen", ub])
    out = p.stdout
    check("C shell starts", p.returncode == 0 and "init returned 0" in p.stderr,
          out + p.stderr)
    check("C shell: echo", "atoll> echo Hi!\nHi!\n" in out, out)
    check("C shell: demo", "call answer() = 0 ok, result 42" in out and
          "call boom() = 4 trapped, trap 1 (unreachable)" in out, out)
    check("C shell: unknown command", "unknown command: nope" in out, out)

    # The IPC checks of the QEMU test (test_ipc.py), here with ipctest as
    # userboot: its init runs main, the output goes to the log (stdout).
    # The time checks (a 50 ms wait, a wait and a blocked child using no
    # CPU) hold as they are: the hosted scheduler sleeps the process until
    # the earliest deadline, and a component's CPU time is the wall time
    # it ran between switches, of which a blocked one gets none.
    p = run(tool, ["--module", "env=" + env, ipctest])
    m = re.search(r"ipc: (\d+) passed, (\d+) failed", p.stdout)
    failures = "\n".join(l for l in p.stdout.splitlines() if "check failed" in l)
    report = sanitizer_report(p.stderr)
    check("ipctest as userboot", p.returncode == 0 and m is not None and m.group(2) == "0"
          and int(m.group(1)) >= 150 and "init returned 0" in p.stderr,
          failures or p.stdout + p.stderr)
    check("ipctest: no sanitizer report", report is None, report or "")
    for line in p.stdout.splitlines():
        if line.startswith("ipc: wait") or line.startswith("ipc: round trip") or \
                re.match(r"ipc: \d+ passed", line):
            print("    hosted " + line)

    # The device capabilities' checks (tests/devcap/devtest.c, as in QEMU's
    # test_devcap.py) over the hosted build's latched ports: every refusal
    # as in the kernel; the RTC's interrupt checks skip (no RTC, no line
    # ever fires here), which the program says.
    devtest = sys.argv[4] if len(sys.argv) > 4 else \
        os.path.join(os.path.dirname(user), "tests", "devcap", "devtest.wasm")
    p = run(tool, ["--module", "env=" + env, devtest])
    m = re.search(r"devcap: (\d+) passed, (\d+) failed, (\d+) skipped", p.stdout)
    failures = "\n".join(l for l in p.stdout.splitlines() if "check failed" in l)
    report = sanitizer_report(p.stderr)
    check("devtest as userboot (hosted: latched ports)", p.returncode == 0 and m is not None
          and m.group(2) == "0" and m.group(3) == "1" and int(m.group(1)) >= 70
          and "no RTC here" in p.stdout and "init returned 0" in p.stderr,
          failures or p.stdout + p.stderr)
    check("devtest: no sanitizer report", report is None, report or "")

    p = run(tool, ["--module", "env=" + env, ub + ".missing"])
    check("a missing file is an error", p.returncode == 1 and "cannot read" in p.stderr,
          p.stderr)
    with open(os.path.join(programs._dir(), "garbage.wasm"), "wb") as f:
        f.write(b"\0asm\1\0\0\0\xff\xff")
    p = run(tool, [os.path.join(programs._dir(), "garbage.wasm")])
    check("invalid userboot bytes are refused with a reason",
          p.returncode == 1 and "refused" in p.stderr, p.stderr)
    p = run(tool, [ub])
    check("userboot importing env without an env module",
          p.returncode == 1 and "no boot module has that name" in p.stderr, p.stderr)

    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
