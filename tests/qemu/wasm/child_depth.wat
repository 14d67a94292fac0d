;; A well-behaved program's recursion: "depth" recurses n levels (frames
;; of about 100 bytes) and returns n. Run while greedy components hold
;; all the memory they may, it must still have its stack.
(module
  (func $down (param $n i64) (param $a i64) (param $b i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (i64.const 1)
                     (call $down (i64.sub (local.get $n) (i64.const 1))
                                 (local.get $b) (local.get $a))))))
  (func (export "depth") (param $n i64) (result i64)
    (call $down (local.get $n) (i64.const 1) (i64.const 2))))
