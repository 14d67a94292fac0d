/* host.h: everything the engine needs from its host, and nothing else.
 *
 * The engine is freestanding: it calls these functions instead of libc or
 * kernel services. host/ implements them on Linux; the kernel implements
 * them over its own heap. The list grows with the compiler and runtime
 * (code regions, linear memories, traps) but stays this one header.
 */
#ifndef ATOLL_WASM_HOST_H
#define ATOLL_WASM_HOST_H

#include <stddef.h>

/* Returns `size` bytes aligned for any C object, or NULL when out of
 * memory; the engine turns NULL into an error, never a crash. The contents
 * are undefined. */
void *wasm_host_alloc(size_t size);

/* Releases a block from wasm_host_alloc; `size` is the size it was asked
 * with (a kernel allocator may want it). NULL is allowed. */
void wasm_host_free(void *p, size_t size);

/* Polled by long engine work (decoding and validating, compiling: between
 * functions): true makes it give up with an error that says
 * "interrupted". A kernel answers whether the calling thread was asked to
 * end, so that a killed program's module_create does not run on for
 * seconds. Never blocks. */
_Bool wasm_host_interrupted(void);

/* ---- Code regions, linear memories and traps (issue 4) ----
 * docs/compiler.md tells the whole contract. */

/* Returns `size` bytes of page-aligned memory, readable and writable but
 * not executable, for code being emitted; NULL when out of memory. */
void *wasm_host_code_alloc(size_t size);

/* Makes a region from wasm_host_code_alloc readable and executable, never
 * writable again, and registers [p, p + size) so that a fault in it reaches
 * wasm_trap_fault with `owner`. Returns false on failure (then the region
 * is still the caller's, to free). */
_Bool wasm_host_code_seal(void *p, size_t size, void *owner);

/* Unregisters and releases a region (sealed or not). NULL is allowed. */
void wasm_host_code_free(void *p, size_t size);

/* Reserves `size` bytes of address space, page aligned, where every access
 * faults; NULL when there is no room. Linear memories are reserved as
 * 8 GiB + 64 KiB so that compiled code needs no bounds checks. */
void *wasm_host_mem_reserve(size_t size);

/* Makes bytes [from, to) of a reservation readable, writable and zero
 * (from and to are multiples of 64 KiB). False when the host cannot. */
_Bool wasm_host_mem_commit(void *base, size_t from, size_t to);

/* Returns a whole reservation. NULL is allowed. */
void wasm_host_mem_release(void *base, size_t size);

/* The registers of a faulting context that the trap path reads and
 * rewrites (x86-64). */
struct wasm_trap_regs {
    unsigned long long pc, sp, rax, r15;
    unsigned long long fault_addr;   /* page faults: the address accessed */
};

/* What the CPU reported. */
enum { WASM_FAULT_MEMORY = 1,   /* page fault, SIGSEGV, SIGBUS */
       WASM_FAULT_DIVIDE = 2,   /* #DE, SIGFPE */
       WASM_FAULT_INVALID = 3 };/* #UD (ud2), SIGILL */

/* Implemented by the ENGINE, called by the host's fault handler when the
 * faulting pc lies in a region sealed with `owner`. If the fault is a Wasm
 * trap, records it in the running store, rewrites regs->pc, ->sp and ->rax
 * to resume at the store's unwind point, and returns true; the host then
 * resumes the context with those registers changed. False means the pc is
 * no trap site (an engine bug): the host treats it as its own fault.
 * Allocates nothing and takes no lock (safe in a signal handler). */
_Bool wasm_trap_fault(void *owner, int cause, struct wasm_trap_regs *regs);

/* Implemented by the ENGINE, for a host that stops a runaway call (the
 * kernel at a timer tick): if the interrupted pc lies in a module's code
 * region sealed with `owner` (not in the store's stubs), records a trap of
 * kind WASM_TRAP_INTERRUPTED, rewrites regs as wasm_trap_fault does, and
 * returns true. Any instruction of compiled code may be interrupted this
 * way; elsewhere (stubs, helpers, host functions) it returns false and the
 * host tries again later. Same safety as wasm_trap_fault. */
_Bool wasm_trap_interrupt(void *owner, struct wasm_trap_regs *regs);

/* Implemented by the ENGINE, for a host whose stacks are backed lazily:
 * compiled code touched a stack page the host could not back (out of
 * memory). Like wasm_trap_interrupt, from any instruction of a module's
 * compiled code, but the trap is WASM_TRAP_STACK ("call stack
 * exhausted"): the call could not have the stack it needed. The unwind
 * point is above the faulting page, so resuming there needs no new page.
 * False outside compiled code. Same safety as wasm_trap_fault. */
_Bool wasm_trap_stack(void *owner, struct wasm_trap_regs *regs);

#endif
