//! Each provider's request as built, and its answers and errors as parsed.

use balance_agent::errors::ProviderError;
use balance_agent::http::HttpResponse;
use balance_agent::{ApiKey, ProviderConfig, ProviderKind, Usage};
use serde_json::{Value, json};

fn config(kind: ProviderKind) -> ProviderConfig {
    ProviderConfig {
        kind,
        base_url: String::new(),
        model: "m-1".into(),
        temperature: 0.7,
        max_tokens: 16,
        system_prompt: Some("Be brief.".into()),
        latency_ms: 0.0,
        timeout_s: 60.0,
    }
}

fn ok(body: Value) -> HttpResponse {
    HttpResponse { status: 200, headers: vec![], body: body.to_string() }
}

fn status(code: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status: code,
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.into(),
    }
}

#[test]
fn openai_chat_completions() {
    let key = ApiKey::new(" sk-test \n").unwrap();
    let r = config(ProviderKind::OpenAi).request(Some(&key), "BUZZY?");
    assert_eq!(r.url, "https://api.openai.com/v1/chat/completions");
    assert_eq!(r.header("Authorization"), Some("Bearer sk-test"));
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        body,
        json!({
            "model": "m-1",
            "messages": [
                { "role": "system", "content": "Be brief." },
                { "role": "user", "content": "BUZZY?" }
            ],
            "temperature": 0.7,
            "max_tokens": 16
        })
    );
    let answer = ok(json!({
        "id": "chatcmpl-1", "object": "chat.completion",
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": " ATTITUDE\n" },
                      "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 57, "completion_tokens": 3, "total_tokens": 60 }
    }));
    let c = config(ProviderKind::OpenAi).parse(&answer).unwrap();
    assert_eq!(c.text, " ATTITUDE\n");
    assert_eq!(c.usage, Some(Usage { input_tokens: 57, output_tokens: 3 }));
}

#[test]
fn openai_compatible_servers_use_their_base_url_and_may_need_no_key() {
    let mut c = config(ProviderKind::OpenAiCompatible);
    c.base_url = "http://127.0.0.1:1234/v1/".into();
    c.system_prompt = Some("   ".into());
    let r = c.request(None, "hi");
    assert_eq!(r.url, "http://127.0.0.1:1234/v1/chat/completions");
    assert_eq!(r.header("authorization"), None);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["messages"].as_array().unwrap().len(), 1, "a blank system prompt is left out");
    // llama.cpp and Ollama may leave usage out.
    let answer = ok(json!({ "choices": [{ "message": { "content": "LOVE" } }] }));
    assert_eq!(c.parse(&answer).unwrap().usage, None);
    assert!(!ProviderKind::OpenAiCompatible.needs_key());
}

#[test]
fn anthropic_messages_with_the_browser_header() {
    let key = ApiKey::new("sk-ant").unwrap();
    let r = config(ProviderKind::Anthropic).request(Some(&key), "BUZZY?");
    assert_eq!(r.url, "https://api.anthropic.com/v1/messages");
    assert_eq!(r.header("x-api-key"), Some("sk-ant"));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(r.header("anthropic-dangerous-direct-browser-access"), Some("true"));
    assert_eq!(r.header("authorization"), None);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        body,
        json!({
            "model": "m-1", "max_tokens": 16, "temperature": 0.7, "system": "Be brief.",
            "messages": [{ "role": "user", "content": "BUZZY?" }]
        })
    );
    let answer = ok(json!({
        "id": "msg_1", "type": "message", "role": "assistant",
        "content": [{ "type": "text", "text": "TURKEY" }],
        "stop_reason": "end_turn",
        "usage": { "input_tokens": 61, "output_tokens": 4 }
    }));
    let c = config(ProviderKind::Anthropic).parse(&answer).unwrap();
    assert_eq!(c.text, "TURKEY");
    assert_eq!(c.usage, Some(Usage { input_tokens: 61, output_tokens: 4 }));
}

#[test]
fn gemini_generate_content_keeps_the_key_out_of_the_url() {
    let key = ApiKey::new("AIza-secret").unwrap();
    let r = config(ProviderKind::Gemini).request(Some(&key), "BUZZY?");
    assert_eq!(
        r.url,
        "https://generativelanguage.googleapis.com/v1beta/models/m-1:generateContent"
    );
    assert!(!r.url.contains("AIza"), "the key is never in a URL");
    assert_eq!(r.header("x-goog-api-key"), Some("AIza-secret"));
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        body,
        json!({
            "contents": [{ "role": "user", "parts": [{ "text": "BUZZY?" }] }],
            "systemInstruction": { "parts": [{ "text": "Be brief." }] },
            "generationConfig": { "temperature": 0.7, "maxOutputTokens": 16 }
        })
    );
    let answer = ok(json!({
        "candidates": [{ "content": { "role": "model", "parts": [{ "text": "DISCI" }, { "text": "PLINE" }] },
                         "finishReason": "STOP" }],
        "usageMetadata": { "promptTokenCount": 58, "candidatesTokenCount": 2, "totalTokenCount": 60 }
    }));
    let c = config(ProviderKind::Gemini).parse(&answer).unwrap();
    assert_eq!(c.text, "DISCIPLINE");
    assert_eq!(c.usage, Some(Usage { input_tokens: 58, output_tokens: 2 }));
}

