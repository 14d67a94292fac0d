//! rust-hello — a Rust program with the standard library: a greeting,
//! something computed in a Vec and with format!, then its arguments.
//!
//!     run rust-hello a b

#[path = "../../sdk/rust/atoll.rs"]
#[macro_use]
mod atoll;

fn main() -> i32 {
    println!("Hello from Rust!");
    let squares: Vec<u32> = (1..=10).map(|n| n * n).collect();
    let sum: u32 = squares.iter().sum();
    let line = format!("the first {} squares add up to {}", squares.len(), sum);
    println!("{}", line);
    for (i, arg) in atoll::args().enumerate().skip(1) {
        println!("arg {}: {}", i, arg);
    }
    0
}
