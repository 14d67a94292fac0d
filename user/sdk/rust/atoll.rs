//! atoll.rs — the Atoll kernel calls for Rust programs (docs/programs.md):
//! safe forms of the channel, waiting, rights and revocation calls
//! (`channel_send`, `wait_one`, ...: `Ok(..)` or `Err(result code)`), the
//! service registry (`service_register`, `service_lookup`,
//! `service_accept`), as user/sdk/atoll.h and service.h have them for C.
//!
//! A program is built for wasm32-wasi with std (user/sdk/program.mk):
//! `fn main`, `println!`, `std::env::args`, `std::io::stdin` are std's,
//! served by the WASI layer. It includes this file as a module when it
//! calls the kernel:
//!
//! ```ignore
//! #[path = "../../sdk/rust/atoll.rs"]
//! mod atoll;
//!
//! fn main() {
//!     match atoll::service_lookup("ping") {
//!         Ok(ch) => println!("found ping: handle {}", ch),
//!         Err(r) => println!("no ping ({})", r),
//!     }
//! }
//! ```
//!
//! Those calls import from the module "env" (the SDK shim,
//! user/sdk/env.wat), so program.mk links such a program with its memory
//! imported from its own env instance: SDK handle SELF is its memory.
//!
//! Built for wasm32-unknown-unknown instead (program.mk's FREESTANDING,
//! for the tests of the runtime), the file also carries the freestanding
//! runtime the C side has in user/sdk/program.c: it exports `atoll_start`,
//! reads the console's header and arguments (`args()`), calls
//! `crate::main` (`-> i32` or `()`), and gives `print!`/`println!`,
//! `write` and `read` on the console and the input channel. That part
//! uses only `core`, so it serves a `no_std` program as well.
#![allow(dead_code)]

#[cfg(not(target_os = "wasi"))]
use core::fmt;

// The program model's layout: user/sdk/program_abi.h.
pub const CON_MAGIC: u32 = 0x314e_4f43; // "CON1"
pub const CON_OFF_MAGIC: i64 = 0;
pub const CON_OFF_ARGC: i64 = 4;
pub const CON_OFF_ARGS_LEN: i64 = 8;
pub const CON_OFF_RING_LEN: i64 = 12;
pub const CON_OFF_HEAD: i64 = 16;
pub const CON_OFF_TAIL: i64 = 20;
pub const CON_OFF_ARGS: i64 = 64;
pub const CON_ARGS_MAX: usize = 4096 - 64;
pub const CON_OFF_RING: i64 = 4096;
pub const CONSOLE_GRANT: i32 = 0;
/// The program's other grants (program_abi.h): a channel to the service
/// registry, a channel its input comes on.
pub const REGISTRY_GRANT: i32 = 1;
pub const INPUT_GRANT: i32 = 2;
/// The registry's protocol (program_abi.h, ATOLL_REG_*): a request is a
/// u32 op then the name; the answer a u32 status (and a handle, for a
/// lookup). A CONNECT (op only, one handle) arrives on a service's channel.
pub const REG_REGISTER: i32 = 1;
pub const REG_LOOKUP: i32 = 2;
pub const REG_CONNECT: i32 = 3;
pub const REG_NAME_MAX: usize = 32;
pub const REG_OK: i32 = 0;
pub const REG_NO_NAME: i32 = 1; // lookup: nobody registered it
pub const REG_TAKEN: i32 = 2; // register: a live service has it
pub const REG_BAD: i32 = 3; // malformed request, or no room

/// SDK handle indices (user/sdk/atoll.h): the program's memory, then grants.
pub const SELF: i32 = 0;
pub const GRANTED: i32 = 1;
const CONSOLE: i32 = GRANTED + CONSOLE_GRANT;
const LOG_WRITE_MAX: usize = 65536;

