;; The component bench/coral spawns: one export to run (answer), one for
;; the ping-pong between two components (pong), and nothing else (no
;; memory, no table): an idle component of it costs the kernel only its
;; own structures.
(module
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "pong") (param i64) (result i64)
    (i64.add (local.get 0) (i64.const 1))))
