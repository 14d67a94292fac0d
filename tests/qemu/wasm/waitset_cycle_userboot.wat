;; A wait set watching a wait set (issue 16): waitset_add takes a
;; reference to what it watches, so a set watching itself, or two sets
;; watching each other, would be a cycle of references nothing collects.
;; The kernel refuses a wait set as waitset_add's target (result 1, as a
;; channel sent through itself is refused); this program checks the
;; refusal and that, after the drops, the live objects (sys_info 11) are
;; back at their baseline. Output: "wscycle: N passed, N failed";
;; tests/qemu/test_userboot.py boots it.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (import "coral" "log_write" (func $log (param externref i64 i64) (result i32)))
  (import "coral" "sys_info" (func $sys_info (param i32) (result i64)))
  (import "coral" "clock_ns" (func $clock (result i64)))
  (import "coral" "sleep_until" (func $sleep_until (param i64) (result i32)))
  (import "coral" "waitset_create" (func $waitset_create (result i32 externref)))
  (import "coral" "waitset_add"
    (func $ws_add (param externref externref i32 i64) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (table $h 4 externref)
  (data (i32.const 128) "wscycle: ")
  @LIB@

  (func $wsc (param $slot i32)
    (local $e externref)
    (call $waitset_create)
    (local.set $e)
    (call $check32 (i32.const 0))
    (table.set $h (local.get $slot) (local.get $e)))
  (func $settle (param $want i64) (result i64)
    (local $end i64) (local $n i64)
    (local.set $end (i64.add (call $clock) (i64.const 1000000000)))
    (block $done
      (loop $again
        (local.set $n (call $sys_info (i32.const 11)))
        (br_if $done (i64.eq (local.get $n) (local.get $want)))
        (br_if $done (i64.ge_s (call $clock) (local.get $end)))
        (drop (call $sleep_until (i64.add (call $clock) (i64.const 10000000))))
        (br $again)))
    (local.get $n))

  (func (export "init") (result i32)
    (local $base i64)
    (local.set $base (call $sys_info (i32.const 11)))
    ;; a set watching itself
    (call $wsc (i32.const 0))
    (call $check32 (call $ws_add (table.get $h (i32.const 0)) (table.get $h (i32.const 0))
                             (i32.const 1) (i64.const 0)) (i32.const 1))
    (call $check32 (call $drop (table.get $h (i32.const 0))) (i32.const 0))
    (call $check (call $settle (local.get $base)) (local.get $base))
    ;; two sets watching each other
    (local.set $base (call $sys_info (i32.const 11)))
    (call $wsc (i32.const 1))
    (call $wsc (i32.const 2))
    (call $check32 (call $ws_add (table.get $h (i32.const 1)) (table.get $h (i32.const 2))
                             (i32.const -1) (i64.const 1)) (i32.const 1))
    (call $check32 (call $ws_add (table.get $h (i32.const 2)) (table.get $h (i32.const 1))
                             (i32.const -1) (i64.const 2)) (i32.const 1))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $check32 (call $drop (table.get $h (i32.const 2))) (i32.const 0))
    (call $check (call $settle (local.get $base)) (local.get $base))
    (call $summary))
)