// The SDK shim's functions (user/sdk/env.wat): handles are i32 indices.
#[link(wasm_import_module = "env")]
extern "C" {
    pub fn atoll_handle_kind(h: i32) -> i32;
    pub fn atoll_vma_write(src: i32, dst: i32, src_off: i64, dst_off: i64, len: i64) -> i32;
    pub fn atoll_vma_size(vma: i32, out: *mut i64) -> i32;
    pub fn atoll_log_write(vma: i32, off: i64, len: i64) -> i32;
    pub fn atoll_clock_ns() -> i64;
    pub fn atoll_sys_info(key: i32) -> i64;
    // Components (user/sdk/atoll.h says what each promises): a program
    // that starts others builds them without waiting, as the shell does.
    pub fn atoll_handle_drop(h: i32) -> i32;
    pub fn atoll_module_create(vma: i32, off: i64, len: i64, out: *mut i32) -> i32;
    pub fn atoll_vma_create(size: i64, out: *mut i32) -> i32;
    pub fn atoll_component_create(out: *mut i32) -> i32;
    pub fn atoll_component_grant(component: i32, h: i32, index: *mut i32) -> i32;
    pub fn atoll_component_add_instance(component: i32, module: i32, instance: *mut i32) -> i32;
    pub fn atoll_component_add_named(component: i32, module: i32, name_vma: i32, name_off: i64,
                                     name_len: i64, instance: *mut i32) -> i32;
    pub fn atoll_component_call(component: i32, instance: i32, name_vma: i32, name_off: i64,
                                name_len: i64, arg: i64, result: *mut i64) -> i32;
    pub fn atoll_component_add_start(component: i32, module: i32, name_vma: i32,
                                     name_off: i64, name_len: i64) -> i32;
    pub fn atoll_component_start(component: i32, instance: i32, name_vma: i32, name_off: i64,
                                 name_len: i64, arg: i64) -> i32;
    pub fn atoll_component_status(component: i32, value: *mut i64) -> i32;
    pub fn atoll_component_kill(component: i32) -> i32;
    pub fn atoll_component_limit(component: i32, key: i32, value: i64) -> i32;
    pub fn atoll_component_info(component: i32, key: i32, value: *mut i64) -> i32;
    pub fn atoll_component_describe(component: i32, vma: i32, off: i64, len: i64,
                                    written: *mut i64) -> i32;
    // Rights, channels and waiting (atoll.h says what each promises); a
    // handle argument of -1 is none.
    pub fn atoll_handle_rights(h: i32, rights: *mut i32) -> i32;
    pub fn atoll_handle_duplicate(h: i32, rights: i32, out: *mut i32) -> i32;
    pub fn atoll_channel_create(end0: *mut i32, end1: *mut i32) -> i32;
    pub fn atoll_channel_write(ch: i32, vma: i32, off: i64, len: i64, h0: i32, h1: i32,
                               h2: i32, h3: i32) -> i32;
    pub fn atoll_channel_read(ch: i32, vma: i32, off: i64, cap: i64, len: *mut i64,
                              nhandles: *mut i32, h0: *mut i32, h1: *mut i32, h2: *mut i32,
                              h3: *mut i32) -> i32;
    pub fn atoll_wait_one(h: i32, signals: i32, deadline: i64, observed: *mut i32) -> i32;
    pub fn atoll_waitset_create(out: *mut i32) -> i32;
    pub fn atoll_waitset_add(ws: i32, h: i32, signals: i32, key: i64) -> i32;
    pub fn atoll_waitset_remove(ws: i32, key: i64) -> i32;
    pub fn atoll_waitset_wait(ws: i32, deadline: i64, key: *mut i64, observed: *mut i32) -> i32;
    pub fn atoll_events_watch(ws: i32) -> i32;
    pub fn atoll_sleep_until(deadline: i64) -> i32;
    pub fn atoll_yield();
    pub fn atoll_handle_revocable(h: i32, rights: i32, out: *mut i32, revoker: *mut i32) -> i32;
    pub fn atoll_revoke(revoker: i32) -> i32;
    pub fn atoll_component_memory(component: i32, instance: i32, out: *mut i32) -> i32;
    pub fn atoll_exit(status: i32);
    pub fn atoll_random(vma: i32, off: i64, len: i64) -> i32;
    pub fn atoll_channel_call(ch: i32, vma: i32, off: i64, len: i64, reply_off: i64, cap: i64,
                              deadline: i64, h0: i32, h1: i32, h2: i32, h3: i32,
                              len_out: *mut i64, nhandles: *mut i32, o0: *mut i32, o1: *mut i32,
                              o2: *mut i32, o3: *mut i32) -> i32;
    // Device capabilities (docs/drivers.md).
    pub fn atoll_ioport_range(ports: i32, first: i32, count: i32, out: *mut i32) -> i32;
    pub fn atoll_port_in(ports: i32, port: i32, width: i32, value: *mut i32) -> i32;
    pub fn atoll_port_out(ports: i32, port: i32, width: i32, value: i32) -> i32;
    pub fn atoll_irq_line(irqs: i32, line: i32, out: *mut i32) -> i32;
    pub fn atoll_irq_ack(irq: i32, fired: *mut i64) -> i32;
}

