;; Hostile programs next to a well-behaved one (issue 8): an endless loop,
;; unbounded recursion, memory.grow to the limit and again, memory areas
;; until refused, a wild memory index, a storm of traps, module and
;; component churn, a syscall fuzzer, and adversarial binaries for
;; module_create. Each culprit is a component started with component_start
;; and watched with component_status; a companion counting its ticks must
;; keep counting, and once every culprit is gone the kernel's heap and
;; component count must be back where they started (and its free memory,
;; with what the kernel keeps at its peak, within 1 MiB of where the first
;; of two rounds left it: caches keep what they grew, and a second round
;; must not need more). Prints
;; "abusers: N passed, N failed". The children's bytes (and the adversarial
;; ones) replace the children marker; the libraries replace theirs.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "handle_kind" (func $kind (param externref) (result i32)))
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
  (memory 8)
  (table $self 1 externref)
  (table $h 16 externref)
  (global $baseline (mut i64) (i64.const 0))   ;; components: us and the companion
  (data (i32.const 0) "run")
  (data (i32.const 16) "tick")
  (data (i32.const 32) "recurse")
  (data (i32.const 48) "count")
  (data (i32.const 128) "abusers: ")
  @CHILDREN@
  @LIB@
  @LIB_STARTED@
  @LIB_SPAWN@

  ;; Spawns, starts NAME, waits; checks (state, value) unless value < 0
  ;; (then only that it is >= -value); drops the component.
  (func $culprit (param $off i64) (param $len i64) (param $name i64) (param $nlen i64)
                 (param $state i32) (param $value i64)
    (local $v i64)
    (call $spawn (local.get $off) (local.get $len) (i32.const 1))
    (call $startc (table.get $h (i32.const 1)) (local.get $name) (local.get $nlen) (i32.const 0))
    (local.set $v (call $settle (table.get $h (i32.const 1))))
    (call $check32 (global.get $st) (local.get $state))
    (if (i64.ge_s (local.get $value) (i64.const 0))
      (then (call $check (local.get $v) (local.get $value)))
      (else (call $check32 (i64.ge_s (local.get $v) (i64.sub (i64.const 0) (local.get $value)))
                           (i32.const 1))))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    ;; it is gone, with what it held, before the next one comes
    (call $wait_components (global.get $baseline)))
  (func $count (result i64)
    (local $v i64)
    (call $call (table.get $h (i32.const 0)) (i32.const 0) (table.get $self (i32.const 0))
                (i64.const 48) (i64.const 5) (i64.const 0))
    (local.set $v)
    (drop)
    (local.get $v))
  (func $abuse
    (local $i i32)
    ;; an endless loop: running, then killed
    (call $spawn (global.get $spin_off) (global.get $spin_len) (i32.const 1))
    (call $startc (table.get $h (i32.const 1)) (i64.const 16) (i64.const 4) (i32.const 0))
    (call $status (table.get $h (i32.const 1)))
    (drop)
    (call $check32 (i32.const 1))
    (call $check32 (call $kill (table.get $h (i32.const 1))) (i32.const 0))
    (drop (call $settle (table.get $h (i32.const 1))))
    (call $check32 (global.get $st) (i32.const 3))
    (call $check32 (call $drop (table.get $h (i32.const 1))) (i32.const 0))
    (call $wait_components (global.get $baseline))
    ;; unbounded recursion: call stack exhausted (9)
    (call $culprit (global.get $answer_off) (global.get $answer_len) (i64.const 32) (i64.const 7)
                   (i32.const 2) (i64.const 9))
    ;; memory.grow to the limit, then 1000 more refusals
    (call $culprit (global.get $grow_off) (global.get $grow_len) (i64.const 0) (i64.const 3)
                   (i32.const 0) (i64.const -2))
    ;; memory areas until refused
    (call $culprit (global.get $vmas_off) (global.get $vmas_len) (i64.const 0) (i64.const 3)
                   (i32.const 0) (i64.const -1))
    ;; a wild index: out of bounds (2)
    (call $culprit (global.get $wild_off) (global.get $wild_len) (i64.const 0) (i64.const 3)
                   (i32.const 2) (i64.const 2))
    ;; module and component churn: 100 rounds all succeed
    (call $culprit (global.get $churn_off) (global.get $churn_len) (i64.const 0) (i64.const 3)
                   (i32.const 0) (i64.const 100))
    ;; the syscall fuzzer: 20000 calls, none traps
    (call $culprit (global.get $fuzz_off) (global.get $fuzz_len) (i64.const 0) (i64.const 3)
                   (i32.const 0) (i64.const 20000))
    ;; a storm of traps
    (local.set $i (i32.const 0))
    (loop $storm
      (call $culprit (global.get $wild_off) (global.get $wild_len) (i64.const 0) (i64.const 3)
                     (i32.const 2) (i64.const 2))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $storm (i32.lt_u (local.get $i) (i32.const 30))))
    ;; adversarial binaries: refused (1), or valid but beyond the limits,
    ;; so adding them is refused (1)
    (call $mc (table.get $self (i32.const 0)) (global.get $deep_off) (global.get $deep_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $types_off) (global.get $types_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $locals_off) (global.get $locals_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $groups_off) (global.get $groups_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $past_off) (global.get $past_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $cut9_off) (global.get $cut9_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $cut12_off) (global.get $cut12_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $cut15_off) (global.get $cut15_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $cut20_off) (global.get $cut20_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $cut26_off) (global.get $cut26_len)
              (i32.const 2) (i32.const 1))
    ;; SIMD: 2^32-1 v128 locals, a cut v128.const, lane indices past the end
    (call $mc (table.get $self (i32.const 0)) (global.get $vlocals_off) (global.get $vlocals_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $vcut_off) (global.get $vcut_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $vshuffle_off) (global.get $vshuffle_len)
              (i32.const 2) (i32.const 1))
    (call $mc (table.get $self (i32.const 0)) (global.get $vlane_off) (global.get $vlane_len)
              (i32.const 2) (i32.const 1))
    (call $cc (i32.const 3))
    (call $mc (table.get $self (i32.const 0)) (global.get $bigmem_off) (global.get $bigmem_len)
              (i32.const 2) (i32.const 0))
    (call $addc (table.get $h (i32.const 3)) (table.get $h (i32.const 2)) (i32.const 1) (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 2))))
    (call $mc (table.get $self (i32.const 0)) (global.get $bigtable_off) (global.get $bigtable_len)
              (i32.const 2) (i32.const 0))
    (call $addc (table.get $h (i32.const 3)) (table.get $h (i32.const 2)) (i32.const 1) (i32.const 0))
    (drop (call $drop (table.get $h (i32.const 2))))
    (drop (call $drop (table.get $h (i32.const 3))))
  )

  ;; Free RAM plus what the kernel keeps at its peak once made (page
  ;; tables, region records: sys_info 10): where a second round places its
  ;; memories may take new tables that stay, and that is no leak.
  (func $free_and_kept (result i64)
    (i64.add (call $sys_info (i32.const 1)) (call $sys_info (i32.const 10))))

  (func (export "init") (result i32)
    (local $comps i64) (local $free i64) (local $free1 i64) (local $heap i64) (local $c1 i64)
    (local $v i64)
    ;; the companion first, so the baseline includes it
    (call $spawn (global.get $counter_off) (global.get $counter_len) (i32.const 0))
    (local.set $comps (call $sys_info (i32.const 3)))
    (global.set $baseline (local.get $comps))
    (local.set $free (call $sys_info (i32.const 1)))
    (local.set $heap (call $sys_info (i32.const 2)))
    (local.set $c1 (call $count))
    ;; twice: what the first round leaves in caches (heap slabs, page
    ;; tables) the second must reuse, not add to
    (call $abuse)
    (call $wait_components (local.get $comps))
    (local.set $free1 (call $free_and_kept))
    (call $abuse)
    ;; the companion counted all along
    (call $check32 (i64.gt_u (call $count) (local.get $c1)) (i32.const 1))
    ;; everything given back
    (call $wait_components (local.get $comps))
    (call $check (call $sys_info (i32.const 3)) (local.get $comps))
    (local.set $v (i64.sub (local.get $free1) (call $free_and_kept)))
    (call $check32 (i64.lt_s (local.get $v) (i64.const 1048576)) (i32.const 1))
    (local.set $v (i64.sub (call $sys_info (i32.const 2)) (local.get $heap)))
    (call $check32 (i64.lt_s (local.get $v) (i64.const 65536)) (i32.const 1))
    (call $summary))
)