#[test]
fn keys_never_print() {
    let key = ApiKey::new("sk-very-secret").unwrap();
    assert_eq!(format!("{key:?}"), "ApiKey(***)");
    assert!(ApiKey::new("  ").is_none());
    // The configuration (what is saved and shared) has no key in it.
    let saved = serde_json::to_string(&config(ProviderKind::OpenAi)).unwrap();
    assert!(!saved.contains("sk-"), "{saved}");
}

#[test]
fn errors_are_classified_with_what_to_do() {
    let c = config(ProviderKind::OpenAi);
    let body =
        r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}"#;
    assert_eq!(c.parse(&status(401, &[], body)), Err(ProviderError::BadKey));
    let e =
        c.parse(&status(404, &[], r#"{"error": {"message": "The model `m-1` does not exist"}}"#));
    assert_eq!(e, Err(ProviderError::NotFound("The model `m-1` does not exist".into())));
    assert!(e.unwrap_err().to_string().contains("check the base URL and the model name"));
    let e = c.parse(&status(403, &[], "")).unwrap_err();
    assert!(e.to_string().contains("OLLAMA_ORIGINS"), "{e}");
    assert_eq!(
        c.parse(&status(429, &[("Retry-After", "7")], "")),
        Err(ProviderError::RateLimited { retry_after: Some(7.0) })
    );
    assert_eq!(
        c.parse(&status(429, &[("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")], "")),
        Err(ProviderError::RateLimited { retry_after: None })
    );
    let overloaded =
        r#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#;
    assert_eq!(
        config(ProviderKind::Anthropic).parse(&status(529, &[], overloaded)),
        Err(ProviderError::Overloaded)
    );
    assert_eq!(c.parse(&status(503, &[], "")), Err(ProviderError::Overloaded));
    assert_eq!(c.parse(&status(502, &[], "<html>")), Err(ProviderError::Server(502)));
    assert_eq!(
        c.parse(&status(400, &[], r#"{"error": "max_tokens too large"}"#)),
        Err(ProviderError::BadRequest("max_tokens too large".into()))
    );
    assert!(matches!(c.parse(&status(200, &[], "{not json")), Err(ProviderError::Unparseable(_))));
    assert!(
        matches!(c.parse(&ok(json!({ "choices": [] }))), Err(ProviderError::Unparseable(m)) if m.contains("choices[0]"))
    );
    // Only the failures that waiting can cure are retried.
    let retryable: Vec<bool> = [
        ProviderError::BadKey,
        ProviderError::Forbidden(String::new()),
        ProviderError::NotFound(String::new()),
        ProviderError::BadRequest(String::new()),
        ProviderError::RateLimited { retry_after: None },
        ProviderError::Overloaded,
        ProviderError::Server(500),
        ProviderError::Timeout,
        ProviderError::Unparseable(String::new()),
    ]
    .iter()
    .map(ProviderError::retryable)
    .collect();
    assert_eq!(retryable, [false, false, false, false, true, true, true, true, false]);
}

#[test]
fn advice_names_the_fix_for_the_usual_failures() {
    use balance_agent::errors::{advice, is_loopback};
    let origin = "http://127.0.0.1:8080";
    assert!(is_loopback("http://127.0.0.1:11434/v1"));
    assert!(is_loopback("http://localhost:1234/v1"));
    assert!(!is_loopback("https://api.openai.com/v1"));
    assert!(!is_loopback("http://127.example.com/v1"));
    let mut ollama = config(ProviderKind::OpenAiCompatible);
    ollama.base_url = "http://127.0.0.1:11434/v1".into();
    let network = ProviderError::Network("Failed to fetch".into());
    let a = advice(&ollama, &network, origin).unwrap();
    assert!(a.contains("OLLAMA_ORIGINS=http://127.0.0.1:8080") && a.contains("LM Studio"), "{a}");
    let forbidden = ProviderError::Forbidden(String::new());
    assert!(advice(&ollama, &forbidden, origin).unwrap().contains("OLLAMA_ORIGINS"));
    let mut lan = ollama.clone();
    lan.base_url = "http://192.168.1.5:8000/v1".into();
    assert!(advice(&lan, &network, origin).unwrap().contains("https://"));
    let anthropic = config(ProviderKind::Anthropic);
    let a = advice(&anthropic, &network, origin).unwrap();
    assert!(a.contains("anthropic-dangerous-direct-browser-access"), "{a}");
    let a = advice(&config(ProviderKind::Gemini), &ProviderError::NotFound(String::new()), origin);
    assert!(a.unwrap().contains("/v1beta"));
    let a = advice(&config(ProviderKind::OpenAi), &ProviderError::BadKey, origin).unwrap();
    assert!(a.contains("OpenAI key"), "{a}");
    assert_eq!(advice(&config(ProviderKind::OpenAi), &ProviderError::Overloaded, origin), None);
}
