;; The third module of test_api.c: v128 through the embedding API, two
;; slots each, low half first (wasm.h): a host function taking and
;; returning v128 between scalars, called from Wasm, and Wasm called with
;; v128 arguments and results. keep_v128 and keep_f64: a caller's pinned
;; locals (xmm12..15) across a callee's big memory.copy, whose memmove
;; test_api.c replaces with one that clobbers those registers, as a libc's
;; large-copy loop may.
(module
  (import "host" "mix" (func $mix (param i32 v128 f64) (result v128 i64)))
  (global (export "gv") v128 (v128.const i64x2 0x1111 0x2222))
  (func (export "call_mix") (param i32 v128 f64) (result v128 i64 v128)
    (call $mix (local.get 0) (local.get 1) (local.get 2))
    (local.get 1))
  (memory 1)
  (func $big_copy (memory.copy (i32.const 0) (i32.const 8192) (i32.const 8192)))
  ;; Uses enough to be the hottest locals, so pinned.
  (func (export "keep_v128") (param v128) (result v128)
    (local $a v128)
    (local.set $a (v128.xor (local.get 0) (local.get 0)))
    (local.set $a (v128.or (local.get $a) (local.get 0)))
    (call $big_copy)
    (v128.and (local.get $a) (local.get $a)))
  (func (export "keep_f64") (param f64) (result f64)
    (local $a f64)
    (local.set $a (f64.add (local.get 0) (f64.const 0)))
    (local.set $a (f64.mul (local.get $a) (f64.const 1)))
    (call $big_copy)
    (f64.add (local.get $a) (f64.const 0))))
