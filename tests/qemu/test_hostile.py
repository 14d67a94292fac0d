"""Hostile programs next to a well-behaved one (issue 8), in the kernel:
wasm/greedy_userboot.wat starts, one after another and twice over, an
endless loop, unbounded recursion, memory.grow to the limit and on, memory
areas until refused, a wild memory index, a storm of 30 traps, module and
component churn, a syscall fuzzer calling every coral import 20000 times
with random arguments (wasm/child_fuzz.wat), and adversarial binaries
(adversarial_modules.py: deep nesting, huge counts, giant locals,
truncated sections, a 4 GiB memory, a 10M-element table, and SIMD ones:
2^32-1 v128 locals, a cut v128.const, lane indices past the end). A companion
component counts its ticks throughout. Expected: no panic, each culprit
stopped or refused as docs/abi.md says, the companion still counting, and
afterwards the component count and kernel heap back at their baseline.
"""
import re

from atollqemu import Boot
import adversarial_modules
import userboot_programs as programs

CHILDREN = ["child_counter", "child_spin", "child_answer", "child_grow", "child_vmas",
            "child_wild", "child_churn", "child_fuzz"]


def test_hostile_programs_leave_the_kernel_and_others_running():
    path = programs.with_children("greedy_userboot",
                                  CHILDREN + adversarial_modules.all_modules())
    with Boot(append="loglevel=2", modules=[path + " userboot"], timeout=400) as b:
        assert b.wait_for("init returned", 300), "did not finish:\n" + b.serial[-3000:]
        m = re.search(r"abusers: (\d+) passed, (\d+) failed", b.serial)
        assert m, "no summary:\n" + b.serial[-3000:]
        failures = "\n".join(l for l in b.serial.splitlines() if "abusers: check" in l)
        assert m.group(2) == "0" and int(m.group(1)) >= 600, failures or b.serial[-3000:]
        assert "panic" not in b.serial, b.serial[-3000:]
        # the culprits were reported as what they are
        assert "during a call of recurse: call stack exhausted" in b.serial
        assert "during a call of run: out of bounds memory access" in b.serial
        assert "blocks nested deeper than the limit" in b.serial
        assert "too many locals" in b.serial
        assert "invalid lane index (at i8x16.shuffle)" in b.serial
