//! # mock-llm
//!
//! A local stand-in for LLM providers: OpenAI's chat completions (and so every compatible
//! server, OpenRouter's included), Anthropic's Messages and Gemini's `generateContent`, with
//! their model lists, on loopback, with CORS so a page can call it. It checks requests as
//! strictly as the real APIs do and behaves as each model family is documented to (reasoning
//! models refusing `max_tokens`, thinking that uses up the token limit, ...: [`models`]). It
//! answers from the simulated word-task LLM of `balance-core` (so an experiment against it has a
//! known hidden potential, and log-probabilities are the answers' true probabilities), injects
//! faults on request ([`Faults`]) and keeps a log of every request ([`LogEntry`]), served at
//! `GET /_mock/log`; `POST /_mock/faults` changes the faults while it runs.
#![warn(missing_docs)]

mod faults;
pub mod models;
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
use balance_core::random::Random;
use balance_core::simulate::{Responder, WordTask};
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
    /// The answers' texts (as produced, before any cut by the token limit).
    pub answers: Vec<String>,
    /// The request's body as received (it never holds a key: keys travel in headers).
    pub body: serde_json::Value,
}

struct Shared {
    faults: Mutex<Faults>,
    log: Mutex<Vec<LogEntry>>,
    requests: AtomicU64,
    llm: Mutex<Responder>,
    /// Draws of the reasoning each answer takes.
    thinking: Mutex<Random>,
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
            thinking: Mutex::new(Random::new(seed ^ 0x0074_6869_6e6b)),
            echo,
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(openai))
            .route("/api/v1/chat/completions", post(router))
            .route("/v1/messages", post(anthropic))
            .route("/v1/models", get(list_v1))
            .route("/api/v1/models", get(list_router))
            .route("/v1beta/models", get(list_gemini))
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
            for answer in &e.answers {
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
    answer(&s, Api::OpenAi, None, &headers, &body, &body).await
}

/// OpenRouter's chat endpoint: OpenAI's request with OpenRouter's own `provider` (routing
/// preferences) and `usage` (accounting) fields, checked here; the answer says which provider
/// served it and what the call cost (`usage.cost`, in dollars, from the model's prices).
async fn router(State(s): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let mut sent: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let (provider, usage) = match sent.as_object_mut() {
        Some(o) => (o.remove("provider"), o.remove("usage")),
        None => (None, None),
    };
    if let Some(refusal) = wire::router_fields(provider.as_ref(), usage.as_ref()) {
        return refusal.response();
    }
    // OpenRouter normalises the token limit: `max_tokens` reaches a reasoning model as the
    // `max_completion_tokens` it takes.
    let model = sent["model"].as_str().unwrap_or_default().to_owned();
    if let (Some(o), models::Behaviour::OpenAiReasoning { .. }) =
        (sent.as_object_mut(), models::behaviour(Api::OpenAi, &model))
        && let Some(limit) = o.remove("max_tokens")
    {
        o.insert("max_completion_tokens".into(), limit);
    }
    let response = answer(&s, Api::OpenAi, None, &headers, &sent.to_string(), &body).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
    let mut answered: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    answered["provider"] = serde_json::json!("Mock Inference");
    answered["usage"]["cost"] = serde_json::json!(models::router_cost(
        &model,
        answered["usage"]["prompt_tokens"].as_u64().unwrap_or(0),
        answered["usage"]["completion_tokens"].as_u64().unwrap_or(0),
    ));
    axum::Json(answered).into_response()
}

async fn anthropic(State(s): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    answer(&s, Api::Anthropic, None, &headers, &body, &body).await
}

