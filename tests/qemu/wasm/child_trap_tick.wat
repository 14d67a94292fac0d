;; A component whose tick traps (after a few calls deep): reported, ended.
(module
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.div_s (i32.const 1) (local.get 0)))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick") (drop (call $deep (i32.const 3)))))