// The numbers of the coral interface, as user/sdk/atoll.h has them
// (scripts/check-abi.py checks both against abi/coral.def).
/// Result codes (enum atoll_result).
pub const OK: i32 = 0;
pub const EINVAL: i32 = 1; // invalid parameters; nothing changed
pub const EINTERNAL: i32 = 2; // out of memory, or a limit reached
pub const EUNKNOWN: i32 = 3;
pub const ETRAPPED: i32 = 4; // component_call: the callee trapped
pub const ERIGHTS: i32 = 5; // a handle lacks a right the call needs
pub const EWOULDBLOCK: i32 = 6; // a channel's queue is full (write) or empty (read)
pub const EPEER: i32 = 7; // the channel's other endpoint is closed
pub const ETIMEDOUT: i32 = 8; // the deadline passed first
pub const ETOOSMALL: i32 = 9; // the buffer is smaller than the message
pub const EREVOKED: i32 = 10; // the handle was revoked
pub const EBUSY: i32 = 11; // the interrupt line is claimed by another object
/// Handle kinds (enum atoll_kind).
pub const KIND_INVALID: i32 = 0;
pub const KIND_VMA: i32 = 1;
pub const KIND_MODULE: i32 = 2;
pub const KIND_COMPONENT: i32 = 3;
pub const KIND_CHANNEL: i32 = 4;
pub const KIND_WAITSET: i32 = 5;
pub const KIND_REVOKER: i32 = 6;
pub const KIND_IOPORTS: i32 = 7;
pub const KIND_IRQ: i32 = 8;
/// Rights (enum atoll_right).
pub const RIGHT_READ: i32 = 1;
pub const RIGHT_WRITE: i32 = 2;
pub const RIGHT_TRANSFER: i32 = 4;
pub const RIGHT_DUPLICATE: i32 = 8;
pub const RIGHT_WAIT: i32 = 16;
pub const RIGHT_CONTROL: i32 = 32;
/// Signals (enum atoll_signal).
pub const SIGNAL_READABLE: i32 = 1;
pub const SIGNAL_WRITABLE: i32 = 2;
pub const SIGNAL_PEER_CLOSED: i32 = 4;
pub const SIGNAL_ENDED: i32 = 8;
pub const SIGNAL_REVOKED: i32 = 16;
/// A deadline that never passes.
pub const FOREVER: i64 = -1;
/// A channel message's limits (ATOLL_CHANNEL_MSG_MAX, _HANDLES).
pub const CHANNEL_MSG_MAX: usize = 65536;
pub const CHANNEL_MSG_HANDLES: usize = 4;
/// atoll_component_status's states (user/sdk/atoll.h, enum atoll_state).
pub const STATE_IDLE: i32 = 0; // value: the last started call's result or add's index
pub const STATE_RUNNING: i32 = 1; // a started call or add is queued or running
pub const STATE_TRAPPED: i32 = 2;
pub const STATE_KILLED: i32 = 3;
pub const STATE_EXITED: i32 = 4;
/// atoll_component_info's keys (enum atoll_component_key).
pub const COMP_ID: i32 = 0;
pub const COMP_STATE: i32 = 1;
pub const COMP_CPU_NS: i32 = 2;
pub const COMP_MEMORY: i32 = 3;
pub const COMP_INSTANCES: i32 = 4;
pub const COMP_CALLS: i32 = 5;
pub const COMP_AREAS: i32 = 6;
pub const COMP_ENDED: i32 = 7; // 1 once its thread has ended
pub const COMP_KILL_NS: i32 = 8; // CPU time it took to stop after its kill; -1 before
pub const COMP_COMPONENTS: i32 = 9; // components below it alive now
pub const COMP_SPACE: i32 = 10; // address space its subtree's memories reserve
/// atoll_component_limit's keys (enum atoll_limit_key).
pub const LIMIT_PAGES: i32 = 0;
pub const LIMIT_HANDLES: i32 = 1;
pub const LIMIT_INSTANCES: i32 = 2;
pub const LIMIT_CPU: i32 = 3; // percent, 1..100
pub const LIMIT_AREAS: i32 = 4;
pub const LIMIT_COMPONENTS: i32 = 5;
pub const LIMIT_SPACE: i32 = 6;
/// atoll_sys_info's keys (enum atoll_info).
pub const INFO_RAM_TOTAL: i32 = 0;
pub const INFO_RAM_FREE: i32 = 1;
pub const INFO_HEAP_USED: i32 = 2;
pub const INFO_COMPONENTS: i32 = 3;
pub const INFO_TICK_HZ: i32 = 4;
pub const INFO_LAST_TICK_NS: i32 = 5;
pub const INFO_SELF_CPU_NS: i32 = 6;
pub const INFO_SELF_ID: i32 = 7;
pub const INFO_RESERVE: i32 = 8;
pub const INFO_RESERVE_LOW: i32 = 9;
pub const INFO_KERNEL_KEPT: i32 = 10;
pub const INFO_OBJECTS: i32 = 11;
pub const INFO_MESSAGES: i32 = 12;
pub const INFO_RANDOM_HARDWARE: i32 = 13;
/// userboot's grants (program_abi.h, ATOLL_BOOT_GRANT_*).
pub const BOOT_GRANT_SCREEN: i32 = 0;
pub const BOOT_GRANT_PROGRAMS: i32 = 1;
pub const BOOT_GRANT_FILES: i32 = 2;
pub const BOOT_GRANT_IOPORTS: i32 = 3;
pub const BOOT_GRANT_IRQS: i32 = 4;

/// The offset of a pointer in this program's memory (SDK handle SELF).
fn off<T: ?Sized>(p: *const T) -> i64 {
    p as *const u8 as usize as i64
}

