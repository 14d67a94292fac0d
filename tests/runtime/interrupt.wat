;; A runaway call is stopped by the timer at any instruction of compiled
;; code (wasm_trap_interrupt), as the kernel's tick will stop one.
(module
  (memory 1)
  (func $spin (export "spin") (loop br 0))
  (func $busy (export "busy") (param i32) (result i32) (local i32)
    loop
      local.get 1 local.get 0 i32.add local.set 1
      i32.const 0 local.get 1 i32.store
      local.get 0 i32.const 1 i32.add local.tee 0 br_if 0
    end local.get 1)
  (func $deep (export "deep") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 1 else
    local.get 0 i32.const 1 i32.sub call $deep
    local.get 0 i32.const 1 i32.sub call $deep i32.add end)
)
;; run: --timeout 100 spin => trap: interrupted (in function spin
;; run: --timeout 100 busy 1 => trap: interrupted (in function busy
;; run: --timeout 100 deep 40 => trap: interrupted (in function deep
;; run: --timeout 1000 deep 3 => 8
