;; Allocates 4 MiB memory areas until refused; returns how many it got.
(module
  (import "coral" "vma_create" (func $vma_create (param i64) (result i32 externref)))
  (table $keep 0 externref)
  (func (export "run") (result i32)
    (local $n i32) (local $e externref) (local $st i32)
    (loop $more
      (call $vma_create (i64.const 0x400000))
      (local.set $e)
      (local.set $st)
      (if (i32.eqz (local.get $st))
        (then
          (drop (table.grow $keep (local.get $e) (i32.const 1)))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $more))))
    (local.get $n)))