/// Where output goes: decided once, by `start` (or the first write).
#[cfg(not(target_os = "wasi"))]
#[derive(Clone, Copy, PartialEq)]
enum Out {
    Unknown,
    Console { ring_len: u32 },
    Log,
}

// One thread runs a component's code and nothing reenters it, so plain
// statics are safe here; they are touched only through the functions below.
#[cfg(not(target_os = "wasi"))]
static mut OUT: Out = Out::Unknown;
#[cfg(not(target_os = "wasi"))]
static mut HEAD: u32 = 0; // bytes written in all; only we change it
#[cfg(not(target_os = "wasi"))]
static mut ARGS: [u8; CON_ARGS_MAX + 1] = [0; CON_ARGS_MAX + 1];
#[cfg(not(target_os = "wasi"))]
static mut ARGS_LEN: usize = 0;
#[cfg(not(target_os = "wasi"))]
static mut ARGC: usize = 0;

/// Reads the 4-byte field at `at` of the console.
#[cfg(not(target_os = "wasi"))]
fn con_read32(at: i64) -> Option<u32> {
    let mut v: u32 = 0;
    let r = unsafe { atoll_vma_write(CONSOLE, SELF, at, off(&mut v as *mut u32), 4) };
    if r == 0 { Some(v) } else { None }
}

/// Reads the console header (a memory area with the magic and a sane ring)
/// and the arguments; else output goes to the serial log.
#[cfg(not(target_os = "wasi"))]
fn open() {
    unsafe {
        OUT = Out::Log;
        ARGC = 0;
        let mut size: i64 = 0;
        if atoll_handle_kind(CONSOLE) != KIND_VMA
            || atoll_vma_size(CONSOLE, &mut size) != 0
            || size < CON_OFF_RING
        {
            return;
        }
        let mut h = [0u32; 6];
        if atoll_vma_write(CONSOLE, SELF, 0, off(h.as_mut_ptr()), 24) != 0 {
            return;
        }
        let [magic, argc, args_len, ring_len, head, _tail] = h;
        if magic != CON_MAGIC || !ring_len.is_power_of_two()
            || ring_len as i64 > size - CON_OFF_RING
        {
            return;
        }
        OUT = Out::Console { ring_len };
        HEAD = head;
        let len = args_len as usize;
        if len > CON_ARGS_MAX
            || atoll_vma_write(CONSOLE, SELF, CON_OFF_ARGS, off(ARGS.as_mut_ptr()), len as i64) != 0
        {
            return;
        }
        ARGS[len] = 0;
        ARGS_LEN = len;
        ARGC = argc as usize;
    }
}

#[cfg(not(target_os = "wasi"))]
fn out() -> Out {
    unsafe {
        if OUT == Out::Unknown {
            open();
        }
        OUT
    }
}

/// True if output goes to a console, false if to the serial log.
#[cfg(not(target_os = "wasi"))]
pub fn has_console() -> bool {
    matches!(out(), Out::Console { .. })
}

/// Appends `b` to the ring: bytes first, then head; waits while full.
#[cfg(not(target_os = "wasi"))]
fn con_write(mut b: &[u8], ring_len: u32) -> i32 {
    while !b.is_empty() {
        let tail = match con_read32(CON_OFF_TAIL) {
            Some(t) => t,
            None => return 1,
        };
        let head = unsafe { HEAD };
        let used = head.wrapping_sub(tail);
        if used > ring_len {
            return 1; // the launcher broke the protocol
        }
        let room = ring_len - used;
        if room == 0 {
            continue; // full: the launcher drains at least every tick
        }
        let part = b.len().min(room as usize);
        let at = (head & (ring_len - 1)) as usize;
        let first = part.min(ring_len as usize - at);
        let mut r = unsafe {
            atoll_vma_write(SELF, CONSOLE, off(b.as_ptr()), CON_OFF_RING + at as i64, first as i64)
        };
        if r == 0 && part > first {
            r = unsafe {
                atoll_vma_write(SELF, CONSOLE, off(b[first..].as_ptr()), CON_OFF_RING,
                                (part - first) as i64)
            };
        }
        if r != 0 {
            return r;
        }
        unsafe {
            HEAD = head.wrapping_add(part as u32); // the bytes are in: publish
            r = atoll_vma_write(SELF, CONSOLE, off(&HEAD as *const u32), CON_OFF_HEAD, 4);
        }
        if r != 0 {
            return r;
        }
        b = &b[part..];
    }
    0
}

#[cfg(not(target_os = "wasi"))]
fn log_write(b: &[u8]) -> i32 {
    for piece in b.chunks(LOG_WRITE_MAX) {
        let r = unsafe { atoll_log_write(SELF, off(piece.as_ptr()), piece.len() as i64) };
        if r != 0 {
            return r;
        }
    }
    0
}

