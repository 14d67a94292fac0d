;; ipc_child.wat — component B of bench/ipc/ipc_bench.wat: a component
;; with one instance, granted one channel endpoint (handles[0]), started
;; (component_start) on one of two exports that loop until the peer closes:
;;
;;   echo    the round trip: wait_one readable|peer closed, channel_read,
;;           channel_write of the same bytes back; returns how many.
;;   serve   the round trip with channel_call: the first message by
;;           wait_one and channel_read, then each reply and the next
;;           message in one channel_call; returns how many.
;;   sink    the stream: reads messages as they come (reading first, and
;;           waiting only when the queue is empty, as a reader that
;;           keeps up would) and, after every $every of them, writes an
;;           8-byte ack holding how many it has read; returns how many.
;;
;; No handles travel in either direction: the figures are of the channel
;; itself. Any unexpected result ends the loop, so A's wait for the next
;; reply sees peer closed and reports the failure instead of hanging.
(module
  (import "coral" "handles" (table $granted 1 externref))
  (import "coral" "channel_read"
    (func $read (param externref externref i64 i64)
                (result i32 i64 i32 externref externref externref externref)))
  (import "coral" "channel_write"
    (func $write (param externref externref i64 i64 externref externref externref externref)
                 (result i32)))
  (import "coral" "wait_one" (func $wait (param externref i32 i64) (result i32 i32)))
  (import "coral" "channel_call"
    (func $call (param externref externref i64 i64 i64 i64 i64
                       externref externref externref externref)
                (result i32 i64 i32 externref externref externref externref)))
  ;; 64 KiB for a message, then the ack at 65536
  (memory 2)
  ;; index 0: this instance's memory, filled by the kernel
  (table $self 1 externref)

  (func (export "echo") (result i64)
    (local $n i64) (local $st i32) (local $len i64)
    (block $done
      (loop $next
        ;; readable or peer closed (1 | 4), no deadline
        (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
        (drop)
        (br_if $done)
        (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (i64.const 65536))
        (drop) (drop) (drop) (drop) (drop)
        (local.set $len)
        (local.set $st)
        ;; 6: woken with nothing queued (cannot happen with one reader,
        ;; but costs nothing to allow); anything else but 0 ends it
        (br_if $next (i32.eq (local.get $st) (i32.const 6)))
        (br_if $done (local.get $st))
        (br_if $done
          (call $write (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                       (i64.const 0) (local.get $len)
                       (ref.null extern) (ref.null extern) (ref.null extern) (ref.null extern)))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $n))

  (func (export "serv") (result i64)
    (local $n i64) (local $st i32) (local $len i64)
    (block $done
      (loop $first
        (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
        (drop)
        (br_if $done)
        (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (i64.const 65536))
        (drop) (drop) (drop) (drop) (drop)
        (local.set $len)
        (local.set $st)
        (br_if $first (i32.eq (local.get $st) (i32.const 6)))
        (br_if $done (local.get $st)))
      (loop $next
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (call $call (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (local.get $len) (i64.const 0) (i64.const 65536) (i64.const -1)
                    (ref.null extern) (ref.null extern) (ref.null extern) (ref.null extern))
        (drop) (drop) (drop) (drop) (drop)
        (local.set $len)
        (br_if $next (i32.eqz))))
    (local.get $n))

  (func (export "sink") (param $every i64) (result i64)
    (local $n i64) (local $st i32)
    (block $done
      (loop $next
        (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (i64.const 65536))
        (drop) (drop) (drop) (drop) (drop) (drop)
        (local.set $st)
        (if (i32.eq (local.get $st) (i32.const 6))
          (then
            (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
            (drop)
            (br_if $done)
            (br $next)))
        (br_if $done (local.get $st))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (if (i64.eqz (i64.rem_u (local.get $n) (local.get $every)))
          (then
            (i64.store (i32.const 65536) (local.get $n))
            (br_if $done
              (call $write (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                           (i64.const 65536) (i64.const 8)
                           (ref.null extern) (ref.null extern) (ref.null extern)
                           (ref.null extern)))))
        (br $next)))
    (local.get $n))
)
