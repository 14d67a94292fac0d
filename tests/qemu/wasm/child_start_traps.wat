;; Its start function traps: instantiation fails with result 1 and the
;; component, the creator and the kernel go on.
(module (func $start unreachable) (start $start))
