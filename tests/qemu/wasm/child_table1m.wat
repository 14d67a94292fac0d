;; A table of a million externrefs: 8 MiB of kernel heap, which a guest
;; may only have while the kernel's reserve stays free.
(module (table 1000000 externref))
