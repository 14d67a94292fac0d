;; A component that never returns from tick: it must not stop the others.
(module
  (global $n (mut i64) (i64.const 0))
  (func (export "tick")
    (loop $l
      (global.set $n (i64.add (global.get $n) (i64.const 1)))
      (br $l))))
