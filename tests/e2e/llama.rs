//! A real language model for the tests: llama.cpp's OpenAI-compatible server (the PyPI package
//! `llama-cpp-python[server]`) with SmolLM2-135M-Instruct, started on a free loopback port and
//! stopped when dropped. `scripts/real-model.sh` installs both and `scripts/env.sh` names them
//! (`BALANCE_LLAMA_PYTHON`, `BALANCE_SMOLLM2`); `make test` does both. Shared by the end-to-end
//! tests and the command line's (which include this file).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The model's name at the server.
pub const MODEL: &str = "smollm2";

/// The running server.
pub struct Llama {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

/// The path an environment variable names, or a panic saying how to get it.
fn installed(var: &str) -> String {
    let path = std::env::var(var).unwrap_or_default();
    assert!(
        !path.is_empty() && std::path::Path::new(&path).exists(),
        "{var} ({path:?}) names no file: run `bash scripts/real-model.sh` and \
         `source scripts/env.sh` (make test does both)"
    );
    path
}

impl Llama {
    /// Starts the server and waits until it lists its model (the model loads in a few seconds).
    pub fn start() -> Llama {
        let python = installed("BALANCE_LLAMA_PYTHON");
        let model = installed("BALANCE_SMOLLM2");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(python)
            .args(["-m", "llama_cpp.server", "--model", &model, "--model_alias", MODEL])
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--seed", "1"])
            .args(["--n_ctx", "2048", "--verbose", "False"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("llama.cpp's server starts");
        let server = Llama { child, port };
        let deadline = Instant::now() + Duration::from_secs(120);
        while server.models().is_none() {
            assert!(Instant::now() < deadline, "llama.cpp's server did not answer in 120 s");
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    /// Its OpenAI-compatible base URL.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The body of `GET /v1/models` when the server answers it with the model.
    fn models(&self) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(s, "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut text = String::new();
        s.read_to_string(&mut text).ok()?;
        text.contains(MODEL).then_some(text)
    }
}

impl Drop for Llama {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
