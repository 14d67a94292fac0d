#!/usr/bin/env python3
"""Differential test of the SIMD compiler (every v128 instruction of Wasm
2.0) against V8: generated modules run under node, whose results become
the expectations Atoll must meet through atoll-spec.

    tests/runtime/simd_diff.py ATOLL_SPEC [--seeds 1,2,...] [--dir DIR]
                               [--self-test] [-v]

For each seed three modules are generated, each with its arguments from
its own Random(3 * seed + k), so a seed names the same modules and
arguments on every run and machine:
  int    every integer and bitwise instruction, splats, lanes, 58
         shuffle patterns, with operands in v128 locals, fresh registers,
         memory, block results and constants, the same operand on both
         sides, constant and variable shift counts, any_true/all_true
         feeding if and br_if, and deep operand stacks that spill;
         random lanes, and lanes at the edges (limits, -1, 0) paired;
  float  every f32x4/f64x2 instruction and trunc_sat in the same operand
         forms, on special values (NaNs of both kinds, infinities, signed
         zeros, subnormals, conversion limits, halves), then random
         typed expression trees over vectors and scalars (deep chains
         that spill, calls, local.tee, scalars in general and xmm
         registers);
  mem    every load and store width (v128, extending, splat, zero, lane)
         with constant, parameter and computed addresses, offsets and
         alignment hints, in the middle of memory and at its end, where
         some trap (and 32-bit address overflow must trap, not wrap).
Every generated module is checked to name each SIMD instruction of
wasm/core/opcodes.def (all 236), so a generator cannot silently lose one.

Each test function f<i> takes and returns any scalars or v128s. atoll-spec
calls it directly (its JSON carries v128 arguments and results); node
cannot, so it calls a wrapper w<i> that loads the arguments from memory
and stores the results there (simd_diff.mjs). The memory node uses for
that (page 1) is touched by no test function.

Comparison: integers and integer lanes bit for bit; float lanes and
scalars bit for bit unless V8's value is a quiet NaN, which becomes
nan:arithmetic (any quiet NaN, any sign and payload). Where a NaN comes
from arithmetic the spec allows any arithmetic NaN (the canonical NaN of
either sign when every input NaN is canonical), and a random tree cannot
tell which of the two rules applies to a lane, so V8's particular NaN
proves nothing more than "a quiet NaN". That is looser than the spec in
the all-canonical case, which the spec suite's simd tests and
tests/runtime/fuzz_arith_nan.wat check instead. A signalling NaN can only
come from instructions that move bits (splat, lanes, abs, neg, loads,
const), which must keep it, so it is compared exactly. No generator
reinterprets a computed float as integers, where a NaN's free bits would
show. A trap under V8 expects the same trap (assert_trap).

A mismatch prints the seed, module, function (its instruction and operand
form), the arguments, V8's value and Atoll's. The files stay in DIR
(default build/simd-diff): sSEED/{int,float,mem}.wat, .wasm, and
sSEED/atoll.json, which `atoll-spec -v` runs alone.
--self-test then corrupts a few expectations of the first seed (an
integer, a float lane, a trap) and checks that exactly those fail.
The last line is "N passed, M failed"; the exit status is 1 on any
failure.
"""
import argparse, json, os, random, re, struct, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SEEDS = [1, 2, 3, 4, 5, 6]

PAGE = 65536
MEM_END = 2 * PAGE          # every module: (memory 2)
ARG = PAGE                  # node's argument area: 16 bytes a parameter
RES = PAGE + 1024           # node's result area: 16 bytes a result
OOB_TEXT = "out of bounds memory access"
M64 = (1 << 64) - 1
WIDTH_OF = {"i32": 32, "i64": 64, "f32": 32, "f64": 64, "v128": 128}


class Module:
    """Test functions, the argument lists to call them with, and the WAT.

    A result is (type, lanes): lanes, for a v128, is how it is compared
    ("i64" bit for bit, "f32"/"f64" float lanes with the NaN rule)."""

    def __init__(self, name, head=""):
        self.name, self.head = name, head
        self.funcs = []      # (label, params, results, text)
        self.cases = []      # (function index, [argument bits])

    def add(self, label, params, results, body, pnames=None, local_decl=""):
        i = len(self.funcs)
        ps = " ".join(f"(param ${n} {t})" for n, t in zip(pnames, params)) if pnames \
            else " ".join(f"(param {t})" for t in params)
        rs = " ".join(t for t, _ in results)
        text = (f'(func $f{i} (export "f{i}") {ps} (result {rs}) {local_decl}\n  {body})\n'
                + self.wrapper(i, params, results))
        self.funcs.append((label, params, results, text))
        return i

    @staticmethod
    def wrapper(i, params, results):
        loads = " ".join(f"({t}.load (i32.const {ARG + 16 * k}))" for k, t in enumerate(params))
        locs = " ".join(t for t, _ in results)
        sets = " ".join(f"(local.set {k})" for k in reversed(range(len(results))))
        stores = " ".join(f"({t}.store (i32.const {RES + 16 * k}) (local.get {k}))"
                          for k, (t, _) in enumerate(results))
        return f'(func (export "w{i}") (local {locs}) (call $f{i} {loads}) {sets} {stores})'

    def case(self, f, args):
        self.cases.append((f, args))

    def wat(self):
        return "\n".join([f'(module (memory (export "mem") 2)', self.head]
                         + [text for *_, text in self.funcs] + [")"])


def v128_of_i64(lo, hi):
    return (lo & M64) | ((hi & M64) << 64)


