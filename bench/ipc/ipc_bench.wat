;; ipc_bench.wat — what a channel costs between two components (issue 16),
;; measured from inside a program with clock_ns. Component A (this
;; program, run as userboot: by build/atoll-coral on Linux, or by the
;; kernel as its first program) makes component B from the embedded
;; ipc_child.wat (component_create, component_grant of one endpoint of a
;; new channel, component_add_instance, component_start of a loop), then:
;;
;;   round trip  A writes 8 bytes (a sequence number, no handles), waits
;;               readable (wait_one) and reads B's echo, checking it;
;;               B: wait_one, channel_read, channel_write back ("echo").
;;   call        the same round trip with one channel_call on each side
;;               (A: write, wait, read the reply; B: reply, wait, read the
;;               next), B's first message excepted.
;;   stream      A writes 64 KiB messages; when the queue is full (6) it
;;               waits writable and tries again; B reads them and acks
;;               every @STREAM@ messages with 8 bytes ("sink"), the count
;;               it has read, which A waits for and checks at the end of
;;               each batch, so a batch is timed until B has them all.
;;
;; Each part runs a warm-up (not timed), then @BATCHES@ batches of
;; @ROUNDS@ round trips or @STREAM@ messages, and prints one line per
;; batch, "coral-bench: ipc_round_trip N ns" (per round trip) or
;; "coral-bench: ipc_call_round_trip N ns" (per round trip),
;; "coral-bench: ipc_stream_64k N ns" (per 64 KiB message), for
;; bench/ipc/measure.py, which takes the median of the batches and fills
;; the @...@ markers (more rounds natively than under QEMU). A failure
;; prints "coral-bench: ipc_failed STEP step" and stops. Last,
;; "coral-bench: done".
(module
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create" (func $component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (import "coral" "component_grant" (func $grant (param externref externref) (result i32 i32)))
  (import "coral" "component_start"
    (func $start (param externref i32 externref i64 i64 i64) (result i32)))
  (import "coral" "channel_create" (func $channel_create (result i32 externref externref)))
  (import "coral" "channel_write"
    (func $write (param externref externref i64 i64 externref externref externref externref)
                 (result i32)))
  (import "coral" "channel_read"
    (func $read (param externref externref i64 i64)
                (result i32 i64 i32 externref externref externref externref)))
  (import "coral" "wait_one" (func $wait (param externref i32 i64) (result i32 i32)))
  (import "coral" "channel_call"
    (func $call (param externref externref i64 i64 i64 i64 i64
                       externref externref externref externref)
                (result i32 i64 i32 externref externref externref externref)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (import "coral" "log_write" (func $log (param externref i64 i64) (result i32)))
  (import "coral" "clock_ns" (func $clock (result i64)))
  ;; 0..64 KiB: text, the round trip's message (8192) and reply (8256),
  ;; the child's bytes (16384); 64 KiB..128 KiB: the stream's message;
  ;; 131072: the stream's ack
  (memory 3)
  ;; index 0: this instance's memory, filled by the kernel
  (table $self 1 externref)
  (global $pos (mut i32) (i32.const 4096))
  ;; round trips sent, 64 KiB messages sent (what the acks must say)
  (global $seq (mut i64) (i64.const 0))
  (global $sent (mut i64) (i64.const 0))
  (data (i32.const 0) "echo")
  (data (i32.const 8) "sink")
  (data (i32.const 16) "coral-bench: ")
  (data (i32.const 32) " ns\n")
  (data (i32.const 40) " step\n")
  (data (i32.const 48) "ipc_round_trip")
  (data (i32.const 64) "ipc_stream_64k")
  (data (i32.const 80) "ipc_failed")
  (data (i32.const 96) "done")
  (data (i32.const 112) "ipc_call_round_trip")
  (data (i32.const 136) "serv")
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
  ;; "coral-bench: NAME <total/n> UNIT", the unit text at $unit
  (func $report_unit (param $name i32) (param $len i32) (param $total i64) (param $n i64)
                     (param $unit i32) (param $ulen i32)
    (call $emit (i32.const 16) (i32.const 13))
    (call $emit (local.get $name) (local.get $len))
    (call $emit (i32.const 30) (i32.const 1))
    (call $emit_num (i64.div_u (local.get $total) (local.get $n)))
    (call $emit (local.get $unit) (local.get $ulen))
    (drop (call $log (table.get $self (i32.const 0)) (i64.const 4096)
                (i64.extend_i32_u (i32.sub (global.get $pos) (i32.const 4096)))))
    (global.set $pos (i32.const 4096)))
  (func $report (param $name i32) (param $len i32) (param $total i64) (param $n i64)
    (call $report_unit (local.get $name) (local.get $len) (local.get $total) (local.get $n)
      (i32.const 32) (i32.const 4)))
  ;; reports the failing step; init returns it
  (func $fail (param $step i32) (result i32)
    (call $report_unit (i32.const 80) (i32.const 10) (i64.extend_i32_u (local.get $step))
      (i64.const 1) (i32.const 40) (i32.const 6))
    (local.get $step))

  ;; $count round trips on endpoint $a: 0, or the step that failed
  (func $round_trips (param $a externref) (param $mem externref) (param $count i32) (result i32)
    (local $i i32) (local $len i64)
    (loop $l
      (i64.store (i32.const 8192) (global.get $seq))
      (if (call $write (local.get $a) (local.get $mem) (i64.const 8192) (i64.const 8)
                       (ref.null extern) (ref.null extern) (ref.null extern) (ref.null extern))
        (then (return (i32.const 20))))
      ;; readable or peer closed (1 | 4), no deadline
      (call $wait (local.get $a) (i32.const 5) (i64.const -1))
      (drop)
      (if (then (return (i32.const 21))))
      (call $read (local.get $a) (local.get $mem) (i64.const 8256) (i64.const 64))
      (drop) (drop) (drop) (drop) (drop)
      (local.set $len)
      (if (then (return (i32.const 22))))
      (if (i64.ne (local.get $len) (i64.const 8)) (then (return (i32.const 23))))
      (if (i64.ne (i64.load (i32.const 8256)) (global.get $seq)) (then (return (i32.const 24))))
      (global.set $seq (i64.add (global.get $seq) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $count))))
    (i32.const 0))

;; $count round trips on endpoint $a, each one channel_call: 0, or the
  ;; step that failed
  (func $call_trips (param $a externref) (param $mem externref) (param $count i32) (result i32)
    (local $i i32) (local $len i64)
    (loop $l
      (i64.store (i32.const 8192) (global.get $seq))
      (call $call (local.get $a) (local.get $mem) (i64.const 8192) (i64.const 8)
                  (i64.const 8256) (i64.const 64) (i64.const -1)
                  (ref.null extern) (ref.null extern) (ref.null extern) (ref.null extern))
      (drop) (drop) (drop) (drop) (drop)
      (local.set $len)
      (if (then (return (i32.const 40))))
      (if (i64.ne (local.get $len) (i64.const 8)) (then (return (i32.const 41))))
      (if (i64.ne (i64.load (i32.const 8256)) (global.get $seq)) (then (return (i32.const 42))))
      (global.set $seq (i64.add (global.get $seq) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $count))))
    (i32.const 0))

  ;; $count 64 KiB messages on endpoint $a, then B's ack: 0, or the step
  ;; that failed
  (func $stream (param $a externref) (param $mem externref) (param $count i32) (result i32)
    (local $i i32) (local $st i32) (local $len i64)
    (loop $l
      (local.set $st (call $write (local.get $a) (local.get $mem) (i64.const 65536)
                                  (i64.const 65536) (ref.null extern) (ref.null extern)
                                  (ref.null extern) (ref.null extern)))
      (if (i32.eq (local.get $st) (i32.const 6))
        (then
          ;; the queue is full: writable or peer closed (2 | 4)
          (call $wait (local.get $a) (i32.const 6) (i64.const -1))
          (drop)
          (if (then (return (i32.const 30))))
          (br $l)))
      (if (local.get $st) (then (return (i32.const 31))))
      (global.set $sent (i64.add (global.get $sent) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $count))))
    (call $wait (local.get $a) (i32.const 5) (i64.const -1))
    (drop)
    (if (then (return (i32.const 32))))
    (call $read (local.get $a) (local.get $mem) (i64.const 131072) (i64.const 64))
    (drop) (drop) (drop) (drop) (drop)
    (local.set $len)
    (if (then (return (i32.const 33))))
    (if (i64.ne (local.get $len) (i64.const 8)) (then (return (i32.const 34))))
    (if (i64.ne (i64.load (i32.const 131072)) (global.get $sent)) (then (return (i32.const 35))))
    (i32.const 0))

  ;; B: a new component with one instance of the child, granted $peer
  ;; (which this component then drops), started on export $name (4 bytes
  ;; at $name) with $arg. Null when a step failed.
  (func $spawn (param $m externref) (param $peer externref) (param $mem externref)
               (param $name i32) (param $arg i64) (result externref)
    (local $c externref) (local $inst i32)
    (call $component_create)
    (local.set $c)
    (if (then (return (ref.null extern))))
    (call $grant (local.get $c) (local.get $peer))
    (drop)
    (if (then (return (ref.null extern))))
    (drop (call $drop (local.get $peer)))
    (call $add (local.get $c) (local.get $m))
    (local.set $inst)
    (if (then (return (ref.null extern))))
    (if (call $start (local.get $c) (local.get $inst) (local.get $mem)
                     (i64.extend_i32_u (local.get $name)) (i64.const 4) (local.get $arg))
      (then (return (ref.null extern))))
    (local.get $c))

  (func (export "init") (result i32)
    (local $mem externref) (local $m externref) (local $a externref) (local $b externref)
    (local $c externref) (local $st i32) (local $batch i32) (local $t i64)
    (local.set $mem (table.get $self (i32.const 0)))
    (i32.store8 (i32.const 30) (i32.const 32))
    (call $module_create (local.get $mem) (global.get $child_off) (global.get $child_len))
    (local.set $m)
    (if (then (return (call $fail (i32.const 1)))))

    ;; round trip
    (call $channel_create)
    (local.set $b)
    (local.set $a)
    (if (then (return (call $fail (i32.const 2)))))
    (local.set $c (call $spawn (local.get $m) (local.get $b) (local.get $mem) (i32.const 0)
                               (i64.const 0)))
    (if (ref.is_null (local.get $c)) (then (return (call $fail (i32.const 3)))))
    (local.set $st (call $round_trips (local.get $a) (local.get $mem) (i32.const 100)))
    (if (local.get $st) (then (return (call $fail (local.get $st)))))
    (local.set $batch (i32.const 0))
    (loop $l
      (local.set $t (call $clock))
      (local.set $st (call $round_trips (local.get $a) (local.get $mem) (i32.const @ROUNDS@)))
      (local.set $t (i64.sub (call $clock) (local.get $t)))
      (if (local.get $st) (then (return (call $fail (local.get $st)))))
      (call $report (i32.const 48) (i32.const 14) (local.get $t) (i64.const @ROUNDS@))
      (local.set $batch (i32.add (local.get $batch) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $batch) (i32.const @BATCHES@))))
    ;; B's echo sees peer closed and returns; its last handle goes
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $c)))

    ;; round trip, one channel_call each side
    (call $channel_create)
    (local.set $b)
    (local.set $a)
    (if (then (return (call $fail (i32.const 6)))))
    (local.set $c (call $spawn (local.get $m) (local.get $b) (local.get $mem) (i32.const 136)
                               (i64.const 0)))
    (if (ref.is_null (local.get $c)) (then (return (call $fail (i32.const 7)))))
    (local.set $st (call $call_trips (local.get $a) (local.get $mem) (i32.const 100)))
    (if (local.get $st) (then (return (call $fail (local.get $st)))))
    (local.set $batch (i32.const 0))
    (loop $l
      (local.set $t (call $clock))
      (local.set $st (call $call_trips (local.get $a) (local.get $mem) (i32.const @ROUNDS@)))
      (local.set $t (i64.sub (call $clock) (local.get $t)))
      (if (local.get $st) (then (return (call $fail (local.get $st)))))
      (call $report (i32.const 112) (i32.const 19) (local.get $t) (i64.const @ROUNDS@))
      (local.set $batch (i32.add (local.get $batch) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $batch) (i32.const @BATCHES@))))
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $c)))

    ;; stream
    (call $channel_create)
    (local.set $b)
    (local.set $a)
    (if (then (return (call $fail (i32.const 4)))))
    (local.set $c (call $spawn (local.get $m) (local.get $b) (local.get $mem) (i32.const 8)
                               (i64.const @STREAM@)))
    (if (ref.is_null (local.get $c)) (then (return (call $fail (i32.const 5)))))
    (local.set $st (call $stream (local.get $a) (local.get $mem) (i32.const @STREAM@)))
    (if (local.get $st) (then (return (call $fail (local.get $st)))))
    (local.set $batch (i32.const 0))
    (loop $l
      (local.set $t (call $clock))
      (local.set $st (call $stream (local.get $a) (local.get $mem) (i32.const @STREAM@)))
      (local.set $t (i64.sub (call $clock) (local.get $t)))
      (if (local.get $st) (then (return (call $fail (local.get $st)))))
      (call $report (i32.const 64) (i32.const 14) (local.get $t) (i64.const @STREAM@))
      (local.set $batch (i32.add (local.get $batch) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $batch) (i32.const @BATCHES@))))
    (drop (call $drop (local.get $a)))
    (drop (call $drop (local.get $c)))
    (drop (call $drop (local.get $m)))
    (call $report (i32.const 96) (i32.const 4) (i64.const 0) (i64.const 1))
    (i32.const 0))
)