/// Writes bytes to the program's output (console or log); 0 or the result
/// code of the call that failed. Unbuffered: done when it returns.
#[cfg(not(target_os = "wasi"))]
pub fn write(b: &[u8]) -> i32 {
    match out() {
        Out::Console { ring_len } => con_write(b, ring_len),
        _ => log_write(b),
    }
}

/// The program's output as a `fmt::Write`, what `print!` writes to.
#[cfg(not(target_os = "wasi"))]
pub struct Stdout;

#[cfg(not(target_os = "wasi"))]
impl fmt::Write for Stdout {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if write(s.as_bytes()) == 0 { Ok(()) } else { Err(fmt::Error) }
    }
}

/// Formats into pieces of 256 bytes, one write each (no allocation).
#[cfg(not(target_os = "wasi"))]
pub fn print_fmt(args: fmt::Arguments) {
    struct Buf { n: usize, b: [u8; 256] }
    impl fmt::Write for Buf {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for &c in s.as_bytes() {
                if self.n == self.b.len() {
                    write(&self.b);
                    self.n = 0;
                }
                self.b[self.n] = c;
                self.n += 1;
            }
            Ok(())
        }
    }
    let mut buf = Buf { n: 0, b: [0; 256] };
    let _ = fmt::write(&mut buf, args);
    write(&buf.b[..buf.n]);
}

#[cfg(not(target_os = "wasi"))]
#[allow(unused_macros)]
macro_rules! print {
    ($($arg:tt)*) => { $crate::atoll::print_fmt(format_args!($($arg)*)) };
}

#[cfg(not(target_os = "wasi"))]
#[allow(unused_macros)]
macro_rules! println {
    () => { $crate::atoll::write(b"\n") };
    ($($arg:tt)*) => {{
        $crate::atoll::print_fmt(format_args!($($arg)*));
        $crate::atoll::write(b"\n");
    }};
}

/// The arguments: `args().next()` is the program's name (as C's argv[0]).
/// Arguments that are not UTF-8 read as "".
#[cfg(not(target_os = "wasi"))]
pub fn args() -> Args {
    out();
    Args { pos: 0, left: unsafe { ARGC } }
}

#[cfg(not(target_os = "wasi"))]
pub struct Args {
    pos: usize,
    left: usize,
}

#[cfg(not(target_os = "wasi"))]
impl Iterator for Args {
    type Item = &'static str;
    fn next(&mut self) -> Option<&'static str> {
        let (all, len) = unsafe { (&ARGS[..], ARGS_LEN) };
        if self.left == 0 || self.pos >= len {
            return None;
        }
        let s = &all[self.pos..len];
        let n = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        self.pos += n + 1;
        self.left -= 1;
        Some(core::str::from_utf8(&s[..n]).unwrap_or(""))
    }
}

/// What `main` may return: `()` is status 0, an `i32` is the status.
#[cfg(not(target_os = "wasi"))]
pub trait Status {
    fn status(self) -> i32;
}
#[cfg(not(target_os = "wasi"))]
impl Status for () {
    fn status(self) -> i32 { 0 }
}
#[cfg(not(target_os = "wasi"))]
impl Status for i32 {
    fn status(self) -> i32 { self }
}

/// The entry the launcher starts (ATOLL_ENTRY): `crate::main`'s status.
#[cfg(not(target_os = "wasi"))]
#[no_mangle]
pub extern "C" fn atoll_start() -> i32 {
    open();
    Status::status(crate::main())
}

// ---- Handles, channels and waiting: safe forms of the shim's calls ----
//
// Each returns `Ok(..)` or `Err(result code)` (OK is never an error). A
// handle is an SDK index (i32), as in C; -1 is none. Buffers are slices of
// this program's memory, so a call can only touch what it was given.

/// An SDK handle index (user/sdk/atoll.h's atoll_handle).
pub type Handle = i32;

fn res(r: i32) -> Result<(), i32> {
    if r == OK { Ok(()) } else { Err(r) }
}

/// Drops handle `h` (its slot becomes empty).
pub fn handle_drop(h: Handle) -> Result<(), i32> {
    res(unsafe { atoll_handle_drop(h) })
}

/// The kind of `h` (KIND_*), KIND_INVALID for an empty slot.
pub fn handle_kind(h: Handle) -> i32 {
    unsafe { atoll_handle_kind(h) }
}

/// The rights `h` carries (RIGHT_*).
pub fn handle_rights(h: Handle) -> Result<i32, i32> {
    let mut v = 0;
    res(unsafe { atoll_handle_rights(h, &mut v) }).map(|_| v)
}

/// A second handle to `h`'s object carrying `rights` (h needs
/// RIGHT_DUPLICATE; asking for a right h lacks is ERIGHTS).
pub fn handle_duplicate(h: Handle, rights: i32) -> Result<Handle, i32> {
    let mut out = -1;
    res(unsafe { atoll_handle_duplicate(h, rights, &mut out) }).map(|_| out)
}

