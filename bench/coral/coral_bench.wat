;; Costs of the Coral interface, measured from inside a program with
;; clock_ns: a coral import call (handle_kind, and a 64-byte vma_write), a
;; plain Wasm call for comparison, module_create of a small module, and a
;; component spawn (component_create + component_add_instance +
;; component_call of its export + handle_drop). Runs as userboot (in the
;; kernel under QEMU, or on Linux through build/atoll-coral); prints one
;; line per figure, "coral-bench: NAME N ns", for bench/coral/measure.py.
;; The child module's bytes replace the marker in the body
;; (tests/qemu/userboot_programs.py).
(module
  (import "coral" "handle_kind" (func $kind (param externref) (result i32)))
  (import "coral" "vma_write"
    (func $vma_write (param externref externref i64 i64 i64) (result i32)))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (import "coral" "log_write" (func $log (param externref i64 i64) (result i32)))
  (import "coral" "clock_ns" (func $clock (result i64)))
  (memory 2)
  (table $self 1 externref)
  (global $pos (mut i32) (i32.const 4096))
  (global $sink (mut i32) (i32.const 0))
  (data (i32.const 0) "answer")
  (data (i32.const 16) "coral-bench: ")
  (data (i32.const 32) " ns\n")
  (data (i32.const 48) "handle_kind")
  (data (i32.const 64) "vma_write_64")
  (data (i32.const 80) "wasm_call")
  (data (i32.const 96) "module_create")
  (data (i32.const 112) "spawn")
  @CHILDREN@

  (func $emit (param $p i32) (param $len i32)
    (memory.copy (global.get $pos) (local.get $p) (local.get $len))
    (global.set $pos (i32.add (global.get $pos) (local.get $len))))
  (func $emit_num (param $u i64)
    (local $digits i32)
    (loop $d
      (i32.store8 (i32.add (i32.const 3000) (local.get $digits))
        (i32.wrap_i64 (i64.add (i64.const 48) (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $d (i64.ne (local.get $u) (i64.const 0))))
    (loop $c
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (call $emit (i32.add (i32.const 3000) (local.get $digits)) (i32.const 1))
      (br_if $c (local.get $digits))))
  ;; "coral-bench: NAME <total/n> ns"
  (func $report (param $name i32) (param $len i32) (param $total i64) (param $n i64)
    (call $emit (i32.const 16) (i32.const 13))
    (call $emit (local.get $name) (local.get $len))
    (call $emit (i32.const 30) (i32.const 1))
    (call $emit_num (i64.div_u (local.get $total) (local.get $n)))
    (call $emit (i32.const 32) (i32.const 4))
    (drop (call $log (table.get $self (i32.const 0)) (i64.const 4096)
                (i64.extend_i32_u (i32.sub (global.get $pos) (i32.const 4096)))))
    (global.set $pos (i32.const 4096)))

  (func $nothing (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))

  (func (export "init") (result i32)
    (local $i i32) (local $t i64) (local $self externref) (local $m externref)
    (local $c externref) (local $st i32)
    (local.set $self (table.get $self (i32.const 0)))
    (i32.store8 (i32.const 30) (i32.const 32))
    ;; a coral call that only looks a handle up
    (local.set $t (call $clock))
    (loop $l
      (global.set $sink (i32.add (global.get $sink) (call $kind (local.get $self))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 200000))))
    (call $report (i32.const 48) (i32.const 11)
      (i64.sub (call $clock) (local.get $t)) (i64.const 200000))
    ;; a coral call that copies 64 bytes
    (local.set $i (i32.const 0))
    (local.set $t (call $clock))
    (loop $l
      (global.set $sink (i32.add (global.get $sink)
        (call $vma_write (local.get $self) (local.get $self)
              (i64.const 8192) (i64.const 9000) (i64.const 64))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
    (call $report (i32.const 64) (i32.const 12)
      (i64.sub (call $clock) (local.get $t)) (i64.const 100000))
    ;; a Wasm call, for scale
    (local.set $i (i32.const 0))
    (local.set $t (call $clock))
    (loop $l
      (global.set $sink (call $nothing (global.get $sink)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (call $report (i32.const 80) (i32.const 9)
      (i64.sub (call $clock) (local.get $t)) (i64.const 1000000))
    ;; module_create of the child (decode, validate, compile), then drop
    (local.set $i (i32.const 0))
    (local.set $t (call $clock))
    (loop $l
      (call $module_create (local.get $self) (global.get $child_off) (global.get $child_len))
      (local.set $m)
      (drop)
      (drop (call $drop (local.get $m)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))
    (call $report (i32.const 96) (i32.const 13)
      (i64.sub (call $clock) (local.get $t)) (i64.const 200))
    ;; spawn: create, add an instance of the compiled child, run its
    ;; export, drop
    (call $module_create (local.get $self) (global.get $child_off) (global.get $child_len))
    (local.set $m)
    (drop)
    (local.set $i (i32.const 0))
    (local.set $t (call $clock))
    (loop $l
      (call $component_create)
      (local.set $c)
      (drop)
      (call $add (local.get $c) (local.get $m))
      (drop)
      (drop)
      (call $call (local.get $c) (i32.const 0) (local.get $self) (i64.const 0) (i64.const 6)
                  (i64.const 0))
      (drop)
      (drop)
      (drop (call $drop (local.get $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))
    (call $report (i32.const 112) (i32.const 5)
      (i64.sub (call $clock) (local.get $t)) (i64.const 200))
    (i32.const 0))
)
