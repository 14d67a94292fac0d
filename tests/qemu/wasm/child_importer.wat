;; Imports from the instance added before it under the name "first".
(module
  (import "first" "answer" (func $answer (result i32)))
  (func (export "twice") (result i32) (i32.mul (call $answer) (i32.const 2))))
