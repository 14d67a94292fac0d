;; A child for ipc_hostile_userboot.wat: blocks in a coral wait with the
;; deadline it is given (arg), on the channel endpoint granted as
;; handles[0], whose peer stays open and silent. With a deadline that
;; never passes (-1, i64 min: negative; i64 max: in 292 years) each
;; export blocks until the component is killed; its result (the status)
;; is never seen then.
(module
  (import "coral" "handles" (table $granted 1 externref))
  (import "coral" "wait_one" (func $wait (param externref i32 i64) (result i32 i32)))
  (import "coral" "waitset_create" (func $ws_create (result i32 externref)))
  (import "coral" "waitset_add"
    (func $ws_add (param externref externref i32 i64) (result i32)))
  (import "coral" "waitset_wait" (func $ws_wait (param externref i64) (result i32 i64 i32)))
  (import "coral" "sleep_until" (func $sleep (param i64) (result i32)))
  (import "coral" "channel_call"
    (func $call (param externref externref i64 i64 i64 i64 i64
                       externref externref externref externref)
                (result i32 i64 i32 externref externref externref externref)))
  (memory 1)
  ;; index 0: this instance's memory, filled by the kernel
  (table $self 1 externref)
  (func (export "sleep") (param $deadline i64) (result i32)
    (call $sleep (local.get $deadline)))
  ;; readable: never, the peer writes nothing
  (func (export "wait") (param $deadline i64) (result i32)
    (call $wait (table.get $granted (i32.const 0)) (i32.const 1) (local.get $deadline))
    (drop))
  ;; no signal at all: nothing can satisfy it
  (func (export "wait0") (param $deadline i64) (result i32)
    (call $wait (table.get $granted (i32.const 0)) (i32.const 0) (local.get $deadline))
    (drop))
;; a request sent, its reply never comes
  (func (export "call") (param $deadline i64) (result i32)
    (call $call (table.get $granted (i32.const 0)) (table.get $self (i32.const 0))
                (i64.const 0) (i64.const 8) (i64.const 8) (i64.const 64) (local.get $deadline)
                (ref.null extern) (ref.null extern) (ref.null extern) (ref.null extern))
    (drop) (drop) (drop) (drop) (drop) (drop))
  (func (export "wsw") (param $deadline i64) (result i32)
    (local $ws externref) (local $st i32)
    (call $ws_create)
    (local.set $ws)
    (local.set $st)
    (if (local.get $st) (then (return (i32.add (i32.const 100) (local.get $st)))))
    (local.set $st (call $ws_add (local.get $ws) (table.get $granted (i32.const 0))
                                 (i32.const 1) (i64.const 1)))
    (if (local.get $st) (then (return (i32.add (i32.const 200) (local.get $st)))))
    (call $ws_wait (local.get $ws) (local.get $deadline))
    (drop)
    (drop))
)
