;; The second module of test_api.c: what an embedder sees of tables and
;; import limits (the kernel's `handles` table and own-memory table rest on
;; it). The embedder fills $self before the start function runs; start
;; reports what it finds through the host function "seen".
(module
  (import "host" "refs" (table $refs 2 8 externref))
  (import "host" "seen" (func $seen (param externref)))
  (import "host" "pair" (func $pair (param i32) (result i32 externref)))
  (memory 1 3)
  (table $funcs 2 funcref)
  (table $self 3 externref)
  (func $start (call $seen (table.get $self (i32.const 0))))
  (start $start)
  (func (export "get_ref") (param i32) (result externref) (table.get $refs (local.get 0)))
  (func (export "pair_ref") (param i32) (result externref)
    (local $r externref)
    (call $pair (local.get 0)) (local.set $r) (drop)
    (local.get $r))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "pair_status") (param i32) (result i32)
    (call $pair (local.get 0)) (drop))
)
