;; A start function that never returns.
(module
  (func $forever (loop $l (br $l)))
  (start $forever))
