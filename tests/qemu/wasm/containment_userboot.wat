;; A userboot that starts three children and goes on with its own work:
;; one never returns from tick (preemption must keep the rest running), one
;; traps in tick (it must be reported and end alone), and one also spins
;; until userboot drops its last handle to it at its 50th tick: the kernel
;; must then interrupt its compiled code and end it. Userboot's own tick
;; counts on screen row 0 and its keys echo on row 1, so a test sees that
;; it still runs.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "vma_write"
    (func $vma_write (param externref externref i64 i64 i64) (result i32)))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (table $victim 1 externref)
  (global $ticks (mut i32) (i32.const 0))
  (global $x (mut i32) (i32.const 0))
  (data (i32.const 64) "qwertyuiop....asdfghjkl.....zxcvbnm")
  @CHILDREN@

  (func $flush
    (drop (call $vma_write (table.get $self (i32.const 0)) (table.get $handles (i32.const 0))
                (i64.const 4096) (i64.const 0) (i64.const 4000))))
  (func $put (param $x i32) (param $y i32) (param $c i32)
    (i32.store16 offset=4096
      (i32.shl (i32.add (i32.mul (local.get $y) (i32.const 80)) (local.get $x)) (i32.const 1))
      (i32.or (local.get $c) (i32.const 0x0700))))
  ;; decimal of v, right-aligned ending at column 9 of row 0
  (func $show_ticks (param $v i32)
    (local $col i32)
    (local.set $col (i32.const 9))
    (loop $d
      (call $put (local.get $col) (i32.const 0)
        (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (local.set $col (i32.sub (local.get $col) (i32.const 1)))
      (br_if $d (local.get $v))))
  (func $spawn (param $off i64) (param $len i64) (result i32)
    (drop (call $spawn_c (local.get $off) (local.get $len)))
    (i32.const 0))
  (func $spawn_c (param $off i64) (param $len i64) (result externref)
    (local $m externref) (local $c externref)
    (call $module_create (table.get $self (i32.const 0)) (local.get $off) (local.get $len))
    (local.set $m)
    (drop)
    (call $component_create)
    (local.set $c)
    (drop)
    (call $add (local.get $c) (local.get $m))
    (drop)
    (drop)
    (local.get $c))
  (func (export "init") (result i32)
    (local $i i32)
    (loop $blank
      (call $put (local.get $i) (i32.const 0) (i32.const 32))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $blank (i32.lt_u (local.get $i) (i32.const 2000))))
    (call $flush)
    (table.set $victim (i32.const 0)
      (call $spawn_c (global.get $spin_off) (global.get $spin_len)))
    (i32.add
      (call $spawn (global.get $spin_off) (global.get $spin_len))
      (call $spawn (global.get $trap_tick_off) (global.get $trap_tick_len))))
  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (if (i32.eq (global.get $ticks) (i32.const 50))
      (then (drop (call $drop (table.get $victim (i32.const 0))))))
    (call $show_ticks (global.get $ticks))
    (call $flush))
  (func (export "press_key") (param $code i32)
    (if (i32.or (i32.lt_u (local.get $code) (i32.const 0x10))
                (i32.gt_u (local.get $code) (i32.const 0x32)))
      (then (return)))
    (call $put (global.get $x) (i32.const 1) (i32.load8_u offset=48 (local.get $code)))
    (global.set $x (i32.rem_u (i32.add (global.get $x) (i32.const 1)) (i32.const 80)))
    (call $flush))
)
