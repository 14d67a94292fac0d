;; A userboot written for Coral's interface alone that logs every scancode
;; its press_key receives ("keyecho: code 1e"). It has no device calls: the
;; kernel starts the boot module ps2kbd (user/drivers/ps2kbd, a Wasm
;; driver) for it, which calls press_key for each byte the PS/2 keyboard
;; sends. test_keyboard.py presses keys through QEMU's monitor and reads
;; the codes back from the log.
(module
  (import "coral" "log_write" (func $log_write (param externref i64 i64) (result i32)))
  (memory 1)
  (table $self 1 externref)
  (data (i32.const 0) "keyecho: code ..\n")
  (data (i32.const 32) "0123456789abcdef")
  (func (export "init") (result i32)
    (i32.const 0))
  (func (export "press_key") (param $code i32)
    (i32.store8 offset=14 (i32.const 0)
      (i32.load8_u offset=32 (i32.and (i32.shr_u (local.get $code) (i32.const 4)) (i32.const 15))))
    (i32.store8 offset=15 (i32.const 0)
      (i32.load8_u offset=32 (i32.and (local.get $code) (i32.const 15))))
    (drop (call $log_write (table.get $self (i32.const 0)) (i64.const 0) (i64.const 17)))))
