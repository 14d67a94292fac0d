;; module_create and component_create in a loop, dropping each: the kernel
;; must give everything back. Its own bytes are a module it can compile:
;; the parent puts a copy of a small module at offset 1024 of its memory
;; (data segment below). Returns the number of rounds that succeeded.
(module
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (memory 1)
  (table $self 1 externref)
  ;; (module (func (export "f") (result i32) (i32.const 7)))
  (data (i32.const 1024) "\00\61\73\6d\01\00\00\00\01\05\01\60\00\01\7f\03\02\01\00\07\05\01\01\66\00\00\0a\06\01\04\00\41\07\0b")
  (func (export "run") (result i32)
    (local $i i32) (local $ok i32) (local $m externref) (local $c externref)
    (loop $round
      (call $module_create (table.get $self (i32.const 0)) (i64.const 1024) (i64.const 34))
      (local.set $m)
      (if (i32.eqz)
        (then
          (call $component_create)
          (local.set $c)
          (if (i32.eqz)
            (then
              (call $add (local.get $c) (local.get $m))
              (drop)
              (if (i32.eqz) (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
              (drop (call $drop (local.get $c)))))
          (drop (call $drop (local.get $m)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (i32.const 100))))
    (local.get $ok)))
