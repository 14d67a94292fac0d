;; Two children of child_mutual.wat, each granted the other, then a call
;; of one's "ping": A waits for B, B for A. In the kernel the timer fails
;; B's request after 2 s (kern/component_request.c: A is busy), and init
;; returns 0 about 2 s after boot; the hosted build has no timer and
;; reports a deadlock (tests/runtime/test_coral.py).
(module
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_grant"
    (func $grant (param externref externref) (result i32 i32)))
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (memory 1)
  (table $self 1 externref)
  (data (i32.const 0) "ping")
  @CHILDREN@
  (func $child (result externref)
    (local $c externref)
    (call $component_create)
    (local.set $c)
    (drop)
    (local.get $c))
  (func (export "init") (result i32)
    (local $m externref) (local $a externref) (local $b externref)
    (call $module_create (table.get $self (i32.const 0)) (global.get $mutual_off)
                         (global.get $mutual_len))
    (local.set $m)
    (drop)
    (local.set $a (call $child))
    (local.set $b (call $child))
    (drop (drop (call $grant (local.get $a) (local.get $b))))
    (drop (drop (call $grant (local.get $b) (local.get $a))))
    (drop (drop (call $add (local.get $a) (local.get $m))))
    (drop (drop (call $add (local.get $b) (local.get $m))))
    (call $call (local.get $a) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 0) (i64.const 4) (i64.const 0))
    (drop)))
