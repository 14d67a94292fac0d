;; Integer core: arithmetic, locals, control flow, calls, traps.
(module
  (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $fac (export "fac") (param i64) (result i64)
    local.get 0 i64.eqz
    if (result i64) i64.const 1
    else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end)
  (func $div (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "rem") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_s)
  (func (export "divu") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_u)
  (func (export "sum") (param i32) (result i32) (local i32)
    block loop
      local.get 0 i32.eqz br_if 1
      local.get 1 local.get 0 i32.add local.set 1
      local.get 0 i32.const 1 i32.sub local.set 0
      br 0 end end local.get 1)
  (func $unr (export "unr") unreachable)
  (func $deep (export "deep") (param i32) (result i32) local.get 0 call $deep)
  (func (export "swap") (param i32 i32) (result i32 i32) local.get 1 local.get 0)
  (func (export "bits") (param i32) (result i32 i32 i32)
    local.get 0 i32.clz local.get 0 i32.ctz local.get 0 i32.popcnt)
  (func (export "shifts") (param i64 i64) (result i64 i64 i64 i64)
    local.get 0 local.get 1 i64.shl local.get 0 local.get 1 i64.shr_s
    local.get 0 local.get 1 i64.shr_u local.get 0 local.get 1 i64.rotl)
  (func (export "cmp") (param i32 i32) (result i32 i32 i32)
    local.get 0 local.get 1 i32.lt_s local.get 0 local.get 1 i32.lt_u
    local.get 0 i32.eqz)
  (func (export "select") (param i32 i64 i64) (result i64)
    local.get 1 local.get 2 local.get 0 select)
  (func (export "table") (param i32) (result i32)
    block block block
      local.get 0 br_table 0 1 2
    end i32.const 10 return
    end i32.const 11 return
    end i32.const 12)
  (func (export "brval") (param i32) (result i32)
    block (result i32) i32.const 7 local.get 0 br_if 0 drop i32.const 8 end)
  (func (export "inplace") (param i32 i32) (result i32) (local i32)
    loop
      local.get 0 local.get 2 i32.add local.set 2
      local.get 2 local.get 1 i32.sub local.tee 2 drop
      call $seven local.get 2 i32.xor local.set 2
      local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
    end local.get 2)
  (func $seven (result i32) i32.const 7)
  (func (export "ext") (param i32 i64) (result i64 i32 i64)
    local.get 0 i64.extend_i32_s local.get 1 i32.wrap_i64 local.get 0 i64.extend_i32_u)
)
;; run: add 2 3 => 5
;; run: add -1 1 => 0
;; run: fac 20 => 2432902008176640000
;; run: div 7 -2 => -3
;; run: div 1 0 => trap: integer divide by zero (in function div
;; run: div -2147483648 -1 => trap: integer overflow
;; run: rem -9223372036854775808 -1 => 0
;; run: rem -7 2 => -1
;; run: divu -1 3 => 6148914691236517205
;; run: sum 100 => 5050
;; run: unr => trap: unreachable (in function unr
;; run: deep 1 => trap: call stack exhausted (in function deep
;; run: swap 1 2 => 2 | 1
;; run: bits 0 => 32 | 32 | 0
;; run: bits 0x00f0 => 24 | 4 | 4
;; run: shifts 0x8000000000000001 65 => 2 | -4611686018427387904 | 4611686018427387904 | 3
;; run: cmp -1 1 => 1 | 0 | 0
;; run: select 0 5 6 => 6
;; run: select 9 5 6 => 5
;; run: table 0 => 10
;; run: table 1 => 11
;; run: table 7 => 12
;; run: brval 1 => 7
;; run: brval 0 => 8
;; run: inplace 3 1 => 6
;; run: ext -1 0x100000002 => -1 | 2 | 4294967295
