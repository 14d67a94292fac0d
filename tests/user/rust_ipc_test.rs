//! rust_ipc_test — atoll.rs's channel, waiting, rights and registry calls,
//! run by tests/user/test_programs.mjs under the mock of the kernel (not
//! in the boot archive). Prints a line per failed check, then the count.

#[path = "../../user/sdk/rust/atoll.rs"]
#[macro_use]
mod atoll;

use atoll::*;

static mut CHECKS: u32 = 0;
static mut FAILED: u32 = 0;

fn check(what: &str, ok: bool) {
    unsafe {
        CHECKS += 1;
        if !ok {
            FAILED += 1;
            println!("FAIL {}", what);
        }
    }
}

fn main() -> i32 {
    // With no input and no registry granted (the mock's launch grants only
    // a console; -1 is past the table): errors, not waits. Checked first,
    // while those slots are empty (handles made here take free slots).
    let mut buf = [0u8; 16];
    if handle_kind(GRANTED + INPUT_GRANT) <= KIND_INVALID
        && handle_kind(GRANTED + REGISTRY_GRANT) <= KIND_INVALID
    {
        check("read: no input", matches!(read(&mut buf), Err(r) if r > 0));
        check("lookup: no registry", matches!(service_lookup("ping"), Err(r) if r < 0));
    }
    check("register: empty name", service_register("") == Err(-EINVAL));
    check("register: long name", service_register(core::str::from_utf8(&[b'n'; 33]).unwrap_or(""))
        == Err(-EINVAL));
    let (a, b) = match channel_create() {
        Ok(p) => p,
        Err(r) => {
            println!("FAIL channel_create: {}", result_name(r));
            return 1;
        }
    };
    check("kind", handle_kind(a) == KIND_CHANNEL && handle_kind(b) == KIND_CHANNEL);
    let all = RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE | RIGHT_WAIT;
    check("rights", handle_rights(a).map(|r| r & all == all) == Ok(true));

    // duplicate with fewer rights; a right it lacks is refused
    let d = handle_duplicate(b, RIGHT_READ | RIGHT_WAIT | RIGHT_TRANSFER).unwrap_or(-1);
    check("duplicate", handle_rights(d) == Ok(RIGHT_READ | RIGHT_WAIT | RIGHT_TRANSFER));
    check("duplicate: more rights", handle_duplicate(d, RIGHT_WRITE) == Err(ERIGHTS));
    check("send without WRITE", channel_send(d, b"no", &[]) == Err(ERIGHTS));

    // a message with a handle (not of its own channel end): it moves
    check("send", channel_send(a, b"hi", &[d]).is_ok());
    check("sent handle is gone", handle_kind(d) == KIND_INVALID);
    check("wait_one readable", wait_one(b, SIGNAL_READABLE, FOREVER)
        .map(|o| o & SIGNAL_READABLE != 0) == Ok(true));
    check("recv: too small", channel_recv(b, &mut buf[..1]).err() == Some(ETOOSMALL));
    match channel_recv(b, &mut buf) {
        Ok(m) => {
            check("recv: bytes", &buf[..m.len] == b"hi");
            check("recv: one handle", m.handles().len() == 1);
            let h = m.handles().first().copied().unwrap_or(-1);
            check("recv: its rights", handle_rights(h) == Ok(RIGHT_READ | RIGHT_WAIT | RIGHT_TRANSFER));
            check("drop", handle_drop(h).is_ok() && handle_kind(h) == KIND_INVALID);
        }
        Err(r) => check(result_name(r), false),
    }
    check("recv: empty", channel_recv(b, &mut buf).err() == Some(EWOULDBLOCK));
    check("wait_one: deadline", wait_one(b, SIGNAL_READABLE, clock_ns() + 1000) == Err(ETIMEDOUT));
    check("five handles", channel_send(a, b"", &[a, a, a, a, a]) == Err(EINVAL));

    // a wait set
    match waitset_create() {
        Ok(ws) => {
            check("waitset_add", waitset_add(ws, b, SIGNAL_READABLE, 7).is_ok());
            check("waitset_wait: deadline", waitset_wait(ws, clock_ns() + 1000) == Err(ETIMEDOUT));
            check("send 2", channel_send(a, b"w", &[]).is_ok());
            check("waitset_wait", waitset_wait(ws, FOREVER)
                .map(|(k, o)| k == 7 && o & SIGNAL_READABLE != 0) == Ok(true));
            check("waitset_remove", waitset_remove(ws, 7).is_ok());
            check("waitset_remove again", waitset_remove(ws, 7) == Err(EINVAL));
        }
        Err(r) => check(result_name(r), false),
    }
    check("drain", channel_recv(b, &mut buf).map(|m| m.len) == Ok(1));

    // revocation
    match handle_revocable(a, RIGHT_WRITE | RIGHT_WAIT) {
        Ok((r, rev)) => {
            check("revocable: works", channel_send(r, b"x", &[]).is_ok());
            check("revoke", revoke(rev).is_ok());
            let e = channel_send(r, b"y", &[]);
            check("revoked", e == Err(EREVOKED) || e == Err(EINVAL)); // the mock: EINVAL
        }
        Err(r) => check(result_name(r), false),
    }
    check("drain 2", channel_recv(b, &mut buf).map(|m| m.len) == Ok(1));
    // (a revoked handle still names its object: a new channel for this)
    let (c, e) = channel_create().unwrap_or((-1, -1));
    check("peer closed", handle_drop(c).is_ok() && channel_recv(e, &mut buf).err() == Some(EPEER));

    check("result_name", result_name(EWOULDBLOCK) == "would block" && result_name(99) == "?");
    unsafe {
        println!("rust_ipc_test: {} checks, {} failed", CHECKS, FAILED);
        if FAILED == 0 { 0 } else { 1 }
    }
}
