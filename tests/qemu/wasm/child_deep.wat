;; Recurses past what a fresh component has backed of its stack, then m
;; more small frames, then acts: 0 memory.grow, 1 table.grow, 2 a coral
;; call that allocates (vma_create). Swept over m, the kernel C code each
;; one reaches starts at every offset within a stack page (issue 14: a
;; helper that touched a new stack page with pt_lock held froze the
;; machine). Returns what the action returned (-1: refused).
(module
  (import "coral" "vma_create" (func $vma_create (param i64) (result i32 externref)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (memory 1)
  (table $t 1 funcref)
  (func $act (param $what i32) (result i32)
    (local $e externref)
    (if (i32.eqz (local.get $what)) (then (return (memory.grow (i32.const 1)))))
    (if (i32.eq (local.get $what) (i32.const 1))
      (then (return (table.grow $t (ref.null func) (i32.const 1)))))
    (call $vma_create (i64.const 4096))
    (local.set $e)
    (if (i32.eqz) (then (drop (call $drop (local.get $e))) (return (i32.const 0))))
    (i32.const -1))
  (func $fine (param $m i32) (param $what i32) (result i32)
    (if (result i32) (i32.eqz (local.get $m))
      (then (call $act (local.get $what)))
      (else (call $fine (i32.sub (local.get $m) (i32.const 1)) (local.get $what)))))
  ;; 64 i64 locals: a frame of about 600 bytes, zeroed on entry
  (func $deep (param $n i32) (param $m i32) (param $what i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $fine (local.get $m) (local.get $what)))
      (else (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $m)
                        (local.get $what)))))
  (func (export "grow") (param $m i64) (result i32)
    (call $deep (i32.const 80) (i32.wrap_i64 (local.get $m)) (i32.const 0)))
  (func (export "tgrow") (param $m i64) (result i32)
    (call $deep (i32.const 80) (i32.wrap_i64 (local.get $m)) (i32.const 1)))
  (func (export "vma") (param $m i64) (result i32)
    (call $deep (i32.const 80) (i32.wrap_i64 (local.get $m)) (i32.const 2))))
