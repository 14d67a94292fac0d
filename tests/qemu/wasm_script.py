"""Encodes spec-suite commands (wast2json output) as a compact script that
the kernel's ktest wasm_spec_script runs: modules to instantiate and
invocations with their expected results or traps. The kernel has no JSON
parser and no file system; this is the boot module it reads.

Format (little-endian):
  "AWTS" u32 version=1, then records until op 0:
  op 1 module:  u32 len, len bytes of .wasm
  op 2 invoke:  u32 line, u16 len + name, u8 nargs, nargs x (u8 type, u64 bits),
                u8 expect (0 results, 1 trap, 2 anything but a trap: an action),
                results: u8 n, n x (u8 type, u8 pattern, u64 bits)
                         pattern 0 exact, 1 canonical NaN, 2 arithmetic NaN
                trap:    u16 len + the expected message
A v128 (type 0x7b) has two u64 words, low first, where others have bits;
as a result its pattern byte says what its lanes are (0 bits compared
exactly, 4 four f32 lanes, 2 two f64 lanes) and four lane patterns follow
it (NaN patterns as above, per lane; unused ones 0).
Only what the kernel's runner supports is encoded: modules without imports
(or importing only spectest, which the runner provides), no commands on
named or registered modules; v128 values only when asked (simd=True).
"""
import json
import os
import struct

TYPES = {"i32": 0x7f, "i64": 0x7e, "f32": 0x7d, "f64": 0x7c,
         "funcref": 0x70, "externref": 0x6f}


LANE_BITS = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64}


def _v128(v):
    """(0x7b, lane kind, lane patterns, 128-bit value) of a JSON v128."""
    width = LANE_BITS[v["lane_type"]]
    lanes = v["value"]
    floats = v["lane_type"] in ("f32", "f64")
    bits, pats = 0, []
    for i, lane in enumerate(lanes):
        if lane in ("nan:canonical", "nan:arithmetic"):
            pats.append(1 if lane == "nan:canonical" else 2)
            x = 0
        else:
            pats.append(0)
            x = int(lane) & ((1 << width) - 1)
        bits |= x << (width * i)
    kind = (4 if width == 32 else 2) if floats and any(pats) else 0
    pats = (pats + [0, 0, 0, 0])[:4] if kind else [0, 0, 0, 0]
    return (0x7b, kind, pats, bits)


def _value(v, simd=False):
    if v["type"] == "v128":
        return _v128(v) if simd else None
    t = TYPES.get(v["type"])
    if t is None:
        return None
    val = v.get("value")
    if isinstance(val, list):
        return None
    if val in ("nan:canonical", "nan:arithmetic"):
        return (t, 1 if val == "nan:canonical" else 2, 0)
    if val == "null":
        return (t, 0, 0)
    if v["type"] == "externref":
        # wast2json's host references: the runner passes them through as
        # opaque values, 1 + n so that none is null.
        return (t, 0, int(val) + 1)
    return (t, 0, int(val))


def _imports_ok(wasm):
    """True when every import of the module is from spectest."""
    # Parse just the import section (id 2) of the binary.
    pos = 8
    def leb(p):
        r = s = 0
        while True:
            b = wasm[p]
            p += 1
            r |= (b & 0x7f) << s
            s += 7
            if not b & 0x80:
                return r, p
    try:
        while pos < len(wasm):
            sid = wasm[pos]
            size, p = leb(pos + 1)
            if sid == 2:
                count, q = leb(p)
                for _ in range(count):
                    n, q = leb(q)
                    mod = wasm[q:q + n]
                    q += n
                    n, q = leb(q)
                    q += n
                    kind = wasm[q]
                    q += 1
                    if mod != b"spectest":
                        return False
                    if kind == 0:
                        _, q = leb(q)
                    elif kind == 1:
                        q += 1
                        flag = wasm[q]
                        _, q = leb(q + 1)
                        if flag & 1:
                            _, q = leb(q)
                    elif kind == 2:
                        flag = wasm[q]
                        _, q = leb(q + 1)
                        if flag & 1:
                            _, q = leb(q)
                    else:
                        q += 2
                return True
            pos = p + size
        return True
    except IndexError:
        return False


def _arg(value):
    if value[0] == 0x7b:
        bits = value[3]
        return struct.pack("<BQQ", 0x7b, bits & 0xffffffffffffffff, bits >> 64)
    t, _, bits = value
    return struct.pack("<BQ", t, bits & 0xffffffffffffffff)


def _result(value):
    if value[0] == 0x7b:
        _, kind, pats, bits = value
        return (struct.pack("<BB", 0x7b, kind) + bytes(pats) +
                struct.pack("<QQ", bits & 0xffffffffffffffff, bits >> 64))
    t, pat, bits = value
    return struct.pack("<BBQ", t, pat, bits & 0xffffffffffffffff)


def encode(json_path, limit=None, simd=False):
    """The script for one .json file, and how many invocations it holds."""
    folder = os.path.dirname(json_path)
    out = bytearray(b"AWTS" + struct.pack("<I", 1))
    invocations = 0
    usable = False
    for c in json.load(open(json_path))["commands"]:
        kind = c["type"]
        if kind == "module":
            if "filename" not in c or c.get("name"):
                usable = False
                continue
            wasm = open(os.path.join(folder, c["filename"]), "rb").read()
            usable = _imports_ok(wasm)
            if usable:
                out += struct.pack("<BI", 1, len(wasm)) + wasm
            continue
        if kind not in ("assert_return", "assert_trap", "assert_exhaustion", "action"):
            continue
        act = c.get("action", {})
        if not usable or act.get("type") != "invoke" or act.get("module"):
            continue
        args = [_value(a, simd) for a in act.get("args", [])]
        if any(a is None for a in args):
            continue
        name = act["field"].encode()
        rec = struct.pack("<BIH", 2, c["line"], len(name)) + name + struct.pack("<B", len(args))
        for a in args:
            rec += _arg(a)
        if kind == "action":
            rec += struct.pack("<B", 2)
        elif kind == "assert_return":
            exp = [_value(e, simd) for e in c.get("expected", [])]
            if any(e is None for e in exp):
                continue
            rec += struct.pack("<BB", 0, len(exp))
            for e in exp:
                rec += _result(e)
        else:
            text = c["text"].encode()
            rec += struct.pack("<BH", 1, len(text)) + text
        out += rec
        invocations += 1
        if limit and invocations >= limit:
            break
    out += b"\0"
    return bytes(out), invocations