/// A handle to `h`'s object that can be taken back, and its revoker:
/// `(handle, revoker)`. After `revoke(revoker)` every handle made from it
/// reads as revoked (EREVOKED).
pub fn handle_revocable(h: Handle, rights: i32) -> Result<(Handle, Handle), i32> {
    let (mut out, mut revoker) = (-1, -1);
    res(unsafe { atoll_handle_revocable(h, rights, &mut out, &mut revoker) })
        .map(|_| (out, revoker))
}

/// Takes back what `handle_revocable` made.
pub fn revoke(revoker: Handle) -> Result<(), i32> {
    res(unsafe { atoll_revoke(revoker) })
}

/// A port range object for ports `[first, first+count)` of `ports`
/// (RIGHT_CONTROL; ERIGHTS beyond it or on a port the kernel keeps).
pub fn ioport_range(ports: Handle, first: i32, count: i32) -> Result<Handle, i32> {
    let mut out = -1;
    res(unsafe { atoll_ioport_range(ports, first, count, &mut out) }).map(|_| out)
}

/// Reads port `port` of a port range, `width` 1, 2 or 4 bytes.
pub fn port_in(ports: Handle, port: i32, width: i32) -> Result<i32, i32> {
    let mut v = 0;
    res(unsafe { atoll_port_in(ports, port, width, &mut v) }).map(|_| v)
}

/// Writes port `port` of a port range, `width` 1, 2 or 4 bytes.
pub fn port_out(ports: Handle, port: i32, width: i32, value: i32) -> Result<(), i32> {
    res(unsafe { atoll_port_out(ports, port, width, value) })
}

/// Claims interrupt line `line` of the set `irqs`: a line object, readable
/// when the interrupt fired; masked until `irq_ack`.
pub fn irq_line(irqs: Handle, line: i32) -> Result<Handle, i32> {
    let mut out = -1;
    res(unsafe { atoll_irq_line(irqs, line, &mut out) }).map(|_| out)
}

/// Acknowledges a line's interrupt: clears readable, unmasks the line;
/// the interrupts the line has taken since it was claimed.
pub fn irq_ack(irq: Handle) -> Result<i64, i32> {
    let mut v = 0;
    res(unsafe { atoll_irq_ack(irq, &mut v) }).map(|_| v)
}

/// A new channel: its two endpoints.
pub fn channel_create() -> Result<(Handle, Handle), i32> {
    let (mut a, mut b) = (-1, -1);
    res(unsafe { atoll_channel_create(&mut a, &mut b) }).map(|_| (a, b))
}

/// Sends `bytes` and `handles` (at most CHANNEL_MSG_HANDLES; they move
/// with the message) to the peer of `ch`. EWOULDBLOCK: its queue is full;
/// EPEER: it is closed. On failure nothing is sent.
pub fn channel_send(ch: Handle, bytes: &[u8], handles: &[Handle]) -> Result<(), i32> {
    if handles.len() > CHANNEL_MSG_HANDLES {
        return Err(EINVAL);
    }
    let mut h = [-1; CHANNEL_MSG_HANDLES];
    h[..handles.len()].copy_from_slice(handles);
    res(unsafe {
        atoll_channel_write(ch, SELF, off(bytes.as_ptr()), bytes.len() as i64, h[0], h[1], h[2],
                            h[3])
    })
}

/// A message taken by `channel_recv`: its length, and the handles it
/// carried (now this program's).
#[derive(Clone, Copy, Debug)]
pub struct Received {
    pub len: usize,
    pub count: usize,
    pub slots: [Handle; CHANNEL_MSG_HANDLES],
}

impl Received {
    /// The handles that came with the message.
    pub fn handles(&self) -> &[Handle] {
        &self.slots[..self.count.min(CHANNEL_MSG_HANDLES)]
    }
}

/// Takes the oldest message of `ch` into `buf`. EWOULDBLOCK: none is
/// queued; EPEER: none is and the peer is closed; ETOOSMALL: `buf` is
/// short and the message stays queued (atoll_channel_read, the raw
/// call, says how long it is).
pub fn channel_recv(ch: Handle, buf: &mut [u8]) -> Result<Received, i32> {
    let mut len: i64 = 0;
    let mut count: i32 = 0;
    let mut h = [-1; CHANNEL_MSG_HANDLES];
    let [h0, h1, h2, h3] = &mut h;
    let r = unsafe {
        atoll_channel_read(ch, SELF, off(buf.as_mut_ptr()), buf.len() as i64, &mut len,
                           &mut count, h0, h1, h2, h3)
    };
    res(r).map(|_| Received { len: len as usize, count: count as usize, slots: h })
}

