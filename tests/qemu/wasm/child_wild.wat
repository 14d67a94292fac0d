;; Loads from far outside its memory: out of bounds (kind 2).
(module
  (memory 1)
  (func (export "run") (result i32)
    (i32.load (i32.const 0xfffffff0))))
