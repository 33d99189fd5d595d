//! # mock-llm
//!
//! A local stand-in for LLM providers: OpenAI's chat completions (and so every compatible
//! server), Anthropic's Messages and Gemini's `generateContent`, on loopback, with CORS so a page
//! can call it. It answers from the simulated word-task LLM of `balance-core` (so an experiment
//! against it has a known hidden potential), injects faults on request ([`Faults`]) and keeps a
//! log of every request ([`LogEntry`]), served at `GET /_mock/log`; `POST /_mock/faults` changes
//! the faults while it runs.
#![warn(missing_docs)]

mod faults;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use balance_agent::simulated::state_in_prompt;
use balance_core::simulate::{WordResponder, WordTask};
use serde::{Deserialize, Serialize};

pub use faults::{Fault, Faults};
pub use wire::Api;

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Its number, from 1.
    pub n: u64,
    /// The endpoint's API.
    pub api: Api,
    /// The model asked for.
    pub model: String,
    /// The state read from the prompt.
    pub state: String,
    /// The status answered (0 for a request left hanging).
    pub status: u16,
    /// The fault injected.
    pub fault: Fault,
    /// The answer's text, when there was one.
    pub answer: Option<String>,
}

struct Shared {
    faults: Mutex<Faults>,
    log: Mutex<Vec<LogEntry>>,
    requests: AtomicU64,
    llm: Mutex<WordResponder>,
    echo: bool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running server.
#[derive(Clone)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl MockServer {
    /// Starts a server on `addr` (port 0 picks a free one) on the current Tokio runtime: the
    /// simulated LLM draws its answers from `seed`; `echo` prints each request to standard output.
    pub async fn start(
        addr: SocketAddr,
        faults: Faults,
        seed: u64,
        echo: bool,
    ) -> std::io::Result<MockServer> {
        let shared = Arc::new(Shared {
            faults: Mutex::new(faults),
            log: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
            llm: Mutex::new(WordTask::default().responder(seed)),
            echo,
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(openai))
            .route("/v1/messages", post(anthropic))
            .route("/v1beta/models/{*model}", post(gemini))
            .route("/_mock/log", get(log))
            .route("/_mock/faults", get(read_faults).post(write_faults))
            .layer(middleware::from_fn_with_state(shared.clone(), cors))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(MockServer { addr, shared })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<LogEntry> {
        lock(&self.shared.log).clone()
    }

    /// How often each (state, answer) pair was answered with 200: what a client that recorded
    /// every answer once should hold.
    pub fn answered(&self) -> std::collections::BTreeMap<(String, String), usize> {
        let mut tally = std::collections::BTreeMap::new();
        for e in lock(&self.shared.log).iter().filter(|e| e.status == 200) {
            if let Some(answer) = &e.answer {
                *tally.entry((e.state.clone(), answer.clone())).or_default() += 1;
            }
        }
        tally
    }

    /// Replaces the faults.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }
}

/// CORS for every route (unless the `no_cors` fault is on): any origin, the headers the request
/// asks for, `Retry-After` readable, and the private-network permission Chromium asks loopback
/// servers for.
async fn cors(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let no_cors = lock(&shared.faults).no_cors;
    let asked = request.headers().get("access-control-request-headers").cloned();
    let private = request.headers().contains_key("access-control-request-private-network");
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    if !no_cors {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("retry-after"));
        // Browsers may keep the preflight's answer (Chromium up to 2 hours).
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("7200"));
        if let Some(asked) = asked {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        if private {
            h.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
        }
    }
    response
}

async fn openai(State(s): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    answer(&s, Api::OpenAi, None, &headers, &body).await
}

async fn anthropic(State(s): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    answer(&s, Api::Anthropic, None, &headers, &body).await
}

async fn gemini(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(model): axum::extract::Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    match model.strip_suffix(":generateContent") {
        Some(m) => answer(&s, Api::Gemini, Some(m), &headers, &body).await,
        None => wire::error(Api::Gemini, StatusCode::NOT_FOUND, "unknown method"),
    }
}

async fn log(State(s): State<Arc<Shared>>) -> Response {
    axum::Json(lock(&s.log).clone()).into_response()
}

async fn read_faults(State(s): State<Arc<Shared>>) -> Response {
    axum::Json(lock(&s.faults).clone()).into_response()
}

async fn write_faults(State(s): State<Arc<Shared>>, body: String) -> Response {
    match serde_json::from_str::<Faults>(&body) {
        Ok(f) => {
            *lock(&s.faults) = f;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("not a fault set: {e}")).into_response(),
    }
}

/// Answers one call to the simulated LLM, or fails it as the faults say, and logs it.
async fn answer(
    shared: &Shared,
    api: Api,
    model_in_path: Option<&str>,
    headers: &HeaderMap,
    body: &str,
) -> Response {
    let n = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let faults = lock(&shared.faults).clone();
    let request = match wire::read_request(api, body) {
        Ok(r) => r,
        Err(why) => return wire::error(api, StatusCode::BAD_REQUEST, &why),
    };
    let model = model_in_path.map_or(request.model.clone(), str::to_owned);
    let state = state_in_prompt(&request.prompt);
    let mut entry = LogEntry {
        n,
        api,
        model,
        state: state.clone(),
        status: 200,
        fault: Fault::None,
        answer: None,
    };
    let refusal = if !faults.key.is_empty() && wire::key_of(api, headers) != Some(&faults.key) {
        Some(wire::error(api, StatusCode::UNAUTHORIZED, "invalid API key"))
    } else {
        wire::missing_header(api, headers)
    };
    if let Some(response) = refusal {
        entry.status = response.status().as_u16();
        record(shared, entry);
        return response;
    }
    if faults.slow_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.slow_ms)).await;
    }
    entry.fault = faults.for_request(n);
    let response = match entry.fault {
        Fault::RateLimited => {
            let mut r = wire::error(api, StatusCode::TOO_MANY_REQUESTS, "rate limited");
            let wait = HeaderValue::from_str(&faults.retry_after_s.to_string())
                .unwrap_or(HeaderValue::from_static("1"));
            r.headers_mut().insert(header::RETRY_AFTER, wait);
            r
        }
        Fault::ServerError => {
            wire::error(api, StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
        }
        Fault::Overloaded => {
            let status = StatusCode::from_u16(529).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            wire::error(api, status, "overloaded")
        }
        Fault::Malformed => Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"choices\": [{\"message\": "))
            .unwrap_or_default(),
        Fault::Hang => {
            entry.status = 0;
            record(shared, entry);
            std::future::pending::<()>().await;
            unreachable!("a pending future never completes")
        }
        Fault::None | Fault::Html => {
            let word = lock(&shared.llm).answer(&state);
            let text = if entry.fault == Fault::Html { format!("<b>{word}</b>") } else { word };
            entry.answer = Some(text.clone());
            wire::completion(api, &request, &text)
        }
    };
    entry.status = response.status().as_u16();
    record(shared, entry);
    response
}

fn record(shared: &Shared, entry: LogEntry) {
    if shared.echo {
        println!(
            "#{} {:?} {} {} -> {} {:?} {}",
            entry.n,
            entry.api,
            entry.model,
            entry.state,
            entry.status,
            entry.fault,
            entry.answer.as_deref().unwrap_or("")
        );
    }
    lock(&shared.log).push(entry);
}
