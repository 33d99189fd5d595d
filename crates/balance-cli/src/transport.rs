//! The native transport (reqwest on Tokio) and clock for `balance run`.

use std::future::Future;
use std::time::{Duration, Instant};

use balance_agent::call::Sleep;
use balance_agent::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// Sends requests with reqwest, each with the provider's timeout.
pub struct Reqwest {
    client: reqwest::Client,
    timeout: Duration,
}

impl Reqwest {
    /// A client whose calls time out after `timeout_s` seconds.
    pub fn new(timeout_s: f64) -> Result<Reqwest, String> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("balance-lab/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        Ok(Reqwest { client, timeout: Duration::from_secs_f64(timeout_s) })
    }
}

impl Transport for Reqwest {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let mut builder = match request.method {
            Method::Get => self.client.get(&request.url),
            Method::Post => self.client.post(&request.url).body(request.body),
        }
        .timeout(self.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        async move {
            let response = builder.send().await.map_err(failure)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect();
            let body = response.text().await.map_err(failure)?;
            Ok(HttpResponse { status, headers, body })
        }
    }
}

/// A reqwest error as the runner sees it (the message never holds a header, so never a key).
fn failure(e: reqwest::Error) -> TransportError {
    if e.is_timeout() {
        TransportError::Timeout
    } else {
        TransportError::Network(e.without_url().to_string())
    }
}

/// Tokio's timer, and the time since the run started.
pub struct TokioClock {
    start: Instant,
}

impl TokioClock {
    /// A clock starting now.
    pub fn new() -> TokioClock {
        TokioClock { start: Instant::now() }
    }
}

impl Sleep for TokioClock {
    fn sleep(&self, ms: f64) -> impl Future<Output = ()> {
        tokio::time::sleep(Duration::from_secs_f64(ms.max(0.0) / 1000.0))
    }

    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }
}
