;; Never returns from "spin"; "go" returns at once (used to check it is idle).
(module
  (global $n (mut i64) (i64.const 0))
  (func (export "spin")
    (loop $l
      (global.set $n (i64.add (global.get $n) (i64.const 1)))
      (br $l)))
  (func (export "go") (result i32) (i32.const 1)))
