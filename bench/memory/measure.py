#!/usr/bin/env python3
"""Memory: the smallest QEMU -m with which Atoll boots to the shell, and
the kernel image's size. (Kernel memory per idle component comes from
bench/coral's program, compiled code size from bench/compile.)

Boots the default image's modules (the C userboot, env, the programs
archive) with -kernel build/atoll.elf under TCG; success is "init returned
0" on serial (the shell has drawn its prompt); failure is any other end
(a panic, "cannot instantiate ... out of memory", QEMU refusing, or
nothing within the deadline). Binary search in 128 KiB steps.

    bench/memory/measure.py [--build DIR]

make bench calls measure() and markdown() (bench/harness/system.py).
"""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from atollqemu import Boot  # noqa: E402

STEP_KIB = 128
GOAL_MIB = 32
FAIL = ("atoll: panic", "cannot instantiate", "cannot build", "init returned -", "init returned 1")


def modules(build):
    mods = [os.path.join(build, "user", "userboot.wasm") + " userboot",
            os.path.join(build, "user", "env.wasm") + " env"]
    tar = os.path.join(build, "user", "programs.tar")
    if os.path.exists(tar):
        mods.append(tar + " programs")
    return mods


def boots(build, kib, timeout=20):
    """(True/False, the reason) for a boot with -m KIB K."""
    with Boot(append="loglevel=2", modules=modules(build), memory="%dK" % kib,
              timeout=timeout) as b:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = b.serial
            if "init returned 0" in s:
                return True, "init returned 0"
            for f in FAIL:
                if f in s:
                    line = next(l for l in s.splitlines() if f in l)
                    return False, line.strip()
            if b.proc.poll() is not None:
                return False, "QEMU exited: " + (b.qemu_output.strip()[-200:] or "no output")
            time.sleep(0.02)
        return False, "nothing within %d s" % timeout


def image(build):
    elf = os.path.join(build, "atoll.elf")
    out = subprocess.run(["size", "-A", elf], capture_output=True, text=True, check=True).stdout
    secs = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            secs.append((parts[0], int(parts[1])))
    return {"file": os.path.getsize(elf), "sections": secs}


def measure(build, log=print):
    lo, hi = 1024, 64 * 1024   # KiB: lo fails (assumed), hi must boot
    ok, why = boots(build, hi)
    res = {"image": image(build), "tries": []}
    res["tries"].append((hi, ok, why))
    if not ok:
        res["min_kib"] = None
        return res
    while hi - lo > STEP_KIB:
        mid = (lo + hi) // 2 // STEP_KIB * STEP_KIB
        if mid <= lo:
            mid = lo + STEP_KIB
        ok, why = boots(build, mid)
        log("  memory: -m %dK: %s" % (mid, "boots" if ok else why))
        res["tries"].append((mid, ok, why))
        if ok:
            hi = mid
        else:
            lo = mid
            res["fail_why"] = why
    res["min_kib"] = hi
    return res


def markdown(res, build):
    out = []
    add = out.append
    if res["min_kib"] is None:
        add("Smallest -m: not found: the boot with -m 64M failed (%s)." % res["tries"][0][2])
    else:
        add("Smallest `-m` that boots to the shell: **%d KiB (%.2f MiB)** (binary search in %d "
            "KiB steps; `-kernel %s/atoll.elf` with userboot, env and the programs archive, "
            "SeaBIOS, TCG; success = `init returned 0` on serial). At %d KiB: %s. Boots tried: %s."
            % (res["min_kib"], res["min_kib"] / 1024, STEP_KIB, os.path.relpath(build, ROOT),
               res["min_kib"] - STEP_KIB, res.get("fail_why", "not tried"),
               ", ".join("%dK %s" % (k, "ok" if ok else "no") for k, ok, _ in res["tries"])))
    img = res["image"]
    alloc = [(n, s) for n, s in img["sections"] if s and not n.startswith((".debug", ".comment",
                                                                           ".symtab", ".strtab",
                                                                           ".shstrtab"))]
    loaded = sum(s for _, s in alloc)
    add("")
    add("Kernel image `%s/atoll.elf`: %d bytes on disk (with symbols and debug information); "
        "its loaded sections, from `size -A`: %s; **%.0f KiB** in all (.bss included: zeroed "
        "memory, not file bytes)." % (os.path.relpath(build, ROOT), img["file"],
                                      ", ".join("%s %d" % (n, s) for n, s in alloc), loaded / 1024))
    res["loaded"] = loaded
    return out


def main():
    build = sys.argv[sys.argv.index("--build") + 1] if "--build" in sys.argv else \
        os.path.join(ROOT, "build")
    build = os.path.abspath(build)
    res = measure(build, log=lambda s: print(s, file=sys.stderr))
    print("\n".join(markdown(res, build)))


if __name__ == "__main__":
    main()
