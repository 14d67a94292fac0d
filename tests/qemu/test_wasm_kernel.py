"""The engine in the kernel, from the same sources as the Linux tools:
spec-suite modules passed as boot modules are decoded and validated with the
verdict the suite expects (ktest wasm_decode_modules), and spec commands are
run as compiled code in ring 0, traps included (ktest wasm_spec_script)."""
import json
import os
import re
import tempfile

from atollqemu import BUILD, EXIT_PASS, Boot
import wasm_script

SPEC = os.path.join(BUILD, "spec")
# A spread of sections and instruction classes; every binary module of each.
FILES = ["core/binary.json", "core/br_table.json", "core/call_indirect.json",
         "core/elem.json", "core/data.json", "core/global.json", "core/custom.json",
         "core/binary-leb128.json", "core/func.json", "simd/simd_lane.json"]
PER_BOOT = 30   # the kernel keeps 32 boot modules


def cases():
    out = []
    for rel in FILES:
        path = os.path.join(SPEC, rel)
        assert os.path.exists(path), "%s is missing: run make spec-json" % path
        folder = os.path.dirname(path)
        for c in json.load(open(path))["commands"]:
            if c["type"] == "module" and "filename" in c:
                verdict = "valid"
            elif c["type"] == "assert_malformed" and c.get("module_type") == "binary":
                verdict = "malformed"
            elif c["type"] == "assert_invalid" and c.get("module_type") == "binary":
                verdict = "invalid"
            else:
                continue
            out.append((os.path.join(folder, c["filename"]), verdict))
    return out


def test_spec_modules_decode_in_kernel():
    all_cases = cases()
    assert len(all_cases) > 200, "too few spec modules found (%d)" % len(all_cases)
    # Every module of the first files, then a sample spread over the rest,
    # in batches of what one boot carries.
    picked = all_cases[:: max(1, len(all_cases) // 240)]
    for i in range(0, len(picked), PER_BOOT):
        batch = picked[i:i + PER_BOOT]
        mods = ["%s %s" % (path, verdict) for path, verdict in batch]
        with Boot(append="test=wasm_decode_modules", modules=mods, timeout=120) as b:
            code = b.wait_exit()
            assert code == EXIT_PASS, "batch %d: exit %s\n%s" % (i // PER_BOOT, code, b.serial[-4000:])
            assert "%d modules" % len(batch) in b.serial, b.serial[-2000:]


# Spec files whose commands the kernel runs (compiled code in ring 0):
# integer and float arithmetic, conversions, control flow, calls through
# tables, memory with its traps, and deep recursion ("call stack exhausted").
EXEC_FILES = ["i32", "i64", "f32", "f64", "conversions", "fac", "traps", "address",
              "memory_grow", "call", "call_indirect", "br_table", "loop", "select",
              "left-to-right", "func_ptrs", "global", "stack", "float_misc",
              "float_exprs", "bulk", "memory_trap", "int_exprs", "unwind"]


# SIMD files whose commands the kernel runs (v128 in ring 0, across
# preemption): every class of v128 instruction is among them.
SIMD_EXEC_FILES = ["simd_load", "simd_store", "simd_lane", "simd_splat", "simd_bitwise",
                   "simd_boolean", "simd_bit_shift", "simd_i8x16_arith", "simd_i8x16_sat_arith",
                   "simd_i16x8_arith", "simd_i16x8_q15mulr_sat_s", "simd_i32x4_arith",
                   "simd_i32x4_dot_i16x8", "simd_i64x2_arith", "simd_i64x2_cmp",
                   "simd_int_to_int_extend", "simd_f32x4_arith", "simd_f32x4", "simd_f64x2_arith",
                   "simd_f64x2_rounding", "simd_conversions", "simd_i32x4_trunc_sat_f32x4",
                   "simd_load_extend", "simd_load_splat", "simd_load8_lane", "simd_address"]


def test_spec_commands_run_in_kernel():
    run_in_kernel("core", EXEC_FILES, simd=False)


def test_simd_spec_commands_run_in_kernel():
    run_in_kernel("simd", SIMD_EXEC_FILES, simd=True)


def run_in_kernel(folder, files, simd):
    tmp = tempfile.mkdtemp(prefix="atoll-scripts-")
    mods, total = [], 0
    for name in files:
        path = os.path.join(SPEC, folder, name + ".json")
        assert os.path.exists(path), "%s is missing: run make spec-json" % path
        script, n = wasm_script.encode(path, simd=simd)
        out = os.path.join(tmp, name + ".script")
        with open(out, "wb") as f:
            f.write(script)
        mods.append("%s %s script" % (out, name))
        total += n
    assert len(mods) <= PER_BOOT
    with Boot(append="test=wasm_spec_script", modules=mods, memory="512M", timeout=300) as b:
        code = b.wait_exit()
        assert code == EXIT_PASS, "exit %s\n%s" % (code, b.serial[-5000:])
        counts = re.findall(r" script: (\d+) passed, (\d+) failed$", b.serial, re.M)
        assert len(counts) == len(mods), b.serial[-3000:]
        assert all(f == "0" for _, f in counts), b.serial[-3000:]
        ran = sum(int(p) for p, _ in counts)
        assert ran == total, "%d commands encoded, %d passed" % (total, ran)
