;; Shared by test userboots that start calls in other components (spliced
;; in place of their @LIB_STARTED@ marker): needs lib_checks.wat and the
;; imports component_start as $start and component_status as $status.
  ;; component_status once it is no longer 1 (running), as (state, value)
  ;; in $st and the returned i64; gives up after 2^26 polls
  (func $settle (param $c externref) (result i64)
    (local $v i64) (local $n i32)
    (loop $poll
      (call $status (local.get $c))
      (local.set $v)
      (global.set $st)
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $poll (i32.and (i32.eq (global.get $st) (i32.const 1))
                            (i32.lt_u (local.get $n) (i32.const 0x4000000)))))
    (local.get $v))
  (func $startc (param $c externref) (param $name i64) (param $len i64) (param $want i32)
    (call $check32 (call $start (local.get $c) (i32.const 0) (table.get $self (i32.const 0))
                             (local.get $name) (local.get $len) (i64.const 0))
                   (local.get $want)))
