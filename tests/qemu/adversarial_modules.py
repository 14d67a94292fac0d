"""Hostile Wasm binaries for module_create (tests/qemu/test_hostile.py):
each must be refused with result 1, or instantiated within the limits,
and never hurt the kernel. Built here byte by byte: no tool makes them."""


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def section(sid, payload):
    return bytes([sid]) + leb(len(payload)) + payload


HEADER = b"\0asm\1\0\0\0"
TYPE_V_V = section(1, leb(1) + b"\x60\x00\x00")
FUNC_0 = section(3, leb(1) + leb(0))


def code(body, locals_=b"\x00"):
    fn = locals_ + body + b"\x0b"
    return section(10, leb(1) + leb(len(fn)) + fn)


def deep_nesting(depth=100000):
    return HEADER + TYPE_V_V + FUNC_0 + code(b"\x02\x40" * depth + b"\x0b" * depth)


def huge_type_count():
    return HEADER + section(1, leb(0xffffffff) + b"\x60\x00\x00")


def giant_locals():
    # one local declaration of 2^32-1 i32s
    return HEADER + TYPE_V_V + FUNC_0 + code(b"", locals_=leb(1) + leb(0xffffffff) + b"\x7f")


def many_local_groups():
    # 50000 groups of 1000 locals: 50 million locals in one function
    groups = leb(50000) + (leb(1000) + b"\x7f") * 50000
    return HEADER + TYPE_V_V + FUNC_0 + code(b"", locals_=groups)


def huge_memory():
    # valid: a memory of 65536 pages minimum; instantiating it must fail
    # within the component's page limit, not take the machine
    return HEADER + section(5, leb(1) + b"\x00" + leb(65536))


def huge_table():
    return HEADER + section(4, leb(1) + b"\x70\x00" + leb(10000000))


def section_past_end():
    return HEADER + bytes([1]) + leb(0x7fffffff) + b"\x60"


V128_ZERO = b"\xfd\x0c" + bytes(16)


def v128_locals():
    # one declaration of 2^32-1 v128 locals: 16 bytes each in the frame
    return HEADER + TYPE_V_V + FUNC_0 + code(b"", locals_=leb(1) + leb(0xffffffff) + b"\x7b")


def v128_const_cut():
    # v128.const with 5 of its 16 bytes, at the end of the code section
    fn = b"\x00" + b"\xfd\x0c" + bytes(5)
    return HEADER + TYPE_V_V + FUNC_0 + section(10, leb(1) + leb(len(fn) + 11) + fn)


def shuffle_lane_32():
    # i8x16.shuffle naming byte 32 of the two operands' 32
    lanes = bytes(range(15)) + b"\x20"
    return HEADER + TYPE_V_V + FUNC_0 + code(V128_ZERO * 2 + b"\xfd\x0d" + lanes + b"\x1a")


def extract_lane_16():
    # i8x16.extract_lane_s 16: one past the last lane
    return HEADER + TYPE_V_V + FUNC_0 + code(V128_ZERO + b"\xfd\x15\x10" + b"\x1a")


def truncated(n):
    good = HEADER + TYPE_V_V + FUNC_0 + code(b"\x41\x01\x1a")
    return good[:n]


def all_modules():
    """(name, bytes) pairs, and whether the module is valid (then adding
    it must fail on resources, not on validation)."""
    mods = [("deep", deep_nesting()), ("types", huge_type_count()),
            ("locals", giant_locals()), ("groups", many_local_groups()),
            ("bigmem", huge_memory()), ("bigtable", huge_table()),
            ("past", section_past_end()), ("vlocals", v128_locals()),
            ("vcut", v128_const_cut()), ("vshuffle", shuffle_lane_32()),
            ("vlane", extract_lane_16())]
    good = HEADER + TYPE_V_V + FUNC_0 + code(b"\x41\x01\x1a")
    for n in (9, 12, 15, 20, len(good) - 1):
        mods.append(("cut%d" % n, truncated(n)))
    return mods


def many_functions(n=60000):
    """n empty functions: small to send, long to compile (a victim that
    loops on module_create spends its time in the kernel's compiler)."""
    body = leb(2) + b"\x00\x0b"
    return (HEADER + TYPE_V_V + section(3, leb(n) + b"\x00" * n) +
            section(10, leb(n) + body * n))
