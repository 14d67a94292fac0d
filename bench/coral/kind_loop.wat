;; A million coral handle_kind calls in a loop, nothing else: the program
;; the import call is profiled with (bench/where-the-time-goes.md):
;;   wat2wasm bench/coral/kind_loop.wat -o /tmp/kind.wasm
;;   valgrind --tool=callgrind build/atoll-coral /tmp/kind.wasm
(module
  (import "coral" "handle_kind" (func $kind (param externref) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (global $sink (mut i32) (i32.const 0))
  (func (export "init") (result i32)
    (local $i i32) (local $s externref)
    (local.set $s (table.get $self (i32.const 0)))
    (loop $l
      (global.set $sink (i32.add (global.get $sink) (call $kind (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (i32.const 0)))
