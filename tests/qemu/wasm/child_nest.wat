;; Its start function adds its own module to its own component again
;; (handles[0]: the component, [1]: the module), inline, so every level
;; adds the next one until the kernel refuses: the instance limit must
;; count instances still being made (issue 14: it counted them only once
;; made, and inst[] was written past its end).
(module
  (import "coral" "handles" (table $handles 2 externref))
  (import "coral" "component_add_instance"
    (func $add (param externref externref) (result i32 i32)))
  (func $again
    (call $add (table.get $handles (i32.const 0)) (table.get $handles (i32.const 1)))
    (drop)
    (drop))
  (start $again))