/// A request (bytes, no handles) and its reply in one `channel_call`:
/// sends `req`, waits until `deadline` (a `clock_ns` value, or FOREVER)
/// for the next message on `ch` and takes it into `reply`, as
/// `channel_recv`. ETIMEDOUT: the request went, no reply came in time.
pub fn channel_request(ch: Handle, req: &[u8], reply: &mut [u8], deadline: i64)
                       -> Result<Received, i32> {
    let mut len: i64 = 0;
    let mut count: i32 = 0;
    let mut h = [-1; CHANNEL_MSG_HANDLES];
    let [h0, h1, h2, h3] = &mut h;
    let r = unsafe {
        atoll_channel_call(ch, SELF, off(req.as_ptr()), req.len() as i64,
                           off(reply.as_mut_ptr()), reply.len() as i64, deadline, -1, -1, -1, -1,
                           &mut len, &mut count, h0, h1, h2, h3)
    };
    res(r).map(|_| Received { len: len as usize, count: count as usize, slots: h })
}

/// Blocks until `h` asserts one of `signals` (SIGNAL_*): the signals it
/// has then. ETIMEDOUT once `deadline` (a `clock_ns` value, or FOREVER)
/// passes first. h needs RIGHT_WAIT.
pub fn wait_one(h: Handle, signals: i32, deadline: i64) -> Result<i32, i32> {
    let mut observed = 0;
    res(unsafe { atoll_wait_one(h, signals, deadline, &mut observed) }).map(|_| observed)
}

/// A new wait set: many handles waited on at once (it stays with this
/// program).
pub fn waitset_create() -> Result<Handle, i32> {
    let mut ws = -1;
    res(unsafe { atoll_waitset_create(&mut ws) }).map(|_| ws)
}

/// Watches `signals` of `h`, reported under `key` (unique in the set).
pub fn waitset_add(ws: Handle, h: Handle, signals: i32, key: i64) -> Result<(), i32> {
    res(unsafe { atoll_waitset_add(ws, h, signals, key) })
}

pub fn waitset_remove(ws: Handle, key: i64) -> Result<(), i32> {
    res(unsafe { atoll_waitset_remove(ws, key) })
}

/// Blocks until an entry's signals are asserted: `(key, observed)`;
/// ETIMEDOUT at the deadline. Level-triggered, entries taken in turn.
pub fn waitset_wait(ws: Handle, deadline: i64) -> Result<(i64, i32), i32> {
    let (mut key, mut observed) = (0i64, 0i32);
    res(unsafe { atoll_waitset_wait(ws, deadline, &mut key, &mut observed) })
        .map(|_| (key, observed))
}

/// Makes the kernel call this program's `ready(key: i64, signals: i32)`
/// export for each ready entry of wait set `ws` (level-triggered, entries
/// in turn, as `waitset_wait` reports them), between its other work and
/// never nested in another call of its code; an entry still ready after
/// the call is reported again later. A new watch replaces the previous
/// one; `ws` = -1 stops it. The kernel keeps the set while it watches
/// (dropping `ws` does not stop it). ERIGHTS without RIGHT_WAIT; EINVAL
/// when `ws` is not a wait set or there is no such `ready` export.
pub fn events_watch(ws: Handle) -> Result<(), i32> {
    res(unsafe { atoll_events_watch(ws) })
}

/// Nanoseconds since boot.
pub fn clock_ns() -> i64 {
    unsafe { atoll_clock_ns() }
}

/// Blocks until `clock_ns()` reaches `deadline`.
pub fn sleep_until(deadline: i64) -> Result<(), i32> {
    res(unsafe { atoll_sleep_until(deadline) })
}

/// Lets other components run.
pub fn yield_now() {
    unsafe { atoll_yield() }
}

// ---- Input and the registry (program_abi.h), as user/sdk/program.c ----

const REGISTRY: Handle = GRANTED + REGISTRY_GRANT;
#[cfg(not(target_os = "wasi"))]
const INPUT: Handle = GRANTED + INPUT_GRANT;

/// The rest of the input message being read: a line longer than the
/// caller's buffer is handed out in pieces.
#[cfg(not(target_os = "wasi"))]
static mut IN_BUF: [u8; CHANNEL_MSG_MAX] = [0; CHANNEL_MSG_MAX];
#[cfg(not(target_os = "wasi"))]
static mut IN_LEN: usize = 0;
#[cfg(not(target_os = "wasi"))]
static mut IN_POS: usize = 0;
#[cfg(not(target_os = "wasi"))]
static mut IN_ENDED: bool = false;

