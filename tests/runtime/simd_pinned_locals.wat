;; v128 locals pinned in xmm12..15 (compile.h): they keep all 128 bits
;; across a callee that pins an f64 or a v128 in the same register (the
;; prologue and returns save and restore with movdqu), a host function
;; (the trampoline), and runtime helpers (memory.grow, memory.fill park
;; them in their 16-byte slots); SIMD instructions read them in place
;; (extract_lane, bitselect, select, global.set, v128.store); params,
;; local.set/tee in a loop, and results that swap params.
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 0 0 0 0))
  ;; pins an f64 in xmm12 and a v128 in xmm13 of its own (all its locals:
  ;; it has no more than four)
  (func $clobber (param f64) (result f64)
    (local $v v128) (local $d f64)
    (local.set $d (f64.mul (local.get 0) (f64.const 3)))
    (local.set $v (f64x2.splat (local.get $d)))
    (f64.add (local.get $d) (f64x2.extract_lane 1 (local.get $v))))
  (func $f32only (param f32) (result f32)
    (local $a f32) (local $b f32) (local $c f32) (local $d f32)
    (local.set $a (f32.add (local.get 0) (f32.const 1)))
    (local.set $b (f32.mul (local.get $a) (local.get $a)))
    (local.set $c (f32.sub (local.get $b) (local.get $a)))
    (local.set $d (f32.add (local.get $c) (local.get $b)))
    (local.get $d))
  (func (export "keep_across_call") (result i64)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $i i32)
    (local.set $a (v128.const i32x4 1 2 3 4))
    (local.set $b (v128.const i32x4 5 6 7 8))
    (local.set $c (v128.const i32x4 9 10 11 12))
    (local.set $d (v128.const i32x4 13 14 15 16))
    (drop (call $clobber (f64.const 2)))
    (drop (call $f32only (f32.const 2)))
    (call $print (i32.const 7))
    (drop (memory.grow (i32.const 1)))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 100))
    (local.set $a (i32x4.add (local.get $a) (local.get $b)))
    (local.set $c (i32x4.add (local.get $c) (local.get $d)))
    (local.set $a (i32x4.mul (local.get $a) (local.get $c)))
    (i64.add (i64x2.extract_lane 0 (local.get $a)) (i64x2.extract_lane 1 (local.get $a))))
  (func (export "hi_lanes") (result i32)
    (local $a v128) (local $b v128)
    (local.set $a (v128.const i32x4 1 2 3 4))
    (local.set $b (v128.const i32x4 100 200 300 400))
    (drop (call $clobber (f64.const 2)))
    (drop (memory.grow (i32.const 0)))
    (call $print (i32.const 1))
    (i32.add (i32x4.extract_lane 3 (local.get $a)) (i32x4.extract_lane 2 (local.get $b))))
  (func $sum (export "loop") (param $n i32) (param $x v128) (result v128)
    (local $acc v128) (local $t v128)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32x4.add (local.get $acc) (local.tee $t (i32x4.mul (local.get $x) (local.get $x)))))
        (local.set $x (i32x4.add (local.get $x) (v128.const i32x4 1 1 1 1)))
        (local.set $acc (i32x4.replace_lane 2 (local.get $acc) (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 1 (local.get $t)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func (export "sel") (param $c i32) (param $a v128) (param $b v128) (result v128)
    (local.set $a (select (local.get $a) (local.get $b) (local.get $c)))
    (global.set $g (local.get $b))
    (v128.store (i32.const 16) (local.get $a))
    (i32x4.add (global.get $g) (v128.load (i32.const 16))))
  (func (export "swap") (param $a v128) (param $b v128) (result v128 v128)
    (local.get $b) (local.get $a))
  (func (export "params_out") (param $a v128) (param $b v128) (result v128)
    (local $t v128)
    (local.set $t (local.get $a))
    (local.set $a (local.get $b))
    (local.set $b (local.get $t))
    (v128.bitselect (local.get $a) (local.get $b) (v128.const i32x4 -1 0 -1 0)))
  (func (export "f64lane") (param $a v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
  (func (export "anytrue") (param $a v128) (result i32)
    (if (result i32) (v128.any_true (local.get $a)) (then (i32.const 5)) (else (i32.const 6))))
)
;; run: keep_across_call => 2267742732680
;; run: hi_lanes => 304
;; run: loop 3 0x00000004000000030000000200000001 => 0x0000004d0000004f0000001d0000000e
;; run: sel 1 0x00000004000000030000000200000001 0x000000280000001e000000140000000a => 0x0000002c00000021000000160000000b
;; run: sel 0 0x00000004000000030000000200000001 0x000000280000001e000000140000000a => 0x000000500000003c0000002800000014
;; run: swap 0x00000004000000030000000200000001 0x00000008000000070000000600000005 => 0x00000008000000070000000600000005 | 0x00000004000000030000000200000001
;; run: params_out 0x00000004000000030000000200000001 0x00000008000000070000000600000005 => 0x00000004000000070000000200000005
;; run: anytrue 0x00000001000000000000000000000000 => 5
;; run: anytrue 0x00000000000000000000000000000000 => 6
;; run: f64lane 0x40020000000000003ff8000000000000 => 3.75
