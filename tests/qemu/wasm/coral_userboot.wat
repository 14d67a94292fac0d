;; A userboot written for Coral's interface alone (docs/design.md), the way
;; Coral's own is: one module importing only "coral", its own memory named
;; through the first externref table it defines, the screen as handle 0.
;; It draws a title, underlines it, shows the kinds of the handles it was
;; given, spins on ticks and echoes letters. tests/qemu/test_userboot.py
;; reads the screen back.
(module
  (import "coral" "vma_write"
    (func $vma_write (param externref externref i64 i64 i64) (result i32)))
  (import "coral" "handle_kind" (func $handle_kind (param externref) (result i32)))
  (import "coral" "handles" (table $handles 2 4 externref))
  (memory 1)
  (table $self 4 externref)
  (data (i32.const 0) "Coral - userboot")
  (data (i32.const 32) "_-+*!")
  ;; set-1 make codes 0x10..0x32 to letters ('.' for the others)
  (data (i32.const 64) "qwertyuiop....asdfghjkl.....zxcvbnm")
  (global $ticks (mut i32) (i32.const 0))
  (global $x (mut i32) (i32.const 0))

  (func $flush
    (drop (call $vma_write (table.get $self (i32.const 0)) (table.get $handles (i32.const 0))
                (i64.const 4096) (i64.const 0) (i64.const 4000))))

  (func $put (param $x i32) (param $y i32) (param $c i32)
    (i32.store16 offset=4096
      (i32.shl (i32.add (i32.mul (local.get $y) (i32.const 80)) (local.get $x)) (i32.const 1))
      (i32.or (local.get $c) (i32.const 0x0d00))))

  (func (export "init") (result i32)
    (local $i i32)
    ;; blank the screen
    (loop $blank
      (call $put (local.get $i) (i32.const 0) (i32.const 32))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $blank (i32.lt_u (local.get $i) (i32.const 2000))))
    (local.set $i (i32.const 0))
    (loop $title
      (call $put (i32.add (local.get $i) (i32.const 1)) (i32.const 1)
                 (i32.load8_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $title (i32.lt_u (local.get $i) (i32.const 16))))
    (local.set $i (i32.const 0))
    (loop $line
      (call $put (local.get $i) (i32.const 2) (i32.const 95))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $line (i32.lt_u (local.get $i) (i32.const 80))))
    ;; row 3: "kinds " then the kinds of handles[0], self[0], handles[1]
    (call $put (i32.const 0) (i32.const 3) (i32.const 107))
    (call $put (i32.const 2) (i32.const 3)
      (i32.add (i32.const 48) (call $handle_kind (table.get $handles (i32.const 0)))))
    (call $put (i32.const 3) (i32.const 3)
      (i32.add (i32.const 48) (call $handle_kind (table.get $self (i32.const 0)))))
    (call $put (i32.const 4) (i32.const 3)
      (i32.add (i32.const 48) (call $handle_kind (table.get $handles (i32.const 1)))))
    (call $put (i32.const 5) (i32.const 3)
      (i32.add (i32.const 48) (table.size $handles)))
    (call $flush)
    (i32.const 42))

  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (call $put (i32.const 78) (i32.const 1)
      (i32.load8_u offset=32 (i32.rem_u (i32.div_u (global.get $ticks) (i32.const 2))
                                        (i32.const 5))))
    (call $flush))

  (func (export "press_key") (param $code i32)
    (if (i32.or (i32.lt_u (local.get $code) (i32.const 0x10))
                (i32.gt_u (local.get $code) (i32.const 0x32)))
      (then (return)))
    (call $put (global.get $x) (i32.const 4)
      (i32.load8_u offset=48 (local.get $code)))
    (global.set $x (i32.rem_u (i32.add (global.get $x) (i32.const 1)) (i32.const 80)))
    (call $flush))
)
