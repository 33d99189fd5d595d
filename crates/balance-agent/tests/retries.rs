//! The retry policy and a call through a fake transport and a fake clock.

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;

use balance_agent::call::call;
use balance_agent::errors::ProviderError;
use balance_agent::http::{HttpRequest, HttpResponse, Transport, TransportError};
use balance_agent::retry::RetryPolicy;
use balance_agent::{ApiKey, ProviderConfig, ProviderKind};
use common::{FakeClock, block_on as run};

/// Answers from a script, and records what it was sent.
struct Scripted {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl Scripted {
    fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Scripted {
        Scripted { answers: RefCell::new(answers.into()), sent: RefCell::default() }
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push(request);
        let answer = self.answers.borrow_mut().pop_front().expect("a scripted answer");
        std::future::ready(answer)
    }
}

fn reply(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.into(),
    })
}

const ANSWER: &str = r#"{"choices": [{"message": {"content": "LOVE"}}]}"#;

fn config() -> ProviderConfig {
    ProviderConfig {
        kind: ProviderKind::OpenAi,
        base_url: String::new(),
        model: "m".into(),
        temperature: 1.0,
        max_tokens: 8,
        reasoning: Default::default(),
        answers_per_call: 1,
        logprobs: false,
        system_prompt: None,
        latency_ms: 0.0,
        timeout_s: 60.0,
        pin_route: true,
    }
}

#[test]
fn backoff_doubles_with_jitter_is_capped_and_gives_up() {
    let p = RetryPolicy {
        max_attempts: 8,
        base_delay_ms: 500.0,
        max_delay_ms: 4_000.0,
        max_retry_after_ms: 60_000.0,
    };
    let e = ProviderError::Server(500);
    let full: Vec<f64> = (1..8).map(|t| p.next_delay(t, &e, 1.0).unwrap()).collect();
    assert_eq!(full, [500.0, 1000.0, 2000.0, 4000.0, 4000.0, 4000.0, 4000.0]);
    assert_eq!(p.next_delay(3, &e, 0.0), Some(1000.0), "jitter spreads over the upper half");
    assert_eq!(p.next_delay(8, &e, 0.5), None, "bounded tries");
    // Retry-After is honoured exactly, within reason.
    let limited = ProviderError::RateLimited { retry_after: Some(7.0) };
    assert_eq!(p.next_delay(1, &limited, 0.9), Some(7000.0));
    let absurd = ProviderError::RateLimited { retry_after: Some(3600.0) };
    assert_eq!(p.next_delay(1, &absurd, 0.9), None);
    // Fail fast where waiting cannot help.
    for e in [
        ProviderError::BadKey,
        ProviderError::NotFound(String::new()),
        ProviderError::BadRequest { message: String::new(), param: None },
    ] {
        assert_eq!(p.next_delay(1, &e, 0.5), None, "{e}");
    }
}

#[test]
fn a_call_retries_through_429_and_500_and_returns_the_answer() {
    let transport = Scripted::new(vec![
        reply(429, &[("Retry-After", "2")], ""),
        reply(500, &[], "oops"),
        Err(TransportError::Timeout),
        reply(200, &[], ANSWER),
    ]);
    let clock = FakeClock::default();
    let key = ApiKey::new("sk-x").unwrap();
    let policy = RetryPolicy::default();
    let answered =
        run(call(&transport, &clock, &config(), Some(&key), "prompt", &policy, &mut || 0.5))
            .unwrap();
    assert_eq!(answered.completion.answers[0].text, "LOVE");
    assert_eq!(answered.tries, 4);
    assert_eq!(*clock.waited.borrow(), [2000.0, 750.0, 1500.0]);
    let kinds: Vec<String> = answered.retried.iter().map(|(e, _)| e.to_string()).collect();
    assert_eq!(kinds[0], "rate limited (429): the provider asks to wait 2 s");
    // Every try carried the same request, with the key in its header only.
    let sent = transport.sent.borrow();
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(|r| r == &sent[0] && !r.url.contains("sk-x")));
}

#[test]
fn a_bad_key_fails_at_once_and_a_persistent_failure_after_the_bound() {
    let transport = Scripted::new(vec![reply(401, &[], "")]);
    let clock = FakeClock::default();
    let failed =
        run(call(&transport, &clock, &config(), None, "p", &RetryPolicy::default(), &mut || 0.0))
            .unwrap_err();
    assert_eq!((failed.error, failed.tries), (ProviderError::BadKey, 1));
    assert!(clock.waited.borrow().is_empty());

    let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    let transport =
        Scripted::new(vec![reply(529, &[], ""), reply(529, &[], ""), reply(529, &[], "")]);
    let failed =
        run(call(&transport, &clock, &config(), None, "p", &policy, &mut || 0.0)).unwrap_err();
    assert_eq!(
        (failed.error, failed.tries, failed.retried.len()),
        (ProviderError::Overloaded, 3, 2)
    );
}
