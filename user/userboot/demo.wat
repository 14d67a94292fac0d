;; demo.wat — the module userboot's `demo` command loads into a new
;; component: one export per kind of call it shows (no argument, an
;; argument, a trap).
(module
  (func (export "answer") (result i32)
    (i32.const 42))
  (func (export "square") (param $x i32) (result i32)
    (i32.mul (local.get $x) (local.get $x)))
  (func (export "boom")
    unreachable))
