;; The third module of test_api.c: v128 through the embedding API, two
;; slots each, low half first (wasm.h): a host function taking and
;; returning v128 between scalars, called from Wasm, and Wasm called with
;; v128 arguments and results.
(module
  (import "host" "mix" (func $mix (param i32 v128 f64) (result v128 i64)))
  (global (export "gv") v128 (v128.const i64x2 0x1111 0x2222))
  (func (export "call_mix") (param i32 v128 f64) (result v128 i64 v128)
    (call $mix (local.get 0) (local.get 1) (local.get 2))
    (local.get 1)))
