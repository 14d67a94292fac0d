//! rust-upper — upper (user/examples/upper) in Rust with std: echoes each
//! line of its input (std::io::stdin) in upper case, until the end of
//! input (Ctrl+D at the shell):
//!
//!     atoll> run rust-upper
//!     abc
//!     ABC

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = io::stdin();
    let mut out = io::stdout();
    let mut line = Vec::new();
    loop {
        line.clear();
        match stdin.lock().read_until(b'\n', &mut line) {
            Ok(0) => return ExitCode::SUCCESS,
            Ok(_) => {
                line.make_ascii_uppercase();
                if out.write_all(&line).and_then(|_| out.flush()).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("rust-upper: no input: {}", e);
                return ExitCode::FAILURE;
            }
        }
    }
}
