;; Calls "ping" of the component it was granted first (handles[0]) and
;; returns what that returned. Two of them granted each other call each
;; other for good: each waits for the other to take its request
;; (deadlock_userboot.wat).
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (memory 1)
  (table $self 1 externref)
  (data (i32.const 0) "ping")
  (func (export "ping") (result i32)
    (call $call (table.get $handles (i32.const 0)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 0) (i64.const 4) (i64.const 0))
    (drop)))
