/*
 * atoll.h — the Atoll SDK for C programs compiled to wasm32.
 *
 * A program reaches the kernel through the SDK shim (user/sdk/env.wat), an
 * instance named "env" in the same component. The shim holds the kernel's
 * handles (externrefs, which C cannot name) in its SDK table; C names them by
 * index (atoll_handle). The program's memory is the shim's memory, imported
 * (link with --import-memory), so handle ATOLL_SELF is the program's own
 * memory as a VMA, and a C pointer is an offset into it.
 *
 * Every call returns a result code (enum atoll_result) unless said otherwise.
 * A call that fails changes nothing: no handle is made, no out value is
 * written. Out pointers must point into the program's memory, or the call
 * returns ATOLL_EINVAL without reaching the kernel.
 *
 * Two builds use it (user/sdk/program.mk, docs/programs.md):
 *   - a program on wasi-libc (clang --target=wasm32-wasi --sysroot=/usr):
 *     the C library is wasi-libc's, atoll.c and service.c are linked in,
 *     and program.mk links the program with its memory imported from its
 *     own env shim once it calls anything here;
 *   - the freestanding userland (userboot, the WASI layer; mk/user.mk):
 *     clang --target=wasm32 -ffreestanding -nostdlib, with atoll.c and the
 *     kernel's lib/string.c and lib/fmt.c.
 * Either way the program is linked with -Wl,--import-memory
 * -Wl,--initial-memory=1048576 (the shim's memory has 16 pages; a program
 * may ask for at most that).
 */
#ifndef ATOLL_H
#define ATOLL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __wasi__
/* wasi-libc is the C library: memcpy, strlen, snprintf... are its own. */
#include <string.h>
#else
/* The kernel's freestanding string and printf code, built for wasm32 too:
 * memcpy, strlen, strcmp..., fmt_snprintf and fmt_vsnprintf (%zu is a
 * size_t on both targets). */
#include "lib/fmt.h"
#include "lib/string.h"
#endif

#define ATOLL_SDK_VERSION "0.1"

/* An index into the SDK table. Indices are never reused: after a drop the
 * slot stays empty, so a stale index fails instead of naming another handle. */
typedef int32_t atoll_handle;

/* SDK table slots that exist from the start. */
enum {
    ATOLL_SELF = 0,    /* the program's own memory, a VMA */
    ATOLL_GRANTED = 1, /* first granted handle: coral.handles[i] is 1 + i */
};

enum atoll_result {
    ATOLL_OK = 0,
    ATOLL_EINVAL = 1,   /* invalid parameters (a bad handle, index, range) */
    ATOLL_EINTERNAL = 2, /* the kernel (or the shim) ran out of something */
    ATOLL_EUNKNOWN = 3,
    ATOLL_ETRAPPED = 4, /* component_call: the callee trapped */
    ATOLL_ERIGHTS = 5,  /* a handle lacks a right the call needs */
    ATOLL_EWOULDBLOCK = 6, /* a channel's queue is full (write) or empty (read) */
    ATOLL_EPEER = 7,    /* the channel's other endpoint is closed */
    ATOLL_ETIMEDOUT = 8, /* the deadline passed first */
    ATOLL_ETOOSMALL = 9, /* the buffer is smaller than the message */
    ATOLL_EREVOKED = 10, /* the handle was revoked by whoever handed it out */
    ATOLL_EBUSY = 11,   /* the interrupt line is claimed by another object */
};

enum atoll_kind {
    ATOLL_KIND_INVALID = 0, /* a dropped handle, or none */
    ATOLL_KIND_VMA = 1,     /* a memory area: a byte buffer */
    ATOLL_KIND_MODULE = 2,  /* compiled Wasm code, instantiable */
    ATOLL_KIND_COMPONENT = 3,
    ATOLL_KIND_CHANNEL = 4, /* one endpoint of a channel */
    ATOLL_KIND_WAITSET = 5, /* handles and signals to wait on at once */
    ATOLL_KIND_REVOKER = 6, /* takes back what atoll_handle_revocable made */
    ATOLL_KIND_IOPORTS = 7, /* a range of I/O ports (docs/drivers.md) */
    ATOLL_KIND_IRQ = 8,     /* a set of interrupt lines, or one claimed line */
};

