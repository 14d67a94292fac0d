//! atoll.rs — the Atoll program runtime for Rust (docs/programs.md): the
//! entry, the arguments, and output through the console, as
//! user/sdk/program_abi.h lays them out (the C side is user/sdk/program.c).
//!
//! A program includes this file as a module and defines `main` at its root:
//!
//! ```ignore
//! #[path = "../../sdk/rust/atoll.rs"]
//! #[macro_use]
//! mod atoll;
//!
//! fn main() -> i32 {
//!     println!("Hello from Rust!");
//!     for a in atoll::args() { println!("arg {}", a); }
//!     0                      // the exit status; `fn main()` means 0
//! }
//! ```
//!
//! This module exports `atoll_start`, the entry the launcher starts: it
//! reads the console's header and arguments, calls `crate::main`, and
//! returns its status. It uses only `core`, so it also serves a `no_std`
//! program (which then brings its own `#[panic_handler]`). A panic is a
//! trap (`unreachable`), which the launcher reports. `print!`/`println!`
//! here replace std's (which print nothing on wasm32-unknown-unknown).
//!
//! Build: /usr/bin/rustc --target wasm32-unknown-unknown -O --crate-type
//! cdylib, linked to import its memory from env (user/sdk/program.mk).
#![allow(dead_code)]

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
    pub fn atoll_sleep_until(deadline: i64) -> i32;
    pub fn atoll_yield();
    pub fn atoll_handle_revocable(h: i32, rights: i32, out: *mut i32, revoker: *mut i32) -> i32;
    pub fn atoll_revoke(revoker: i32) -> i32;
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
/// Handle kinds (enum atoll_kind).
pub const KIND_INVALID: i32 = 0;
pub const KIND_VMA: i32 = 1;
pub const KIND_MODULE: i32 = 2;
pub const KIND_COMPONENT: i32 = 3;
pub const KIND_CHANNEL: i32 = 4;
pub const KIND_WAITSET: i32 = 5;
pub const KIND_REVOKER: i32 = 6;
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
/// atoll_component_status's states (user/sdk/atoll.h, enum atoll_state).
pub const STATE_IDLE: i32 = 0; // value: the last started call's result or add's index
pub const STATE_RUNNING: i32 = 1; // a started call or add is queued or running
pub const STATE_TRAPPED: i32 = 2;
pub const STATE_KILLED: i32 = 3;
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
/// userboot's grants (program_abi.h, ATOLL_BOOT_GRANT_*).
pub const BOOT_GRANT_SCREEN: i32 = 0;
pub const BOOT_GRANT_PROGRAMS: i32 = 1;

/// The offset of a pointer in this program's memory (SDK handle SELF).
fn off<T: ?Sized>(p: *const T) -> i64 {
    p as *const u8 as usize as i64
}

/// Where output goes: decided once, by `start` (or the first write).
#[derive(Clone, Copy, PartialEq)]
enum Out {
    Unknown,
    Console { ring_len: u32 },
    Log,
}

// One thread runs a component's code and nothing reenters it, so plain
// statics are safe here; they are touched only through the functions below.
static mut OUT: Out = Out::Unknown;
static mut HEAD: u32 = 0; // bytes written in all; only we change it
static mut ARGS: [u8; CON_ARGS_MAX + 1] = [0; CON_ARGS_MAX + 1];
static mut ARGS_LEN: usize = 0;
static mut ARGC: usize = 0;

/// Reads the 4-byte field at `at` of the console.
fn con_read32(at: i64) -> Option<u32> {
    let mut v: u32 = 0;
    let r = unsafe { atoll_vma_write(CONSOLE, SELF, at, off(&mut v as *mut u32), 4) };
    if r == 0 { Some(v) } else { None }
}

/// Reads the console header (a memory area with the magic and a sane ring)
/// and the arguments; else output goes to the serial log.
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

fn out() -> Out {
    unsafe {
        if OUT == Out::Unknown {
            open();
        }
        OUT
    }
}

/// True if output goes to a console, false if to the serial log.
pub fn has_console() -> bool {
    matches!(out(), Out::Console { .. })
}

/// Appends `b` to the ring: bytes first, then head; waits while full.
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
pub fn write(b: &[u8]) -> i32 {
    match out() {
        Out::Console { ring_len } => con_write(b, ring_len),
        _ => log_write(b),
    }
}

/// The program's output as a `fmt::Write`, what `print!` writes to.
pub struct Stdout;

impl fmt::Write for Stdout {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if write(s.as_bytes()) == 0 { Ok(()) } else { Err(fmt::Error) }
    }
}

/// Formats into pieces of 256 bytes, one write each (no allocation).
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

#[allow(unused_macros)]
macro_rules! print {
    ($($arg:tt)*) => { $crate::atoll::print_fmt(format_args!($($arg)*)) };
}

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
pub fn args() -> Args {
    out();
    Args { pos: 0, left: unsafe { ARGC } }
}

pub struct Args {
    pos: usize,
    left: usize,
}

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
pub trait Status {
    fn status(self) -> i32;
}
impl Status for () {
    fn status(self) -> i32 { 0 }
}
impl Status for i32 {
    fn status(self) -> i32 { self }
}

/// The entry the launcher starts (ATOLL_ENTRY): `crate::main`'s status.
#[no_mangle]
pub extern "C" fn atoll_start() -> i32 {
    open();
    Status::status(crate::main())
}
