;; PENDING (Atoll is wrong; wasm/compile*.c is not the fuzzer's to fix).
;; Found by the differential fuzzer: seed 2, module 45932 (v1 generator),
;; reduced with wasm-reduce and by hand (tests/runtime/FUZZING.md).
;;
;; A narrow integer store (i32.store8, i32.store16, i64.store8,
;; i64.store16) of i32/i64.reinterpret_f32/f64 of a float that is still in
;; an xmm register (the result of f32.add, f32.convert_i64_s...) writes
;; 8 bytes instead of 1 or 2: store() in wasm/compile_mem.c writes a
;; V_XREG value with movss for size 4 and movsd for any other size. (A
;; reinterpreted float parameter, read from its slot, is stored right;
;; i64.store32 is right, movss being 4 bytes.) Each function stores at 0
;; of a zeroed memory and reads back 8 bytes. Expected: the spec (V8 agrees).
;;   -1e30 as f32 doubled: 0xf1c9f2ca; -1e300 as f64 doubled: 0xfe3fffff8800759c
(module
  (memory 1)
  (func (export "i32_store16_of_f32_add") (param f32) (result i64)
    (i32.store16 (i32.const 0) (i32.reinterpret_f32 (f32.add (local.get 0) (local.get 0))))
    (i64.load (i32.const 0)))
  (func (export "i32_store8_of_f32_add") (param f32) (result i64)
    (i32.store8 (i32.const 0) (i32.reinterpret_f32 (f32.add (local.get 0) (local.get 0))))
    (i64.load (i32.const 0)))
  (func (export "i64_store16_of_f64_add") (param f64) (result i64)
    (i64.store16 (i32.const 0) (i64.reinterpret_f64 (f64.add (local.get 0) (local.get 0))))
    (i64.load (i32.const 0)))
  (func (export "i64_store8_of_f64_add") (param f64) (result i64)
    (i64.store8 (i32.const 0) (i64.reinterpret_f64 (f64.add (local.get 0) (local.get 0))))
    (i64.load (i32.const 0)))
  (func (export "i64_store32_of_f64_add") (param f64) (result i64)
    (i64.store32 (i32.const 0) (i64.reinterpret_f64 (f64.add (local.get 0) (local.get 0))))
    (i64.load (i32.const 0)))
  ;; The fuzzer's shape: a conversion.
  (func (export "i32_store16_of_convert") (param i64) (result i64)
    (i32.store16 (i32.const 0) (i32.reinterpret_f32 (f32.convert_i64_s (local.get 0))))
    (i64.load (i32.const 0)))
)
;; run: i32_store16_of_f32_add -1e30 => 62154
;; run: i32_store8_of_f32_add -1e30 => 202
;; run: i64_store16_of_f64_add -1e300 => 30108
;; run: i64_store8_of_f64_add -1e300 => 156
;; run: i64_store32_of_f64_add -1e300 => 2281731484
;; run: i32_store16_of_convert -721400812 => 65232
