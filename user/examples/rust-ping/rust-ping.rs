//! rust-ping — ping (user/examples/ping) in Rust: looks up the service
//! "ping" (pingd), sends its arguments as one message and prints the
//! answer and the round trip:
//!
//!     atoll> run pingd &
//!     atoll> run rust-ping hello
//!     pong: hello
//!     round trip: 41 us

#[path = "../../sdk/rust/atoll.rs"]
mod atoll;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut text = [0u8; 1024];
    let mut n = 0;
    for arg in std::env::args().skip(1) {
        let a = arg.as_bytes();
        if n + a.len() + 1 >= text.len() {
            break;
        }
        if n > 0 {
            text[n] = b' ';
            n += 1;
        }
        text[n..n + a.len()].copy_from_slice(a);
        n += a.len();
    }
    if n == 0 {
        text[..4].copy_from_slice(b"ping");
        n = 4;
    }
    let ch = match atoll::service_lookup("ping") {
        Ok(ch) => ch,
        Err(r) => {
            let why = if r == atoll::REG_NO_NAME { "not registered" } else { "registry error" };
            println!("rust-ping: no service \"ping\" ({}): start it with run pingd &", why);
            return ExitCode::FAILURE;
        }
    };
    let mut answer = [0u8; 1024];
    let t0 = atoll::clock_ns();
    let got = atoll::channel_request(ch, &text[..n], &mut answer, t0 + 5_000_000_000);
    let t1 = atoll::clock_ns();
    let m = match got {
        Ok(m) => m,
        Err(r) => {
            println!("rust-ping: no answer: {}", atoll::result_name(r));
            return ExitCode::FAILURE;
        }
    };
    for &h in m.handles() {
        let _ = atoll::handle_drop(h);
    }
    let text = core::str::from_utf8(&answer[..m.len]).unwrap_or("(not UTF-8)");
    println!("pong: {}\nround trip: {} us", text, (t1 - t0) / 1000);
    let _ = atoll::handle_drop(ch);
    ExitCode::SUCCESS
}
