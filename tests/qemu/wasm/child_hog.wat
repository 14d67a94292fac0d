;; Takes all the memory it may: grows 256 pages at a time, then one, until
;; refused, and keeps it. Returns the pages it holds. (Others growing at
;; the same time, or freeing, may change what it could get a moment
;; later: unlike child_grow, it does not ask again.)
(module
  (memory 1)
  (func (export "run") (result i32)
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))
    (loop $grow1
      (br_if $grow1 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size)))