/* What a handle permits (atoll_handle_rights). A handle a call makes has
 * every right its kind can have; atoll_handle_duplicate may drop some. */
enum atoll_right {
    ATOLL_RIGHT_READ = 1,       /* read bytes; instantiate a module; a
                                   component's status and info; port_in */
    ATOLL_RIGHT_WRITE = 2,      /* write bytes; change a wait set; port_out */
    ATOLL_RIGHT_TRANSFER = 4,   /* send in a message, grant */
    ATOLL_RIGHT_DUPLICATE = 8,
    ATOLL_RIGHT_WAIT = 16,      /* wait on it, add it to a wait set;
                                   watch a wait set (events_watch);
                                   acknowledge an interrupt line */
    ATOLL_RIGHT_CONTROL = 32,   /* add to, call, grant to, limit, kill a
                                   component; derive a port sub-range or
                                   claim an interrupt line */
};

/* Signals (atoll_wait_one, wait sets). */
enum atoll_signal {
    ATOLL_SIGNAL_READABLE = 1,  /* a channel endpoint has a message; an
                                   interrupt line fired, not yet acked */
    ATOLL_SIGNAL_WRITABLE = 2,  /* its peer can take a largest message */
    ATOLL_SIGNAL_PEER_CLOSED = 4, /* its peer is closed (queued messages
                                     stay readable) */
    ATOLL_SIGNAL_ENDED = 8,     /* a component has ended */
    ATOLL_SIGNAL_REVOKED = 16,  /* the handle was revoked */
};

/* Channel limits: the bytes and handles of one message. */
#define ATOLL_CHANNEL_MSG_MAX 65536
#define ATOLL_CHANNEL_MSG_HANDLES 4
/* A deadline that never passes (wait_one, waitset_wait, sleep_until). */
#define ATOLL_FOREVER ((int64_t)-1)

/* Trap kinds, the value component_call gives with ATOLL_ETRAPPED. */
enum atoll_trap {
    ATOLL_TRAP_UNREACHABLE = 1,
    ATOLL_TRAP_MEMORY = 2,        /* out of bounds memory access */
    ATOLL_TRAP_DIV_ZERO = 3,
    ATOLL_TRAP_OVERFLOW = 4,      /* integer overflow */
    ATOLL_TRAP_CONVERSION = 5,    /* invalid conversion to integer */
    ATOLL_TRAP_UNDEFINED = 6,     /* undefined element */
    ATOLL_TRAP_UNINITIALIZED = 7, /* uninitialized element */
    ATOLL_TRAP_SIGNATURE = 8,     /* indirect call type mismatch */
    ATOLL_TRAP_STACK = 9,         /* call stack exhausted */
    ATOLL_TRAP_TABLE = 10,        /* out of bounds table access */
    ATOLL_TRAP_HOST = 11,
    ATOLL_TRAP_INTERRUPTED = 12,
};

/* Keys of atoll_sys_info. */
enum atoll_info {
    ATOLL_INFO_RAM_TOTAL = 0,   /* bytes */
    ATOLL_INFO_RAM_FREE = 1,    /* bytes */
    ATOLL_INFO_HEAP_USED = 2,   /* kernel heap bytes in use */
    ATOLL_INFO_COMPONENTS = 3,  /* live components */
    ATOLL_INFO_TICK_HZ = 4,     /* timer ticks per second */
    ATOLL_INFO_LAST_TICK_NS = 5, /* clock_ns of the latest timer interrupt */
    ATOLL_INFO_SELF_CPU_NS = 6,  /* CPU time of the calling component */
    ATOLL_INFO_SELF_ID = 7,      /* the calling component's number */
    ATOLL_INFO_RESERVE = 8,      /* the kernel's reserve, bytes: guest-driven
                                    allocations leave this much RAM free */
    ATOLL_INFO_RESERVE_LOW = 9,  /* the least free RAM a guest-driven
                                    allocation saw since boot, bytes */
    ATOLL_INFO_KERNEL_KEPT = 10, /* page tables and region records the
                                    kernel keeps at their peak, bytes */
    ATOLL_INFO_OBJECTS = 11,     /* kernel objects alive (areas, modules,
                                    components, endpoints, wait sets...) */
    ATOLL_INFO_MESSAGES = 12,    /* channel messages queued, all channels */
    ATOLL_INFO_RANDOM_HARDWARE = 13, /* 1: atoll_random draws from the CPU's RDRAND */
};

