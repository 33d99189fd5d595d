//! Each provider's request as built, and its answers and errors as parsed.

use balance_agent::errors::ProviderError;
use balance_agent::http::{HttpResponse, Method};
use balance_agent::provider::Finish;
use balance_agent::{ApiKey, ProviderConfig, ProviderKind, Reasoning, Usage};
use serde_json::{Value, json};

fn config(kind: ProviderKind) -> ProviderConfig {
    ProviderConfig {
        kind,
        base_url: String::new(),
        model: "m-1".into(),
        temperature: 0.7,
        max_tokens: 16,
        reasoning: Reasoning::Off,
        answers_per_call: 1,
        logprobs: false,
        system_prompt: Some("Be brief.".into()),
        latency_ms: 0.0,
        timeout_s: 60.0,
        pin_route: true,
    }
}

fn with_model(kind: ProviderKind, model: &str) -> ProviderConfig {
    ProviderConfig { model: model.into(), temperature: 1.0, system_prompt: None, ..config(kind) }
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

fn body(c: &ProviderConfig) -> Value {
    serde_json::from_str(&c.request(None, "BUZZY?").body).unwrap()
}

fn usage(input: u64, output: u64, reasoning: u64) -> Option<Usage> {
    Some(Usage {
        input_tokens: input,
        output_tokens: output,
        reasoning_tokens: reasoning,
        cost: None,
    })
}

#[test]
fn openai_chat_completions() {
    let key = ApiKey::new(" sk-test \n").unwrap();
    let r = config(ProviderKind::OpenAi).request(Some(&key), "BUZZY?");
    assert_eq!(r.method, Method::Post);
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
            "max_completion_tokens": 16
        }),
        "max_tokens is deprecated at OpenAI for every model"
    );
    let answer = ok(json!({
        "id": "chatcmpl-1", "object": "chat.completion",
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": " ATTITUDE\n" },
                      "finish_reason": "stop", "logprobs": null }],
        "usage": { "prompt_tokens": 57, "completion_tokens": 3, "total_tokens": 60 }
    }));
    let c = config(ProviderKind::OpenAi).parse(&answer).unwrap();
    assert_eq!(c.answers[0].text, " ATTITUDE\n");
    assert_eq!(c.answers[0].finish, Finish::Done);
    assert_eq!(c.answers[0].finish_reason.as_deref(), Some("stop"));
    assert_eq!(c.usage, usage(57, 3, 0));
}

#[test]
fn gpt5_nano_gets_the_papers_request_and_its_reasoning_is_counted() {
    let nano = with_model(ProviderKind::OpenAi, "gpt-5-nano");
    assert_eq!(
        body(&nano),
        json!({
            "model": "gpt-5-nano",
            "messages": [{ "role": "user", "content": "BUZZY?" }],
            "max_completion_tokens": 16 + 512,
            "reasoning_effort": "minimal"
        }),
        "no temperature (only 1 is accepted), no max_tokens (refused)"
    );
    let high = ProviderConfig { reasoning: Reasoning::High, ..nano.clone() };
    assert_eq!(body(&high)["reasoning_effort"], "high");
    assert_eq!(body(&high)["max_completion_tokens"], 16 + 24576);
    let default = ProviderConfig { reasoning: Reasoning::ProviderDefault, ..nano.clone() };
    assert!(body(&default).get("reasoning_effort").is_none());
    // Reasoning used the whole limit: an empty answer cut off, its tokens billed as output.
    let cut = ok(json!({
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": "" },
                      "finish_reason": "length" }],
        "usage": { "prompt_tokens": 90, "completion_tokens": 528, "total_tokens": 618,
                   "completion_tokens_details": { "reasoning_tokens": 528 } }
    }));
    let c = nano.parse(&cut).unwrap();
    assert_eq!(c.answers[0].finish, Finish::CutOff);
    assert_eq!(c.answers[0].text, "");
    assert_eq!(c.usage, usage(90, 528, 528));
    // Refusals and filtered answers are answers with no state, not broken bodies.
    let refused = ok(json!({ "choices": [{ "message": { "content": null, "refusal": "I can't" },
                                          "finish_reason": "stop" }] }));
    assert!(matches!(nano.parse(&refused).unwrap().answers[0].finish, Finish::Blocked(_)));
    let filtered = ok(json!({ "choices": [{ "message": { "content": null },
                                           "finish_reason": "content_filter" }] }));
    assert!(matches!(nano.parse(&filtered).unwrap().answers[0].finish, Finish::Blocked(_)));
}

