;; A userboot that calls the device capability functions of the coral
;; module (issue 18: ioport_range, port_in, port_out, irq_line, irq_ack)
;; with hostile arguments at the externref level the C SDK never reaches:
;; null, stale (dropped, slot reused) and wrong-kind handles in the handle
;; position of each; ports, widths, counts and lines at i32's extremes;
;; handles lacking the right each call needs (made by handle_duplicate);
;; a revoked handle; a line held alive by a wait set after its handle's
;; drop (still claimed), then freed. It uses the roots userboot is
;; granted: handles[3] (ports) and handles[4] (lines). Every check
;; compares a result with the one docs/abi.md promises, and that a refused
;; call made no handle. The round runs twice: after each the kernel's live
;; objects are back at their baseline (sys_info 11), after the second the
;; heap (key 2) is where the first left it. Only the RTC's index port is
;; ever written (with register 0x0a, A, which reads harmlessly), so it runs
;; as well over the hosted build's latches. "hostdev: N passed, N failed"
;; goes to the log. tests/qemu/test_devcap.py boots it in QEMU,
;; tests/runtime/test_coral.py in the hosted build under ASan.
(module
  (import "coral" "handles" (table $handles 5 externref))
  (import "coral" "handle_kind" (func $kind (param externref) (result i32)))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (import "coral" "vma_create" (func $vma_create (param i64) (result i32 externref)))
  (import "coral" "log_write" (func $log (param externref i64 i64) (result i32)))
  (import "coral" "sys_info" (func $sys_info (param i32) (result i64)))
  (import "coral" "handle_duplicate"
    (func $handle_duplicate (param externref i32) (result i32 externref)))
  (import "coral" "handle_revocable"
    (func $handle_revocable (param externref i32) (result i32 externref externref)))
  (import "coral" "revoke" (func $revoke (param externref) (result i32)))
  (import "coral" "channel_create" (func $channel_create (result i32 externref externref)))
  (import "coral" "waitset_create" (func $waitset_create (result i32 externref)))
  (import "coral" "waitset_add"
    (func $ws_add (param externref externref i32 i64) (result i32)))
  (import "coral" "wait_one" (func $wait_one (param externref i32 i64) (result i32 i32)))
  (import "coral" "ioport_range"
    (func $ioport_range (param externref i32 i32) (result i32 externref)))
  (import "coral" "port_in" (func $port_in (param externref i32 i32) (result i32 i32)))
  (import "coral" "port_out" (func $port_out (param externref i32 i32 i32) (result i32)))
  (import "coral" "irq_line" (func $irq_line (param externref i32) (result i32 externref)))
  (import "coral" "irq_ack" (func $irq_ack (param externref) (result i32 i64)))
  (memory 1)
  (table $self 1 externref)
  ;; handles this program makes, by slot
  (table $h 32 externref)
  (data (i32.const 128) "hostdev: ")

  @LIB@

  (global $base_obj (mut i64) (i64.const 0))

  (func $self (result externref) (table.get $self (i32.const 0)))
  (func $g (param $slot i32) (result externref) (table.get $h (local.get $slot)))
  (func $ports (result externref) (table.get $handles (i32.const 3)))
  (func $irqs (result externref) (table.get $handles (i32.const 4)))
  (func $null (result externref) (ref.null extern))

  ;; ioport_range into $h[slot]; refused, the handle must be null
  (func $rng (param $p externref) (param $first i32) (param $count i32) (param $slot i32)
             (param $want i32)
    (local $e externref)
    (call $ioport_range (local.get $p) (local.get $first) (local.get $count))
    (local.set $e)
    (call $check32 (local.get $want))
    (if (local.get $want)
      (then (call $check32 (ref.is_null (local.get $e)) (i32.const 1))))
    (table.set $h (local.get $slot) (local.get $e)))
  (func $pin (param $p externref) (param $port i32) (param $w i32) (param $want i32)
    (local $v i32)
    (call $port_in (local.get $p) (local.get $port) (local.get $w))
    (local.set $v)
    (call $check32 (local.get $want))
    (if (local.get $want) (then (call $check32 (local.get $v) (i32.const 0)))))
  (func $pout (param $p externref) (param $port i32) (param $w i32) (param $v i32)
              (param $want i32)
    (call $check32 (call $port_out (local.get $p) (local.get $port) (local.get $w)
                                   (local.get $v))
                   (local.get $want)))
  (func $irql (param $q externref) (param $l i32) (param $slot i32) (param $want i32)
    (local $e externref)
    (call $irq_line (local.get $q) (local.get $l))
    (local.set $e)
    (call $check32 (local.get $want))
    (if (local.get $want)
      (then (call $check32 (ref.is_null (local.get $e)) (i32.const 1))))
    (table.set $h (local.get $slot) (local.get $e)))
  (func $ack (param $q externref) (param $want i32)
    (local $n i64)
    (call $irq_ack (local.get $q))
    (local.set $n)
    (call $check32 (local.get $want))
    (call $check (local.get $n) (i64.const 0)))
  (func $dup (param $x externref) (param $rights i32) (param $slot i32)
    (local $e externref)
    (call $handle_duplicate (local.get $x) (local.get $rights))
    (local.set $e)
    (call $check32 (i32.const 0))
    (table.set $h (local.get $slot) (local.get $e)))
  ;; every call with handle x in its handle position: refused with want
  (func $all_refuse (param $x externref) (param $want i32)
    (call $rng (local.get $x) (i32.const 0x70) (i32.const 2) (i32.const 31) (local.get $want))
    (call $pin (local.get $x) (i32.const 0x70) (i32.const 1) (local.get $want))
    (call $pout (local.get $x) (i32.const 0x70) (i32.const 1) (i32.const 0x0a)
                (local.get $want))
    (call $irql (local.get $x) (i32.const 5) (i32.const 31) (local.get $want))
    (call $ack (local.get $x) (local.get $want)))

  (func $round
    (local $a externref) (local $b externref) (local $e externref) (local $obs i32)
    ;; ---- the roots ----
    (call $check32 (call $kind (call $ports)) (i32.const 7))
    (call $check32 (call $kind (call $irqs)) (i32.const 8))

    ;; ---- null, wrong kinds, stale ----
    (call $all_refuse (call $null) (i32.const 1))
    (call $all_refuse (call $self) (i32.const 1))
    (call $channel_create)
    (local.set $b)
    (local.set $a)
    (call $check32 (i32.const 0))
    (call $all_refuse (local.get $a) (i32.const 1))
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $b)))
    (call $all_refuse (local.get $a) (i32.const 1))          ;; stale
    ;; a port range where lines are wanted and the other way round
    (call $irql (call $ports) (i32.const 5) (i32.const 31) (i32.const 1))
    (call $ack (call $ports) (i32.const 1))
    (call $rng (call $irqs) (i32.const 0x70) (i32.const 2) (i32.const 31) (i32.const 1))
    (call $pin (call $irqs) (i32.const 0x70) (i32.const 1) (i32.const 1))
    (call $pout (call $irqs) (i32.const 0x70) (i32.const 1) (i32.const 0) (i32.const 1))
    (call $ack (call $irqs) (i32.const 1))                   ;; a set has no interrupt

    ;; ---- numbers at the extremes ----
    (call $rng (call $ports) (i32.const 0x70) (i32.const 0) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0x70) (i32.const -1) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0x70) (i32.const 0x7fffffff) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0x70) (i32.const 0x80000000) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const -1) (i32.const 1) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0x80000000) (i32.const 2) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0xfffffff0) (i32.const 0x20) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0xffff) (i32.const 2) (i32.const 31) (i32.const 1))
    (call $rng (call $ports) (i32.const 0xffff) (i32.const 1) (i32.const 31) (i32.const 5))
    (call $rng (call $ports) (i32.const 0) (i32.const 0x10000) (i32.const 31) (i32.const 5))
    (call $rng (call $ports) (i32.const 0xf4) (i32.const 1) (i32.const 31) (i32.const 5))
    (call $rng (call $ports) (i32.const 0x3f8) (i32.const 9) (i32.const 31) (i32.const 5))
    (call $rng (call $ports) (i32.const 0x61) (i32.const 1) (i32.const 31) (i32.const 5))
    (call $rng (call $ports) (i32.const 0xcf8) (i32.const 8) (i32.const 31) (i32.const 5))
    (call $pin (call $ports) (i32.const 0x70) (i32.const 3) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x70) (i32.const 0) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x70) (i32.const -1) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x70) (i32.const 0x80000004) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x70) (i32.const 0x80000001) (i32.const 1))
    (call $pin (call $ports) (i32.const -1) (i32.const 1) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x80000070) (i32.const 1) (i32.const 1))
    (call $pin (call $ports) (i32.const 0x10070) (i32.const 1) (i32.const 1))
    (call $pin (call $ports) (i32.const 0xffff) (i32.const 4) (i32.const 5))
    (call $pin (call $ports) (i32.const 0x71) (i32.const 4) (i32.const 5))
    (call $pin (call $ports) (i32.const 0x20) (i32.const 1) (i32.const 5))
    (call $pout (call $ports) (i32.const 0xf4) (i32.const 1) (i32.const -1) (i32.const 5))
    (call $pout (call $ports) (i32.const 0x70) (i32.const 3) (i32.const -1) (i32.const 1))
    (call $irql (call $irqs) (i32.const -1) (i32.const 31) (i32.const 1))
    (call $irql (call $irqs) (i32.const 0x80000000) (i32.const 31) (i32.const 1))
    (call $irql (call $irqs) (i32.const 0x7fffffff) (i32.const 31) (i32.const 1))
    (call $irql (call $irqs) (i32.const 16) (i32.const 31) (i32.const 1))
    (call $irql (call $irqs) (i32.const 0) (i32.const 31) (i32.const 5))
    (call $irql (call $irqs) (i32.const 2) (i32.const 31) (i32.const 5))
    (call $irql (call $irqs) (i32.const 0x102) (i32.const 31) (i32.const 1))
    (call $irql (call $irqs) (i32.const -2) (i32.const 31) (i32.const 1))

    ;; ---- rights ----
    (call $rng (call $ports) (i32.const 0x70) (i32.const 2) (i32.const 0) (i32.const 0))
    (call $dup (call $g (i32.const 0)) (i32.const 4) (i32.const 1))   ;; transfer only
    (call $rng (call $g (i32.const 1)) (i32.const 0x70) (i32.const 2) (i32.const 31) (i32.const 5))
    (call $pin (call $g (i32.const 1)) (i32.const 0x70) (i32.const 1) (i32.const 5))
    (call $pout (call $g (i32.const 1)) (i32.const 0x70) (i32.const 1) (i32.const 0x0a)
                (i32.const 5))
    (call $irql (call $g (i32.const 1)) (i32.const 5) (i32.const 31) (i32.const 1))  ;; kind first
    (call $dup (call $g (i32.const 0)) (i32.const 2) (i32.const 2))   ;; write only
    (call $pin (call $g (i32.const 2)) (i32.const 0x70) (i32.const 1) (i32.const 5))
    (call $pout (call $g (i32.const 2)) (i32.const 0x70) (i32.const 1) (i32.const 0x0a)
                (i32.const 0))
    (call $rng (call $g (i32.const 2)) (i32.const 0x70) (i32.const 1) (i32.const 31) (i32.const 5))
    (call $pout (call $g (i32.const 0)) (i32.const 0x70) (i32.const 1) (i32.const 0x0a)
                (i32.const 0))
    (call $pin (call $g (i32.const 0)) (i32.const 0x70) (i32.const 1) (i32.const 0))
    (call $dup (call $irqs) (i32.const 0x18) (i32.const 3))           ;; wait, duplicate
    (call $irql (call $g (i32.const 3)) (i32.const 5) (i32.const 31) (i32.const 5))
    (call $irql (call $irqs) (i32.const 5) (i32.const 4) (i32.const 0))
    (call $dup (call $g (i32.const 4)) (i32.const 0x20) (i32.const 5)) ;; control only
    (call $ack (call $g (i32.const 5)) (i32.const 5))
    (call $ack (call $g (i32.const 4)) (i32.const 0))
    (call $irql (call $irqs) (i32.const 5) (i32.const 31) (i32.const 11))   ;; claimed
    (call $irql (call $g (i32.const 5)) (i32.const 5) (i32.const 31) (i32.const 11))

    ;; ---- revoked ----
    (call $handle_revocable (call $g (i32.const 0)) (i32.const 0x2f))   ;; all a range has
    (local.set $b)
    (local.set $a)
    (call $check32 (i32.const 0))
    (call $pin (local.get $a) (i32.const 0x70) (i32.const 1) (i32.const 0))
    (call $check32 (call $revoke (local.get $b)) (i32.const 0))
    (call $pin (local.get $a) (i32.const 0x70) (i32.const 1) (i32.const 10))
    (call $pout (local.get $a) (i32.const 0x70) (i32.const 1) (i32.const 0x0a) (i32.const 10))
    (call $rng (local.get $a) (i32.const 0x70) (i32.const 1) (i32.const 31) (i32.const 10))
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $b)))
    (call $handle_revocable (call $g (i32.const 4)) (i32.const 0x3c))   ;; all a line has
    (local.set $b)
    (local.set $a)
    (call $check32 (i32.const 0))
    (call $check32 (call $revoke (local.get $b)) (i32.const 0))
    (call $ack (local.get $a) (i32.const 10))
    (call $wait_one (local.get $a) (i32.const 1) (i64.const 0))
    (local.set $obs)
    (call $check32 (i32.const 10))
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $b)))

    ;; ---- a line kept by a wait set stays claimed, then goes ----
    (call $waitset_create)
    (local.set $e)
    (call $check32 (i32.const 0))
    (call $check32 (call $ws_add (local.get $e) (call $g (i32.const 4)) (i32.const 1)
                                 (i64.const 5))
                   (i32.const 0))
    (call $check32 (call $drop (call $g (i32.const 4))) (i32.const 0))
    (call $check32 (call $drop (call $g (i32.const 5))) (i32.const 0))
    (call $irql (call $irqs) (i32.const 5) (i32.const 31) (i32.const 11))
    (call $check32 (call $drop (local.get $e)) (i32.const 0))
    (call $irql (call $irqs) (i32.const 5) (i32.const 6) (i32.const 0))
    (call $check32 (call $drop (call $g (i32.const 6))) (i32.const 0))

    (drop (call $drop (call $g (i32.const 0))))
    (drop (call $drop (call $g (i32.const 1))))
    (drop (call $drop (call $g (i32.const 2))))
    (drop (call $drop (call $g (i32.const 3))))
    (call $check (call $sys_info (i32.const 11)) (global.get $base_obj)))

  (func (export "init") (result i32)
    (local $heap i64)
    (global.set $base_obj (call $sys_info (i32.const 11)))
    (call $round)
    (local.set $heap (call $sys_info (i32.const 2)))
    (call $round)
    (call $check (call $sys_info (i32.const 2)) (local.get $heap))
    (call $summary))
)
