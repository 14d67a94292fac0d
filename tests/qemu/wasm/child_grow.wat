;; Grows its memory until refused (256 pages at a time, then one), then
;; tries again and again: must get -1 each time (its component's page
;; limit or the kernel's reserve), never a fault. Returns the pages it
;; holds.
(module
  (memory 1)
  (func (export "run") (result i32)
    (local $tries i32)
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))
    (loop $grow1
      (br_if $grow1 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (loop $again
      (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (unreachable)))
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $tries) (i32.const 1000))))
    (memory.size)))
