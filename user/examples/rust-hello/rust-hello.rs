//! rust-hello — a Rust program with the standard library, built for
//! wasm32-wasi: a greeting, something computed in a Vec and with format!,
//! then its arguments (std::env::args).
//!
//!     run rust-hello a b

fn main() {
    println!("Hello from Rust!");
    let squares: Vec<u32> = (1..=10).map(|n| n * n).collect();
    let sum: u32 = squares.iter().sum();
    let line = format!("the first {} squares add up to {}", squares.len(), sum);
    println!("{}", line);
    for (i, arg) in std::env::args().enumerate().skip(1) {
        println!("arg {}: {}", i, arg);
    }
}
