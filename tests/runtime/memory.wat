;; Memory: loads, stores, the guard region, grow, bulk memory, globals, tables.
(module
  (memory 1 3)
  (data (i32.const 16) "\01\02\03\04\05\06\07\08")
  (global $g (mut i64) (i64.const 5))
  (table $t 4 funcref)
  (elem (i32.const 1) $seven $eight)
  (type $v_i (func (result i32)))
  (func $seven (result i32) i32.const 7)
  (func $eight (result i32) i32.const 8)
  (func (export "load8") (param i32) (result i32 i32 i64) local.get 0 i32.load8_s
    local.get 0 i32.load8_u local.get 0 i64.load offset=0)
  (func (export "rw") (param i32 i64) (result i64)
    local.get 0 local.get 1 i64.store offset=4 local.get 0 i64.load offset=4)
  (func (export "far") (result i32) i32.const 1 i32.load offset=0xfffffff0)
  (func (export "grow") (param i32) (result i32 i32) local.get 0 memory.grow memory.size)
  (func (export "fill") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 memory.fill local.get 0 i32.load8_u)
  (func (export "glob") (param i64) (result i64)
    global.get $g local.get 0 i64.add global.set $g global.get $g)
  (func (export "icall") (param i32) (result i32) local.get 0 call_indirect $t (type $v_i))
  (func (export "tsize") (result i32) table.size $t)
  ;; Recursion only through a table: the prologue's stack check stays.
  (elem (i32.const 3) $ind)
  (func $ind (export "ind") (param i32) (result i32)
    local.get 0 i32.const 3 call_indirect $t (type $i_i))
  (type $i_i (func (param i32) (result i32)))
)
;; run: load8 16 => 1 | 1 | 578437695752307201
;; run: rw 100 -2 => -2
;; run: rw 65530 1 => trap: out of bounds memory access
;; run: far => trap: out of bounds memory access (in function far
;; run: grow 1 => 1 | 2
;; run: grow 3 => -1 | 1
;; run: fill 0 255 10 => 255
;; run: fill 65530 1 10 => trap: out of bounds memory access
;; run: glob 3 => 8
;; run: icall 1 => 7
;; run: icall 2 => 8
;; run: icall 0 => trap: uninitialized element
;; run: icall 4 => trap: undefined element
;; run: tsize => 4
;; run: ind 1 => trap: call stack exhausted (in function ind