/* What the shim relies on: it stores an i32 index or an i64 at an out
 * pointer, which is a 32-bit offset into the program's memory. */
_Static_assert(sizeof(void *) == 4, "the SDK is for wasm32");
_Static_assert(sizeof(atoll_handle) == 4 && sizeof(int64_t) == 8, "shim store sizes");

/* A function of the shim (module "env"); the name is its export name. */
#define ATOLL_IMPORT(name) \
    __attribute__((import_module("env"), import_name(#name)))
/* Makes a C function an export of the program (init, tick, press_key). */
#define ATOLL_EXPORT(name) __attribute__((export_name(#name)))

/* ---- Handles -------------------------------------------------------- *
 * A handle a call makes (in *out) is this program's until it drops it; the
 * kernel frees an object once no handle or instance refers to it. */

/* The number of SDK table slots; valid indices are below it. */
ATOLL_IMPORT(atoll_handle_count) int32_t atoll_handle_count(void);

/* The kind of handle h (enum atoll_kind); -1 if h is past the table. */
ATOLL_IMPORT(atoll_handle_kind) int32_t atoll_handle_kind(atoll_handle h);

/* Gives up this program's reference to h; its slot becomes empty (kind 0).
 * The object lives on while other references exist (e.g. a module that an
 * instance was made from). */
ATOLL_IMPORT(atoll_handle_drop) int32_t atoll_handle_drop(atoll_handle h);

/* ---- Memory areas (VMAs) -------------------------------------------- */

/* Copies len bytes from src at src_off to dst at dst_off; both ranges are
 * checked first, and nothing is copied if either is out of bounds. With
 * src or dst ATOLL_SELF, an offset is a pointer: (int64_t)(uintptr_t)p. */
ATOLL_IMPORT(atoll_vma_write)
int32_t atoll_vma_write(atoll_handle src, atoll_handle dst, int64_t src_off,
                        int64_t dst_off, int64_t len);

/* A new zeroed VMA of size bytes, 1 <= size <= 64 MiB, in *out. */
ATOLL_IMPORT(atoll_vma_create)
int32_t atoll_vma_create(int64_t size, atoll_handle *out);

/* The size of a VMA in bytes, in *out. */
ATOLL_IMPORT(atoll_vma_size)
int32_t atoll_vma_size(atoll_handle vma, int64_t *out);

/* ---- Modules and components ----------------------------------------- */

/* Decodes, validates and compiles the Wasm bytes [off, off + len) of vma
 * into a module, in *out. Invalid Wasm is ATOLL_EINVAL (the kernel log says
 * why). The module does not refer to the bytes: the VMA may change after. */
ATOLL_IMPORT(atoll_module_create)
int32_t atoll_module_create(atoll_handle vma, int64_t off, int64_t len,
                            atoll_handle *out);

/* A new, empty component (its own thread and run queue entry), in *out. */
ATOLL_IMPORT(atoll_component_create)
int32_t atoll_component_create(atoll_handle *out);

/* Appends h to the component's grant list; instances added afterwards find
 * it in their imported coral.handles table at the index given in *index.
 * The component gets its own reference: h stays this program's, to use or
 * drop as before. */
ATOLL_IMPORT(atoll_component_grant)
int32_t atoll_component_grant(atoll_handle component, atoll_handle h,
                              int32_t *index);

/* Instantiates module inside component; its instance index in *instance.
 * Imports from "coral" are the kernel's; any other module name is the most
 * recent earlier instance added under that name (atoll_component_add_named),
 * with full type checks. */
ATOLL_IMPORT(atoll_component_add_instance)
int32_t atoll_component_add_instance(atoll_handle component,
                                     atoll_handle module, int32_t *instance);

/* Like atoll_component_add_instance, and names the instance (1..64 bytes
 * at [name_off, name_off + name_len) of name_vma) for later imports. */
ATOLL_IMPORT(atoll_component_add_named)
int32_t atoll_component_add_named(atoll_handle component, atoll_handle module,
                                  atoll_handle name_vma, int64_t name_off,
                                  int64_t name_len, int32_t *instance);

/* Runs export NAME of an instance of component, on that component's thread,
 * and waits. The export takes (), (i32) or (i64) — arg is truncated for i32 —
 * and returns nothing, i32 or i64 (sign-extended into *result; 0 for
 * nothing). If it trapped: ATOLL_ETRAPPED and *result is the enum atoll_trap
 * kind; the callee component has then ended (docs/abi.md, Traps). */
ATOLL_IMPORT(atoll_component_call)
int32_t atoll_component_call(atoll_handle component, int32_t instance,
                             atoll_handle name_vma, int64_t name_off,
                             int64_t name_len, int64_t arg, int64_t *result);

/* ---- Running components (programs) --------------------------------- *
 * A launcher starts a program's entry export with atoll_component_start and
 * returns to its own work; it learns how the call ended by polling
 * atoll_component_status (e.g. at every tick). */

/* States of a component, as atoll_component_status returns them. */
enum atoll_state {
    ATOLL_STATE_IDLE = 0,    /* value: the last started call's result, or
                                the last started add's (index or -result) */
    ATOLL_STATE_RUNNING = 1, /* a started call or add is queued or running */
    ATOLL_STATE_TRAPPED = 2, /* value: the trap kind (enum atoll_trap); ended */
    ATOLL_STATE_KILLED = 3,  /* atoll_component_kill ended it */
    ATOLL_STATE_EXITED = 4,  /* it called atoll_exit; value: its status */
};

/* Keys of atoll_component_info. */
enum atoll_component_key {
    ATOLL_COMP_ID = 0,        /* the kernel's component number */
    ATOLL_COMP_STATE = 1,     /* enum atoll_state */
    ATOLL_COMP_CPU_NS = 2,    /* CPU time used, ns */
    ATOLL_COMP_MEMORY = 3,    /* bytes of its instances' linear memories */
    ATOLL_COMP_INSTANCES = 4, /* number of instances */
    ATOLL_COMP_CALLS = 5,     /* exports called so far */
    ATOLL_COMP_AREAS = 6,     /* bytes of the memory areas and modules it
                                 made that are still alive */
    ATOLL_COMP_ENDED = 7,     /* 1 once its thread has ended (after a trap
                                 or a kill): its CPU time is final */
    ATOLL_COMP_KILL_NS = 8,   /* CPU time, ns, it took to stop after its
                                 kill; -1 before that or if not killed */
    ATOLL_COMP_COMPONENTS = 9, /* components below it alive now (limit:
                                  ATOLL_LIMIT_COMPONENTS) */
    ATOLL_COMP_SPACE = 10,    /* bytes of kernel address space the memories
                                 of it and those below it reserve (limit:
                                 ATOLL_LIMIT_SPACE) */
};

/* Keys of atoll_component_limit (docs/abi.md gives the defaults). */
enum atoll_limit_key {
    ATOLL_LIMIT_PAGES = 0,      /* Wasm memory pages (64 KiB) of all its
                                   memories together */
    ATOLL_LIMIT_HANDLES = 1,    /* live handles */
    ATOLL_LIMIT_INSTANCES = 2,  /* instances */
    ATOLL_LIMIT_CPU = 3,        /* share of the CPU, percent (1..100) */
    ATOLL_LIMIT_AREAS = 4,      /* bytes of memory areas and modules it made,
                                   still alive */
    ATOLL_LIMIT_COMPONENTS = 5, /* components below it alive at once */
    ATOLL_LIMIT_SPACE = 6,      /* bytes of kernel address space its and its
                                   subtree's memories reserve */
};

/* As atoll_component_call (same export types), but only queues the call on
 * the component's thread and returns at once: ATOLL_OK queued, or
 * ATOLL_EINVAL (bad handles or name, no such instance or export, a type
 * outside those, a component that has ended). */
ATOLL_IMPORT(atoll_component_start)
int32_t atoll_component_start(atoll_handle component, int32_t instance,
                              atoll_handle name_vma, int64_t name_off,
                              int64_t name_len, int64_t arg);

/* As atoll_component_add_named (with name_len 0: unnamed, as
 * atoll_component_add_instance; name_vma is then not read), but only queues
 * the add on the component's thread, after the work already queued there,
 * and returns at once: ATOLL_OK queued, ATOLL_EINVAL (bad handles, a name
 * longer than 64 bytes or outside its area, a component that has ended),
 * ATOLL_EINTERNAL (out of memory). The module's start function runs on the
 * component's thread; while the add is queued or running, the component's
 * status is ATOLL_STATE_RUNNING; then ATOLL_STATE_IDLE with value the new
 * instance's index, or -ATOLL_EINVAL (it did not link, its start function
 * trapped, too many instances) / -ATOLL_EINTERNAL, and then
 * atoll_component_describe says why ("add failed: ..."). A start function
 * that never returns keeps it running until atoll_component_kill. */
ATOLL_IMPORT(atoll_component_add_start)
int32_t atoll_component_add_start(atoll_handle component, atoll_handle module,
                                  atoll_handle name_vma, int64_t name_off,
                                  int64_t name_len);

/* How the component stands: returns its enum atoll_state and writes the
 * state's value (see the enum) to *value; -1 for a handle that is not a
 * component (or a bad index or out pointer), *value not written. */
ATOLL_IMPORT(atoll_component_status)
int32_t atoll_component_status(atoll_handle component, int64_t *value);

/* Ends the component: compiled code is interrupted at the next timer tick;
 * its status becomes ATOLL_STATE_KILLED. ATOLL_OK, or ATOLL_EINVAL for a
 * handle that is not a component. The handle stays ours to drop. */
ATOLL_IMPORT(atoll_component_kill)
int32_t atoll_component_kill(atoll_handle component);

/* Lowers one of the component's limits (enum atoll_limit_key; docs/abi.md,
 * component_limit). ATOLL_EINVAL for a bad handle or key, or a value above
 * the current limit or below what the component holds. */
ATOLL_IMPORT(atoll_component_limit)
int32_t atoll_component_limit(atoll_handle component, int32_t key, int64_t value);

/* A number about the component (enum atoll_component_key) in *value;
 * ATOLL_EINVAL for a bad handle or key. */
ATOLL_IMPORT(atoll_component_info)
int32_t atoll_component_info(atoll_handle component, int32_t key,
                             int64_t *value);

/* Writes one line of text (no newline, no NUL) saying how the component
 * stands or how it ended into [off, off + len) of vma, cut to len bytes,
 * and the number of bytes written in *written. For a trap: "trapped in
 * instance 2 (hello), function 5 (main): integer divide by zero"; idle
 * after a started add failed: "add failed: " and why; else "running",
 * "idle" or "killed". */
ATOLL_IMPORT(atoll_component_describe)
int32_t atoll_component_describe(atoll_handle component, atoll_handle vma,
                                 int64_t off, int64_t len, int64_t *written);

/* The rights handle h carries (enum atoll_right), in *out. */
ATOLL_IMPORT(atoll_handle_rights)
int32_t atoll_handle_rights(atoll_handle h, int32_t *out);

/* A second handle to h's object carrying `rights`, in *out. h needs
 * ATOLL_RIGHT_DUPLICATE; asking a right h lacks is ATOLL_ERIGHTS. */
ATOLL_IMPORT(atoll_handle_duplicate)
int32_t atoll_handle_duplicate(atoll_handle h, int32_t rights, atoll_handle *out);

/* A handle to h's object that can be taken back: *out carries `rights`
 * (within h's; h needs ATOLL_RIGHT_DUPLICATE), *revoker takes it back.
 * Hand *out on (grant, send, duplicate): after atoll_revoke(*revoker),
 * every handle made from it, in every component, reads as revoked
 * (ATOLL_EREVOKED; waits on it end with it). */
ATOLL_IMPORT(atoll_handle_revocable)
int32_t atoll_handle_revocable(atoll_handle h, int32_t rights, atoll_handle *out,
                               atoll_handle *revoker);

ATOLL_IMPORT(atoll_revoke) int32_t atoll_revoke(atoll_handle revoker);

/* ---- Channels and waiting ------------------------------------------- *
 * A channel is two endpoints: what one writes, the other reads, in order.
 * A message is up to ATOLL_CHANNEL_MSG_MAX bytes and up to
 * ATOLL_CHANNEL_MSG_HANDLES handles, which move with it (their slots here
 * become empty) and keep their rights. Queues are bounded; nothing blocks
 * but the waits. Deadlines are atoll_clock_ns values; ATOLL_FOREVER none. */

/* A memory area on the memory of instance `instance` of a component this
 * program controls (its creator): to hand a program's memory to the
 * layer that serves it (the WASI layer). ATOLL_EINVAL: no such instance,
 * or it has no memory. */
ATOLL_IMPORT(atoll_component_memory)
int32_t atoll_component_memory(atoll_handle component, int32_t instance, atoll_handle *out);

/* A new channel: its two endpoints in *end0 and *end1. */
ATOLL_IMPORT(atoll_channel_create)
int32_t atoll_channel_create(atoll_handle *end0, atoll_handle *end1);

/* Sends len bytes of vma at off and the handles h0..h3 (-1: none) to the
 * peer of ch. ATOLL_EWOULDBLOCK: its queue is full (wait for
 * ATOLL_SIGNAL_WRITABLE); ATOLL_EPEER: it is closed; ATOLL_ERIGHTS: ch
 * lacks WRITE or a handle lacks TRANSFER; ATOLL_EINVAL: a bad range or
 * handle, or ch itself among the handles. On failure nothing is sent. */
ATOLL_IMPORT(atoll_channel_write)
int32_t atoll_channel_write(atoll_handle ch, atoll_handle vma, int64_t off, int64_t len,
                            atoll_handle h0, atoll_handle h1, atoll_handle h2,
                            atoll_handle h3);

/* Takes the oldest message of ch into vma at off (room for cap bytes):
 * its length in *len, its handle count in *nhandles, the handles in
 * *h0..*h3 (-1 past the count). ATOLL_EWOULDBLOCK: none is queued (wait
 * for ATOLL_SIGNAL_READABLE); ATOLL_EPEER: none is and the peer is closed;
 * ATOLL_ETOOSMALL: cap is short, *len says how long it is and the message
 * stays queued. atoll_channel_recv (below) is the short form. */
ATOLL_IMPORT(atoll_channel_read)
int32_t atoll_channel_read(atoll_handle ch, atoll_handle vma, int64_t off, int64_t cap,
                           int64_t *len, int32_t *nhandles, atoll_handle *h0,
                           atoll_handle *h1, atoll_handle *h2, atoll_handle *h3);

/* A request and its reply in one call: atoll_channel_write of len bytes
 * at off with h0..h3, then waits (until deadline; -1: none) for the next
 * message on ch and reads it as atoll_channel_read does, into vma at
 * reply_off (room for cap bytes). A server with one client uses it to
 * answer a request and take the next. ch needs READ, WRITE and WAIT;
 * vma READ and WRITE (it may not be among the handles sent). Every
 * argument is checked before the write. After ATOLL_ETIMEDOUT or
 * ATOLL_EREVOKED the request was sent and no reply was read;
 * ATOLL_ETOOSMALL leaves the reply queued (*len: its length). Handles
 * the kernel sent leave their slots, whatever the result. */
ATOLL_IMPORT(atoll_channel_call)
int32_t atoll_channel_call(atoll_handle ch, atoll_handle vma, int64_t off, int64_t len,
                           int64_t reply_off, int64_t cap, int64_t deadline, atoll_handle h0,
                           atoll_handle h1, atoll_handle h2, atoll_handle h3, int64_t *len_out,
                           int32_t *nhandles, atoll_handle *o0, atoll_handle *o1,
                           atoll_handle *o2, atoll_handle *o3);

/* Blocks until h asserts one of the signals (ATOLL_OK) or the deadline
 * passes (ATOLL_ETIMEDOUT); *observed gets h's signals either way. Uses no
 * CPU while blocked. h needs ATOLL_RIGHT_WAIT. */
ATOLL_IMPORT(atoll_wait_one)
int32_t atoll_wait_one(atoll_handle h, int32_t signals, int64_t deadline, int32_t *observed);

/* A new wait set: many handles to wait on at once. It stays with this
 * program (it cannot be sent or granted). */
ATOLL_IMPORT(atoll_waitset_create)
int32_t atoll_waitset_create(atoll_handle *out);

/* Watches the signals of h, reported under key (unique in the set; at
 * most 1024 entries). */
ATOLL_IMPORT(atoll_waitset_add)
int32_t atoll_waitset_add(atoll_handle ws, atoll_handle h, int32_t signals, int64_t key);

ATOLL_IMPORT(atoll_waitset_remove)
int32_t atoll_waitset_remove(atoll_handle ws, int64_t key);

/* Blocks until an entry's signals are asserted: its key in *key, the
 * signals in *observed; ATOLL_ETIMEDOUT at the deadline. Level-triggered,
 * entries taken in turn. */
ATOLL_IMPORT(atoll_waitset_wait)
int32_t atoll_waitset_wait(atoll_handle ws, int64_t deadline, int64_t *key,
                           int32_t *observed);

/* Makes the kernel call this program's ready(key, signals) export (type
 * (i64, i32) -> (), ATOLL_EXPORT(ready) void ready(int64_t, int32_t)) for
 * each ready entry of the wait set ws: the way an event-driven program
 * (userboot, driven through its exports) waits without a thread of its
 * own. While watched, between the program's other work (requests, ticks),
 * whenever an entry's signals are asserted (as atoll_waitset_wait would
 * report it: level-triggered, entries in turn), ready gets its key and
 * its object's signals, on the program's own thread, never nested in
 * another call of its code. An entry still ready after the call is
 * reported again later: read what is there. A new watch replaces the
 * previous one; ws = -1 stops it (ATOLL_OK). The kernel keeps the set
 * while it watches: dropping ws does not stop the watch (a dropped slot
 * is refused, ATOLL_EINVAL); -1 does, and so does the program's end.
 * ATOLL_ERIGHTS: ws lacks ATOLL_RIGHT_WAIT; ATOLL_EINVAL: ws is not a wait
 * set, or the program has no such ready export. */
ATOLL_IMPORT(atoll_events_watch) int32_t atoll_events_watch(atoll_handle ws);

/* Blocks until atoll_clock_ns() reaches deadline. */
ATOLL_IMPORT(atoll_sleep_until) int32_t atoll_sleep_until(int64_t deadline);

/* Ends this program's component, with an exit status its launcher reads
 * (ATOLL_STATE_EXITED): the calls under way unwind, its objects go.
 * Output already written is not lost. Never returns. */
ATOLL_IMPORT(atoll_exit) void atoll_exit(int32_t status) __attribute__((noreturn));

/* Fills len <= 65536 bytes of vma at off with random bytes: the CPU's
 * RDRAND, or where it has none a TSC-seeded generator not fit for
 * secrets (atoll_sys_info(ATOLL_INFO_RANDOM_HARDWARE) tells). */
ATOLL_IMPORT(atoll_random) int32_t atoll_random(atoll_handle vma, int64_t off, int64_t len);

/* Lets other components run. */
ATOLL_IMPORT(atoll_yield) void atoll_yield(void);

/* ---- Devices (docs/drivers.md) -------------------------------------- */

/* A port range object for ports [first, first+count) of the range ports
 * covers (it needs ATOLL_RIGHT_CONTROL), with ports' rights. ATOLL_ERIGHTS
 * when the range is not inside ports' or reaches a port the kernel keeps;
 * ATOLL_EINVAL for a count of 0 or a range past port 0xffff. */
ATOLL_IMPORT(atoll_ioport_range)
int32_t atoll_ioport_range(atoll_handle ports, int32_t first, int32_t count, atoll_handle *out);

/* Reads / writes port `port` of a port range, width 1, 2 or 4 bytes
 * (ATOLL_EINVAL otherwise); every byte touched must be in the range
 * (ATOLL_ERIGHTS otherwise, nothing touched). port_in needs
 * ATOLL_RIGHT_READ, port_out ATOLL_RIGHT_WRITE. */
ATOLL_IMPORT(atoll_port_in)
int32_t atoll_port_in(atoll_handle ports, int32_t port, int32_t width, int32_t *out);
ATOLL_IMPORT(atoll_port_out)
int32_t atoll_port_out(atoll_handle ports, int32_t port, int32_t width, int32_t value);

/* Claims interrupt line `line` (ISA, 0..15) of the set irqs covers (it
 * needs ATOLL_RIGHT_CONTROL): a line object, readable when the interrupt
 * has fired; the line stays masked until atoll_irq_ack. ATOLL_ERIGHTS for
 * a line outside the set or kept by the kernel, ATOLL_EBUSY when another
 * line object holds it. Dropping the object releases the line. */
ATOLL_IMPORT(atoll_irq_line)
int32_t atoll_irq_line(atoll_handle irqs, int32_t line, atoll_handle *out);

/* Acknowledges a line's interrupt: clears readable, unmasks the line
 * (ATOLL_RIGHT_WAIT; ATOLL_EINVAL on a set of lines); *fired gets the
 * interrupts the line has taken since it was claimed. Serve the device
 * first: an edge that came while the line was masked may be lost. */
ATOLL_IMPORT(atoll_irq_ack) int32_t atoll_irq_ack(atoll_handle irq, int64_t *fired);

/* ---- The system ----------------------------------------------------- */

/* Nanoseconds since boot. */
ATOLL_IMPORT(atoll_clock_ns) int64_t atoll_clock_ns(void);

/* Writes len <= 65536 bytes of vma at off to the kernel's serial log. */
ATOLL_IMPORT(atoll_log_write)
int32_t atoll_log_write(atoll_handle vma, int64_t off, int64_t len);

/* A number about the system (enum atoll_info); -1 for an unknown key. */
ATOLL_IMPORT(atoll_sys_info) int64_t atoll_sys_info(int32_t key);

/* ---- Helpers (atoll.c) ---------------------------------------------- */

/* The offset of p in the program's memory, for calls on ATOLL_SELF. */
static inline int64_t atoll_off(const void *p)
{
    return (int64_t)(uintptr_t)p;
}

/* Writes the NUL-terminated s (no newline added) to the serial log, in
 * pieces of at most 65536 bytes. */
int32_t atoll_log(const char *s);
/* Formats (output past 255 bytes is cut) and writes to the serial log. */
int32_t atoll_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Channel messages in this program's memory: send len bytes at buf
 * with handles hs[0..nh) (nh <= 4); receive into buf (cap bytes) with
 * the handles into hs[4] (-1 past *nh). Results as atoll_channel_write
 * and atoll_channel_read. */
int32_t atoll_channel_send(atoll_handle ch, const void *buf, size_t len,
                           const atoll_handle *hs, int32_t nh);
int32_t atoll_channel_recv(atoll_handle ch, void *buf, size_t cap, size_t *len,
                           atoll_handle hs[4], int32_t *nh);
/* A request of len bytes at req (no handles) and its reply into reply
 * (cap bytes) in one atoll_channel_call, waiting until deadline (-1:
 * none); the reply's handles, if any, are dropped. Results as
 * atoll_channel_call. */
int32_t atoll_channel_request(atoll_handle ch, const void *req, size_t len, void *reply,
                              size_t cap, size_t *reply_len, int64_t deadline);

/* A short name for a result code or a trap kind ("ok", "unreachable"...);
 * "?" for a value outside the lists above. */
const char *atoll_result_name(int32_t r);
const char *atoll_trap_name(int64_t kind);
/* "idle", "running", "trapped", "killed", "exited"; "?" for anything else. */
const char *atoll_state_name(int32_t state);

#endif
