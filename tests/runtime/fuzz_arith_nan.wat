;; Pins what the differential fuzzer found about NaNs (tests/runtime/
;; FUZZING.md): f32/f64.min and max of a non-canonical NaN, and a product
;; of two NaNs, give a payload that differs from V8's (Atoll keeps an input
;; NaN's payload, as x86 does; V8 gives the canonical NaN, or the other
;; operand's). Both are right: the spec makes such a result any arithmetic
;; NaN (quiet bit set, any payload and sign). What it does require is
;; checked here: the result is an arithmetic NaN, and a canonical input
;; gives a canonical result (any sign). Modules of the fuzzer's seed 2,
;; reduced by wasm-reduce: 2507, 6235 (f64.min), 9591 (f32.min), 2792 (f64.mul).
(module
  (func $arith64 (param f64) (result i32)
    (i64.eq (i64.and (i64.reinterpret_f64 (local.get 0)) (i64.const 0x7ff8000000000000))
            (i64.const 0x7ff8000000000000)))
  (func $canon64 (param f64) (result i32)
    (i64.eq (i64.and (i64.reinterpret_f64 (local.get 0)) (i64.const 0x7fffffffffffffff))
            (i64.const 0x7ff8000000000000)))
  (func $arith32 (param f32) (result i32)
    (i32.eq (i32.and (i32.reinterpret_f32 (local.get 0)) (i32.const 0x7fc00000))
            (i32.const 0x7fc00000)))
  (func $canon32 (param f32) (result i32)
    (i32.eq (i32.and (i32.reinterpret_f32 (local.get 0)) (i32.const 0x7fffffff))
            (i32.const 0x7fc00000)))
  ;; module 2507: f64.min(-nan:0xfffffffffffbe, 1), stored and read back
  (memory 1)
  (func (export "min64_stored") (result i32)
    (f64.store align=2 (i32.const 4) (f64.min (f64.const -nan:0xfffffffffffbe) (f64.const 1)))
    (call $arith64 (f64.load (i32.const 4))))
  (func (export "min64") (param f64) (result i32)
    (call $arith64 (f64.min (f64.const -nan:0xfffffffffe014) (local.get 0))))
  (func (export "max64") (param f64) (result i32)
    (call $arith64 (f64.max (local.get 0) (f64.const nan:0x4000000000001))))
  (func (export "min32") (param f32) (result i32)
    (call $arith32 (f32.min (f32.const -nan:0x7f9419) (local.get 0))))
  (func (export "max32") (param f32) (result i32)
    (call $arith32 (f32.max (local.get 0) (f32.const nan:0x400001))))
  (func (export "mul64") (result i32)
    (call $arith64 (f64.mul (f64.const -nan:0xfffffffffbe1f) (f64.const -nan:0xfffffffffc64d))))
  (func (export "canon_min64") (param f64) (result i32)
    (call $canon64 (f64.min (f64.const nan) (local.get 0))))
  (func (export "canon_max32") (param f32) (result i32)
    (call $canon32 (f32.max (local.get 0) (f32.const -nan))))
)
;; run: min64_stored => 1
;; run: min64 -33554432 => 1
;; run: min64 0 => 1
;; run: max64 1 => 1
;; run: min32 0 => 1
;; run: max32 -0 => 1
;; run: mul64 => 1
;; run: canon_min64 1 => 1
;; run: canon_max32 2 => 1
