//! rust-upper — upper (user/examples/upper) in Rust with std: echoes each
//! line of its input (std::io::stdin) in upper case, until the end of
//! input (Ctrl+D at the shell); given files, their text instead
//! (std::fs, once a folder is preopened: atoll-run --dir):
//!
//!     atoll> run rust-upper
//!     abc
//!     ABC
//!     $ build/atoll-run --dir notes::/notes rust-upper.wasm /notes/a.txt

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut out = io::stdout();
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut status = ExitCode::SUCCESS;
    for path in &files {
        match std::fs::read(path) {
            Ok(mut text) => {
                text.make_ascii_uppercase();
                if out.write_all(&text).and_then(|_| out.flush()).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("rust-upper: {}: {}", path, e);
                status = ExitCode::FAILURE;
            }
        }
    }
    if !files.is_empty() {
        return status;
    }
    let stdin = io::stdin();
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
