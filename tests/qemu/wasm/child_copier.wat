;; Copies 16 MiB between two memory areas of its own, for good: its time
;; goes to the kernel's copy, not to compiled code.
(module
  (import "coral" "vma_create" (func $vma_create (param i64) (result i32 externref)))
  (import "coral" "vma_write"
    (func $vma_write (param externref externref i64 i64 i64) (result i32)))
  (func (export "spin")
    (local $a externref) (local $b externref)
    (call $vma_create (i64.const 16777216))
    (local.set $a)
    (drop)
    (call $vma_create (i64.const 16777216))
    (local.set $b)
    (drop)
    (loop $l
      (drop (call $vma_write (local.get $a) (local.get $b) (i64.const 0) (i64.const 0)
                             (i64.const 16777216)))
      (br $l))))
