;; A userboot checking component_add_start, the add that does not wait:
;; hostile arguments (result 1, no effect), an add's outcome in
;; component_status (the index, or -1 with the reason in
;; component_describe: a link error, a start function's trap, the instance
;; limit), and a start function that never returns: running until killed,
;; then killed, its thread ended within the kill latency bound, and the
;; component count back at its baseline. Needs components that run side by
;; side (the kernel; not the hosted build). Prints "addstart N passed, N
;; failed" and the kill latency as "addstart kill latency: N us".
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_add_start"
    (func $add_start (param externref externref externref i64 i64) (result i32)))
  (import "coral" "log_write" (func $log (param externref i64 i64) (result i32)))
  (import "coral" "component_start"
    (func $start (param externref i32 externref i64 i64 i64) (result i32)))
  (import "coral" "component_status" (func $status (param externref) (result i32 i64)))
  (import "coral" "component_kill" (func $kill (param externref) (result i32)))
  (import "coral" "component_info" (func $info (param externref i32) (result i32 i64)))
  (import "coral" "component_describe"
    (func $describe (param externref externref i64 i64) (result i32 i64)))
  (import "coral" "component_limit" (func $limit (param externref i32 i64) (result i32)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (import "coral" "sys_info" (func $sys_info (param i32) (result i64)))
  (import "coral" "clock_ns" (func $clock (result i64)))
  (memory 2)
  (table $self 1 externref)
  (table $h 16 externref)
  (data (i32.const 0) "answer")
  (data (i32.const 32) "ans")
  (data (i32.const 128) "addstart ")
  (data (i32.const 256) "add failed: unknown import: coral has no function")
  (data (i32.const 320) "add failed: start function trapped in function 0 (start): unreachable")
  (data (i32.const 400) "add failed: ")
  (data (i32.const 416) "idle")
  (data (i32.const 432) "running")
  (data (i32.const 448) "addstart kill latency: ")
  (data (i32.const 480) " us")
  @CHILDREN@
  @LIB@

  @LIB_STARTED@
  @LIB_SPAWN@
  (global $baseline (mut i64) (i64.const 0))

  (func $sleep (param $ns i64)
    (local $until i64)
    (local.set $until (i64.add (call $clock) (local.get $ns)))
    (loop $w (br_if $w (i64.lt_u (call $clock) (local.get $until)))))
  (func $infoc (param $c externref) (param $key i32) (result i64)
    (local $v i64)
    (call $info (local.get $c) (local.get $key))
    (local.set $v)
    (call $check32 (i32.const 0))
    (local.get $v))
  ;; component_add_start of module $h[m] into $h[c], named by bytes
  ;; [off, off+len) of our memory; the result must be want
  (func $as (param $c i32) (param $m i32) (param $off i64) (param $len i64) (param $want i32)
    (call $check32 (call $add_start (table.get $h (local.get $c)) (table.get $h (local.get $m))
                                    (table.get $self (i32.const 0)) (local.get $off)
                                    (local.get $len))
                   (local.get $want)))
  ;; $h[c]'s description starts with the n bytes at p
  (func $described (param $c i32) (param $p i32) (param $n i32)
    (local $len i64)
    (call $describe (table.get $h (local.get $c)) (table.get $self (i32.const 0))
                    (i64.const 1024) (i64.const 200))
    (local.set $len)
    (call $check32 (i32.const 0))
    (call $check32 (i64.ge_s (local.get $len) (i64.extend_i32_u (local.get $n))) (i32.const 1))
    (call $check32 (call $same (i32.const 1024) (local.get $p) (local.get $n)) (i32.const 1)))
  ;; $h[c]'s description is exactly the n bytes at p
  (func $described_as (param $c i32) (param $p i32) (param $n i32)
    (local $len i64)
    (call $describe (table.get $h (local.get $c)) (table.get $self (i32.const 0))
                    (i64.const 1024) (i64.const 200))
    (local.set $len)
    (call $check32 (i32.const 0))
    (call $check (local.get $len) (i64.extend_i32_u (local.get $n)))
    (call $check32 (call $same (i32.const 1024) (local.get $p) (local.get $n)) (i32.const 1)))
  ;; waits (up to 5 s) until $h[c]'s thread has ended (info key 7)
  (func $ended (param $c i32) (result i64)
    (local $until i64)
    (local.set $until (i64.add (call $clock) (i64.const 5000000000)))
    (loop $w
      (call $info (table.get $h (local.get $c)) (i32.const 7))
      (br_if $w (i32.and (i64.eqz) (i64.lt_u (call $clock) (local.get $until))))
      (drop))
    (call $infoc (table.get $h (local.get $c)) (i32.const 7)))

  (func (export "init") (result i32)
    (local $v i64) (local $lat i64)
    (global.set $baseline (call $sys_info (i32.const 3)))
    (call $mc (table.get $self (i32.const 0)) (global.get $answer_off) (global.get $answer_len)
              (i32.const 0) (i32.const 0))
    (call $mc (table.get $self (i32.const 0)) (global.get $unlinkable_off)
              (global.get $unlinkable_len) (i32.const 1) (i32.const 0))
    (call $mc (table.get $self (i32.const 0)) (global.get $start_traps_off)
              (global.get $start_traps_len) (i32.const 2) (i32.const 0))
    (call $mc (table.get $self (i32.const 0)) (global.get $start_loops_off)
              (global.get $start_loops_len) (i32.const 3) (i32.const 0))
    (call $cc (i32.const 8))

    ;; hostile arguments: 1, and nothing queued
    (call $check32 (call $add_start (ref.null extern) (table.get $h (i32.const 0))
                                    (ref.null extern) (i64.const 0) (i64.const 0)) (i32.const 1))
    (call $as (i32.const 8) (i32.const 8) (i64.const 0) (i64.const 0) (i32.const 1))
    (call $as (i32.const 8) (i32.const 15) (i64.const 0) (i64.const 0) (i32.const 1))
    (call $as (i32.const 8) (i32.const 0) (i64.const 0) (i64.const 65) (i32.const 1))
    (call $as (i32.const 8) (i32.const 0) (i64.const 0) (i64.const -1) (i32.const 1))
    (call $as (i32.const 8) (i32.const 0) (i64.const 131070) (i64.const 6) (i32.const 1))
    (call $as (i32.const 8) (i32.const 0) (i64.const -3) (i64.const 6) (i32.const 1))
    (call $check32 (call $add_start (table.get $h (i32.const 8)) (table.get $h (i32.const 0))
                                    (table.get $handles (i32.const 0)) (i64.const 0) (i64.const 3))
                   (i32.const 0))   ;; the screen is a readable area: a name of 3 bytes
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const 0))
    (call $check32 (global.get $st) (i32.const 0))
    (call $check (call $infoc (table.get $h (i32.const 8)) (i32.const 4)) (i64.const 1))

    ;; unnamed (length 0: the area is not read), then named: indices 1, 2
    (call $check32 (call $add_start (table.get $h (i32.const 8)) (table.get $h (i32.const 0))
                                    (ref.null extern) (i64.const -5) (i64.const 0)) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const 1))
    (call $check32 (global.get $st) (i32.const 0))
    (call $as (i32.const 8) (i32.const 0) (i64.const 32) (i64.const 3) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const 2))
    (call $check32 (global.get $st) (i32.const 0))
    (call $startc (table.get $h (i32.const 8)) (i64.const 0) (i64.const 6) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const 42))
    (call $described_as (i32.const 8) (i32.const 416) (i32.const 4))

    ;; a link error: idle, -1, the reason described; the component lives on
    (call $as (i32.const 8) (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const -1))
    (call $check32 (global.get $st) (i32.const 0))
    (call $described (i32.const 8) (i32.const 256) (i32.const 49))
    (call $check (call $infoc (table.get $h (i32.const 8)) (i32.const 7)) (i64.const 0))
    (call $check (call $infoc (table.get $h (i32.const 8)) (i32.const 4)) (i64.const 3))
    ;; a start function that traps: the same
    (call $as (i32.const 8) (i32.const 2) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const -1))
    (call $check32 (global.get $st) (i32.const 0))
    (call $described_as (i32.const 8) (i32.const 320) (i32.const 69))
    ;; the next started work that succeeds clears the reason
    (call $startc (table.get $h (i32.const 8)) (i64.const 0) (i64.const 6) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const 42))
    (call $described_as (i32.const 8) (i32.const 416) (i32.const 4))
    ;; past the instance limit: -1, described
    (call $check32 (call $limit (table.get $h (i32.const 8)) (i32.const 2) (i64.const 3))
                   (i32.const 0))
    (call $as (i32.const 8) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 8))) (i64.const -1))
    (call $described (i32.const 8) (i32.const 400) (i32.const 12))
    (call $check (call $infoc (table.get $h (i32.const 8)) (i32.const 4)) (i64.const 3))
    ;; two adds queued at once: done in order, the value is the last's
    (call $cc (i32.const 9))
    (call $as (i32.const 9) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $as (i32.const 9) (i32.const 0) (i64.const 32) (i64.const 3) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 9))) (i64.const 1))
    (call $check (call $infoc (table.get $h (i32.const 9)) (i32.const 4)) (i64.const 2))

    ;; a start function that never returns: running, then killed; its
    ;; thread ends, within the kill latency bound, and it takes no more
    (call $cc (i32.const 10))
    (call $as (i32.const 10) (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $sleep (i64.const 200000000))
    (call $status (table.get $h (i32.const 10)))
    (drop)
    (call $check32 (i32.const 1))
    (call $described_as (i32.const 10) (i32.const 432) (i32.const 7))
    (call $check32 (i64.gt_s (call $infoc (table.get $h (i32.const 10)) (i32.const 2))
                             (i64.const 50000000)) (i32.const 1))
    (call $check32 (call $kill (table.get $h (i32.const 10))) (i32.const 0))
    (call $status (table.get $h (i32.const 10)))
    (drop)
    (call $check32 (i32.const 3))
    (call $check (call $ended (i32.const 10)) (i64.const 1))
    (call $status (table.get $h (i32.const 10)))
    (drop)
    (call $check32 (i32.const 3))
    (local.set $lat (call $infoc (table.get $h (i32.const 10)) (i32.const 8)))
    (call $check32 (i64.ge_s (local.get $lat) (i64.const 0)) (i32.const 1))
    (call $check32 (i64.lt_s (local.get $lat) (i64.const 10000000)) (i32.const 1))
    (call $emit (i32.const 448) (i32.const 23))
    (call $emit_num (i64.div_s (local.get $lat) (i64.const 1000)))
    (call $emit (i32.const 480) (i32.const 3))
    (call $line)
    (call $as (i32.const 10) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 1))
    ;; an add queued behind the endless one is refused with it
    (call $cc (i32.const 11))
    (call $as (i32.const 11) (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $as (i32.const 11) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $sleep (i64.const 50000000))
    (call $check32 (call $kill (table.get $h (i32.const 11))) (i32.const 0))
    (call $check (call $ended (i32.const 11)) (i64.const 1))
    (call $status (table.get $h (i32.const 11)))
    (drop)
    (call $check32 (i32.const 3))
    (call $check (call $infoc (table.get $h (i32.const 11)) (i32.const 4)) (i64.const 0))

    ;; a dropped handle ends it too: nothing is left
    (call $cc (i32.const 12))
    (call $as (i32.const 12) (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0))
    (call $sleep (i64.const 50000000))
    (call $check32 (call $drop (table.get $h (i32.const 12))) (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 8))))
    (drop (call $drop (table.get $h (i32.const 9))))
    (drop (call $drop (table.get $h (i32.const 10))))
    (drop (call $drop (table.get $h (i32.const 11))))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline))
    (call $summary))
)
