;; Imports what nobody provides: adding it must fail with result 1.
(module (import "coral" "no_such_function" (func)))
