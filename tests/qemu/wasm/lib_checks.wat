;; Shared by the test userboots (spliced in place of their @LIB@ marker
;; by tests/qemu/userboot_programs.py): output to the serial log, checks
;; that count and report, and wrappers of coral calls that return pairs
;; (the status goes to $st, then is checked). The including module imports
;; log_write as $log, module_create as $module_create, component_create as
;; $component_create, component_add_instance as $add; defines table $self
;; (its own memory), table $h (handles it makes), and at offset 128 of its
;; memory the 9-byte prefix of its lines ("hostile: "); this file uses
;; offsets 144-223 and 3000-3031 and writes lines at 4096.
  (global $passed (mut i32) (i32.const 0))
  (global $failed (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 0))
  (global $pos (mut i32) (i32.const 4096))
  (global $st (mut i32) (i32.const 0))      ;; first result of the last pair
  (data (i32.const 144) " passed, ")
  (data (i32.const 160) " failed\n")
  (data (i32.const 176) "check ")
  (data (i32.const 192) ": got ")
  (data (i32.const 208) ", want ")

  ;; ---- output ----
  (func $emit (param $p i32) (param $len i32)
    (memory.copy (global.get $pos) (local.get $p) (local.get $len))
    (global.set $pos (i32.add (global.get $pos) (local.get $len))))
  (func $emit_char (param $c i32)
    (i32.store8 (global.get $pos) (local.get $c))
    (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
  (func $emit_num (param $v i64)
    (local $digits i32) (local $u i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (call $emit_char (i32.const 45))
            (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (local.set $u (local.get $v))
    ;; digits backwards at 3000.., then copied forwards
    (loop $d
      (i32.store8 (i32.add (i32.const 3000) (local.get $digits))
        (i32.wrap_i64 (i64.add (i64.const 48) (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $d (i64.ne (local.get $u) (i64.const 0))))
    (loop $c
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (call $emit_char (i32.load8_u (i32.add (i32.const 3000) (local.get $digits))))
      (br_if $c (local.get $digits))))
  (func $line
    (call $emit_char (i32.const 10))
    (drop (call $log (table.get $self (i32.const 0)) (i64.const 4096)
                (i64.extend_i32_u (i32.sub (global.get $pos) (i32.const 4096)))))
    (global.set $pos (i32.const 4096)))

  (func $check (param $got i64) (param $want i64)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (if (i64.eq (local.get $got) (local.get $want))
      (then (global.set $passed (i32.add (global.get $passed) (i32.const 1))))
      (else
        (global.set $failed (i32.add (global.get $failed) (i32.const 1)))
        (call $emit (i32.const 128) (i32.const 9))
        (call $emit (i32.const 176) (i32.const 6))
        (call $emit_num (i64.extend_i32_u (global.get $n)))
        (call $emit (i32.const 192) (i32.const 6))
        (call $emit_num (local.get $got))
        (call $emit (i32.const 208) (i32.const 7))
        (call $emit_num (local.get $want))
        (call $line))))
  ;; bytes [a, a+n) equal [b, b+n)
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $differ
      (loop $l
        (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i32.const 0))
  (func $check32 (param $got i32) (param $want i32)
    (call $check (i64.extend_i32_s (local.get $got)) (i64.extend_i32_s (local.get $want))))

  ;; ---- calls that return pairs: the status goes to $st, checked ----
  (func $mc (param $vma externref) (param $off i64) (param $len i64) (param $slot i32)
            (param $want i32)
    (local $e externref)
    (call $module_create (local.get $vma) (local.get $off) (local.get $len))
    (local.set $e)
    (global.set $st)
    (call $check32 (global.get $st) (local.get $want))
    (table.set $h (local.get $slot) (local.get $e)))
  (func $cc (param $slot i32)
    (local $e externref)
    (call $component_create)
    (local.set $e)
    (global.set $st)
    (call $check32 (global.get $st) (i32.const 0))
    (table.set $h (local.get $slot) (local.get $e)))
  (func $addc (param $c externref) (param $m externref) (param $want i32) (param $want_index i32)
    (local $i i32)
    (call $add (local.get $c) (local.get $m))
    (local.set $i)
    (call $check32 (local.get $want))
    (if (i32.eqz (local.get $want))
      (then (call $check32 (local.get $i) (local.get $want_index)))))
  ;; "PREFIX P passed, F failed" on the log; returns F
  (func $summary (result i32)
    (call $emit (i32.const 128) (i32.const 9))
    (call $emit_num (i64.extend_i32_u (global.get $passed)))
    (call $emit (i32.const 144) (i32.const 9))
    (call $emit_num (i64.extend_i32_u (global.get $failed)))
    (call $emit (i32.const 160) (i32.const 8))
    (drop (call $log (table.get $self (i32.const 0)) (i64.const 4096)
                (i64.extend_i32_u (i32.sub (global.get $pos) (i32.const 4096)))))
    (global.set $pos (i32.const 4096))
    (global.get $failed))
