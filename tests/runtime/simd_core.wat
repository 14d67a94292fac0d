;; v128 values through the compiler's core (issue 9): params, results and
;; locals (16-byte slots, two argument slots each), blocks and branches
;; carrying v128, select, globals, calls (direct, indirect, many values,
;; results past the fourth), spills, loads and stores of every width.
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const i64x2 -1 7))
  (table 2 funcref)
  (elem (i32.const 0) $swap $id)
  (type $vv (func (param v128 v128) (result v128 v128)))
  (func $id (param v128 v128) (result v128 v128) local.get 0 local.get 1)
  (func $swap (param v128 v128) (result v128 v128) local.get 1 local.get 0)
  (func (export "id") (param v128) (result v128) local.get 0)
  (func (export "mixed") (param i32 v128 f64 v128 i64) (result i64 v128 f64 v128 i32)
    local.get 4 local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "swap") (param v128 v128) (result v128 v128)
    local.get 0 local.get 1 call $swap)
  (func (export "indirect") (param i32 v128 v128) (result v128 v128)
    local.get 1 local.get 2 local.get 0 call_indirect (type $vv))
  (func (export "const") (result v128 v128 v128 v128 v128 v128)
    v128.const i64x2 0 0
    v128.const i64x2 -1 -1
    v128.const i64x2 0 5
    v128.const i64x2 5 0
    v128.const i64x2 0x1122334455667788 0x1122334455667788
    v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
  (func $six (result v128 v128 v128 v128 v128 v128)
    v128.const i32x4 1 0 0 0 v128.const i32x4 2 0 0 0 v128.const i32x4 3 0 0 0
    v128.const i32x4 4 0 0 0 v128.const i32x4 5 0 0 0 v128.const i32x4 6 0 0 0)
  (func (export "six_last") (result v128 v128)
    (local v128 v128)
    call $six local.set 0 local.set 1 drop drop drop drop
    local.get 1 local.get 0 call $id)
  (func (export "local") (param i32) (result v128)
    (local $a v128) (local $b i64) (local $c v128)
    local.get 0 if (local.set $a (v128.const i32x4 9 9 9 9)) end
    local.get $a local.set $c
    local.get $c)
  (func (export "sel") (param v128 v128 i32) (result v128)
    local.get 0 local.get 1 local.get 2 select)
  (func (export "selt") (param v128 v128 i32) (result v128)
    local.get 0 local.get 1 local.get 2 select (result v128))
  (func (export "block") (param v128 i32) (result v128)
    (block $out (result v128)
      local.get 0
      (block $in (param v128) (result v128)
        local.get 1 br_if $out
        drop v128.const i32x4 7 7 7 7))
    (loop $l (param v128) (result v128)))
  (func (export "brtable") (param v128 i32) (result v128)
    (block $a (result v128)
      (block $b (result v128)
        local.get 0 local.get 1 br_table $a $b 0)
      drop v128.const i64x2 2 2))
  (func (export "if") (param v128 i32) (result v128)
    local.get 0 local.get 1
    if (param v128) (result v128) drop v128.const i64x2 1 1 else end)
  (func (export "global") (param v128) (result v128 v128)
    global.get $g local.get 0 global.set $g global.get $k)
  (func (export "global_get") (result v128) global.get $g)
  (func (export "mem") (param i32 v128) (result v128 v128 v128 v128)
    local.get 0 local.get 1 v128.store offset=16
    local.get 0 v128.load offset=16
    local.get 0 v128.load8_splat offset=17
    local.get 0 v128.load16x4_s offset=16
    (v128.load32_zero offset=20 (local.get 0)))
  (func (export "lanes") (param i32 v128) (result v128)
    (v128.store (i32.const 0) (v128.const i64x2 0 0))
    (v128.store8_lane 3 (local.get 0) (local.get 1))
    (v128.store64_lane offset=8 1 (local.get 0) (local.get 1))
    (v128.load16_lane 7 (local.get 0) (v128.load (local.get 0))))
  (func $id1 (param v128) (result v128) local.get 0)
  (func (export "shift") (param v128 i32) (result v128)
    (local v128 f64)
    local.get 0
    (loop $l (param v128) (result v128)
      local.set 2
      (v128.store (i32.const 1) (local.get 2))
      (v128.load (i32.const 0))
      (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))
      br_if $l))
  (func (export "across") (param v128 f64) (result v128 v128 f64)
    (local f64)
    (local.set 2 (f64.add (local.get 1) (local.get 1)))
    (v128.load (i32.const 200))
    (v128.const i32x4 1 2 3 4)
    (call $id1 (local.get 0))
    drop
    (local.get 2))
  (func (export "oob") (param i32) (result v128) local.get 0 v128.load offset=65520)
  (func (export "spill") (param v128) (result v128)
    local.get 0 global.set $g
    global.get $g global.get $g global.get $g global.get $g global.get $g
    global.get $g global.get $g global.get $g global.get $g global.get $g
    global.get $g global.get $g global.get $g global.get $g global.get $g v128.const i32x4 0 0 0 1
    v128.const i32x4 2 0 0 0 v128.const i32x4 3 0 0 0 call $id
    drop drop drop drop drop drop drop drop drop drop drop drop
    drop drop drop drop drop)
)
;; run: id 0x0123456789abcdef00112233445566ff => 0x0123456789abcdef00112233445566ff
;; run: mixed 7 0x1 2.5 0xffffffffffffffffffffffffffffffff -3 => -3 | 0xffffffffffffffffffffffffffffffff | 2.5 | 0x00000000000000000000000000000001 | 7
;; run: swap 0x1 0x2 => 0x00000000000000000000000000000002 | 0x00000000000000000000000000000001
;; run: indirect 0 0x1 0x2 => 0x00000000000000000000000000000002 | 0x00000000000000000000000000000001
;; run: indirect 1 0x1 0x2 => 0x00000000000000000000000000000001 | 0x00000000000000000000000000000002
;; run: indirect 2 0x1 0x2 => trap: undefined element
;; run: const => 0x00000000000000000000000000000000 | 0xffffffffffffffffffffffffffffffff | 0x00000000000000050000000000000000 | 0x00000000000000000000000000000005 | 0x11223344556677881122334455667788 | 0x100f0e0d0c0b0a090807060504030201
;; run: six_last => 0x00000000000000000000000000000005 | 0x00000000000000000000000000000006
;; run: local 1 => 0x00000009000000090000000900000009
;; run: local 0 => 0x00000000000000000000000000000000
;; run: sel 0x1 0x2 1 => 0x00000000000000000000000000000001
;; run: sel 0x1 0x2 0 => 0x00000000000000000000000000000002
;; run: selt 0x1 0x2 0 => 0x00000000000000000000000000000002
;; run: block 0x5 1 => 0x00000000000000000000000000000005
;; run: block 0x5 0 => 0x00000007000000070000000700000007
;; run: brtable 0x5 0 => 0x00000000000000000000000000000005
;; run: brtable 0x5 1 => 0x00000000000000020000000000000002
;; run: brtable 0x5 9 => 0x00000000000000020000000000000002
;; run: if 0x5 0 => 0x00000000000000000000000000000005
;; run: if 0x5 1 => 0x00000000000000010000000000000001
;; run: global 0x8 => 0x00000004000000030000000200000001 | 0x0000000000000007ffffffffffffffff
;; run: global_get => 0x00000004000000030000000200000001
;; run: mem 100 0x0f0e0d0c0b0a09080706050403020100 => 0x0f0e0d0c0b0a09080706050403020100 | 0x01010101010101010101010101010101 | 0x00000706000005040000030200000100 | 0x00000000000000000000000007060504
;; run: lanes 32 0x0f0e0d0c0b0a09080706050403020100 => 0x00030d0c0b0a09080000000000000003
;; run: shift 0x0f0e0d0c0b0a09080706050403020100 3 => 0x0c0b0a09080706050403020100000000
;; run: across 0x5 1.5 => 0x00000000000000000000000000000000 | 0x00000004000000030000000200000001 | 3
;; run: oob 0 => 0x00000000000000000000000000000000
;; run: oob 1 => trap: out of bounds memory access
;; run: spill 0x9 => 0x00000000000000000000000000000009