def lanes_of(bits, w):
    return [(bits >> (w * k)) & ((1 << w) - 1) for k in range(128 // w)]


def const_v128(bits):
    return "(v128.const i64x2 0x%x 0x%x)" % (bits & M64, bits >> 64)


def wat_bytes(b):
    """Bytes as a WAT string literal."""
    return "".join("\\%02x" % x for x in b)


# ---------------------------------------------------------------- int

INT_BIN = """v128.and v128.or v128.xor v128.andnot
i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
i8x16.add i16x8.add i32x4.add i64x2.add i8x16.sub i16x8.sub i32x4.sub i64x2.sub
i8x16.add_sat_s i8x16.add_sat_u i8x16.sub_sat_s i8x16.sub_sat_u
i16x8.add_sat_s i16x8.add_sat_u i16x8.sub_sat_s i16x8.sub_sat_u
i16x8.mul i32x4.mul i64x2.mul
i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u
i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i8x16.avgr_u i16x8.avgr_u
i32x4.dot_i16x8_s i16x8.q15mulr_sat_s i8x16.swizzle
i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u""".split()
INT_UN = """v128.not i8x16.abs i16x8.abs i32x4.abs i64x2.abs i8x16.neg i16x8.neg i32x4.neg i64x2.neg
i8x16.popcnt
i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u""".split()
INT_TO_I32 = """v128.any_true i8x16.all_true i16x8.all_true i32x4.all_true i64x2.all_true
i8x16.bitmask i16x8.bitmask i32x4.bitmask i64x2.bitmask""".split()
SHIFTS = [f"{s}.{o}" for s in ("i8x16", "i16x8", "i32x4", "i64x2") for o in ("shl", "shr_s", "shr_u")]
SHAPE_WIDTH = {"i8x16": 8, "i16x8": 16, "i32x4": 32, "i64x2": 64}
SHAPE_LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2}

EDGE64 = [0, 1, M64, 1 << 63, (1 << 63) - 1, 0x8000000080000000, 0x7fffffff7fffffff,
          0x8080808080808080, 0x7f7f7f7f7f7f7f7f, 0x8000800080008000, 0x7fff7fff7fff7fff,
          0xff00ff00ff00ff00, 0x00000000ffffffff, 0xffffffff00000000, 0x0f0f0f0f0f0f0f0f,
          0x0001000100010001]
SHIFT_COUNTS = [0, 1, 3, 7, 8, 9, 15, 16, 31, 33, 63, 64, 65, -1]


def r64(R):
    """64 bits biased to the lanes' edges: saturation, sign and overflow."""
    k = R.randrange(4)
    if k == 0:
        return R.choice(EDGE64)
    if k == 1:      # a mix of edge bytes
        return sum(R.choice([0, 0xff, 0x80, 0x7f, 1, 0x10, 0x0f, R.randrange(256)]) << (8 * i)
                   for i in range(8))
    if k == 2:      # small signed 16-bit values (multiplies, narrowing, q15)
        return sum((R.randrange(-40, 40) & 0xffff) << (16 * i) for i in range(4))
    return R.getrandbits(64)


def opnd(name, form, consts):
    """A v128 operand in one of the places the compiler can find it:
    L a local, X a fresh register, M a block's result (spilled at the block
    end), D memory, C a constant."""
    if form == "L":
        return f"(local.get ${name})"
    if form == "X":
        return f"(v128.or (local.get ${name}) (local.get $z))"
    if form == "M":
        return f"(block (result v128) (br_if 0 (v128.or (local.get ${name}) (local.get $z)) (i32.const 1)))"
    if form == "C":
        return const_v128(consts[name])
    return f"(v128.load offset={ {'a': 0, 'b': 16, 'c': 32}[name] } (i32.const 0))"


def gen_int(R):
    m = Module("int")
    # Params: three vectors as i64 halves, and an i32 (shift count, scalar).
    # They become locals $a $b $c and memory 0..47 (the D form).
    pre = """(local $a v128) (local $b v128) (local $c v128) (local $z v128) (local $r v128)
  (local.set $a (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
  (local.set $b (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (local.get 3)))
  (local.set $c (i64x2.replace_lane 1 (i64x2.splat (local.get 4)) (local.get 5)))
  (v128.store (i32.const 0) (local.get $a))
  (v128.store (i32.const 16) (local.get $b))
  (v128.store (i32.const 32) (local.get $c))
  """
    # The result leaves through a local and two extract_lanes, as i64s.
    post = "(local.set $r) (i64x2.extract_lane 0 (local.get $r)) (i64x2.extract_lane 1 (local.get $r))"
    params = ["i64"] * 6 + ["i32"]
    II, I32, I64 = [("i64", None)] * 2, [("i32", None)], [("i64", None)]

    def add(label, expr, res):
        m.add(label, params, res, pre + expr)

    def consts():
        return {n: v128_of_i64(r64(R), r64(R)) for n in "abc"}

    for op in INT_BIN:
        for f in ["LL", "XX", "XL", "LX", "DD", "DX", "MM", "LM", "ML", "LC", "CX", "CC"]:
            c = consts()
            add(f"{op}/{f}", f"({op} {opnd('a', f[0], c)} {opnd('b', f[1], c)}) {post}", II)
        add(f"{op}/same", f"({op} (local.get $a) (local.get $a)) {post}", II)
    for op in INT_UN:
        for f in "LXDMC":
            add(f"{op}/{f}", f"({op} {opnd('a', f, consts())}) {post}", II)
    for f in ["LLL", "XXX", "DLX", "LDD", "MMM", "LML", "LLC", "CXL"]:
        c = consts()
        add(f"v128.bitselect/{f}", f"(v128.bitselect {opnd('a', f[0], c)} {opnd('b', f[1], c)} "
            f"{opnd('c', f[2], c)}) {post}", II)
    for op in INT_TO_I32:
        for f in "LXDMC":
            x = opnd("a", f, consts())
            add(f"{op}/{f}", f"({op} {x})", I32)
            # Fused with a branch: the flags, not a 0/1 value.
            add(f"{op}/{f}/if", f"(if (result i32) ({op} {x}) (then (i32.const 7)) (else (i32.const 9)))", I32)
            add(f"{op}/{f}/br_if", f"(block (result i32) (drop (br_if 0 (i32.const 5) ({op} {x}))) (i32.const 6))", I32)
    for op in SHIFTS:
        w = SHAPE_WIDTH[op.split(".")[0]]
        for f in "LXDMC":
            add(f"{op}/{f}/var", f"({op} {opnd('a', f, consts())} (local.get 6)) {post}", II)
        for k in sorted({0, 1, 2, w - 1, w, w + 1, 2 * w + 3, 37, -1, -w, 0x7fffffff}):
            add(f"{op}/const{k}", f"({op} (local.get $a) (i32.const {k})) {post}", II)
    for shape, n in SHAPE_LANES.items():
        sc = "i64" if shape == "i64x2" else "i32"
        # A scalar that lives in an xmm register (a reinterpreted float load).
        xs = ("(i64.reinterpret_f64 (f64.load (i32.const 8)))" if sc == "i64"
              else "(i32.reinterpret_f32 (f32.load (i32.const 4)))")
        s = "(local.get 0)" if sc == "i64" else "(local.get 6)"
        add(f"{shape}.splat/xreg", f"({shape}.splat {xs}) {post}", II)
        for l in range(n):
            add(f"{shape}.replace_lane {l}/xreg", f"({shape}.replace_lane {l} (local.get $b) {xs}) {post}", II)
        for f, v in [("local", None), ("const0", 0), ("const1", 1), ("constm1", -1),
                     ("constbig", 0x12345678 if sc == "i32" else 0x123456789abcdef0)]:
            add(f"{shape}.splat/{f}", f"({shape}.splat {s if v is None else f'({sc}.const {v})'}) {post}", II)
        for l in range(n):
            exts = [f"{shape}.extract_lane_s", f"{shape}.extract_lane_u"] if n > 4 else [f"{shape}.extract_lane"]
            for e in exts:
                for f in "LXDMC":
                    add(f"{e} {l}/{f}", f"({e} {l} {opnd('a', f, consts())})", I64 if sc == "i64" else I32)
            for f in "LXC":
                add(f"{shape}.replace_lane {l}/{f}",
                    f"({shape}.replace_lane {l} {opnd('a', f, consts())} {s}) {post}", II)
            add(f"{shape}.replace_lane {l}/const", f"({shape}.replace_lane {l} (local.get $a) ({sc}.const -3)) {post}", II)
            add(f"{shape}.replace_lane {l}/computed",
                f"({shape}.replace_lane {l} (local.get $a) ({sc}.add {s} ({sc}.const 1))) {post}", II)
    for i, p in enumerate(shuffle_patterns(R)):
        for f in ["LL", "XX", "DL", "same", "MX", "CL", "LC"]:
            c = consts()
            x, y = ((opnd("a", f[0], c), opnd("b", f[1], c)) if f != "same"
                    else ("(local.get $a)", "(local.get $a)"))
            add(f"i8x16.shuffle {' '.join(map(str, p))}/{f}", f"(i8x16.shuffle {' '.join(map(str, p))} {x} {y}) {post}", II)

    # Register pressure: many live vectors, then folded with xor.
    def pressure(tag, exprs):
        add(f"pressure/{tag}", " ".join(exprs) + " " + " ".join(["v128.xor"] * (len(exprs) - 1)) + " " + post, II)
    ops = INT_BIN[:]
    R.shuffle(ops)
    for t in range(4):
        pressure(f"binary{t}", [f"({op} (v128.xor (local.get $a) (i64x2.splat (i64.const {j * 0x0123456789}))) (local.get $b))"
                                for j, op in enumerate(ops[t * 20:(t + 1) * 20])])
    pressure("unary", [f"({op} (v128.xor (local.get $a) (i64x2.splat (i64.const {j}))))" for j, op in enumerate(INT_UN)])
    pressure("shifts", [f"({op} (v128.xor (local.get $a) (i64x2.splat (i64.const {j}))) (i32.add (local.get 6) (i32.const {j})))"
                        for j, op in enumerate(SHIFTS)])

    for f, (label, *_) in enumerate(m.funcs):
        w = lane_width(label)
        for k in range(5):
            count = R.choice(SHIFT_COUNTS + [R.getrandbits(31)]) & 0xffffffff
            if k < 3:
                m.case(f, [r64(R) for _ in range(6)] + [count])
            else:
                m.case(f, edge_vectors(R, w) + [count])
    return m


def lane_width(label):
    """The width of the lanes an instruction reads (i32x4.dot_i16x8_s: 16)."""
    mt = re.search(r"i(8|16|32|64)x\d+_", label) or re.match(r"i(8|16|32|64)x", label)
    return int(mt.group(1)) if mt else 8


def edge_vectors(R, w):
    """Three vectors as six i64 halves whose w-bit lanes are edges (0, 1,
    -1, the signed limits and their neighbours), each lane of the second
    and third equal to the first's half the time: the pairs that overflow
    or saturate (-32768 * -32768 in q15mulr) need both operands at an
    edge in the same lane, too rare among independent random values."""
    edges = [0, 1, 2, (1 << (w - 1)) - 1, 1 << (w - 1), (1 << (w - 1)) + 1, (1 << w) - 1, (1 << w) - 2]
    a = [R.choice(edges) for _ in range(128 // w)]
    vecs = [a] + [[x if R.random() < 0.5 else R.choice(edges) for x in a] for _ in range(2)]
    out = []
    for v in vecs:
        bits = sum(x << (w * k) for k, x in enumerate(v))
        out += [bits & M64, bits >> 64]
    return out


def shuffle_patterns(R):
    """Identity, the other operand, broadcasts, reversal, even/odd, every
    unpack (punpck*), byte rotations (palignr), dword shuffles
    (pshufd/shufps shapes), then random ones."""
    pats = [list(range(16)), list(range(16, 32)), [0] * 16, [31] * 16, list(range(15, -1, -1)),
            [i * 2 for i in range(16)], [i * 2 + 1 for i in range(16)], list(range(8, 24))]

    def unpack(e, h, swap):
        db, sb = (16, 0) if swap else (0, 16)
        return [((sb if (k // e) & 1 else db) + (h * (8 // e) + (k // e) // 2) * e + k % e) for k in range(16)]
    for e in (1, 2, 4, 8):
        for h in (0, 1):
            for sw in (0, 1):
                pats.append(unpack(e, h, sw))
    for n in (1, 4, 8, 15):
        pats.append([n + k for k in range(16)])
        pats.append([(16 + n + k) % 32 for k in range(16)])
    for qs in ([1, 0, 3, 2], [3, 3, 3, 3], [0, 2, 1, 3], [4, 5, 6, 7], [7, 6, 5, 4], [0, 1, 4, 5], [1, 3, 6, 4],
               [5, 4, 2, 3], [6, 6, 1, 1], [0, 5, 2, 7], [4, 1, 6, 3], [2, 3, 6, 7]):
        pats.append([4 * q + b for q in qs for b in range(4)])
    pats += [[R.randrange(32) for _ in range(16)] for _ in range(12)]
    pats.append([R.randrange(16) for _ in range(16)])
    pats.append([16 + R.randrange(16) for _ in range(16)])
    return pats


# -------------------------------------------------------------- float

F32S = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000,
        0x7f800001, 0x7fc00001, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000,
        0xbfc00000, 0x4f000000, 0x4effffff, 0x4f800000, 0x4f7fffff, 0xcf000000, 0xcf000001,
        0x00000001, 0x80000001, 0x007fffff, 0x7f7fffff, 0xff7fffff, 0x4b000000, 0x4b800001,
        0xbf7fffff, 0x3effffff, 0xbeffffff, 0xbf000000, 0x40600000]
F64S = [0, 1 << 63, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
        0xfff8000000000000, 0x7ff4000000000000, 0x7ff0000000000001, 0x3ff0000000000000,
        0xbff0000000000000, 0x3fe0000000000000, 0x3ff8000000000000, 0x41dfffffffc00000,
        0x41e0000000000000, 0x41efffffffe00000, 0x41f0000000000000, 0xc1e0000000000000,
        0xc1e0000000200000, 0xc1e0000000100000, 0x41dfffffffe00000, 0x41efffffffc00000,
        0x0000000000000001, 0x800fffffffffffff, 0x7fefffffffffffff, 0x4330000000000000,
        0x3fefffffffffffff, 0xbfefffffffffffff, 0x41efffffffffffff, 0xbfe0000000000000,
        0x4004000000000000, 0x36a0000000000000, 0x47efffffe0000000, 0x47f0000000000000]
I32S = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x80000001, 0xffff, 0x10000, 0x1000001,
        0xfffffffe, 0x7fffff80, 0x7fffffc0, 0xffffff7f]

FBIN = ["add", "sub", "mul", "div", "min", "max", "pmin", "pmax"]
FUN = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]
FCMP = ["eq", "ne", "lt", "gt", "le", "ge"]


class FloatValues:
    """Bit patterns: the edges (NaNs of both kinds, infinities, zeros,
    subnormals, the limits of the integer conversions, halves for
    rounding) or random numbers."""

    def __init__(self, R):
        self.R = R

    def f32(self):
        R = self.R
        if R.random() < 0.6:
            return R.choice(F32S)
        if R.random() < 0.5:
            return struct.unpack("<I", struct.pack("<f", R.uniform(-5e9, 5e9)))[0]
        return R.getrandbits(32)

    def f64(self):
        R = self.R
        if R.random() < 0.6:
            return R.choice(F64S)
        if R.random() < 0.5:
            return struct.unpack("<Q", struct.pack("<d", R.uniform(-5e9, 5e9)))[0]
        return R.getrandbits(64)

    def i32(self):
        return self.R.choice(I32S) if self.R.random() < 0.5 else self.R.getrandbits(32)

    def vec(self, kind):
        """A v128 whose lanes are of kind f32, f64 or i32."""
        if kind == "f64":
            return self.f64() | self.f64() << 64
        g = self.f32 if kind == "f32" else self.i32
        return sum(g() << (32 * k) for k in range(4))

    def pair(self, kind):
        """Two vectors whose lanes are often related: the same value, the
        same with the other sign (min/max/pmin/pmax of -0 and +0), or both
        special. Independent random lanes would rarely meet that way."""
        R = self.R
        w = 64 if kind == "f64" else 32
        sign = 1 << (w - 1)
        # 0, -0, +inf, -inf, the canonical NaN
        special = ([0, sign, 0x7f800000, 0xff800000, 0x7fc00000] if w == 32 else
                   [0, sign, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000])
        a, b = self.vec(kind), self.vec(kind)
        out = 0
        for k in range(128 // w):
            x, y = lanes_of(a, w)[k], lanes_of(b, w)[k]
            r = R.random()
            if r < 0.15:
                y = x
            elif r < 0.3:
                y = x ^ sign
            elif r < 0.4 and kind != "i32":
                x, y = R.choice(special), R.choice(special)
            out |= y << (w * k)
            a = a & ~(((1 << w) - 1) << (w * k)) | x << (w * k)
        return a, out


def gen_float_ops(R, m):
    """Every float instruction in the operand forms of the int module."""
    V = FloatValues(R)
    pnames = ["a", "b", "s", "d"]
    params = ["v128", "v128", "f32", "f64"]
    pre = "(v128.store (i32.const 0) (local.get $a)) (v128.store (i32.const 16) (local.get $b))\n  "
    locs = "(local $z v128) (local $r v128)"
    funcs = []      # (function index, kind of input lanes)

    def add(label, res, body, kind):
        funcs.append((m.add(label, params, res, pre + body, pnames, locs), kind))

    def cval(kind):
        return {"a": V.vec(kind), "b": V.vec(kind), "c": 0}

    for sh, fl in (("f32x4", "f32"), ("f64x2", "f64")):
        vres = [("v128", fl)]
        mres = [("v128", "i64")]         # compare masks are exact
        for op in FUN:
            for f in "LXDMC":
                add(f"{sh}.{op}/{f}", vres, f"({sh}.{op} {opnd('a', f, cval(fl))})", fl)
        for op in FBIN + FCMP:
            for f in ["LL", "XX", "XL", "LX", "DD", "DX", "MM", "LM", "ML", "LC", "CX", "CC", "same"]:
                if f == "same":
                    x, y = "(local.get $a)", "(local.get $a)"
                else:
                    c = cval(fl)
                    x, y = opnd("a", f[0], c), opnd("b", f[1], c)
                add(f"{sh}.{op}/{f}", mres if op in FCMP else vres, f"({sh}.{op} {x} {y})", fl)
        convs = ([("f32x4.convert_i32x4_s", "i32", vres), ("f32x4.convert_i32x4_u", "i32", vres),
                  ("f32x4.demote_f64x2_zero", "f64", vres), ("i32x4.trunc_sat_f32x4_s", "f32", mres),
                  ("i32x4.trunc_sat_f32x4_u", "f32", mres)] if sh == "f32x4" else
                 [("f64x2.convert_low_i32x4_s", "i32", vres), ("f64x2.convert_low_i32x4_u", "i32", vres),
                  ("f64x2.promote_low_f32x4", "f32", vres), ("i32x4.trunc_sat_f64x2_s_zero", "f64", mres),
                  ("i32x4.trunc_sat_f64x2_u_zero", "f64", mres)])
        for op, kind, res in convs:
            for f in "LXDMC":
                add(f"{op}/{f}", res, f"({op} {opnd('a', f, cval(kind))})", kind)
        scal = "(local.get $s)" if fl == "f32" else "(local.get $d)"
        # A scalar in a general register, a constant, and a fresh xmm value.
        scalars = {"param": scal,
                   "const": f"({fl}.reinterpret_i{fl[1:]} (i{fl[1:]}.const 0x%x))" % (V.f32() if fl == "f32" else V.f64()),
                   "load": f"({fl}.load (i32.const 16))",
                   "computed": f"({fl}.neg {scal})"}
        for f, x in scalars.items():
            add(f"{sh}.splat/{f}", vres, f"({sh}.splat {x})", fl)
        for l in range(4 if fl == "f32" else 2):
            for f in "LXDMC":
                add(f"{sh}.extract_lane {l}/{f}", [(fl, fl)], f"({sh}.extract_lane {l} {opnd('a', f, cval(fl))})", fl)
            for f in "LXC":
                for sf, x in scalars.items():
                    add(f"{sh}.replace_lane {l}/{f}/{sf}", vres,
                        f"({sh}.replace_lane {l} {opnd('a', f, cval(fl))} {x})", fl)
    for f, kind in funcs:
        for _ in range(4):
            m.case(f, [*V.pair(kind), V.f32(), V.f64()])


class Trees:
    """Random typed expression trees over f32x4 (F4), f64x2 (D2), i32x4
    masks (I4) and f32/f64 scalars: operands come from anywhere in the
    compiler's value states, and chains keep a deep stack (spills)."""
    PARAM = {"F4": 0, "D2": 1, "I4": 2, "f": 3, "d": 4}

    def __init__(self, R):
        self.R, self.V = R, FloatValues(R)

    def leaf(self, t):
        R = self.R
        r = R.random()
        if r < 0.5 or t in "fd" and r < 0.7:
            return "(local.get %d)" % self.PARAM[t]
        if t in ("F4", "D2", "I4") and r < 0.6:
            # A v128 local: zero, or what a local.tee left in it.
            return "(local.get %d)" % (5 + ["F4", "D2", "I4"].index(t))
        if t == "f":
            return "(f32.reinterpret_i32 (i32.const 0x%x))" % self.V.f32()
        if t == "d":
            return "(f64.reinterpret_i64 (i64.const 0x%x))" % self.V.f64()
        return const_v128(self.V.vec({"F4": "f32", "D2": "f64", "I4": "i32"}[t]))

    def e(self, t, depth):
        R = self.R
        if depth <= 0 or R.random() < 0.12:
            return self.leaf(t)
        s = self.inner(t, depth - 1)
        if R.random() < 0.08 and t in ("F4", "D2", "I4"):
            return "(local.tee %d %s)" % (5 + ["F4", "D2", "I4"].index(t), s)
        if R.random() < 0.05:
            return "(call $id_%s %s)" % (t, s)
        return s

    def chain(self, t, n):
        """Right-leaning: every left operand stays live while the right one
        is computed, so the operand stack gets n deep."""
        R = self.R
        if n == 0:
            return self.e(t, 2)
        if t == "F4":
            op = R.choice(FBIN + ["eq", "gt"])
            if op in ("eq", "gt"):
                return "(f32x4.min (f32x4.convert_i32x4_s (f32x4.%s %s %s)) %s)" % (
                    op, self.e("F4", 2), self.e("F4", 2), self.chain(t, n - 1))
            return "(f32x4.%s %s %s)" % (op, self.e("F4", 2), self.chain(t, n - 1))
        return "(f64x2.%s %s %s)" % (R.choice(FBIN), self.e("D2", 2), self.chain(t, n - 1))

    def inner(self, t, d):
        R, e = self.R, self.e
        if t in ("F4", "D2") and d >= 3 and R.random() < 0.03:
            return self.chain(t, R.randrange(8, 24))
        if t == "F4":
            k = R.randrange(8)
            if k < 3: return "(f32x4.%s %s %s)" % (R.choice(FBIN), e("F4", d), e("F4", d))
            if k < 5: return "(f32x4.%s %s)" % (R.choice(FUN), e("F4", d))
            if k == 5: return R.choice(["(f32x4.splat %s)" % e("f", d),
                                        "(f32x4.replace_lane %d %s %s)" % (R.randrange(4), e("F4", d), e("f", d))])
            if k == 6: return "(f32x4.convert_i32x4_%s %s)" % (R.choice("su"), e("I4", d))
            return "(f32x4.demote_f64x2_zero %s)" % e("D2", d)
        if t == "D2":
            k = R.randrange(8)
            if k < 3: return "(f64x2.%s %s %s)" % (R.choice(FBIN), e("D2", d), e("D2", d))
            if k < 5: return "(f64x2.%s %s)" % (R.choice(FUN), e("D2", d))
            if k == 5: return R.choice(["(f64x2.splat %s)" % e("d", d),
                                        "(f64x2.replace_lane %d %s %s)" % (R.randrange(2), e("D2", d), e("d", d))])
            if k == 6: return "(f64x2.convert_low_i32x4_%s %s)" % (R.choice("su"), e("I4", d))
            return "(f64x2.promote_low_f32x4 %s)" % e("F4", d)
        if t == "I4":
            # Only instructions whose integer results no NaN bit can reach.
            k = R.randrange(4)
            if k == 0: return "(f32x4.%s %s %s)" % (R.choice(FCMP), e("F4", d), e("F4", d))
            if k == 1: return "(f64x2.%s %s %s)" % (R.choice(FCMP), e("D2", d), e("D2", d))
            if k == 2: return "(i32x4.trunc_sat_f32x4_%s %s)" % (R.choice("su"), e("F4", d))
            return "(i32x4.trunc_sat_f64x2_%s_zero %s)" % (R.choice("su"), e("D2", d))
        w = "f32" if t == "f" else "f64"
        if R.random() < 0.25:
            return "(%s.%s %s)" % (w, R.choice(["abs", "neg"]), e(t, d))
        k = R.randrange(3)
        if t == "f":
            if k == 0: return "(f32x4.extract_lane %d %s)" % (R.randrange(4), e("F4", d))
            if k == 1: return "(f32.add %s %s)" % (e("f", d), e("f", d))
            return "(f32.demote_f64 %s)" % e("d", d)
        if k == 0: return "(f64x2.extract_lane %d %s)" % (R.randrange(2), e("D2", d))
        if k == 1: return "(f64.mul %s %s)" % (e("d", d), e("d", d))
        return "(f64.promote_f32 %s)" % e("f", d)


TREE_RESULT = {"F4": ("v128", "f32"), "D2": ("v128", "f64"), "I4": ("v128", "i64"),
               "f": ("f32", "f32"), "d": ("f64", "f64")}


def gen_float(R, ntrees):
    m = Module("float", "\n".join(["(func $id_%s (param v128) (result v128) (local.get 0))" % t
                                   for t in ("F4", "D2", "I4")]
                                  + ["(func $id_f (param f32) (result f32) (local.get 0))",
                                     "(func $id_d (param f64) (result f64) (local.get 0))"]))
    gen_float_ops(R, m)
    g = Trees(R)
    V = g.V
    for _ in range(ntrees):
        t = R.choice(["F4", "D2", "I4", "F4", "D2", "f", "d"])
        body = g.e(t, R.randrange(2, 16))
        root = re.match(r"\((\S+)", body)
        f = m.add(f"tree ({root.group(1) if root else body})", ["v128", "v128", "v128", "f32", "f64"],
                  [TREE_RESULT[t]], body, local_decl="(local v128 v128 v128)")
        for _ in range(6):
            m.case(f, [V.vec("f32"), V.vec("f64"), V.vec("i32"), V.f32(), V.f64()])
    return m


# ---------------------------------------------------------------- mem

DATA = 4096                 # bytes 0..4095: a data segment nothing writes
SCRATCH = 8192              # 64 bytes each store test fills, stores into, reads
TAIL = MEM_END - 64         # the last 64 bytes, filled by each test of them
LOADS = [("v128.load", 16, 4), ("v128.load8x8_s", 8, 3), ("v128.load8x8_u", 8, 3),
         ("v128.load16x4_s", 8, 3), ("v128.load16x4_u", 8, 3), ("v128.load32x2_s", 8, 3),
         ("v128.load32x2_u", 8, 3), ("v128.load8_splat", 1, 0), ("v128.load16_splat", 2, 1),
         ("v128.load32_splat", 4, 2), ("v128.load64_splat", 8, 3), ("v128.load32_zero", 4, 2),
         ("v128.load64_zero", 8, 3)]
LANE_MEM = [(8, 16, 0), (16, 8, 1), (32, 4, 2), (64, 2, 3)]     # bits, lanes, log2 align


def gen_mem(R):
    data = bytes(R.choice([0, 0xff, 0x80, 0x7f, 1, R.randrange(256)]) if R.random() < 0.3
                 else R.randrange(256) for _ in range(DATA))
    m = Module("mem", f'(data (i32.const 0) "{wat_bytes(data)}")')
    params = ["i32", "v128"]        # an address, a vector
    V1 = [("v128", "i64")]
    V4 = V1 * 4

    def memarg(offset, align_log2):
        return f"offset={offset} align={1 << align_log2}"

    def fill(base):
        """Makes the test independent of what ran before in its area."""
        return " ".join(f"(v128.store (i32.const {base + 16 * k}) {const_v128(R.getrandbits(128))})"
                        for k in range(4)) + "\n  "

    def readback(base):
        return " ".join(f"(v128.load (i32.const {base + 16 * k}))" for k in range(4))

    def pick_offset(width):
        return R.choice([0, 0, 1, 3, width, 16, R.randrange(1, 2000)])

    def addr_form(form, offset, width):
        """The address operand, and how to pick an argument for it: the
        data segment's bytes, any alignment."""
        if form == "const":
            return f"(i32.const {R.randrange(DATA - width - offset + 1)})", lambda: R.getrandbits(32)
        if form == "sum":
            k = R.randrange(1, 64)
            return (f"(i32.add (local.get 0) (i32.const {k}))",
                    lambda: R.randrange(DATA - width - offset - k + 1))
        return "(local.get 0)", lambda: R.randrange(DATA - width - offset + 1)

    def tail_addrs(offset, width):
        """Effective addresses around the end of memory (some trap), and
        addresses whose sum with the offset overflows 32 bits (trap: must
        not wrap around to low memory)."""
        out = [MEM_END - width - offset + d for d in (-3, -1, 0, 1, 2, width)]
        if offset:
            out.append((1 << 32) - offset + R.randrange(0, 64))
        out.append(0xffffffff)
        return [a & 0xffffffff for a in out]

    funcs = []      # (function, argument picker for the address)

    def add(label, res, body, pick):
        funcs.append((m.add(label, params, res, body, local_decl="(local $t v128)"), pick))

    post = "(local.set $t) (i64x2.extract_lane 0 (local.get $t)) (i64x2.extract_lane 1 (local.get $t))"
    for op, width, al in LOADS:
        for form in ("param", "const", "sum"):
            for align in sorted({al, 0, R.randrange(al + 1)}):
                o = pick_offset(width)
                a, pick = addr_form(form, o, width)
                add(f"{op} {memarg(o, align)}/{form}", V1, f"({op} {memarg(o, align)} {a})", pick)
        o = pick_offset(width)
        a, pick = addr_form("param", o, width)
        # Feeding an instruction (a memory operand), and through a local.
        add(f"{op} offset={o}/operand", V1, f"(i8x16.add ({op} offset={o} {a}) (local.get 1))", pick)
        add(f"{op} offset={o}/local", [("i64", None)] * 2, f"({op} offset={o} {a}) {post}", pick)
        o = R.choice([0, 16, 1000])
        add(f"{op} offset={o}/end", V1, fill(TAIL) + f"({op} offset={o} (local.get 0))",
            tail_addrs(o, width))
    for bits, n, al in LANE_MEM:
        op = f"v128.load{bits}_lane"
        for lane in range(n):
            for form in ("param", "sum"):
                o = pick_offset(bits // 8)
                a, pick = addr_form(form, o, bits // 8)
                add(f"{op} {lane} offset={o}/{form}", V1, f"({op} offset={o} {lane} {a} (local.get 1))", pick)
            o = pick_offset(bits // 8)
            a, pick = addr_form("const", o, bits // 8)
            add(f"{op} {lane} offset={o}/const,register", V1,
                f"({op} offset={o} align=1 {lane} {a} (i8x16.add (local.get 1) (local.get 1)))", pick)
        o = R.choice([0, 16])
        add(f"{op} {n - 1} offset={o}/end", V1,
            fill(TAIL) + f"({op} offset={o} {n - 1} (local.get 0) (local.get 1))", tail_addrs(o, bits // 8))

    def store_test(label, width, store):
        """store(address, value) is the store under test, in the middle of
        SCRATCH with any alignment; the 64 bytes are the results."""
        o = R.choice([0, 1, 3, 16, 33])
        pick = lambda: SCRATCH + R.randrange(64 - width + 1) - o
        values = {"param": "(local.get 1)", "register": "(i8x16.add (local.get 1) (local.get 1))",
                  "load": f"(v128.load (i32.const {R.randrange(DATA - 16)}))",
                  "const": const_v128(R.getrandbits(128))}
        for vf, v in values.items():
            add(f"{label} offset={o}/{vf}", V4, fill(SCRATCH) + store(o, "(local.get 0)", v) + " " + readback(SCRATCH), pick)
        o = R.choice([0, 16])
        add(f"{label} offset={o}/end", V4, fill(TAIL) + store(o, "(local.get 0)", "(local.get 1)") + " " + readback(TAIL),
            tail_addrs(o, width))
    for al in sorted({4, 0, R.randrange(5)}):
        store_test(f"v128.store align={1 << al}", 16, lambda o, a, v, al=al: f"(v128.store {memarg(o, al)} {a} {v})")
    for bits, n, al in LANE_MEM:
        for lane in range(n):
            store_test(f"v128.store{bits}_lane {lane}", bits // 8,
                       lambda o, a, v, lane=lane, bits=bits: f"(v128.store{bits}_lane offset={o} {lane} {a} {v})")

    for f, pick in funcs:
        addrs = pick if isinstance(pick, list) else [pick() for _ in range(4)]
        for a in addrs:
            m.case(f, [a & 0xffffffff, R.getrandbits(128)])
    return m


# ---------------------------------------------------------- running it

def arg_json(t, bits):
    if t == "v128":
        return {"type": "v128", "lane_type": "i64", "value": [str(x) for x in lanes_of(bits, 64)]}
    return {"type": t, "value": str(bits)}


def quiet_nan(bits, w):
    q = 0x7fc00000 if w == 32 else 0x7ff8000000000000
    return bits & q == q


def expected_json(t, lanes, raw):
    """V8's result bytes as an atoll-spec expectation (the NaN rule)."""
    def fl(bits, w):
        return "nan:arithmetic" if quiet_nan(bits, w) else str(bits)
    n = WIDTH_OF[t] // 8
    bits = int.from_bytes(raw[:n], "little")
    if t in ("i32", "i64"):
        return {"type": t, "value": str(bits)}
    if t in ("f32", "f64"):
        return {"type": t, "value": fl(bits, WIDTH_OF[t])}
    w = int(lanes[1:])
    vals = lanes_of(bits, w)
    return {"type": "v128", "lane_type": lanes,
            "value": [fl(x, w) if lanes[0] == "f" else str(x) for x in vals]}


def show_expected(e):
    """An expectation in the form atoll-spec prints results (hex)."""
    if e["type"] != "v128":
        v = e["value"]
        return v if v.startswith("nan") else "0x%0*x" % (WIDTH_OF[e["type"]] // 4, int(v))
    w = int(e["lane_type"][1:])
    if any(v.startswith("nan") for v in e["value"]):
        return "[%s]" % " ".join(v if v.startswith("nan") else "0x%x" % int(v) for v in e["value"])
    bits = sum(int(v) << (w * k) for k, v in enumerate(e["value"]))
    return "0x%032x" % bits


def show_arg(t, bits):
    return "%s:0x%0*x" % (t, WIDTH_OF[t] // 4, bits)


def run(cmd):
    """A child's output; a hang (code that loops) counts as a failure."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, -1, "", "timed out after 300 s")


def build_seed(seed, sdir, ntrees):
    """Generates and assembles the seed's modules; [(module, wasm path)]."""
    os.makedirs(sdir, exist_ok=True)
    mods = [gen_int(random.Random(seed * 3)), gen_float(random.Random(seed * 3 + 1), ntrees),
            gen_mem(random.Random(seed * 3 + 2))]
    out = []
    for m in mods:
        wat, wasm = os.path.join(sdir, m.name + ".wat"), os.path.join(sdir, m.name + ".wasm")
        with open(wat, "w") as f:
            f.write(m.wat())
        r = run(["wat2wasm", wat, "-o", wasm])
        if r.returncode:
            sys.exit(f"simd_diff: wat2wasm {wat}: {r.stderr.strip()}")
        out.append((m, wasm))
    return out


def check_coverage(mods):
    """Every SIMD instruction of wasm/core/opcodes.def appears in every seed."""
    names = set(re.findall(r'^OP\(0xfd,[^"]*"([^"]+)"', open(os.path.join(ROOT, "wasm/core/opcodes.def")).read(), re.M))
    used = set()
    for m in mods:
        for *_, text in m.funcs:
            used.update(re.findall(r"[a-z0-9]+\.[a-z0-9_]+", text))
        used.update(re.findall(r"[a-z0-9]+\.[a-z0-9_]+", m.head))
    return len(names), sorted(names - used)


def node_results(job_path):
    r = run(["node", os.path.join(HERE, "simd_diff.mjs"), job_path])
    if r.returncode:
        sys.exit(f"simd_diff: node failed: {r.stderr.strip()[-2000:]}")
    return json.loads(r.stdout)


def make_commands(built, results):
    """atoll-spec's commands, and what each line number stands for."""
    cmds, where = [], {}
    it = iter(results)
    for mi, (m, wasm) in enumerate(built):
        cmds.append({"type": "module", "line": 1000000 + mi, "filename": os.path.basename(wasm)})
        where[1000000 + mi] = (m, None, None)
        for f, args in m.cases:
            got = next(it)
            label, params, res, _ = m.funcs[f]
            line = len(cmds)
            action = {"type": "invoke", "field": f"f{f}",
                      "args": [arg_json(t, a) for t, a in zip(params, args)]}
            if got.startswith("trap: "):
                if "out of bounds" not in got:
                    sys.exit(f"simd_diff: V8 trapped unexpectedly in {m.name} {label}: {got}")
                cmds.append({"type": "assert_trap", "line": line, "action": action, "text": OOB_TEXT,
                             "expected": [{"type": t} for t, _ in res]})
            else:
                raw = bytes.fromhex(got)
                cmds.append({"type": "assert_return", "line": line, "action": action,
                             "expected": [expected_json(t, lanes, raw[16 * k:16 * k + 16])
                                          for k, (t, lanes) in enumerate(res)]})
            where[line] = (m, f, args)
    return cmds, where


def run_atoll(atoll, json_path, ncmds, form=()):
    """atoll-spec -vv on one file: ({line: message} of the commands that
    failed or were skipped, its output), or (None, output) when it did not
    finish or did not account for every command. form: ("--sse",) for
    the SSE4.1 encodings alone (else AVX's where the CPU has it)."""
    r = run([atoll, "-vv", *form, json_path])
    total = re.search(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", r.stdout, re.M)
    if r.returncode < 0 or not total:
        return None, r
    fails = {}
    for line in r.stdout.splitlines():
        mt = re.match(r"\s+(FAIL|SKIP) \S+?:(\d+) (.*)$", line)
        if mt:
            fails[int(mt.group(2))] = mt.group(1) + " " + mt.group(3)
    if int(total.group(1)) + len(fails) != ncmds:
        return None, r
    return fails, r


def describe(seed, cmd, where, msg):
    m, f, args = where[cmd["line"]]
    if f is None:
        return f"seed {seed} {m.name}: module: {msg}"
    label, params, _, _ = m.funcs[f]
    if cmd["type"] == "assert_trap":
        want = "trap \"%s\"" % OOB_TEXT
    else:
        want = " ".join(show_expected(e) for e in cmd["expected"])
    return (f"MISMATCH seed {seed} {m.name} f{f} {label}\n"
            f"  args  {' '.join(show_arg(t, a) for t, a in zip(params, args))}\n"
            f"  V8    {want}\n"
            f"  Atoll {re.sub(r'^FAIL assert_[a-z]+: ', '', msg)}")


def self_test(atoll, seed, sdir, cmds, baseline):
    """Corrupts three expectations of a seed (an integer, a float lane that
    is a number, a trap turned into a return) and checks that those, and
    only those, fail beyond the seed's own failures (baseline)."""
    cmds = json.loads(json.dumps(cmds))
    returns = [c for c in cmds if c["type"] == "assert_return"]
    whole = next(c for c in returns if c["expected"][0]["type"] == "i64")
    whole["expected"][0]["value"] = str(int(whole["expected"][0]["value"]) ^ 1)
    lane = next(c for c in returns if c["expected"][0].get("lane_type") == "f32"
                and not c["expected"][0]["value"][2].startswith("nan"))
    lane["expected"][0]["value"][2] = str(int(lane["expected"][0]["value"][2]) ^ (1 << 31))
    trap = next(c for c in cmds if c["type"] == "assert_trap")
    trap["type"] = "assert_return"
    picked = sorted(c["line"] for c in (whole, lane, trap))
    path = os.path.join(sdir, "self-test.json")
    with open(path, "w") as f:
        json.dump({"source_filename": "self-test.wast", "commands": cmds}, f)
    fails, _ = run_atoll(atoll, path, len(cmds))
    ok = fails is not None and set(fails) == set(baseline) | set(picked)
    print(f"self-test: seed {seed}, {len(picked)} expectations corrupted (lines {picked}): "
          f"{'exactly those failed' if ok else 'NOT DETECTED, failures: %r' % fails}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("atoll_spec")
    ap.add_argument("--seeds", default=",".join(map(str, DEFAULT_SEEDS)),
                    help="comma-separated seeds, or A-B")
    ap.add_argument("--dir", default=os.path.join(ROOT, "build", "simd-diff"))
    ap.add_argument("--trees", type=int, default=60, help="random float trees a seed")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("-v", action="store_true", help="one line a seed")
    opt = ap.parse_args()
    if "-" in opt.seeds:
        lo, hi = map(int, opt.seeds.split("-"))
        seeds = list(range(lo, hi + 1))
    else:
        seeds = [int(s) for s in opt.seeds.split(",")]

    t0 = time.time()
    passed = failed = 0
    ninstr = 0
    ok = True
    for si, seed in enumerate(seeds):
        sdir = os.path.join(opt.dir, f"s{seed}")
        built = build_seed(seed, sdir, opt.trees)
        ninstr, missing = check_coverage([m for m, _ in built])
        if missing:
            print(f"seed {seed}: generated modules miss {len(missing)} SIMD instructions: {' '.join(missing)}")
            ok = False
        job = {"arg": ARG, "res": RES, "modules": [
            {"wasm": wasm, "cases": [[f"w{f}", b"".join(a.to_bytes(16, "little") for a in args).hex(),
                                      16 * len(m.funcs[f][2])] for f, args in m.cases]}
            for m, wasm in built]}
        job_path = os.path.join(sdir, "node-job.json")
        with open(job_path, "w") as f:
            json.dump(job, f)
        cmds, where = make_commands(built, node_results(job_path))
        json_path = os.path.join(sdir, "atoll.json")
        with open(json_path, "w") as f:
            json.dump({"source_filename": "simd_diff.wast", "commands": cmds}, f)
        ncases = len(cmds) - len(built)
        # Both encodings of the compiler: AVX's (on a CPU with it) and
        # the SSE4.1 ones, against the same expectations.
        first = None                        # the default form's, for --self-test
        for form in ((), ("--sse",)):
            fails, r = run_atoll(opt.atoll_spec, json_path, len(cmds), form)
            first = fails if not form else first
            if fails is None:
                print(f"seed {seed}: atoll-spec {' '.join(form)} did not finish (status "
                      f"{r.returncode}): {r.stderr.strip()[-500:]}\n"
                      f"  rerun: {opt.atoll_spec} -v {' '.join(form)} {json_path}")
                failed += ncases
                continue
            bad = 0
            for c in cmds:
                if c["line"] in fails:
                    print(("[--sse] " if form else "") + describe(seed, c, where, fails[c["line"]]))
                    bad += c["type"] != "module"
            passed += ncases - bad
            failed += bad
            if opt.v:
                print(f"seed {seed}{' --sse' if form else ''}: {ncases} results, {bad} failed "
                      f"({time.time() - t0:.1f} s)")
        fails = first
        if opt.self_test and si == 0 and fails is not None:
            ok &= self_test(opt.atoll_spec, seed, sdir, cmds, fails)
    print(f"simd-diff: seeds {','.join(map(str, seeds))}, {ninstr} SIMD instructions, "
          f"{passed + failed} results (each with both encodings) compared with V8 in {time.time() - t0:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if ok and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
