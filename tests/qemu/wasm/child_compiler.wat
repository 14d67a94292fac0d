;; Compiles a module over and over: handles[0] is a memory area holding
;; it, "spin"'s argument its place (offset << 32 | length). Its time goes
;; to the kernel's decoder and compiler, not to compiled code.
(module
  (import "coral" "handles" (table $handles 1 externref))
  (import "coral" "module_create"
    (func $module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "handle_drop" (func $drop (param externref) (result i32)))
  (func (export "spin") (param $at i64)
    (local $m externref)
    (loop $l
      (call $module_create (table.get $handles (i32.const 0))
                           (i64.shr_u (local.get $at) (i64.const 32))
                           (i64.and (local.get $at) (i64.const 0xffffffff)))
      (local.set $m)
      (drop)
      (drop (call $drop (local.get $m)))
      (br $l))))
