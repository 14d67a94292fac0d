"""make test-user-qemu: the C userboot on the real kernel in QEMU.

Boots $(BUILD)/atoll.elf with the two boot modules of the first program
(build/user/env.wasm named "env", build/user/userboot.wasm named
"userboot"), types commands through the QEMU monitor, and reads the VGA
text cells back; the serial log must mirror the screen. Uses the QEMU
helpers of tests/qemu. Ends with "N passed, N failed".

    python3 tests/user/qemu_userboot.py BUILD/user
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "qemu"))
from atollqemu import Boot  # noqa: E402
import screen_ocr  # noqa: E402

PROMPT = "atoll> "
results = {"passed": 0, "failed": 0}

# QEMU monitor key names for the characters the checks type.
NAMED = {" ": "spc", "\n": "ret", "\b": "backspace", "-": "minus", "!": "shift-1"}


def keys_for(text):
    out = []
    for ch in text:
        if ch in NAMED:
            out.append(NAMED[ch])
        elif ch.isupper():
            out.append("shift-" + ch.lower())
        else:
            out.append(ch)
    return out


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def screen(boot):
    return [l.rstrip() for l in screen_ocr.read_screen(boot, "text")["lines"]]


def wait_screen(boot, pred, timeout=15):
    """The screen once pred(lines) holds, or as it is at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        ls = screen(boot)
        if pred(ls) or time.monotonic() > deadline:
            return ls
        time.sleep(0.3)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/user"
    mods = [os.path.abspath(os.path.join(out, "env.wasm")) + " env",
            os.path.abspath(os.path.join(out, "userboot.wasm")) + " userboot"]
    with Boot(append="loglevel=2", modules=mods, timeout=120) as b:
        check("init returned 0", b.wait_for("userboot: init returned 0", 30), b.serial[-3000:])
        ls = wait_screen(b, lambda ls: ls[1] == PROMPT.rstrip())
        shown = "\n".join(ls)
        check("title bar", ls[0].startswith(" Atoll 0.1"), shown)
        check("prompt", ls[1] == PROMPT.rstrip(), shown)
        spin = ls[0][-1:]
        moved = wait_screen(b, lambda ls: ls[0][-1:] != spin, 5)[0][-1:] != spin
        check("the spinner turns (tick)", moved, "stuck at %r" % spin)

        b.send_keys(keys_for("echo Hi!\n"))
        ls = wait_screen(b, lambda ls: "Hi!" in ls)
        check("echo with Shift", ls[1] == PROMPT + "echo Hi!" and ls[2] == "Hi!", "\n".join(ls))

        b.send_keys(keys_for("demo\n"))
        ls = wait_screen(b, lambda ls: any(l.startswith("demo: handle_drop(module)") for l in ls))
        shown = "\n".join(ls)
        for want in ["= 0 ok, kind 2 (module)", "component_create() = 0 ok, kind 3 (component)",
                     "component_add_instance() = 0 ok, instance 0",
                     "call answer() = 0 ok, result 42", "call square(12) = 0 ok, result 144",
                     "call boom() = 4 trapped, trap 1 (unreachable)"]:
            check("demo: " + want, any(want in l for l in ls), shown)

        b.send_keys(keys_for("nope\n"))
        ls = wait_screen(b, lambda ls: "unknown command: nope (try help)" in ls)
        check("unknown command", "unknown command: nope (try help)" in ls, "\n".join(ls))

        serial = b.serial
        for line in [PROMPT + "echo Hi!\n", "\nHi!\n", "call answer() = 0 ok, result 42\n"]:
            check("serial mirrors %r" % line.strip(), line in serial, serial[-3000:])
        check("no panic", "panic" not in serial, serial[-3000:])
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
