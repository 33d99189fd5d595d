//! The mock behaves as the real APIs are documented to: the requests each model refuses, with the
//! provider's own error shape; reasoning that uses up the token limit; several answers per call;
//! log-probabilities that are the simulated LLM's true probabilities; the model lists.

use std::net::SocketAddr;

use balance_core::simulate::WordTask;
use mock_llm::{Faults, MockServer};
use serde_json::{Value, json};

async fn server() -> MockServer {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    MockServer::start(addr, Faults::default(), 11, false).await.unwrap()
}

const PROMPT: &str = "An example word is BUZZY, whose letters add up to 100%. Another?";

/// Posts `body` to `path` (Anthropic's version header included), returning status and JSON.
async fn post(server: &MockServer, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{}{path}", server.addr()))
        .header("anthropic-version", "2023-06-01")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get(server: &MockServer, path: &str, anthropic: bool) -> Value {
    let mut r = reqwest::Client::new().get(format!("http://{}{path}", server.addr()));
    if anthropic {
        r = r.header("anthropic-version", "2023-06-01");
    }
    let response = r.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn chat(model: &str, extra: Value) -> Value {
    let mut body = json!({ "model": model, "messages": [{ "role": "user", "content": PROMPT }] });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[tokio::test]
async fn openai_reasoning_models_refuse_what_the_real_ones_refuse() {
    let s = server().await;
    let (status, e) =
        post(&s, "/v1/chat/completions", chat("gpt-5-nano", json!({ "max_tokens": 16 }))).await;
    assert_eq!(status, 400);
    assert_eq!(e["error"]["param"], "max_tokens");
    assert_eq!(e["error"]["code"], "unsupported_parameter");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("Use 'max_completion_tokens' instead")
    );
    let (status, e) = post(
        &s,
        "/v1/chat/completions",
        chat("gpt-5-nano", json!({ "temperature": 0.7, "max_completion_tokens": 16 })),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("unsupported_value")));
    let (status, e) =
        post(&s, "/v1/chat/completions", chat("gpt-5-nano", json!({ "reasoning_effort": "none" })))
            .await;
    assert_eq!((status, e["error"]["param"].as_str()), (400, Some("reasoning_effort")));
    let (status, e) =
        post(&s, "/v1/chat/completions", chat("gpt-5-nano", json!({ "logprobs": true }))).await;
    assert_eq!((status, e["error"]["param"].as_str()), (400, Some("logprobs")));
    let (status, e) =
        post(&s, "/v1/chat/completions", chat("gpt-4o-mini", json!({ "reasoning_effort": "low" })))
            .await;
    assert_eq!((status, e["error"]["param"].as_str()), (400, Some("reasoning_effort")));
    // Unknown fields are refused for every model.
    let (status, e) =
        post(&s, "/v1/chat/completions", chat("mock", json!({ "candidateCount": 2 }))).await;
    assert_eq!(status, 400);
    assert_eq!(e["error"]["message"], "Unrecognized request argument supplied: candidateCount");
    // GPT-5.1 takes a temperature at effort none only.
    let (status, _) = post(
        &s,
        "/v1/chat/completions",
        chat("gpt-5.1", json!({ "temperature": 0.2, "reasoning_effort": "none" })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &s,
        "/v1/chat/completions",
        chat("gpt-5.1", json!({ "temperature": 0.2, "reasoning_effort": "low" })),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn reasoning_tokens_count_against_the_limit() {
    let s = server().await;
    // The default effort (medium) thinks for hundreds of tokens: 16 leave an empty answer.
    let (status, r) = post(
        &s,
        "/v1/chat/completions",
        chat("gpt-5-nano", json!({ "max_completion_tokens": 16 })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(r["choices"][0]["message"]["content"], "");
    assert_eq!(r["choices"][0]["finish_reason"], "length");
    assert_eq!(r["usage"]["completion_tokens"], 16);
    assert_eq!(r["usage"]["completion_tokens_details"]["reasoning_tokens"], 16);
    // Minimal effort answers within a small limit.
    let (_, r) = post(
        &s,
        "/v1/chat/completions",
        chat("gpt-5-nano", json!({ "max_completion_tokens": 16, "reasoning_effort": "minimal" })),
    )
    .await;
    assert_eq!(r["choices"][0]["finish_reason"], "stop");
    assert!(!r["choices"][0]["message"]["content"].as_str().unwrap().is_empty());
    // Gemini 2.5 Flash thinks by default: its candidate comes without parts.
    let gemini = |config: Value| json!({ "contents": [{ "role": "user", "parts": [{ "text": PROMPT }] }], "generationConfig": config });
    let (status, r) = post(
        &s,
        "/v1beta/models/gemini-2.5-flash:generateContent",
        gemini(json!({ "maxOutputTokens": 16 })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(r["candidates"][0]["finishReason"], "MAX_TOKENS");
    assert!(r["candidates"][0]["content"].get("parts").is_none());
    assert_eq!(r["usageMetadata"]["thoughtsTokenCount"], 16);
    // A budget of 0 turns thinking off; several candidates when asked.
    let (_, r) = post(&s, "/v1beta/models/gemini-2.5-flash:generateContent", gemini(json!({ "maxOutputTokens": 16, "candidateCount": 3, "thinkingConfig": { "thinkingBudget": 0 } }))).await;
    let candidates = r["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 3);
    assert!(
        candidates
            .iter()
            .all(|c| c["finishReason"] == "STOP" && c["content"]["parts"][0]["text"].is_string())
    );
    assert!(r["usageMetadata"].get("thoughtsTokenCount").is_none());
    // 2.5 Pro cannot stop thinking; unknown fields are named; snake_case is taken too.
    let (status, e) = post(
        &s,
        "/v1beta/models/gemini-2.5-pro:generateContent",
        gemini(json!({ "thinkingConfig": { "thinkingBudget": 0 } })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("only works in thinking mode"));
    let (status, e) = post(
        &s,
        "/v1beta/models/gemini-2.5-flash:generateContent",
        gemini(json!({ "max_tokens": 16 })),
    )
    .await;
    assert_eq!((status, e["error"]["status"].as_str()), (400, Some("INVALID_ARGUMENT")));
    assert!(e["error"]["message"].as_str().unwrap().contains("Unknown name \"max_tokens\""));
    let (status, _) = post(
        &s,
        "/v1beta/models/gemini-2.5-flash:generateContent",
        gemini(json!({ "max_output_tokens": 16, "thinking_config": { "thinking_budget": 0 } })),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn claude_takes_thinking_only_when_asked_and_keeps_its_ranges() {
    let s = server().await;
    let msg = |extra: Value| {
        let mut b = json!({ "model": "claude-sonnet-4-20250514", "max_tokens": 16, "messages": [{ "role": "user", "content": PROMPT }] });
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (status, r) = post(&s, "/v1/messages", msg(json!({ "temperature": 1.0 }))).await;
    assert_eq!(status, 200);
    assert_eq!(r["stop_reason"], "end_turn");
    assert_eq!(r["content"][0]["type"], "text");
    let (status, e) = post(&s, "/v1/messages", msg(json!({ "temperature": 1.5 }))).await;
    assert_eq!((status, e["error"]["message"].as_str()), (400, Some("temperature: range: 0..1")));
    let (status, e) = post(&s, "/v1/messages", msg(json!({ "n": 2 }))).await;
    assert_eq!(
        (status, e["error"]["message"].as_str()),
        (400, Some("n: Extra inputs are not permitted"))
    );
    let (status, _) = post(
        &s,
        "/v1/messages",
        msg(json!({ "thinking": { "type": "enabled", "budget_tokens": 1024 } })),
    )
    .await;
    assert_eq!(status, 400, "max_tokens must exceed the thinking budget");
    let (status, r) = post(
        &s,
        "/v1/messages",
        msg(
            json!({ "max_tokens": 1040, "thinking": { "type": "enabled", "budget_tokens": 1024 } }),
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(r["content"][0]["type"], "thinking");
    assert!(r["usage"]["output_tokens"].as_u64().unwrap() > 64, "thinking is billed as output");
}

#[tokio::test]
async fn log_probabilities_are_the_answers_true_probabilities() {
    let s = server().await;
    let (status, r) = post(
        &s,
        "/v1/chat/completions",
        chat("mock", json!({ "n": 5, "logprobs": true, "max_tokens": 16 })),
    )
    .await;
    assert_eq!(status, 200);
    let llm = WordTask::default().responder(0);
    let choices = r["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 5);
    for c in choices {
        let word = c["message"]["content"].as_str().unwrap();
        let lp = c["logprobs"]["content"][0]["logprob"].as_f64().unwrap();
        assert!((lp - llm.probability("BUZZY", word).ln()).abs() < 1e-12, "{word}");
    }
    let log = s.log();
    assert_eq!(log[0].answers.len(), 5);
    assert_eq!(log[0].body["n"], 5, "the log keeps the body as sent");
}

#[tokio::test]
async fn each_api_lists_its_models() {
    let s = server().await;
    let openai = get(&s, "/v1/models", false).await;
    assert!(openai["data"].as_array().unwrap().iter().any(|m| m["id"] == "gpt-5-nano"));
    let all = get(&s, "/v1/models?limit=1000", true).await;
    let all: Vec<_> = all["data"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect();
    assert!(all.len() > 2, "enough models to page through");
    let (mut paged, mut after) = (Vec::new(), String::new());
    loop {
        let path = match after.as_str() {
            "" => "/v1/models?limit=2".to_string(),
            id => format!("/v1/models?limit=2&after_id={id}"),
        };
        let page = get(&s, &path, true).await;
        let data = page["data"].as_array().unwrap();
        assert!(!data.is_empty() && data.len() <= 2, "{page}");
        paged.extend(data.iter().map(|m| m["id"].clone()));
        assert_eq!(page["has_more"], json!(paged.len() < all.len()), "{page}");
        if page["has_more"] == json!(false) {
            break;
        }
        after = page["last_id"].as_str().unwrap().to_string();
    }
    assert_eq!(paged, all, "pages of two walk the whole list once, in order");
    let (mut gemini, mut token) = (Vec::new(), None::<String>);
    loop {
        let path = match &token {
            None => "/v1beta/models?pageSize=4".to_string(),
            Some(t) => format!("/v1beta/models?pageSize=4&pageToken={t}"),
        };
        let page = get(&s, &path, false).await;
        let models = page["models"].as_array().unwrap();
        assert!(!models.is_empty() && models.len() <= 4, "{page}");
        gemini.extend(models.iter().cloned());
        match page["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    let names: Vec<_> = gemini.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert!(names.len() > 4 && names.contains(&"models/gemini-2.5-flash"), "{names:?}");
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no model on two pages");
    let answers =
        |m: &Value| m["supportedGenerationMethods"].to_string().contains("generateContent");
    assert!(gemini.iter().any(|m| !answers(m)), "a model that cannot answer is listed as such");
    let router = get(&s, "/api/v1/models", false).await;
    assert_eq!(router["data"][0]["pricing"]["prompt"], "0.00000005");
}
