;; Calls its own "nest" export through component_call (handles[0]: its
;; own component), so the calls nest until the stack runs out: one trap,
;; reported once, and the caller told what it was.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (memory 1)
  (table $self 1 externref)
  (data (i32.const 0) "nest")
  (func (export "nest") (result i32)
    (call $call (table.get $handles (i32.const 0)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 0) (i64.const 4) (i64.const 0))
    (drop)))
