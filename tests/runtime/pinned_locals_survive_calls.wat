;; PENDING (Atoll is wrong; wasm/compile*.c is not the fuzzer's to fix).
;; Found by the differential fuzzer: seed 90, module 16 (binaryen -O),
;; reduced with wasm-reduce and by hand (tests/runtime/FUZZING.md).
;;
;; A function's hottest integer locals live in rbx, r12, r13, which Wasm
;; functions treat as callee-saved (compile.h). cc_prologue saves only the
;; ones it pins; the others stay in c->free (CC_REGS includes them), so a
;; callee that pins fewer than three locals and keeps enough values on its
;; operand stack (8 here) takes an unpinned one of them as a cache register
;; and never restores it: the caller's pinned local is clobbered.
;;   callee with 0 locals: rbx is free, so the caller's local 0 dies;
;;   callee with 1 local (in rbx): r12 is free, the caller's local 1 dies.
;; The same holds for the float locals in xmm12..xmm15 (CC_XREGS holds
;; them): a callee with 15 f64 values live clobbers them.
;; Expected (the spec; V8 agrees): every function returns its local, 7.
(module
  (memory 1)
  ;; Eight i32 values live at once on the operand stack.
  (func $deep0 (result i32)
    i32.const 15 i32.load8_u  i32.const 14 i32.load8_u
    i32.const 11 i32.load8_u  i32.const 10 i32.load8_u
    i32.const 9 i32.load8_u   i32.const 8 i32.load8_u
    i32.const 7 i32.load8_u   i32.const 6 i32.load8_u
    i32.add i32.xor i32.add i32.xor i32.xor i32.add i32.xor)
  (func $deep1 (result i32) (local i32)
    i32.const 15 i32.load8_u  i32.const 14 i32.load8_u
    i32.const 11 i32.load8_u  i32.const 10 i32.load8_u
    i32.const 9 i32.load8_u   i32.const 8 i32.load8_u
    i32.const 7 i32.load8_u   i32.const 6 i32.load8_u
    i32.add i32.xor i32.add i32.xor i32.xor i32.add i32.xor)
  (func (export "local0_across_deep0") (param i32 i32 i32) (result i32)
    call $deep0 drop local.get 0)
  (func (export "local1_across_deep1") (param i32 i32 i32) (result i32)
    call $deep1 drop local.get 1)
  (func (export "local1_across_deep0") (param i32 i32 i32) (result i32)
    call $deep0 drop local.get 1)
  (func (export "declared_local1_across_deep1") (result i32) (local i32 i32)
    (local.set 1 (i32.const 7)) call $deep1 drop local.get 1)
  (func $deepf (result f64)
    (f64.load (i32.const 8)) (f64.load (i32.const 16)) (f64.load (i32.const 24)) (f64.load (i32.const 32)) (f64.load (i32.const 40))
    (f64.load (i32.const 48)) (f64.load (i32.const 56)) (f64.load (i32.const 64)) (f64.load (i32.const 72)) (f64.load (i32.const 80))
    (f64.load (i32.const 88)) (f64.load (i32.const 96)) (f64.load (i32.const 104)) (f64.load (i32.const 112)) (f64.load (i32.const 120))
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add)
  (func (export "f64_local0_across_deepf") (param f64 f64) (result f64)
    call $deepf drop local.get 0)
  (func (export "f64_local3_across_deepf") (param f64 f64 f64 f64) (result f64)
    call $deepf drop local.get 3)
  ;; The fuzzer's shape: floats first, the i32 is the second pinned int.
  (func (export "fuzz_shape") (param f64 f64 f32 i64 i32) (result i32)
    call $deep1 drop local.get 4)
)
;; run: local0_across_deep0 7 7 7 => 7
;; run: local1_across_deep1 7 7 7 => 7
;; run: local1_across_deep0 7 7 7 => 7
;; run: declared_local1_across_deep1 => 7
;; run: fuzz_shape 0 0 0 0 7 => 7
;; run: f64_local0_across_deepf 7 7 => 7
;; run: f64_local3_across_deepf 7 7 7 7 => 7
