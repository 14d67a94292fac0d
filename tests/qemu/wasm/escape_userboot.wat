;; Containment (issue 14): programs that try to panic or freeze the kernel
;; or outlive a kill, each next to a companion counting its ticks. In
;; order: a start function that adds its own module to its own component
;; without end; memory.grow, table.grow and a coral call made at every
;; offset of a stack page past what a fresh component has backed; kills
;; of a component waiting in component_call and in component_add on a
;; child that never returns, of one copying 16 MiB between memory areas
;; in a loop, of one compiling a module of 60000 functions in a loop, and
;; of one in an endless loop of compiled code (with the
;; victim's CPU time after the kill, and the wall time, printed as
;; "contain: kill latency ..."); calls of its own export through
;; component_call without end (one trap, reported once); two components
;; only a cycle of grants reaches; a tree of components making components
;; under a limit, next to a bystander; twelve components taking all the
;; memory they may at once, with the syscall fuzzer, a huge table and an
;; innocent recursion run meanwhile. Afterwards the component count and
;; the kernel heap are back where they started and the companion has
;; counted on. Prints "contain: N passed, N failed".
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
  (import "coral" "component_call"
    (func $call (param externref i32 externref i64 i64 i64) (result i32 i64)))
  (import "coral" "component_start"
    (func $start (param externref i32 externref i64 i64 i64) (result i32)))
  (import "coral" "component_status" (func $status (param externref) (result i32 i64)))
  (import "coral" "component_kill" (func $kill (param externref) (result i32)))
  (import "coral" "component_grant"
    (func $grant (param externref externref) (result i32 i32)))
  (import "coral" "component_info" (func $info (param externref i32) (result i32 i64)))
  (import "coral" "component_limit"
    (func $limit (param externref i32 i64) (result i32)))
  (memory 16)
  (table $self 1 externref)
  (table $h 16 externref)
  (table $g 12 externref)                      ;; the greedy ones
  (global $baseline (mut i64) (i64.const 0))
  (data (i32.const 0) "spin")
  (data (i32.const 16) "nest")
  (data (i32.const 32) "grow")
  (data (i32.const 48) "tgrow")
  (data (i32.const 64) "vma")
  (data (i32.const 80) "wait_call")
  (data (i32.const 96) "wait_add")
  (data (i32.const 112) "count")
  (data (i32.const 128) "contain: ")
  (data (i32.const 256) "kill latency ")
  (data (i32.const 272) ": cpu ")
  (data (i32.const 288) " us, wall ")
  (data (i32.const 304) " us")
  (data (i32.const 320) "compiled-code")
  (data (i32.const 336) "host-call")
  (data (i32.const 352) "wait-call")
  (data (i32.const 368) "wait-add")
  (data (i32.const 384) ": stop ")
  (data (i32.const 400) " us, all cpu ")
  (data (i32.const 416) "bomb")
  (data (i32.const 432) "run")
  (data (i32.const 448) "depth")
  (data (i32.const 464) "compiler")
  @CHILDREN@
  @LIB@
  @LIB_STARTED@
  @LIB_SPAWN@

  (func $count (result i64)
    (local $v i64)
    (call $call (table.get $h (i32.const 0)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 112) (i64.const 5) (i64.const 0))
    (local.set $v)
    (drop)
    (local.get $v))
  (func $sleep (param $ns i64)
    (local $until i64)
    (local.set $until (i64.add (call $clock) (local.get $ns)))
    (loop $w (br_if $w (i64.lt_u (call $clock) (local.get $until)))))
  (func $info_of (param $c externref) (param $key i32) (result i64)
    (local $v i64)
    (call $info (local.get $c) (local.get $key))
    (local.set $v)
    (call $check32 (i32.const 0))
    (local.get $v))
  (func $grant_to (param $c externref) (param $o externref)
    (call $grant (local.get $c) (local.get $o))
    (drop)
    (call $check32 (i32.const 0)))
  ;; Kills the component in $h[1], waits until its thread has ended (info
  ;; key 7), prints the CPU time it took to stop (key 8), all the CPU it
  ;; used after the kill (teardown included) and the wall time until it
  ;; ended, drops it and waits for the component count to be back.
  (func $kill_timed (param $name i32) (param $nlen i32)
    (local $cpu i64) (local $t0 i64) (local $until i64) (local $stop i64)
    (local.set $cpu (call $info_of (table.get $h (i32.const 1)) (i32.const 2)))
    (local.set $t0 (call $clock))
    (call $check32 (call $kill (table.get $h (i32.const 1))) (i32.const 0))
    (local.set $until (i64.add (local.get $t0) (i64.const 5000000000)))
    (loop $w
      (br_if $w (i32.and (i64.eqz (call $info_of (table.get $h (i32.const 1)) (i32.const 7)))
                         (i64.lt_u (call $clock) (local.get $until)))))
    (local.set $t0 (i64.sub (call $clock) (local.get $t0)))
    (local.set $cpu (i64.sub (call $info_of (table.get $h (i32.const 1)) (i32.const 2))
                             (local.get $cpu)))
    (call $check (call $info_of (table.get $h (i32.const 1)) (i32.const 7)) (i64.const 1))
    (local.set $stop (call $info_of (table.get $h (i32.const 1)) (i32.const 8)))
    (call $check32 (i64.ge_s (local.get $stop) (i64.const 0)) (i32.const 1))
    (call $emit (i32.const 128) (i32.const 9))
    (call $emit (i32.const 256) (i32.const 13))
    (call $emit (local.get $name) (local.get $nlen))
    (call $emit (i32.const 384) (i32.const 7))
    (call $emit_num (i64.div_u (local.get $stop) (i64.const 1000)))
    (call $emit (i32.const 400) (i32.const 13))
    (call $emit_num (i64.div_u (local.get $cpu) (i64.const 1000)))
    (call $emit (i32.const 288) (i32.const 10))
    (call $emit_num (i64.div_u (local.get $t0) (i64.const 1000)))
    (call $emit (i32.const 304) (i32.const 3))
    (call $line)
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; A start function adding its own module to its own component: the
  ;; first add succeeds once the 32nd level is refused, with 32 instances.
  (func $nest
    (call $mc (table.get $self (i32.const 0)) (global.get $nest_off) (global.get $nest_len)
              (i32.const 2) (i32.const 0))
    (call $cc (i32.const 1))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 1)))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 2)))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 31))
    (call $check (call $info_of (table.get $h (i32.const 1)) (i32.const 4)) (i64.const 32))
    (drop (call $drop (table.get $h (i32.const 2))))
    ;; it holds a handle to itself: only a kill (or our end) ends it
    (call $check32 (call $kill (table.get $h (i32.const 1))) (i32.const 0))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; Export NAME of child_deep at m = 0..n-1, each in a fresh component
  ;; (a fresh, lazily backed stack): every call returns want.
  (func $sweep (param $name i64) (param $nlen i64) (param $n i32) (param $want i64)
    (local $m i32) (local $v i64)
    (loop $each
      (call $cc (i32.const 1))
      (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                  (i32.const 0))
      (call $call (table.get $h (i32.const 1)) (i32.const 0) (table.get $self (i32.const 0))
                  (local.get $name) (local.get $nlen) (i64.extend_i32_u (local.get $m)))
      (local.set $v)
      (call $check32 (i32.const 0))
      (call $check (local.get $v) (local.get $want))
      (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
      (call $wait_components (global.get $baseline))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $m) (local.get $n)))))
  (func $deep
    (call $mc (table.get $self (i32.const 0)) (global.get $deep_off) (global.get $deep_len)
              (i32.const 2) (i32.const 0))
    (call $sweep (i64.const 32) (i64.const 4) (i32.const 160) (i64.const 1))
    (call $sweep (i64.const 48) (i64.const 5) (i32.const 160) (i64.const 1))
    (call $sweep (i64.const 64) (i64.const 3) (i32.const 160) (i64.const 0))
    (drop (call $drop (table.get $h (i32.const 2)))))

  ;; A waiter (child_waiter) started on NAME, killed once it and its own
  ;; child are there and the child spins.
  (func $waiter (param $name i64) (param $nlen i64) (param $label i32) (param $llen i32)
    (call $mc (table.get $self (i32.const 0)) (global.get $loop_off) (global.get $loop_len)
              (i32.const 2) (i32.const 0))
    (call $mc (table.get $self (i32.const 0)) (global.get $start_loops_off)
              (global.get $start_loops_len) (i32.const 3) (i32.const 0))
    (call $mc (table.get $self (i32.const 0)) (global.get $waiter_off) (global.get $waiter_len)
              (i32.const 4) (i32.const 0))
    (call $cc (i32.const 1))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 2)))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 3)))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 4)) (i32.const 0)
                (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 2))))
    (drop (call $drop (table.get $h (i32.const 3))))
    (drop (call $drop (table.get $h (i32.const 4))))
    (call $startc (table.get $h (i32.const 1)) (local.get $name) (local.get $nlen) (i32.const 0))
    (call $wait_components (i64.add (global.get $baseline) (i64.const 2)))
    (call $check (call $sys_info (i32.const 3)) (i64.add (global.get $baseline) (i64.const 2)))
    (call $sleep (i64.const 100000000))
    (call $kill_timed (local.get $label) (local.get $llen)))

  ;; A component busy in NAME (module at off, len), killed after 100 ms.
  (func $busy (param $off i64) (param $len i64) (param $label i32) (param $llen i32)
    (call $spawn (local.get $off) (local.get $len) (i32.const 1))
    (call $startc (table.get $h (i32.const 1)) (i64.const 0) (i64.const 4) (i32.const 0))
    (call $sleep (i64.const 100000000))
    (call $kill_timed (local.get $label) (local.get $llen)))

  ;; A component compiling a big module in a loop (child_compiler, given
  ;; our memory), killed after 100 ms: compilation stops between functions.
  (func $compiling
    (call $mc (table.get $self (i32.const 0)) (global.get $compiler_off)
              (global.get $compiler_len) (i32.const 2) (i32.const 0))
    (call $cc (i32.const 1))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $self (i32.const 0)))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $check32
      (call $start (table.get $h (i32.const 1)) (i32.const 0) (table.get $self (i32.const 0))
                   (i64.const 0) (i64.const 4)
                   (i64.or (i64.shl (global.get $functions_off) (i64.const 32))
                           (global.get $functions_len)))
      (i32.const 0))
    (call $sleep (i64.const 100000000))
    (call $kill_timed (i32.const 464) (i32.const 8)))

  ;; Its own export through component_call without end: the caller gets
  ;; (4, 9), call stack exhausted, and the status says so too.
  (func $selfcall
    (local $v i64)
    (call $mc (table.get $self (i32.const 0)) (global.get $selfcall_off)
              (global.get $selfcall_len) (i32.const 2) (i32.const 0))
    (call $cc (i32.const 1))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 1)))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $call (table.get $h (i32.const 1)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 16) (i64.const 4) (i64.const 0))
    (local.set $v)
    (call $check32 (i32.const 4))
    (call $check (local.get $v) (i64.const 9))
    (call $status (table.get $h (i32.const 1)))
    (local.set $v)
    (call $check32 (i32.const 2))
    (call $check (local.get $v) (i64.const 9))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; Two spinning components granted to each other, then both dropped:
  ;; only the cycle reaches them, and they end.
  (func $cycle
    (call $spawn (global.get $loop_off) (global.get $loop_len) (i32.const 1))
    (call $spawn (global.get $loop_off) (global.get $loop_len) (i32.const 3))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 3)))
    (call $grant_to (table.get $h (i32.const 3)) (table.get $h (i32.const 1)))
    (call $startc (table.get $h (i32.const 1)) (i64.const 0) (i64.const 4) (i32.const 0))
    (call $startc (table.get $h (i32.const 3)) (i64.const 0) (i64.const 4) (i32.const 0))
    (call $sleep (i64.const 50000000))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $check (call $sys_info (i32.const 3)) (i64.add (global.get $baseline) (i64.const 2)))
    (call $check32 (call $drop (table.get $h (i32.const 3))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; Address space: a child allowed two memories' worth gets two
  ;; instances with a memory each, not a third.
  (func $space
    (call $mc (table.get $self (i32.const 0)) (global.get $grow_off) (global.get $grow_len)
              (i32.const 2) (i32.const 0))
    (call $cc (i32.const 1))
    (call $check32 (call $limit (table.get $h (i32.const 1)) (i32.const 6)
                                (i64.const 17180000256)) (i32.const 0))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 0))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 1))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 1)
                (i32.const 0))
    (call $check (call $info_of (table.get $h (i32.const 1)) (i32.const 10))
                 (i64.const 17180000256))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; A tree of components making components, its root limited to 100
  ;; below it: it stops there, a bystander (us) still makes modules and
  ;; components, and killing the root ends the whole tree.
  (func $bomb
    (local $until i64)
    (call $mc (table.get $self (i32.const 0)) (global.get $bomb_off) (global.get $bomb_len)
              (i32.const 2) (i32.const 0))
    (call $cc (i32.const 1))
    (call $check32 (call $limit (table.get $h (i32.const 1)) (i32.const 5) (i64.const 100))
                   (i32.const 0))
    (call $grant_to (table.get $h (i32.const 1)) (table.get $h (i32.const 2)))
    (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                (i32.const 0))
    (call $startc (table.get $h (i32.const 1)) (i64.const 416) (i64.const 4) (i32.const 0))
    (local.set $until (i64.add (call $clock) (i64.const 20000000000)))
    (loop $w
      (br_if $w (i32.and (i64.lt_u (call $info_of (table.get $h (i32.const 1)) (i32.const 9))
                                   (i64.const 100))
                         (i64.lt_u (call $clock) (local.get $until)))))
    (call $check (call $info_of (table.get $h (i32.const 1)) (i32.const 9)) (i64.const 100))
    (call $check32 (i64.le_u (call $sys_info (i32.const 3))
                             (i64.add (global.get $baseline) (i64.const 101)))
                   (i32.const 1))
    ;; the bystander
    (call $mc (table.get $self (i32.const 0)) (global.get $loop_off) (global.get $loop_len)
              (i32.const 3) (i32.const 0))
    (call $cc (i32.const 4))
    (call $addc (table.get $h (i32.const 4)) (table.get $h (i32.const 3)) (i32.const 0)
                (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 3))))
    (drop (call $drop (table.get $h (i32.const 4))))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $check32 (call $kill (table.get $h (i32.const 1))) (i32.const 0))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  ;; Twelve components grow their memories at once until refused: the
  ;; reserve holds (free RAM at or above it once they are done), and with
  ;; the RAM so taken the syscall fuzzer runs without a trap, a table of a
  ;; million externrefs is refused, and an innocent recursion 3000 deep
  ;; still has its stack (all made beforehand: with the RAM taken, new
  ;; components and modules are refused, as they should be). Then they
  ;; go, and everything comes back.
  (func $pressure
    (local $i i32) (local $v i64)
    (call $mc (table.get $self (i32.const 0)) (global.get $hog_off) (global.get $hog_len)
              (i32.const 2) (i32.const 0))
    (local.set $i (i32.const 0))
    (loop $make
      (call $cc (i32.const 1))
      (call $addc (table.get $h (i32.const 1)) (table.get $h (i32.const 2)) (i32.const 0)
                  (i32.const 0))
      (table.set $g (local.get $i) (table.get $h (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $make (i32.lt_u (local.get $i) (i32.const 12))))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $spawn (global.get $fuzz_off) (global.get $fuzz_len) (i32.const 1))
    (call $spawn (global.get $depth_off) (global.get $depth_len) (i32.const 3))
    (call $mc (table.get $self (i32.const 0)) (global.get $table1m_off)
              (global.get $table1m_len) (i32.const 2) (i32.const 0))
    (call $cc (i32.const 4))
    ;; all at once
    (local.set $i (i32.const 0))
    (loop $go
      (call $startc (table.get $g (local.get $i)) (i64.const 432) (i64.const 3) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $go (i32.lt_u (local.get $i) (i32.const 12))))
    (local.set $i (i32.const 0))
    (loop $done
      (drop (call $settle (table.get $g (local.get $i))))
      (call $check32 (global.get $st) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $done (i32.lt_u (local.get $i) (i32.const 12))))
    (call $check32 (i64.ge_u (call $sys_info (i32.const 1)) (call $sys_info (i32.const 8)))
                   (i32.const 1))
    ;; the fuzzer, on what is left
    (call $startc (table.get $h (i32.const 1)) (i64.const 432) (i64.const 3) (i32.const 0))
    (call $check (call $settle (table.get $h (i32.const 1))) (i64.const 20000))
    (call $check32 (global.get $st) (i32.const 0))
    ;; a million-element table: refused
    (call $add (table.get $h (i32.const 4)) (table.get $h (i32.const 2)))
    (drop)
    (call $check32 (i32.ne (i32.const 0)) (i32.const 1))
    ;; the innocent recursion
    (call $call (table.get $h (i32.const 3)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 448) (i64.const 5) (i64.const 3000))
    (local.set $v)
    (call $check32 (i32.const 0))
    (call $check (local.get $v) (i64.const 3000))
    ;; the kernel's half of the reserve was never touched
    (call $check32 (i64.ge_u (call $sys_info (i32.const 9))
                             (i64.div_u (call $sys_info (i32.const 8)) (i64.const 2)))
                   (i32.const 1))
    (local.set $i (i32.const 1))
    (loop $drop_h
      (drop (call $drop (table.get $h (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $drop_h (i32.lt_u (local.get $i) (i32.const 5))))
    (local.set $i (i32.const 0))
    (loop $free
      (drop (call $drop (table.get $g (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $free (i32.lt_u (local.get $i) (i32.const 12))))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline)))

  (func (export "init") (result i32)
    (local $heap i64) (local $c1 i64) (local $v i64)
    (call $spawn (global.get $counter_off) (global.get $counter_len) (i32.const 0))
    (global.set $baseline (call $sys_info (i32.const 3)))
    (local.set $c1 (call $count))
    ;; one round first, so that caches (heap slabs, page tables) hold
    ;; what they keep before the heap is measured
    (call $busy (global.get $loop_off) (global.get $loop_len) (i32.const 320) (i32.const 13))
    (local.set $heap (call $sys_info (i32.const 2)))
    (call $nest)
    (call $deep)
    (call $waiter (i64.const 80) (i64.const 9) (i32.const 352) (i32.const 9))
    (call $waiter (i64.const 96) (i64.const 8) (i32.const 368) (i32.const 8))
    (call $busy (global.get $copier_off) (global.get $copier_len) (i32.const 336) (i32.const 9))
    (call $compiling)
    (call $busy (global.get $loop_off) (global.get $loop_len) (i32.const 320) (i32.const 13))
    (call $selfcall)
    (call $cycle)
    (call $space)
    (call $bomb)
    (call $pressure)
    (call $check32 (i64.gt_u (call $count) (local.get $c1)) (i32.const 1))
    (call $wait_components (global.get $baseline))
    (call $check (call $sys_info (i32.const 3)) (global.get $baseline))
    (local.set $v (i64.sub (call $sys_info (i32.const 2)) (local.get $heap)))
    (call $check32 (i64.lt_s (local.get $v) (i64.const 65536)) (i32.const 1))
    (call $summary))
)
