;; env.wat — the Atoll SDK shim: the kernel interface, for C.
;;
;; C compiled by clang 14 cannot name externref, so a C program cannot hold a
;; kernel handle. This module holds them for it: it keeps every handle the
;; program can reach in one externref table (the SDK table) and exports an
;; i32-index version of each `coral` function. A C program imports these
;; from the module "env" (clang's default import module), and imports its
;; memory from here too, so that this instance's memory 0 *is* the C
;; program's memory and SDK handle 0 names it.
;;
;; The SDK table:
;;   0      this instance's memory 0 (= the C program's memory). The kernel
;;          fills it: $sdk is the first externref table this module defines.
;;   1+i    coral.handles[i], the handles granted to the component, copied
;;          by the start function (index 1 of userboot is the screen).
;;   after  handles the program made (module_create, vma_create, ...),
;;          appended in order; dropped handles leave a null slot behind,
;;          never reused, so a stale index cannot name a newer handle.
;;
;; Conventions of every export:
;;   - A handle argument is an SDK index. An index past the table is refused
;;     before the kernel is called: result 1, or -1 from handle_kind.
;;     A dropped (null) slot goes to the kernel, which treats it as invalid.
;;   - A second result is written through an out pointer into memory, only on
;;     success (and for component_call also on a trap: the trap kind). An out
;;     pointer that does not fit in memory is refused first: result 1, the
;;     kernel is not called, so no handle is ever made and then lost.
;;   - A new handle that cannot be stored (table full) is dropped again and
;;     the call returns 2 (internal error).
(module
  ;; min 0: the kernel makes the table fit whatever was granted.
  (import "coral" "handles" (table $granted 0 externref))
  (import "coral" "handle_kind" (func $c_handle_kind (param externref) (result i32)))
  (import "coral" "vma_write"
    (func $c_vma_write (param externref externref i64 i64 i64) (result i32)))
  (import "coral" "module_create"
    (func $c_module_create (param externref i64 i64) (result i32 externref)))
  (import "coral" "component_create"
    (func $c_component_create (result i32 externref)))
  (import "coral" "component_add_instance"
    (func $c_component_add_instance (param externref externref) (result i32 i32)))
  (import "coral" "handle_drop" (func $c_handle_drop (param externref) (result i32)))
  (import "coral" "vma_create" (func $c_vma_create (param i64) (result i32 externref)))
  (import "coral" "vma_size" (func $c_vma_size (param externref) (result i32 i64)))
  (import "coral" "clock_ns" (func $c_clock_ns (result i64)))
  (import "coral" "log_write" (func $c_log_write (param externref i64 i64) (result i32)))
  (import "coral" "sys_info" (func $c_sys_info (param i32) (result i64)))
  (import "coral" "component_grant"
    (func $c_component_grant (param externref externref) (result i32 i32)))
  (import "coral" "component_add_named"
    (func $c_component_add_named (param externref externref externref i64 i64)
                                 (result i32 i32)))
  (import "coral" "component_call"
    (func $c_component_call (param externref i32 externref i64 i64 i64)
                            (result i32 i64)))
  (import "coral" "component_start"
    (func $c_component_start (param externref i32 externref i64 i64 i64) (result i32)))
  (import "coral" "component_add_start"
    (func $c_component_add_start (param externref externref externref i64 i64) (result i32)))
  (import "coral" "component_status"
    (func $c_component_status (param externref) (result i32 i64)))
  (import "coral" "component_kill" (func $c_component_kill (param externref) (result i32)))
  (import "coral" "component_limit"
    (func $c_component_limit (param externref i32 i64) (result i32)))
  (import "coral" "component_info"
    (func $c_component_info (param externref i32) (result i32 i64)))
  (import "coral" "component_describe"
    (func $c_component_describe (param externref externref i64 i64) (result i32 i64)))

  (import "coral" "handle_rights" (func $c_handle_rights (param externref) (result i32 i32)))
  (import "coral" "handle_duplicate"
    (func $c_handle_duplicate (param externref i32) (result i32 externref)))
  (import "coral" "channel_create" (func $c_channel_create (result i32 externref externref)))
  (import "coral" "channel_write"
    (func $c_channel_write (param externref externref i64 i64 externref externref externref
                                  externref) (result i32)))
  (import "coral" "channel_read"
    (func $c_channel_read (param externref externref i64 i64)
                          (result i32 i64 i32 externref externref externref externref)))
  (import "coral" "wait_one" (func $c_wait_one (param externref i32 i64) (result i32 i32)))
  (import "coral" "waitset_create" (func $c_waitset_create (result i32 externref)))
  (import "coral" "waitset_add"
    (func $c_waitset_add (param externref externref i32 i64) (result i32)))
  (import "coral" "waitset_remove" (func $c_waitset_remove (param externref i64) (result i32)))
  (import "coral" "waitset_wait"
    (func $c_waitset_wait (param externref i64) (result i32 i64 i32)))
  (import "coral" "events_watch" (func $c_events_watch (param externref) (result i32)))
  (import "coral" "sleep_until" (func $c_sleep_until (param i64) (result i32)))
  (import "coral" "yield" (func $c_yield))
  (import "coral" "exit" (func $c_exit (param i32)))
  (import "coral" "random" (func $c_random (param externref i64 i64) (result i32)))
  (import "coral" "handle_revocable"
    (func $c_handle_revocable (param externref i32) (result i32 externref externref)))
  (import "coral" "revoke" (func $c_revoke (param externref) (result i32)))
  (import "coral" "component_memory"
    (func $c_component_memory (param externref i32) (result i32 externref)))
  (import "coral" "ioport_range"
    (func $c_ioport_range (param externref i32 i32) (result i32 externref)))
  (import "coral" "port_in" (func $c_port_in (param externref i32 i32) (result i32 i32)))
  (import "coral" "port_out" (func $c_port_out (param externref i32 i32 i32) (result i32)))
  (import "coral" "irq_line" (func $c_irq_line (param externref i32) (result i32 externref)))
  (import "coral" "irq_ack" (func $c_irq_ack (param externref) (result i32 i64)))
  (import "coral" "channel_call"
    (func $c_channel_call (param externref externref i64 i64 i64 i64 i64
                                 externref externref externref externref)
                          (result i32 i64 i32 externref externref externref externref)))

  ;; The C program's memory. 16 pages is the minimum a program linked with
  ;; --initial-memory=1048576 asks for; it may grow up to 1 GiB.
  (memory (export "memory") 16 16384)

  ;; The SDK table (see above). Exported so that a host without the kernel's
  ;; "fill the first defined externref table" rule (the node mock in
  ;; tests/user) can fill slot 0 itself; the start function never reads it.
  (table $sdk (export "sdk_handles") 1 65536 externref)

  (start $start)

  ;; Copy the granted handles to 1..n, keeping coral.handles[i] at 1+i even
  ;; if a null sits between granted entries; trailing nulls are not copied.
  (func $start
    (local $n i32) (local $i i32)
    (local.set $n (table.size $granted))
    (block $found
      (loop $back
        (br_if $found (i32.eqz (local.get $n)))
        (br_if $found (i32.eqz (ref.is_null
          (table.get $granted (i32.sub (local.get $n) (i32.const 1))))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $back)))
    (if (i32.lt_s (table.grow $sdk (ref.null extern) (local.get $n)) (i32.const 0))
      (then unreachable))  ;; more grants than the SDK table holds
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (table.set $sdk (i32.add (local.get $i) (i32.const 1))
                        (table.get $granted (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; 1 if $i names a slot of the SDK table.
  (func $ok (param $i i32) (result i32)
    (i32.lt_u (local.get $i) (table.size $sdk)))

  ;; 1 if [$p, $p + $n) lies inside memory 0.
  (func $out_ok (param $p i32) (param $n i32) (result i32)
    (i64.le_u
      (i64.add (i64.extend_i32_u (local.get $p)) (i64.extend_i32_u (local.get $n)))
      (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))

  ;; Stores a handle the kernel just made and writes its index to $out
  ;; (already checked). If the table is full the handle is dropped: 2.
  (func $keep (param $h externref) (param $out i32) (result i32)
    (local $i i32)
    (local.set $i (table.grow $sdk (local.get $h) (i32.const 1)))
    (if (i32.lt_s (local.get $i) (i32.const 0))
      (then
        (drop (call $c_handle_drop (local.get $h)))
        (return (i32.const 2))))
    (i32.store (local.get $out) (local.get $i))
    (i32.const 0))

  ;; () -> i32: the size of the SDK table (valid indices are below it).
  (func (export "atoll_handle_count") (result i32)
    (table.size $sdk))

  ;; (h) -> i32: 0 invalid, 1 VMA, 2 module, 3 component; -1 no such index.
  (func (export "atoll_handle_kind") (param $h i32) (result i32)
    (if (i32.eqz (call $ok (local.get $h))) (then (return (i32.const -1))))
    (call $c_handle_kind (table.get $sdk (local.get $h))))

  ;; (h) -> i32: drops the kernel handle; on success the slot becomes null.
  (func (export "atoll_handle_drop") (param $h i32) (result i32)
    (local $st i32)
    (if (i32.eqz (call $ok (local.get $h))) (then (return (i32.const 1))))
    (local.set $st (call $c_handle_drop (table.get $sdk (local.get $h))))
    (if (i32.eqz (local.get $st))
      (then (table.set $sdk (local.get $h) (ref.null extern))))
    (local.get $st))

  (func (export "atoll_vma_write")
    (param $src i32) (param $dst i32) (param $src_off i64) (param $dst_off i64)
    (param $len i64) (result i32)
    (if (i32.eqz (i32.and (call $ok (local.get $src)) (call $ok (local.get $dst))))
      (then (return (i32.const 1))))
    (call $c_vma_write (table.get $sdk (local.get $src)) (table.get $sdk (local.get $dst))
                       (local.get $src_off) (local.get $dst_off) (local.get $len)))

  ;; (vma, off, len, *handle) -> i32
  (func (export "atoll_module_create")
    (param $vma i32) (param $off i64) (param $len i64) (param $out i32) (result i32)
    (local $st i32) (local $h externref)
    (if (i32.eqz (i32.and (call $ok (local.get $vma)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_module_create (table.get $sdk (local.get $vma)) (local.get $off) (local.get $len))
    (local.set $h)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $h) (local.get $out)))

  ;; (*handle) -> i32
  (func (export "atoll_component_create") (param $out i32) (result i32)
    (local $st i32) (local $h externref)
    (if (i32.eqz (call $out_ok (local.get $out) (i32.const 4)))
      (then (return (i32.const 1))))
    (call $c_component_create)
    (local.set $h)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $h) (local.get $out)))

  ;; (component, module, *instance_index) -> i32
  (func (export "atoll_component_add_instance")
    (param $c i32) (param $m i32) (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $m)))
                          (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_component_add_instance (table.get $sdk (local.get $c))
                                    (table.get $sdk (local.get $m)))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i32.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (size, *handle) -> i32
  (func (export "atoll_vma_create") (param $size i64) (param $out i32) (result i32)
    (local $st i32) (local $h externref)
    (if (i32.eqz (call $out_ok (local.get $out) (i32.const 4)))
      (then (return (i32.const 1))))
    (call $c_vma_create (local.get $size))
    (local.set $h)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $h) (local.get $out)))

  ;; (vma, *size) -> i32
  (func (export "atoll_vma_size") (param $vma i32) (param $out i32) (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (call $ok (local.get $vma)) (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const 1))))
    (call $c_vma_size (table.get $sdk (local.get $vma)))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (i32.const 0))

  (func (export "atoll_clock_ns") (result i64)
    (call $c_clock_ns))

  (func (export "atoll_log_write")
    (param $vma i32) (param $off i64) (param $len i64) (result i32)
    (if (i32.eqz (call $ok (local.get $vma))) (then (return (i32.const 1))))
    (call $c_log_write (table.get $sdk (local.get $vma)) (local.get $off) (local.get $len)))

  (func (export "atoll_sys_info") (param $key i32) (result i64)
    (call $c_sys_info (local.get $key)))

  ;; (component, h, *grant_index) -> i32
  (func (export "atoll_component_grant")
    (param $c i32) (param $h i32) (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $h)))
                          (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_component_grant (table.get $sdk (local.get $c)) (table.get $sdk (local.get $h)))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i32.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (component, module, name_vma, name_off, name_len, *instance_index) -> i32
  (func (export "atoll_component_add_named")
    (param $c i32) (param $m i32) (param $nv i32) (param $noff i64) (param $nlen i64)
    (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $m)))
                          (i32.and (call $ok (local.get $nv))
                                   (call $out_ok (local.get $out) (i32.const 4)))))
      (then (return (i32.const 1))))
    (call $c_component_add_named (table.get $sdk (local.get $c)) (table.get $sdk (local.get $m))
                                 (table.get $sdk (local.get $nv))
                                 (local.get $noff) (local.get $nlen))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i32.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (component, instance, name_vma, name_off, name_len, arg, *result) -> i32
  ;; *result gets the export's result on 0 and the trap kind on 4.
  (func (export "atoll_component_call")
    (param $c i32) (param $inst i32) (param $nv i32) (param $noff i64) (param $nlen i64)
    (param $arg i64) (param $out i32) (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $nv)))
                          (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const 1))))
    (call $c_component_call (table.get $sdk (local.get $c)) (local.get $inst)
                            (table.get $sdk (local.get $nv))
                            (local.get $noff) (local.get $nlen) (local.get $arg))
    (local.set $v)
    (local.set $st)
    (if (i32.and (i32.ne (local.get $st) (i32.const 0)) (i32.ne (local.get $st) (i32.const 4)))
      (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (local.get $st))

  ;; (component, instance, name_vma, name_off, name_len, arg) -> i32
  ;; Queues the call on the component's thread and returns at once.
  (func (export "atoll_component_start")
    (param $c i32) (param $inst i32) (param $nv i32) (param $noff i64) (param $nlen i64)
    (param $arg i64) (result i32)
    (if (i32.eqz (i32.and (call $ok (local.get $c)) (call $ok (local.get $nv))))
      (then (return (i32.const 1))))
    (call $c_component_start (table.get $sdk (local.get $c)) (local.get $inst)
                             (table.get $sdk (local.get $nv))
                             (local.get $noff) (local.get $nlen) (local.get $arg)))

  ;; (component, module, name_vma, name_off, name_len) -> i32
  ;; Queues the add on the component's thread and returns at once; its
  ;; outcome shows in component_status. name_len 0: unnamed.
  (func (export "atoll_component_add_start")
    (param $c i32) (param $m i32) (param $nv i32) (param $noff i64) (param $nlen i64)
    (result i32)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $m)))
                          (call $ok (local.get $nv))))
      (then (return (i32.const 1))))
    (call $c_component_add_start (table.get $sdk (local.get $c)) (table.get $sdk (local.get $m))
                                 (table.get $sdk (local.get $nv))
                                 (local.get $noff) (local.get $nlen)))

  ;; (component, *value) -> i32 state: 0 idle, 1 running, 2 trapped, 3
  ;; killed, -1 not a component (or a bad index or out pointer: *value is
  ;; then not written).
  (func (export "atoll_component_status") (param $c i32) (param $out i32) (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (call $ok (local.get $c)) (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const -1))))
    (call $c_component_status (table.get $sdk (local.get $c)))
    (local.set $v)
    (local.set $st)
    (if (i32.lt_s (local.get $st) (i32.const 0)) (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (local.get $st))

  ;; (component) -> i32
  (func (export "atoll_component_kill") (param $c i32) (result i32)
    (if (i32.eqz (call $ok (local.get $c))) (then (return (i32.const 1))))
    (call $c_component_kill (table.get $sdk (local.get $c))))

  ;; (component, key, value) -> i32
  (func (export "atoll_component_limit")
        (param $c i32) (param $key i32) (param $value i64) (result i32)
    (if (i32.eqz (call $ok (local.get $c))) (then (return (i32.const 1))))
    (call $c_component_limit (table.get $sdk (local.get $c)) (local.get $key) (local.get $value)))

  ;; (component, key, *value) -> i32
  (func (export "atoll_component_info")
    (param $c i32) (param $key i32) (param $out i32) (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (call $ok (local.get $c)) (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const 1))))
    (call $c_component_info (table.get $sdk (local.get $c)) (local.get $key))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (component, vma, off, len, *written) -> i32
  (func (export "atoll_component_describe")
    (param $c i32) (param $vma i32) (param $off i64) (param $len i64) (param $out i32)
    (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $c)) (call $ok (local.get $vma)))
                          (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const 1))))
    (call $c_component_describe (table.get $sdk (local.get $c)) (table.get $sdk (local.get $vma))
                                (local.get $off) (local.get $len))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; ---- rights, channels, waiting ----

  ;; 1 if $i is -1 (no handle) or names a live slot of the SDK table: a
  ;; dropped slot is null, which the kernel would take for "no handle".
  (func $opt_ok (param $i i32) (result i32)
    (if (i32.eq (local.get $i) (i32.const -1)) (then (return (i32.const 1))))
    (if (i32.eqz (call $ok (local.get $i))) (then (return (i32.const 0))))
    (i32.eqz (ref.is_null (table.get $sdk (local.get $i)))))

  ;; The handle at $i (checked by $opt_ok), null for -1.
  (func $opt_get (param $i i32) (result externref)
    (if (result externref) (i32.eq (local.get $i) (i32.const -1))
      (then (ref.null extern))
      (else (table.get $sdk (local.get $i)))))

  ;; Stores a handle a message brought (writing its index to $out), or -1
  ;; for none; 2 when the table is full (the handle is dropped).
  (func $keep_opt (param $h externref) (param $out i32) (result i32)
    (if (ref.is_null (local.get $h))
      (then
        (i32.store (local.get $out) (i32.const -1))
        (return (i32.const 0))))
    (call $keep (local.get $h) (local.get $out)))

  ;; (h, *rights) -> i32
  (func (export "atoll_handle_rights") (param $h i32) (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (call $ok (local.get $h)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_handle_rights (table.get $sdk (local.get $h)))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i32.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (h, rights, *handle) -> i32
  (func (export "atoll_handle_duplicate")
    (param $h i32) (param $rights i32) (param $out i32) (result i32)
    (local $st i32) (local $n externref)
    (if (i32.eqz (i32.and (call $ok (local.get $h)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_handle_duplicate (table.get $sdk (local.get $h)) (local.get $rights))
    (local.set $n)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $n) (local.get $out)))

  ;; (component, instance, *out) -> i32
  (func (export "atoll_component_memory")
    (param $c i32) (param $i i32) (param $out i32) (result i32)
    (local $st i32) (local $n externref)
    (if (i32.eqz (i32.and (call $ok (local.get $c)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_component_memory (table.get $sdk (local.get $c)) (local.get $i))
    (local.set $n)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $n) (local.get $out)))

  ;; (ports, first, count, *range) -> i32
  (func (export "atoll_ioport_range")
    (param $p i32) (param $first i32) (param $count i32) (param $out i32) (result i32)
    (local $st i32) (local $n externref)
    (if (i32.eqz (i32.and (call $ok (local.get $p)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_ioport_range (table.get $sdk (local.get $p)) (local.get $first) (local.get $count))
    (local.set $n)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $n) (local.get $out)))

  ;; (ports, port, width, *value) -> i32
  (func (export "atoll_port_in")
    (param $p i32) (param $port i32) (param $width i32) (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (call $ok (local.get $p)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_port_in (table.get $sdk (local.get $p)) (local.get $port) (local.get $width))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i32.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (ports, port, width, value) -> i32
  (func (export "atoll_port_out")
    (param $p i32) (param $port i32) (param $width i32) (param $v i32) (result i32)
    (if (i32.eqz (call $ok (local.get $p))) (then (return (i32.const 1))))
    (call $c_port_out (table.get $sdk (local.get $p)) (local.get $port) (local.get $width)
                      (local.get $v)))

  ;; (irqs, line, *irq) -> i32
  (func (export "atoll_irq_line") (param $q i32) (param $line i32) (param $out i32) (result i32)
    (local $st i32) (local $n externref)
    (if (i32.eqz (i32.and (call $ok (local.get $q)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_irq_line (table.get $sdk (local.get $q)) (local.get $line))
    (local.set $n)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $n) (local.get $out)))

  ;; (irq, *fired) -> i32
  (func (export "atoll_irq_ack") (param $q i32) (param $out i32) (result i32)
    (local $st i32) (local $v i64)
    (if (i32.eqz (i32.and (call $ok (local.get $q)) (call $out_ok (local.get $out) (i32.const 8))))
      (then (return (i32.const 1))))
    (call $c_irq_ack (table.get $sdk (local.get $q)))
    (local.set $v)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $out) (local.get $v))
    (i32.const 0))

  ;; (*end0, *end1) -> i32
  (func (export "atoll_channel_create") (param $out0 i32) (param $out1 i32) (result i32)
    (local $st i32) (local $a externref) (local $b externref)
    (if (i32.eqz (i32.and (call $out_ok (local.get $out0) (i32.const 4))
                          (call $out_ok (local.get $out1) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_channel_create)
    (local.set $b)
    (local.set $a)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (local.set $st (call $keep (local.get $a) (local.get $out0)))
    (if (local.get $st)
      (then
        (drop (call $c_handle_drop (local.get $b)))
        (return (local.get $st))))
    (local.set $st (call $keep (local.get $b) (local.get $out1)))
    (if (local.get $st)
      (then (drop (call $c_handle_drop (table.get $sdk (i32.load (local.get $out0)))))))
    (local.get $st))

  ;; (ch, vma, off, len, h0, h1, h2, h3) -> i32; a handle index of -1 is
  ;; none. Sent handles leave the kernel's space; their slots here become
  ;; null on success.
  (func (export "atoll_channel_write")
    (param $ch i32) (param $vma i32) (param $off i64) (param $len i64)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32) (result i32)
    (local $st i32)
    (if (i32.eqz (i32.and (i32.and (call $ok (local.get $ch)) (call $ok (local.get $vma)))
                          (i32.and (i32.and (call $opt_ok (local.get $h0))
                                            (call $opt_ok (local.get $h1)))
                                   (i32.and (call $opt_ok (local.get $h2))
                                            (call $opt_ok (local.get $h3))))))
      (then (return (i32.const 1))))
    (local.set $st
      (call $c_channel_write (table.get $sdk (local.get $ch)) (table.get $sdk (local.get $vma))
                             (local.get $off) (local.get $len)
                             (call $opt_get (local.get $h0)) (call $opt_get (local.get $h1))
                             (call $opt_get (local.get $h2)) (call $opt_get (local.get $h3))))
    (if (i32.eqz (local.get $st))
      (then
        (if (i32.ne (local.get $h0) (i32.const -1))
          (then (table.set $sdk (local.get $h0) (ref.null extern))))
        (if (i32.ne (local.get $h1) (i32.const -1))
          (then (table.set $sdk (local.get $h1) (ref.null extern))))
        (if (i32.ne (local.get $h2) (i32.const -1))
          (then (table.set $sdk (local.get $h2) (ref.null extern))))
        (if (i32.ne (local.get $h3) (i32.const -1))
          (then (table.set $sdk (local.get $h3) (ref.null extern))))))
    (local.get $st))

  ;; (ch, vma, off, cap, *len, *nhandles, *h0, *h1, *h2, *h3) -> i32
  ;; On 0 the handles a message brought are stored (-1 past *nhandles);
  ;; on 9 (too small) *len is the length the message needs.
  (func (export "atoll_channel_read")
    (param $ch i32) (param $vma i32) (param $off i64) (param $cap i64)
    (param $len i32) (param $nh i32)
    (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (result i32)
    (local $st i32) (local $l i64) (local $n i32)
    (local $a externref) (local $b externref) (local $c externref) (local $d externref)
    (if (i32.eqz (i32.and
          (i32.and (i32.and (call $ok (local.get $ch)) (call $ok (local.get $vma)))
                   (i32.and (call $out_ok (local.get $len) (i32.const 8))
                            (call $out_ok (local.get $nh) (i32.const 4))))
          (i32.and (i32.and (call $out_ok (local.get $o0) (i32.const 4))
                            (call $out_ok (local.get $o1) (i32.const 4)))
                   (i32.and (call $out_ok (local.get $o2) (i32.const 4))
                            (call $out_ok (local.get $o3) (i32.const 4))))))
      (then (return (i32.const 1))))
    (call $c_channel_read (table.get $sdk (local.get $ch)) (table.get $sdk (local.get $vma))
                          (local.get $off) (local.get $cap))
    (local.set $d)
    (local.set $c)
    (local.set $b)
    (local.set $a)
    (local.set $n)
    (local.set $l)
    (local.set $st)
    (if (i32.eq (local.get $st) (i32.const 9))
      (then (i64.store (local.get $len) (local.get $l))))
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $len) (local.get $l))
    (i32.store (local.get $nh) (local.get $n))
    (local.set $st (call $keep_opt (local.get $a) (local.get $o0)))
    (local.set $st (i32.or (local.get $st) (call $keep_opt (local.get $b) (local.get $o1))))
    (local.set $st (i32.or (local.get $st) (call $keep_opt (local.get $c) (local.get $o2))))
    (i32.or (local.get $st) (call $keep_opt (local.get $d) (local.get $o3))))

;; The slot $i after a call that may have sent its handle: null when
  ;; the kernel no longer has it (sent; -1 is none).
  (func $forget_sent (param $i i32)
    (if (i32.eq (local.get $i) (i32.const -1)) (then (return)))
    (if (i32.eqz (call $c_handle_kind (table.get $sdk (local.get $i))))
      (then (table.set $sdk (local.get $i) (ref.null extern)))))

  ;; (ch, vma, off, len, reply_off, cap, deadline, h0..h3, *len, *nhandles,
  ;; *o0..*o3) -> i32: atoll_channel_write, then the next message read as
  ;; atoll_channel_read does, at reply_off. Whether or not the call
  ;; succeeded, a handle the kernel sent leaves its slot.
  (func (export "atoll_channel_call")
    (param $ch i32) (param $vma i32) (param $off i64) (param $len i64)
    (param $roff i64) (param $cap i64) (param $deadline i64)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32)
    (param $rlen i32) (param $nh i32)
    (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (result i32)
    (local $st i32) (local $l i64) (local $n i32)
    (local $a externref) (local $b externref) (local $c externref) (local $d externref)
    (if (i32.eqz (i32.and
          (i32.and (i32.and (call $ok (local.get $ch)) (call $ok (local.get $vma)))
                   (i32.and (i32.and (call $opt_ok (local.get $h0))
                                     (call $opt_ok (local.get $h1)))
                            (i32.and (call $opt_ok (local.get $h2))
                                     (call $opt_ok (local.get $h3)))))
          (i32.and
            (i32.and (call $out_ok (local.get $rlen) (i32.const 8))
                     (call $out_ok (local.get $nh) (i32.const 4)))
            (i32.and (i32.and (call $out_ok (local.get $o0) (i32.const 4))
                              (call $out_ok (local.get $o1) (i32.const 4)))
                     (i32.and (call $out_ok (local.get $o2) (i32.const 4))
                              (call $out_ok (local.get $o3) (i32.const 4)))))))
      (then (return (i32.const 1))))
    (call $c_channel_call (table.get $sdk (local.get $ch)) (table.get $sdk (local.get $vma))
                          (local.get $off) (local.get $len) (local.get $roff) (local.get $cap)
                          (local.get $deadline)
                          (call $opt_get (local.get $h0)) (call $opt_get (local.get $h1))
                          (call $opt_get (local.get $h2)) (call $opt_get (local.get $h3)))
    (local.set $d)
    (local.set $c)
    (local.set $b)
    (local.set $a)
    (local.set $n)
    (local.set $l)
    (local.set $st)
    (call $forget_sent (local.get $h0))
    (call $forget_sent (local.get $h1))
    (call $forget_sent (local.get $h2))
    (call $forget_sent (local.get $h3))
    (if (i32.eq (local.get $st) (i32.const 9))
      (then (i64.store (local.get $rlen) (local.get $l))))
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $rlen) (local.get $l))
    (i32.store (local.get $nh) (local.get $n))
    (local.set $st (call $keep_opt (local.get $a) (local.get $o0)))
    (local.set $st (i32.or (local.get $st) (call $keep_opt (local.get $b) (local.get $o1))))
    (local.set $st (i32.or (local.get $st) (call $keep_opt (local.get $c) (local.get $o2))))
    (i32.or (local.get $st) (call $keep_opt (local.get $d) (local.get $o3))))

  ;; (h, signals, deadline, *observed) -> i32
  (func (export "atoll_wait_one")
    (param $h i32) (param $signals i32) (param $deadline i64) (param $out i32) (result i32)
    (local $st i32) (local $v i32)
    (if (i32.eqz (i32.and (call $ok (local.get $h)) (call $out_ok (local.get $out) (i32.const 4))))
      (then (return (i32.const 1))))
    (call $c_wait_one (table.get $sdk (local.get $h)) (local.get $signals) (local.get $deadline))
    (local.set $v)
    (local.set $st)
    (i32.store (local.get $out) (local.get $v))
    (local.get $st))

  ;; (*handle) -> i32
  (func (export "atoll_waitset_create") (param $out i32) (result i32)
    (local $st i32) (local $h externref)
    (if (i32.eqz (call $out_ok (local.get $out) (i32.const 4)))
      (then (return (i32.const 1))))
    (call $c_waitset_create)
    (local.set $h)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (call $keep (local.get $h) (local.get $out)))

  ;; (ws, h, signals, key) -> i32
  (func (export "atoll_waitset_add")
    (param $ws i32) (param $h i32) (param $signals i32) (param $key i64) (result i32)
    (if (i32.eqz (i32.and (call $ok (local.get $ws)) (call $ok (local.get $h))))
      (then (return (i32.const 1))))
    (call $c_waitset_add (table.get $sdk (local.get $ws)) (table.get $sdk (local.get $h))
                         (local.get $signals) (local.get $key)))

  ;; (ws, key) -> i32
  (func (export "atoll_waitset_remove") (param $ws i32) (param $key i64) (result i32)
    (if (i32.eqz (call $ok (local.get $ws))) (then (return (i32.const 1))))
    (call $c_waitset_remove (table.get $sdk (local.get $ws)) (local.get $key)))

  ;; (ws, deadline, *key, *observed) -> i32
  (func (export "atoll_waitset_wait")
    (param $ws i32) (param $deadline i64) (param $okey i32) (param $oobs i32) (result i32)
    (local $st i32) (local $k i64) (local $v i32)
    (if (i32.eqz (i32.and (call $ok (local.get $ws))
                          (i32.and (call $out_ok (local.get $okey) (i32.const 8))
                                   (call $out_ok (local.get $oobs) (i32.const 4)))))
      (then (return (i32.const 1))))
    (call $c_waitset_wait (table.get $sdk (local.get $ws)) (local.get $deadline))
    (local.set $v)
    (local.set $k)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (i64.store (local.get $okey) (local.get $k))
    (i32.store (local.get $oobs) (local.get $v))
    (i32.const 0))

  ;; (ws) -> i32; -1 (null to the kernel) stops the watch. A dropped slot
  ;; is refused (1), as by $opt_ok: the kernel would read it as -1.
  (func (export "atoll_events_watch") (param $ws i32) (result i32)
    (if (i32.eqz (call $opt_ok (local.get $ws))) (then (return (i32.const 1))))
    (call $c_events_watch (call $opt_get (local.get $ws))))

  (func (export "atoll_sleep_until") (param $deadline i64) (result i32)
    (call $c_sleep_until (local.get $deadline)))

  (func (export "atoll_yield")
    (call $c_yield))

;; (vma, off, len) -> i32
  (func (export "atoll_random") (param $vma i32) (param $off i64) (param $len i64) (result i32)
    (if (i32.eqz (call $ok (local.get $vma))) (then (return (i32.const 1))))
    (call $c_random (table.get $sdk (local.get $vma)) (local.get $off) (local.get $len)))

  ;; (status): never returns
  (func (export "atoll_exit") (param $status i32)
    (call $c_exit (local.get $status))
    (unreachable))

  ;; (h, rights, *handle, *revoker) -> i32
  (func (export "atoll_handle_revocable")
    (param $h i32) (param $rights i32) (param $out0 i32) (param $out1 i32) (result i32)
    (local $st i32) (local $a externref) (local $b externref)
    (if (i32.eqz (i32.and (call $ok (local.get $h))
                          (i32.and (call $out_ok (local.get $out0) (i32.const 4))
                                   (call $out_ok (local.get $out1) (i32.const 4)))))
      (then (return (i32.const 1))))
    (call $c_handle_revocable (table.get $sdk (local.get $h)) (local.get $rights))
    (local.set $b)
    (local.set $a)
    (local.set $st)
    (if (local.get $st) (then (return (local.get $st))))
    (local.set $st (call $keep (local.get $a) (local.get $out0)))
    (if (local.get $st)
      (then
        (drop (call $c_handle_drop (local.get $b)))
        (return (local.get $st))))
    (local.set $st (call $keep (local.get $b) (local.get $out1)))
    (if (local.get $st)
      (then (drop (call $c_handle_drop (table.get $sdk (i32.load (local.get $out0)))))))
    (local.get $st))

  ;; (revoker) -> i32
  (func (export "atoll_revoke") (param $r i32) (result i32)
    (if (i32.eqz (call $ok (local.get $r))) (then (return (i32.const 1))))
    (call $c_revoke (table.get $sdk (local.get $r))))
)
