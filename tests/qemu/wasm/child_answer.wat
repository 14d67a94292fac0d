;; A child module: one export to call, and a memory whose own-memory
;; table the kernel fills.
(module
  (import "coral" "handle_kind" (func $kind (param externref) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "self_kind") (result i32) (call $kind (table.get $self (i32.const 0))))
  (func (export "add1") (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
  (func (export "boom") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
  (func (export "wrong_type") (param f32) (result f32) (local.get 0))
  (func $recurse (export "recurse") (param i64) (result i64)
    (i64.add (call $recurse (local.get 0)) (i64.const 1))))
