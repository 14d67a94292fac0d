;; A tree of components: "bomb" makes up to 64 children, adds its own
;; module to each (handles[0]) with the same grant, and starts "bomb" in
;; each, until component_create refuses. Returns how many it made. The
;; tree must stop at its root's limit on components below it.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_grant"
    (func $grant (param externref externref) (result i32 i32)))
  (import "coral" "component_start"
    (func $start (param externref i32 externref i64 i64 i64) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (table $kids 64 externref)
  (data (i32.const 0) "bomb")
  (func (export "bomb") (result i32)
    (local $i i32) (local $c externref)
    (block $full
      (loop $each
        (call $component_create)
        (local.set $c)
        (br_if $full (i32.ne (i32.const 0)))
        (table.set $kids (local.get $i) (local.get $c))
        (call $grant (local.get $c) (table.get $handles (i32.const 0)))
        (drop)
        (drop)
        (call $add (local.get $c) (table.get $handles (i32.const 0)))
        (drop)
        (drop)
        (drop (call $start (local.get $c) (i32.const 0) (table.get $self (i32.const 0))
                           (i64.const 0) (i64.const 4) (i64.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $i) (i32.const 64)))))
    (local.get $i)))