async fn gemini(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(model): axum::extract::Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    match model.strip_suffix(":generateContent") {
        Some(m) => answer(&s, Api::Gemini, Some(m), &headers, &body, &body).await,
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

/// The model lists at `/v1/models`: Anthropic's paged list when the request carries
/// `anthropic-version`, else OpenAI's.
async fn list_v1(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let api = if headers.contains_key("anthropic-version") { Api::Anthropic } else { Api::OpenAi };
    if let Some(refused) = refuse_key(&s, api, &headers) {
        return refused.response();
    }
    let body = match api {
        Api::Anthropic => {
            let limit: usize =
                q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20).clamp(1, 1000);
            let after = q
                .get("after_id")
                .and_then(|id| models::ANTHROPIC_MODELS.iter().position(|m| m.0 == id));
            let start = after.map_or(0, |i| i + 1);
            let page: Vec<_> = models::ANTHROPIC_MODELS.iter().skip(start).take(limit).collect();
            serde_json::json!({
                "data": page.iter().map(|(id, name)| serde_json::json!({
                    "type": "model", "id": id, "display_name": name, "created_at": "2025-05-22T00:00:00Z" })).collect::<Vec<_>>(),
                "has_more": start + page.len() < models::ANTHROPIC_MODELS.len(),
                "first_id": page.first().map(|m| m.0),
                "last_id": page.last().map(|m| m.0),
            })
        }
        _ => serde_json::json!({
            "object": "list",
            "data": models::OPENAI_MODELS.iter().map(|id| serde_json::json!({
                "id": id, "object": "model", "created": 0, "owned_by": "mock" })).collect::<Vec<_>>(),
        }),
    };
    axum::Json(body).into_response()
}

/// OpenRouter's model list: ids with a vendor prefix and prices per token.
async fn list_router() -> Response {
    axum::Json(serde_json::json!({
        "data": models::ROUTER_MODELS.iter().map(|(id, input, output)| serde_json::json!({
            "id": id, "name": id, "pricing": { "prompt": input, "completion": output } })).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// Gemini's paged model list.
async fn list_gemini(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    if let Some(refused) = refuse_key(&s, Api::Gemini, &headers) {
        return refused.response();
    }
    let size: usize = q.get("pageSize").and_then(|l| l.parse().ok()).unwrap_or(50).clamp(1, 1000);
    let start: usize = q.get("pageToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let page: Vec<_> = models::GEMINI_MODELS.iter().skip(start).take(size).collect();
    let mut body = serde_json::json!({
        "models": page.iter().map(|(id, answers)| serde_json::json!({
            "name": format!("models/{id}"), "displayName": id,
            "supportedGenerationMethods": if *answers { vec!["generateContent", "countTokens"] } else { vec!["embedContent"] },
        })).collect::<Vec<_>>(),
    });
    if start + page.len() < models::GEMINI_MODELS.len() {
        body["nextPageToken"] = serde_json::json!((start + page.len()).to_string());
    }
    axum::Json(body).into_response()
}

/// The refusal of a request without the required key, if one is required and missing.
fn refuse_key(shared: &Shared, api: Api, headers: &HeaderMap) -> Option<wire::Refusal> {
    let key = lock(&shared.faults).key.clone();
    (!key.is_empty() && wire::key_of(api, headers) != Some(&key))
        .then(|| wire::Refusal::new(api, StatusCode::UNAUTHORIZED, "invalid API key"))
}

/// Answers one call to the simulated LLM, or fails it as the faults say, and logs it (as
/// `received`, which `body` is what the API reads of).
async fn answer(
    shared: &Shared,
    api: Api,
    model_in_path: Option<&str>,
    headers: &HeaderMap,
    body: &str,
    received: &str,
) -> Response {
    let n = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let faults = lock(&shared.faults).clone();
    let sent: serde_json::Value = serde_json::from_str(received).unwrap_or_default();
    let mut entry = LogEntry {
        n,
        api,
        model: model_in_path
            .map_or_else(|| sent["model"].as_str().unwrap_or_default().to_owned(), str::to_owned),
        state: String::new(),
        status: 200,
        fault: Fault::None,
        answers: Vec::new(),
        body: sent,
    };
    let refusal = refuse_key(shared, api, headers).or_else(|| wire::missing_header(api, headers));
    let request = match refusal.map_or_else(|| wire::read_request(api, model_in_path, body), Err) {
        Ok(r) => r,
        Err(refusal) => {
            let response = refusal.response();
            entry.status = response.status().as_u16();
            record(shared, entry);
            return response;
        }
    };
    let state = state_in_prompt(&request.prompt);
    entry.state.clone_from(&state);
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
            let produced = produce(shared, &request, &state, entry.fault == Fault::Html);
            entry.answers = produced.iter().map(|p| p.text.clone()).collect();
            wire::completion(api, &request, &produced)
        }
    };
    entry.status = response.status().as_u16();
    record(shared, entry);
    response
}

/// The answers the simulated LLM gives `request` about `state`, with the reasoning each took.
fn produce(
    shared: &Shared,
    request: &wire::Request,
    state: &str,
    html: bool,
) -> Vec<wire::Produced> {
    let mut llm = lock(&shared.llm);
    let mut dice = lock(&shared.thinking);
    (0..request.n)
        .map(|_| {
            let word = llm.answer(state);
            let probability = llm.probability(state, &word);
            let reasoning = match &request.think {
                wire::Think::Off => 0,
                wire::Think::Effort(e) => models::reasoning_tokens(e, dice.uniform()),
                wire::Think::Budget(b) => {
                    models::reasoning_tokens("medium", dice.uniform()).min(u64::from(*b))
                }
            };
            let text = if html { format!("<b>{word}</b>") } else { word };
            wire::Produced { text, probability, reasoning }
        })
        .collect()
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
            entry.answers.join(" ")
        );
    }
    lock(&shared.log).push(entry);
}
