;; The module of test_api.c (the embedding API: host functions, re-entry,
;; traps through host code, exports); run.py builds it.
(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (import "host" "fail" (func $fail (param i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "mem") 1)
  (global (export "g") (mut i64) (i64.const 42))
  (func (export "use_twice") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)
  (func (export "use_fail") (param i32) (result i32) local.get 0 call $fail i32.const 7)
  (func $inner (export "inner") (param i32) (result i32)
    local.get 0 i32.eqz if unreachable end local.get 0 i32.const 100 i32.add)
  (func (export "outer") (param i32) (result i32) local.get 0 call $reenter i32.const 1000 i32.add)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
)
