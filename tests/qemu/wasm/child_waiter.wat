;; Makes a child of its own and waits on it for good: "wait_call" calls
;; its "spin" export (handles[0]: child_loop's module), "wait_add" adds a
;; module whose start function never returns (handles[1]). Killed while it
;; waits, it must end, and its child with it.
(module
  (import "coral" "handles" (table $handles 2 externref))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (memory 1)
  (table $self 1 externref)
  (data (i32.const 0) "spin")
  (func $child (result externref)
    (local $c externref)
    (call $component_create)
    (local.set $c)
    (drop)
    (local.get $c))
  (func (export "wait_call") (result i32)
    (local $c externref)
    (local.set $c (call $child))
    (call $add (local.get $c) (table.get $handles (i32.const 0)))
    (drop)
    (drop)
    (call $call (local.get $c) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 0) (i64.const 4) (i64.const 0))
    (drop))
  (func (export "wait_add") (result i32)
    (call $add (call $child) (table.get $handles (i32.const 1)))
    (drop)))
