//! rust-upper — upper (user/examples/upper) in Rust: echoes each line of
//! its input in upper case, until the end of input (Ctrl+D at the shell):
//!
//!     atoll> run rust-upper
//!     abc
//!     ABC

#[path = "../../sdk/rust/atoll.rs"]
#[macro_use]
mod atoll;

fn main() -> i32 {
    let mut buf = [0u8; 256];
    loop {
        match atoll::read(&mut buf) {
            Ok(0) => return 0,
            Ok(n) => {
                buf[..n].make_ascii_uppercase();
                atoll::write(&buf[..n]);
            }
            Err(r) => {
                println!("rust-upper: no input: {}", atoll::result_name(r));
                return 1;
            }
        }
    }
}
