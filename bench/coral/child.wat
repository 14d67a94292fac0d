;; The component bench/coral spawns: one export to run.
(module (func (export "answer") (result i32) (i32.const 42)))
