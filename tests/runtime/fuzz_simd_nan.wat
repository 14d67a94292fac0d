;; Pins what the differential fuzzer found about v128 NaNs (tests/runtime/
;; FUZZING.md, 2026-12-07): f64x2.max of a non-canonical NaN lane gives the
;; canonical NaN with the sign bit set under Atoll, with V8's sign taken from
;; the other operand (seed 9 module 111868: the one byte of memory that
;; differed was the stored lane's sign). Both are right: the spec makes such a
;; result any arithmetic NaN (quiet bit set, any payload and sign), and a
;; result from canonical NaNs only the canonical NaN with any sign. What it
;; requires is checked here, lane by lane, through memory as the module did.
(module
  (memory 1)
  ;; Lane 0 of the vector stored at 0, as an arithmetic / canonical NaN.
  (func $arith0 (result i32)
    (i64.eq (i64.and (i64.load (i32.const 0)) (i64.const 0x7ff8000000000000))
            (i64.const 0x7ff8000000000000)))
  (func $canon0 (result i32)
    (i64.eq (i64.and (i64.load (i32.const 0)) (i64.const 0x7fffffffffffffff))
            (i64.const 0x7ff8000000000000)))
  ;; module 111868's operand: lane 0 a quiet NaN with a payload, lane 1 a number
  (func (export "max_nan") (param f64) (result i32)
    (v128.store (i32.const 0)
      (f64x2.max (v128.const i32x4 0x00000068 0x7ffffffe 0 0x3ff00000)
                 (f64x2.splat (local.get 0))))
    (i32.and (call $arith0) (i64.eq (i64.load (i32.const 8)) (i64.const 0x3ff0000000000000))))
  (func (export "min_nan") (param f64) (result i32)
    (v128.store (i32.const 0)
      (f64x2.min (f64x2.splat (local.get 0))
                 (v128.const i32x4 0x00000068 0xfff40000 0 0xbff00000)))
    (i32.and (call $arith0) (i64.eq (i64.load (i32.const 8)) (i64.const 0xbff0000000000000))))
  (func (export "canon_max") (param f64) (result i32)
    (v128.store (i32.const 0)
      (f64x2.max (v128.const i32x4 0 0x7ff80000 0 0) (f64x2.splat (local.get 0))))
    (call $canon0))
  (func (export "canon_min") (param f64) (result i32)
    (v128.store (i32.const 0)
      (f64x2.min (f64x2.splat (local.get 0)) (v128.const i32x4 0 0xfff80000 0 0)))
    (call $canon0))
)
;; run: max_nan 0 => 1
;; run: max_nan -2 => 1
;; run: min_nan 0 => 1
;; run: min_nan 5 => 1
;; run: canon_max 1 => 1
;; run: canon_min -1 => 1
