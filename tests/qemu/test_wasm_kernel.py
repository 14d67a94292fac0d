"""The engine's front end in the kernel: spec-suite modules passed as boot
modules are decoded and validated by the kernel (ktest wasm_decode_modules)
with the verdict the suite expects. The same modules and verdicts run on
Linux through atoll-spec; here the point is the same code in ring 0."""
import json
import os

from atollqemu import BUILD, EXIT_PASS, Boot

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