#[test]
fn several_answers_per_call_and_log_probabilities() {
    let mut c = with_model(ProviderKind::OpenAi, "gpt-4o-mini");
    c.answers_per_call = 3;
    c.logprobs = true;
    let b = body(&c);
    assert_eq!((b["n"].clone(), b["logprobs"].clone()), (json!(3), json!(true)));
    let answer = ok(json!({
        "choices": [
            { "index": 0, "message": { "content": "LOVE" }, "finish_reason": "stop",
              "logprobs": { "content": [{ "token": "LO", "logprob": -0.5 }, { "token": "VE", "logprob": -0.25 }] } },
            { "index": 1, "message": { "content": "TURKEY" }, "finish_reason": "stop",
              "logprobs": { "content": [{ "token": "TURKEY", "logprob": -2.0 }] } },
            { "index": 2, "message": { "content": "ATTI" }, "finish_reason": "length", "logprobs": null }
        ],
        "usage": { "prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59 }
    }));
    let parsed = c.parse(&answer).unwrap();
    let lps: Vec<Option<f64>> = parsed.answers.iter().map(|a| a.logprob).collect();
    assert_eq!(lps, [Some(-0.75), Some(-2.0), None]);
    assert_eq!(parsed.answers[2].finish, Finish::CutOff);
    // A reasoning model offers no log-probabilities: none is asked for.
    let mut nano = with_model(ProviderKind::OpenAi, "gpt-5-nano");
    nano.logprobs = true;
    assert!(body(&nano).get("logprobs").is_none());
    // Anthropic has no `n`: one answer per call whatever is asked.
    let mut claude = with_model(ProviderKind::Anthropic, "claude-sonnet-4-20250514");
    claude.answers_per_call = 4;
    assert_eq!(claude.answers(), 1);
    assert!(body(&claude).get("n").is_none());
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
    assert_eq!(body["max_tokens"], 16, "compatible servers know max_tokens");
    assert!(body.get("reasoning_effort").is_none(), "nothing beyond the basics by default");
    // llama.cpp and Ollama may leave usage out.
    let answer = ok(json!({ "choices": [{ "message": { "content": "LOVE" } }] }));
    assert_eq!(c.parse(&answer).unwrap().usage, None);
    assert!(!ProviderKind::OpenAiCompatible.needs_key());
}

#[test]
fn openrouter_keeps_one_provider_and_says_which_served_and_what_it_cost() {
    let mut c = with_model(ProviderKind::OpenAiCompatible, "anthropic/claude-sonnet-4");
    c.base_url = "https://openrouter.ai/api/v1".into();
    assert!(c.is_openrouter());
    let b = body(&c);
    assert_eq!(b["provider"], json!({ "allow_fallbacks": false, "require_parameters": true }));
    assert_eq!(b["usage"], json!({ "include": true }));
    // Off on request; another server never gets OpenRouter's fields.
    c.pin_route = false;
    assert!(body(&c).get("provider").is_none());
    let mut other = c.clone();
    other.base_url = "http://127.0.0.1:11434/v1".into();
    other.pin_route = true;
    assert!(!other.is_openrouter());
    assert!(body(&other).get("provider").is_none() && body(&other).get("usage").is_none());
    // The answer names the provider and the call's cost, which the cost meter takes.
    let answer = ok(json!({
        "provider": "Anthropic",
        "choices": [{ "message": { "content": "ATTITUDE" }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 150, "completion_tokens": 3, "cost": 0.000495 }
    }));
    let completion = c.parse(&answer).unwrap();
    assert_eq!(completion.served_by.as_deref(), Some("Anthropic"));
    let u = completion.usage.unwrap();
    assert_eq!(u.cost, Some(0.000495));
    let price =
        balance_agent::schedule::Price { input_per_million: 100.0, output_per_million: 100.0 };
    assert_eq!(price.cost(&u), 0.000495, "what the provider billed, not the price table's guess");
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
    let sent: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        sent,
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
    assert_eq!(c.answers[0].text, "TURKEY");
    assert_eq!(c.usage, usage(61, 4, 0));
    let cut = ok(json!({
        "content": [{ "type": "text", "text": "ATTITUDE is a word whose" }],
        "stop_reason": "max_tokens", "usage": { "input_tokens": 61, "output_tokens": 16 }
    }));
    assert_eq!(
        config(ProviderKind::Anthropic).parse(&cut).unwrap().answers[0].finish,
        Finish::CutOff
    );
    // Extended thinking, when asked: a budget on top of the answer's tokens, no temperature.
    let mut thinking = with_model(ProviderKind::Anthropic, "claude-sonnet-4-20250514");
    thinking.reasoning = Reasoning::Low;
    let b = body(&thinking);
    assert_eq!(b["thinking"], json!({ "type": "enabled", "budget_tokens": 1024 }));
    assert_eq!(b["max_tokens"], 16 + 1024);
    assert!(b.get("temperature").is_none());
    let thought = ok(json!({
        "content": [{ "type": "thinking", "thinking": "Let me add...", "signature": "x" },
                    { "type": "text", "text": "LOVE" }],
        "stop_reason": "end_turn", "usage": { "input_tokens": 61, "output_tokens": 300 }
    }));
    assert_eq!(thinking.parse(&thought).unwrap().answers[0].text, "LOVE");
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
    assert_eq!(c.answers[0].text, "DISCIPLINE");
    assert_eq!(c.usage, usage(58, 2, 0));
}

#[test]
fn gemini_25_flash_thinking_off_and_what_thinking_does_to_an_answer() {
    let flash = with_model(ProviderKind::Gemini, "gemini-2.5-flash");
    assert_eq!(
        body(&flash)["generationConfig"],
        json!({ "temperature": 1.0, "maxOutputTokens": 16, "thinkingConfig": { "thinkingBudget": 0 } })
    );
    let mut two = flash.clone();
    two.answers_per_call = 2;
    assert_eq!(body(&two)["generationConfig"]["candidateCount"], 2);
    // Thinking used the whole limit: the candidate has no parts, finishReason MAX_TOKENS.
    let cut = ok(json!({
        "candidates": [{ "content": { "role": "model" }, "finishReason": "MAX_TOKENS", "index": 0 }],
        "usageMetadata": { "promptTokenCount": 58, "totalTokenCount": 74, "thoughtsTokenCount": 16 }
    }));
    let c = flash.parse(&cut).unwrap();
    assert_eq!((c.answers[0].text.as_str(), &c.answers[0].finish), ("", &Finish::CutOff));
    assert_eq!(c.usage, usage(58, 16, 16), "thoughts are billed as output");
    let blocked = ok(json!({ "candidates": [{ "finishReason": "SAFETY" }] }));
    assert!(matches!(flash.parse(&blocked).unwrap().answers[0].finish, Finish::Blocked(_)));
    let prompt_blocked = ok(json!({ "promptFeedback": { "blockReason": "PROHIBITED_CONTENT" } }));
    let c = two.parse(&prompt_blocked).unwrap();
    assert_eq!(c.answers.len(), 2);
    assert!(matches!(&c.answers[0].finish, Finish::Blocked(w) if w.contains("PROHIBITED_CONTENT")));
    // Thoughts returned as parts are not part of the answer.
    let with_thoughts = ok(json!({ "candidates": [{ "content": { "parts": [
        { "text": "adding letters", "thought": true }, { "text": "LOVE" }] }, "finishReason": "STOP" }] }));
    assert_eq!(flash.parse(&with_thoughts).unwrap().answers[0].text, "LOVE");
    let three = ProviderConfig {
        reasoning: Reasoning::High,
        ..with_model(ProviderKind::Gemini, "gemini-3-pro-preview")
    };
    assert_eq!(
        body(&three)["generationConfig"]["thinkingConfig"],
        json!({ "thinkingLevel": "high" })
    );
}

#[test]
fn model_lists_are_read_with_the_key_in_its_header() {
    let key = ApiKey::new("sk-ant").unwrap();
    let claude = with_model(ProviderKind::Anthropic, "x");
    let r = claude.get(Some(&key), "/models");
    assert_eq!((r.method, r.url.as_str()), (Method::Get, "https://api.anthropic.com/v1/models"));
    assert_eq!(r.header("x-api-key"), Some("sk-ant"));
    assert_eq!(r.header("anthropic-dangerous-direct-browser-access"), Some("true"));
    assert!(r.body.is_empty());
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
        Err(ProviderError::BadRequest { message: "max_tokens too large".into(), param: None })
    );
    assert!(matches!(c.parse(&status(200, &[], "{not json")), Err(ProviderError::Unparseable(_))));
    assert!(
        matches!(c.parse(&ok(json!({ "choices": [] }))), Err(ProviderError::Unparseable(m)) if m.contains("choices"))
    );
    // Only the failures that waiting can cure are retried.
    let retryable: Vec<bool> = [
        ProviderError::BadKey,
        ProviderError::Forbidden(String::new()),
        ProviderError::NotFound(String::new()),
        ProviderError::BadRequest { message: String::new(), param: None },
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
fn servers_on_this_machine_and_its_network_have_their_address_space() {
    use balance_agent::errors::address_space;
    for url in ["http://127.0.0.1:11434/v1", "http://localhost:1234/v1", "http://[::1]:8080/v1"] {
        assert_eq!(address_space(url), Some("loopback"), "{url}");
    }
    for url in ["https://192.168.1.5/v1", "http://10.0.0.2:8000/v1", "https://gpu.local/v1"] {
        assert_eq!(address_space(url), Some("local"), "{url}");
    }
    for url in ["https://api.openai.com/v1", "https://8.8.8.8/v1", "http://127.example.com/v1"] {
        assert_eq!(address_space(url), None, "{url}");
    }
}

#[test]
fn advice_names_the_fix_for_the_usual_failures() {
    use balance_agent::errors::{advice, is_loopback};
    let origin = Some("http://127.0.0.1:8080");
    assert!(is_loopback("http://127.0.0.1:11434/v1"));
    assert!(is_loopback("http://localhost:1234/v1"));
    assert!(!is_loopback("https://api.openai.com/v1"));
    assert!(!is_loopback("http://127.example.com/v1"));
    let mut ollama = config(ProviderKind::OpenAiCompatible);
    ollama.base_url = "http://127.0.0.1:11434/v1".into();
    let network = ProviderError::Network("Failed to fetch".into());
    let a = advice(&ollama, &network, origin).unwrap();
    assert!(a.contains("OLLAMA_ORIGINS=http://127.0.0.1:8080") && a.contains("LM Studio"), "{a}");
    assert!(!a.contains("Local Network Access"), "a page on this machine needs no permission");
    // From a hosted page, the browser's permission to reach this machine is named too.
    let hosted = advice(&ollama, &network, Some("https://balance.example")).unwrap();
    assert!(
        hosted.contains("Local Network Access") && hosted.contains("OLLAMA_ORIGINS"),
        "{hosted}"
    );
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
    // From the command line, no word of CORS.
    let a = advice(&ollama, &network, None).unwrap();
    assert!(a.contains("Is the server running") && !a.contains("CORS"), "{a}");
    let a = advice(&ollama, &forbidden, None).unwrap();
    assert!(!a.contains("OLLAMA_ORIGINS"), "{a}");
    // OpenAI's own server accepts calls from pages: no network is the cause left, and the
    // browser's wordless "TypeError: Failed to fetch" is not repeated.
    let offline = ProviderError::Network("TypeError: Failed to fetch".into());
    assert_eq!(offline.to_string(), "no connection");
    let a = advice(&config(ProviderKind::OpenAi), &offline, origin).unwrap();
    assert!(a.contains("network connection") && !a.contains("CORS"), "{a}");
    assert!(!a.contains("OLLAMA"), "{a}");
    // A server the person named, remote and https: its CORS may be the cause.
    let mut vllm = config(ProviderKind::OpenAiCompatible);
    vllm.base_url = "https://llm.example.org/v1".into();
    let a = advice(&vllm, &offline, origin).unwrap();
    assert!(a.contains("CORS") && a.contains("http://127.0.0.1:8080"), "{a}");
    let informative = ProviderError::Network("connection refused".into());
    assert_eq!(informative.to_string(), "no connection: connection refused");
}

#[test]
fn a_refused_parameter_is_answered_with_the_setting_to_change() {
    use balance_agent::errors::advice;
    let origin = Some("http://127.0.0.1:8080");
    let nano = with_model(ProviderKind::OpenAi, "gpt-5-nano");
    // As OpenAI answers a reasoning model sent max_tokens or a temperature.
    let bodies = [
        (
            r#"{"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}}"#,
            "Max tokens",
        ),
        (
            r#"{"error": {"message": "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.", "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"}}"#,
            "Temperature",
        ),
        (
            r#"{"error": {"message": "Unrecognized request argument supplied: reasoning_effort", "type": "invalid_request_error", "param": null, "code": null}}"#,
            "Reasoning",
        ),
    ];
    for (body, setting) in bodies {
        let e = nano.parse(&status(400, &[], body)).unwrap_err();
        let a = advice(&nano, &e, origin).unwrap();
        assert!(a.contains(&format!("change {setting}")), "{a}");
        assert!(!e.retryable());
    }
    // Anthropic's "field: problem" and Gemini's unknown names and field violations.
    let claude = with_model(ProviderKind::Anthropic, "claude-sonnet-4-20250514");
    let e = claude
        .parse(&status(400, &[], r#"{"type":"error","error":{"type":"invalid_request_error","message":"temperature: range: 0..1"}}"#))
        .unwrap_err();
    assert!(advice(&claude, &e, origin).unwrap().contains("change Temperature"));
    let flash = with_model(ProviderKind::Gemini, "gemini-2.5-pro");
    let e = flash
        .parse(&status(400, &[], r#"{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"thinkingBudget\" at 'generation_config': Cannot find field.","status":"INVALID_ARGUMENT"}}"#))
        .unwrap_err();
    assert!(advice(&flash, &e, origin).unwrap().contains("change Reasoning"), "{e:?}");
    let e = flash
        .parse(&status(400, &[], r#"{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"generation_config.candidate_count","description":"too many"}]}]}}"#))
        .unwrap_err();
    assert!(advice(&flash, &e, origin).unwrap().contains("change Answers per call"));
    let forbidden = ProviderError::Forbidden("no access".into());
    assert!(advice(&nano, &forbidden, origin).unwrap().contains("gpt-5-nano"));
}
