//! rust-pingd — pingd (user/examples/pingd) in Rust: registers the name
//! "ping" and answers every message on every connection with the same
//! bytes, waiting on the registry's connection requests and every
//! connection with one wait set. Run it in the background, then a client:
//!
//!     atoll> run rust-pingd &
//!     atoll> run ping hello          (or run rust-ping hello)
//!     pong: hello

#[path = "../../sdk/rust/atoll.rs"]
mod atoll;

use std::process::ExitCode;

use atoll::{Handle, FOREVER, SIGNAL_PEER_CLOSED, SIGNAL_READABLE};

const MAX_CONNS: usize = 64;
const LISTEN_KEY: i64 = -1;
const SIGNALS: i32 = SIGNAL_READABLE | SIGNAL_PEER_CLOSED;

struct Server {
    ws: Handle,
    conns: [Handle; MAX_CONNS],
    msg: Vec<u8>, // one message: on the heap, not as zeroes in the .wasm
}

impl Server {
    fn add(&mut self, c: Handle) {
        for i in 0..MAX_CONNS {
            if self.conns[i] < 0 && atoll::waitset_add(self.ws, c, SIGNALS, i as i64).is_ok() {
                self.conns[i] = c;
                return;
            }
        }
        let _ = atoll::handle_drop(c); // too many: the client sees it closed
    }

    fn drop_conn(&mut self, i: usize) {
        let _ = atoll::waitset_remove(self.ws, i as i64);
        let _ = atoll::handle_drop(self.conns[i]);
        self.conns[i] = -1;
    }

    /// Echoes what is queued on connection i; drops it once its client left.
    fn serve(&mut self, i: usize) {
        loop {
            let m = match atoll::channel_recv(self.conns[i], &mut self.msg) {
                Ok(m) => m,
                Err(atoll::EWOULDBLOCK) => return,
                Err(_) => return self.drop_conn(i),
            };
            for &h in m.handles() {
                let _ = atoll::handle_drop(h); // bytes only
            }
            if atoll::channel_send(self.conns[i], &self.msg[..m.len], &[]).is_err() {
                return self.drop_conn(i);
            }
        }
    }
}

fn main() -> ExitCode {
    let listen = match atoll::service_register("ping") {
        Ok(h) => h,
        Err(r) => {
            println!("rust-pingd: cannot register ping ({})", r);
            return ExitCode::FAILURE;
        }
    };
    let ws = match atoll::waitset_create() {
        Ok(ws) if atoll::waitset_add(ws, listen, SIGNALS, LISTEN_KEY).is_ok() => ws,
        _ => {
            println!("rust-pingd: no wait set");
            return ExitCode::FAILURE;
        }
    };
    let mut server = Server { ws, conns: [-1; MAX_CONNS], msg: vec![0; atoll::CHANNEL_MSG_MAX] };
    println!("rust-pingd: serving ping");
    loop {
        let (key, observed) = match atoll::waitset_wait(ws, FOREVER) {
            Ok(k) => k,
            Err(_) => return ExitCode::FAILURE,
        };
        if key == LISTEN_KEY {
            match atoll::service_accept(listen) {
                Ok(c) => server.add(c),
                Err(_) if observed & SIGNAL_PEER_CLOSED != 0 => return ExitCode::SUCCESS, // the registry is gone
                Err(_) => {}
            }
        } else if (0..MAX_CONNS as i64).contains(&key) {
            server.serve(key as usize);
        }
    }
}
