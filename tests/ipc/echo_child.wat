;; echo_child.wat — the other side of tests/ipc/ipctest.c: a component
;; with one instance, granted one channel endpoint (handles[0]). Its
;; `serve` export answers every message with the same bytes and handles,
;; blocking in wait_one between them, until the peer closes; `callserve`
;; does the same with one channel_call per answer (the answer and the
;; next message) and returns the count once a call fails (its result in
;; the top 8 bits); `block`
;; waits forever on the endpoint for a message that never comes (for the
;; test of a kill that ends a wait); `churn` reads messages and keeps their
;; handles without answering (for the test of a kill with handles in
;; flight and held).
(module
  (import "coral" "handles" (table $granted 1 externref))
  (import "coral" "channel_read"
    (func $read (param externref externref i64 i64)
                (result i32 i64 i32 externref externref externref externref)))
  (import "coral" "channel_write"
    (func $write (param externref externref i64 i64 externref externref externref externref)
                 (result i32)))
  (import "coral" "wait_one" (func $wait (param externref i32 i64) (result i32 i32)))
  (import "coral" "exit" (func $exit (param i32)))
  (import "coral" "channel_call"
    (func $call (param externref externref i64 i64 i64 i64 i64
                       externref externref externref externref)
                (result i32 i64 i32 externref externref externref externref)))
  (memory 2)
  ;; index 0: this instance's memory, filled by the kernel
  (table $self 1 externref)
  ;; handles a message brought, kept by churn
  (table $kept 64 externref)
  (global $nkept (mut i32) (i32.const 0))

  ;; Answers messages until the peer closes; returns how many.
  (func (export "serve") (result i64)
    (local $n i64) (local $st i32) (local $len i64) (local $nh i32)
    (local $h0 externref) (local $h1 externref) (local $h2 externref) (local $h3 externref)
    (block $done
      (loop $next
        ;; readable or peer closed (1 | 4), no deadline
        (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
        (drop)
        (br_if $done)
        (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (i64.const 65536))
        (local.set $h3) (local.set $h2) (local.set $h1) (local.set $h0)
        (local.set $nh) (local.set $len) (local.set $st)
        ;; 7: peer closed and nothing queued; 6: nothing yet
        (br_if $done (i32.eq (local.get $st) (i32.const 7)))
        (br_if $next (i32.eq (local.get $st) (i32.const 6)))
        (br_if $done (local.get $st))
        (br_if $done
          (call $write (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                       (i64.const 0) (local.get $len)
                       (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3)))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $n))

;; Ends the component with exit status $status (never returns).
  (func (export "quit") (param $status i64) (result i64)
    (call $exit (i32.wrap_i64 (local.get $status)))
    (i64.const -1))

  (func (export "callserve") (result i64)
    (local $n i64) (local $st i32) (local $len i64) (local $nh i32)
    (local $h0 externref) (local $h1 externref) (local $h2 externref) (local $h3 externref)
    (loop $first
      (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
      (drop)
      (local.set $st)
      (if (local.get $st) (then (return (i64.shl (i64.extend_i32_u (local.get $st)) (i64.const 56)))))
      (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                  (i64.const 0) (i64.const 65536))
      (local.set $h3) (local.set $h2) (local.set $h1) (local.set $h0)
      (local.set $nh) (local.set $len) (local.set $st)
      (br_if $first (i32.eq (local.get $st) (i32.const 6))))
    (block $done
      (br_if $done (local.get $st))
      (loop $next
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (call $call (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (local.get $len) (i64.const 0) (i64.const 65536) (i64.const -1)
                    (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3))
        (local.set $h3) (local.set $h2) (local.set $h1) (local.set $h0)
        (local.set $nh) (local.set $len) (local.set $st)
        (br_if $next (i32.eqz (local.get $st)))))
    (i64.or (local.get $n) (i64.shl (i64.extend_i32_u (local.get $st)) (i64.const 56))))

  (func (export "block") (result i64)
    (call $wait (table.get $granted (i32.const 0)) (i32.const 1) (i64.const -1))
    (drop)
    (i64.extend_i32_u))

  ;; Reads up to $count messages as they come and keeps their handles.
  (func (export "churn") (param $count i64) (result i64)
    (local $st i32) (local $n i64)
    (local $h0 externref) (local $h1 externref) (local $h2 externref) (local $h3 externref)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $n) (local.get $count)))
        (call $wait (table.get $granted (i32.const 0)) (i32.const 5) (i64.const -1))
        (drop)
        (br_if $done)
        (call $read (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                    (i64.const 0) (i64.const 65536))
        (local.set $h3) (local.set $h2) (local.set $h1) (local.set $h0)
        (drop) (drop) (local.set $st)
        (br_if $done (local.get $st))
        (if (i32.lt_u (global.get $nkept) (i32.const 60))
          (then
            (table.set $kept (global.get $nkept) (local.get $h0))
            (table.set $kept (i32.add (global.get $nkept) (i32.const 1)) (local.get $h1))
            (global.set $nkept (i32.add (global.get $nkept) (i32.const 2)))))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $n))
)
