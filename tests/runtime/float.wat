;; Floats: arithmetic, NaN and signed zeros, comparisons, conversions.
(module
  (func (export "add") (param f64 f64) (result f64) local.get 0 local.get 1 f64.add)
  (func (export "divf") (param f32 f32) (result f32) local.get 0 local.get 1 f32.div)
  (func (export "min") (param f64 f64) (result f64) local.get 0 local.get 1 f64.min)
  (func (export "max") (param f32 f32) (result f32) local.get 0 local.get 1 f32.max)
  (func (export "cmp") (param f64 f64) (result i32 i32 i32 i32 i32 i32)
    local.get 0 local.get 1 f64.eq local.get 0 local.get 1 f64.ne
    local.get 0 local.get 1 f64.lt local.get 0 local.get 1 f64.gt
    local.get 0 local.get 1 f64.le local.get 0 local.get 1 f64.ge)
  (func (export "round") (param f64) (result f64 f64 f64 f64)
    local.get 0 f64.nearest local.get 0 f64.floor local.get 0 f64.ceil local.get 0 f64.trunc)
  (func (export "sign") (param f32 f32) (result f32 f32 f32)
    local.get 0 f32.abs local.get 0 f32.neg local.get 0 local.get 1 f32.copysign)
  (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
  (func (export "truncu") (param f32) (result i64) local.get 0 i64.trunc_f32_u)
  (func (export "sat") (param f64) (result i32 i64) local.get 0 i32.trunc_sat_f64_u local.get 0 i64.trunc_sat_f64_s)
  (func (export "cvt") (param i64) (result f32 f64) local.get 0 f32.convert_i64_u local.get 0 f64.convert_i64_s)
  (func (export "sqrt") (param f64) (result f64) local.get 0 f64.sqrt)
)
;; run: add 1.5 2.25 => 3.75
;; run: divf 1 3 => 0.333333343
;; run: min -0 0 => -0
;; run: min nan 1 => nan
;; run: max -0 0 => 0
;; run: cmp 1 2 => 0 | 1 | 1 | 0 | 1 | 0
;; run: cmp nan 2 => 0 | 1 | 0 | 0 | 0 | 0
;; run: round 2.5 => 2 | 2 | 3 | 2
;; run: round -1.5 => -2 | -2 | -1 | -1
;; run: sign -3 1 => 3 | 3 | 3
;; run: trunc -2147483648.9 => -2147483648
;; run: trunc 2147483648 => trap: integer overflow
;; run: trunc nan => trap: invalid conversion to integer
;; run: truncu 1e19 => -8446744093203103744
;; run: truncu -1 => trap: integer overflow
;; run: sat -5 => 0 | -5
;; run: sat 1e30 => -1 | 9223372036854775807
;; run: cvt -1 => 1.84467441e+19 | -1
;; run: sqrt 2 => 1.4142135623730951
