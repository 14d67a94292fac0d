;; The well-behaved companion: counts its ticks.
(module
  (global $n (mut i32) (i32.const 0))
  (func (export "tick") (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "count") (result i32) (global.get $n)))
