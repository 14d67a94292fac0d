;; Shared by test userboots that make components (spliced in place of
;; their @LIB_SPAWN@ marker): needs lib_checks.wat and the imports
;; handle_drop as $drop, sys_info as $sys_info and clock_ns as $clock.
  ;; A new component in $h[slot] running an instance of the module at
  ;; [off, off+len) of our memory.
  (func $spawn (param $off i64) (param $len i64) (param $slot i32)
    (call $mc (table.get $self (i32.const 0)) (local.get $off) (local.get $len)
              (i32.const 15) (i32.const 0))
    (call $cc (local.get $slot))
    (call $addc (table.get $h (local.get $slot)) (table.get $h (i32.const 15))
                (i32.const 0) (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 15)))))
  ;; Waits (up to 5 s) until the kernel has n components.
  (func $wait_components (param $n i64)
    (local $until i64)
    (local.set $until (i64.add (call $clock) (i64.const 5000000000)))
    (loop $w
      (br_if $w (i32.and (i64.ne (call $sys_info (i32.const 3)) (local.get $n))
                         (i64.lt_u (call $clock) (local.get $until))))))

