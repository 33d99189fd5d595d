//! The paper's three models from the browser, against the mock server behaving as the real APIs
//! are documented to: each preset runs as the paper ran it; answers cut off by reasoning are
//! recorded, counted apart and shown, and the run pauses saying what to raise; a refused
//! parameter names the setting to change; "Load models" lists each provider's models.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mock_llm::{Api, Faults, MockServer};

use crate::support::Browser;

const KEY: &str = "sk-mock-e2e";

async fn server() -> MockServer {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    MockServer::start(addr, Faults { key: KEY.into(), ..Faults::default() }, 7, false)
        .await
        .unwrap()
}

/// Waits (up to `seconds`) until the run's status satisfies `done`; returns it.
async fn wait_status(b: &Browser, seconds: u64, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = b.text("#run-status").await;
        if done(&text) {
            return text;
        }
        assert!(started.elapsed() < Duration::from_secs(seconds), "the run is still: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Pastes the key for the chosen provider.
async fn paste_key(b: &Browser) {
    let key = b.find("#api-key").await;
    key.clear().await.unwrap();
    key.send_keys(KEY).await.unwrap();
    b.find("#key-where").await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "end-to-end"]
async fn the_papers_three_presets_each_run_200_attempts() {
    let b = Browser::open("/").await;
    b.find("#nav-experiment").await.click().await.unwrap();
    for (preset, api, model, path, sent) in [
        ("gpt-5-nano", Api::OpenAi, "gpt-5-nano", "v1", "reasoning_effort minimal"),
        ("claude-4", Api::Anthropic, "claude-sonnet-4-20250514", "v1", "temperature 1"),
        ("gemini-2.5-flash", Api::Gemini, "gemini-2.5-flash", "v1beta", "thinkingBudget 0"),
    ] {
        let server = server().await;
        b.find(&format!("#preset-{}", preset.replace('.', "-"))).await.click().await.unwrap();
        assert_eq!(b.find("#model").await.prop("value").await.unwrap().as_deref(), Some(model));
        let profile = b.text("#model-profile").await;
        assert!(profile.contains(sent), "{preset}: {profile}");
        b.fill("#base-url", &format!("http://{}/{path}", server.addr())).await;
        b.fill("#attempts", "200").await;
        paste_key(&b).await;
        b.find("#start-run").await.click().await.unwrap();
        let status = wait_status(&b, 120, |s| s == "finished" || s.starts_with("stopped")).await;
        assert_eq!(status, "finished", "{preset}");
        let counts = b.wait_for_text("#run-counts", |t| t.contains("(200 saved)")).await;
        assert!(counts.starts_with("200 of 200 attempts recorded"), "{preset}: {counts}");
        let log = server.log();
        assert_eq!(log.len(), 200, "{preset}: one request per attempt");
        assert!(
            log.iter().all(|e| e.status == 200 && e.api == api && e.model == model),
            "{preset}"
        );
        let outcomes = b.text("#run-outcomes").await;
        assert!(
            outcomes.ends_with("0 without an answer (cut off or blocked: kept, not counted)"),
            "{preset}: {outcomes}"
        );
        b.shoot("#run-panel", &format!("preset-{preset}")).await;
    }
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "end-to-end"]
async fn answers_cut_off_by_thinking_are_counted_shown_and_the_limit_can_be_raised() {
    let server = server().await;
    let b = Browser::open("/").await;
    b.find("#nav-experiment").await.click().await.unwrap();
    b.find("#provider-kind").await.select_by_value("openai-compatible").await.unwrap();
    b.fill("#base-url", &format!("http://{}/v1", server.addr())).await;
    // A thinking model (as Ollama serves qwen3) spends hundreds of tokens before answering.
    b.fill("#model", "qwen3:8b").await;
    b.fill("#attempts", "100").await;
    b.fill("#concurrency", "1").await;
    paste_key(&b).await;
    b.find("#start-run").await.click().await.unwrap();
    let status = wait_status(&b, 60, |s| s.starts_with("paused")).await;
    assert!(status.contains("answers were cut off by the token limit"), "{status}");
    assert!(status.contains("raise Max tokens (now 16)"), "{status}");
    let outcomes = b.text("#run-outcomes").await;
    assert!(outcomes.contains("11 without an answer"), "{outcomes}");
    let first_row = b.text("#attempt-log tbody tr").await;
    assert!(
        first_row.contains("no answer: cut off by the token limit") && first_row.contains("length"),
        "{first_row}"
    );
    b.shoot("#run-panel", "cut-off-paused").await;
    let raise = b.find("#raise-and-resume").await;
    assert_eq!(raise.text().await.unwrap(), "Raise Max tokens to 2064 and resume");
    raise.click().await.unwrap();
    wait_status(&b, 120, |s| s == "finished").await;
    let counts = b.wait_for_text("#run-counts", |t| t.contains("(100 saved)")).await;
    assert!(counts.starts_with("100 of 100 attempts recorded"), "{counts}");
    let limits: Vec<u64> =
        server.log().iter().map(|e| e.body["max_tokens"].as_u64().unwrap()).collect();
    assert_eq!((limits[0], *limits.last().unwrap()), (16, 2064));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "end-to-end"]
async fn a_refused_parameter_names_the_setting_and_models_can_be_listed() {
    let server = server().await;
    let b = Browser::open("/").await;
    b.find("#nav-experiment").await.click().await.unwrap();
    b.find("#provider-kind").await.select_by_value("openai-compatible").await.unwrap();
    b.fill("#base-url", &format!("http://{}/v1", server.addr())).await;
    paste_key(&b).await;
    // GPT-5 Nano where a compatible server's `max_tokens` is refused, as OpenAI refuses it.
    b.fill("#model", "gpt-5-nano").await;
    b.find("#test-connection").await.click().await.unwrap();
    let result = b.wait_for_text("#connection-result", |t| t != "Calling…").await;
    assert!(result.contains("Unsupported parameter: 'max_tokens'"), "{result}");
    assert!(result.contains("change Max tokens"), "{result}");
    // The compatible server's model list.
    b.find("#load-models").await.click().await.unwrap();
    let listing = b.wait_for_text("#model-listing", |t| !t.starts_with("Loading")).await;
    assert_eq!(listing, "9 models: type to pick one.");
    // OpenRouter's list carries prices, which fill the price table.
    b.fill("#base-url", &format!("http://{}/api/v1", server.addr())).await;
    b.find("#load-models").await.click().await.unwrap();
    let listing = b.wait_for_text("#model-listing", |t| t.contains("3 models")).await;
    assert!(listing.contains("The prices of 3 went into the price table"), "{listing}");
    b.fill("#model", "openai/gpt-5-nano").await;
    assert_eq!(b.find("#price-in").await.prop("value").await.unwrap().as_deref(), Some("0.05"));
    assert_eq!(b.find("#price-out").await.prop("value").await.unwrap().as_deref(), Some("0.4"));
    // Anthropic's paged list and Gemini's (embedding models left out), with their keys.
    for (kind, path, expected) in
        [("anthropic", "v1", "9 models"), ("gemini", "v1beta", "6 models")]
    {
        b.find("#provider-kind").await.select_by_value(kind).await.unwrap();
        b.fill("#base-url", &format!("http://{}/{path}", server.addr())).await;
        paste_key(&b).await;
        b.find("#load-models").await.click().await.unwrap();
        let listing = b.wait_for_text("#model-listing", |t| t.starts_with(expected)).await;
        assert!(listing.starts_with(expected), "{kind}: {listing}");
    }
    // A temperature sweep on a model that takes no temperature is refused before any call.
    b.find("#provider-kind").await.select_by_value("anthropic").await.unwrap();
    b.fill("#base-url", &format!("http://{}/v1", server.addr())).await;
    b.fill("#model", "claude-sonnet-5").await;
    b.fill("#arm-temperatures", "1, 0.5").await;
    let calls = server.log().len();
    b.find("#start-run").await.click().await.unwrap();
    let refused = b.text("#form-error").await;
    assert!(refused.contains("takes only its default temperature"), "{refused}");
    assert_eq!(server.log().len(), calls, "nothing was sent");
    b.finish_expecting(&["400 (Bad Request)"]).await;
}