/// Reads input: up to `buf.len()` bytes of what the user typed while the
/// program runs in the foreground (each line a message on the input
/// channel), waiting until a line comes. `Ok(0)` at the end of input
/// (Ctrl+D); `Err(result)` when the program has no input channel.
#[cfg(not(target_os = "wasi"))]
pub fn read(buf: &mut [u8]) -> Result<usize, i32> {
    unsafe {
        while IN_POS == IN_LEN && !IN_ENDED {
            match channel_recv(INPUT, &mut IN_BUF[..]) {
                Ok(m) => {
                    for &h in m.handles() {
                        let _ = handle_drop(h); // input carries bytes only
                    }
                    IN_LEN = m.len;
                    IN_POS = 0;
                }
                Err(EWOULDBLOCK) => {
                    wait_one(INPUT, SIGNAL_READABLE | SIGNAL_PEER_CLOSED, FOREVER)?;
                }
                Err(EPEER) => IN_ENDED = true,
                Err(r) => return Err(r), // no input channel
            }
        }
        let k = (IN_LEN - IN_POS).min(buf.len());
        buf[..k].copy_from_slice(&IN_BUF[IN_POS..IN_POS + k]);
        IN_POS += k;
        Ok(k)
    }
}

/// Sends a request (op, name) to the registry with handle `h` (or -1) and
/// waits for its answer: the registry's status (>= 0) and the handle it
/// carried (-1 if none); or -result of the channel call that failed.
fn registry_call(op: i32, name: &str, h: Handle, want: bool) -> (i32, Handle) {
    let n = name.len();
    if n == 0 || n > REG_NAME_MAX {
        return (-EINVAL, -1);
    }
    let mut msg = [0u8; 4 + REG_NAME_MAX];
    msg[..4].copy_from_slice(&(op as u32).to_le_bytes());
    msg[4..4 + n].copy_from_slice(name.as_bytes());
    let one = [h];
    let hs = if h >= 0 { &one[..] } else { &one[..0] };
    if let Err(r) = channel_send(REGISTRY, &msg[..4 + n], hs) {
        return (-r, -1);
    }
    loop {
        let mut status = [0u8; 4];
        match channel_recv(REGISTRY, &mut status) {
            Err(EWOULDBLOCK) => {
                if let Err(r) = wait_one(REGISTRY, SIGNAL_READABLE | SIGNAL_PEER_CLOSED, FOREVER) {
                    return (-r, -1);
                }
            }
            Err(r) => return (-r, -1),
            Ok(m) => {
                let got = m.handles();
                let out = if want && !got.is_empty() { got[0] } else { -1 };
                for &x in &got[if want { 1.min(got.len()) } else { 0 }..] {
                    let _ = handle_drop(x);
                }
                let s = u32::from_le_bytes(status);
                let s = if m.len == 4 && s <= REG_BAD as u32 { s as i32 } else { REG_BAD };
                return (s, out);
            }
        }
    }
}

/// Registers `name` (1 to REG_NAME_MAX bytes) with the registry: the
/// channel connection requests arrive on (readable; take each with
/// `service_accept`). The name is this program's until it ends or drops
/// that channel. `Err` holds REG_TAKEN, REG_BAD (REG_NO_NAME never), or
/// -result of the channel call that failed (no registry channel, ...).
pub fn service_register(name: &str) -> Result<Handle, i32> {
    let (mine, theirs) = channel_create().map_err(|r| -r)?;
    let (r, _) = registry_call(REG_REGISTER, name, theirs, false);
    if r != REG_OK {
        let _ = handle_drop(mine);
        if handle_kind(theirs) != KIND_INVALID {
            let _ = handle_drop(theirs); // the request never left
        }
        return Err(r);
    }
    Ok(mine)
}

/// Takes one connection request from `listen` (what `service_register`
/// gave): the new connection's endpoint. `Err` holds a channel result:
/// EWOULDBLOCK when none waits, EINVAL for a message that is not one,
/// EPEER when the registry is gone.
pub fn service_accept(listen: Handle) -> Result<Handle, i32> {
    let mut op = [0u8; 4];
    let m = channel_recv(listen, &mut op)?;
    let hs = m.handles();
    if u32::from_le_bytes(op) != REG_CONNECT as u32 || m.len != 4 || hs.len() != 1
        || handle_kind(hs[0]) != KIND_CHANNEL
    {
        for &h in hs {
            let _ = handle_drop(h);
        }
        return Err(EINVAL);
    }
    Ok(hs[0])
}

/// A new channel to the service registered as `name`. `Err` holds
/// REG_NO_NAME (nobody registered it), REG_BAD, or -result of the channel
/// call that failed.
pub fn service_lookup(name: &str) -> Result<Handle, i32> {
    let (r, ch) = registry_call(REG_LOOKUP, name, -1, true);
    if r != REG_OK {
        if ch >= 0 {
            let _ = handle_drop(ch);
        }
        return Err(r);
    }
    if ch < 0 { Err(REG_BAD) } else { Ok(ch) }
}

/// A short name for a result code ("ok", "would block", ...), as
/// atoll_result_name in C; "?" for anything else.
pub fn result_name(r: i32) -> &'static str {
    const NAMES: [&str; 11] = [
        "ok", "invalid parameters", "internal error", "unknown error", "trapped",
        "missing right", "would block", "peer closed", "timed out", "buffer too small",
        "revoked",
    ];
    if r >= 0 && (r as usize) < NAMES.len() { NAMES[r as usize] } else { "?" }
}
