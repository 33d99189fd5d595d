//! The client's model profiles (`balance_agent::profile`) against the mock's own model behaviours
//! (`mock_llm::models`), written apart from each other from the providers' documentation: for every
//! model the mock lists and every reasoning level, what the client agrees to send, the mock takes,
//! and at reasoning off the answer is not cut off by reasoning; what the client refuses before
//! sending, the mock refuses too.

use std::net::SocketAddr;

use balance_agent::{ProviderConfig, ProviderKind, Reasoning};
use mock_llm::models::{ANTHROPIC_MODELS, GEMINI_MODELS, OPENAI_MODELS, ROUTER_MODELS};
use mock_llm::{Faults, MockServer};

async fn server() -> MockServer {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    MockServer::start(addr, Faults::default(), 3, false).await.unwrap()
}

const PROMPT: &str = "An example word is BUZZY, whose letters add up to 100%. Another?";

fn config(kind: ProviderKind, base: String, model: &str, reasoning: Reasoning) -> ProviderConfig {
    ProviderConfig {
        kind,
        base_url: base,
        model: model.to_owned(),
        temperature: 1.0,
        max_tokens: 16,
        reasoning,
        answers_per_call: 1,
        logprobs: false,
        system_prompt: None,
        latency_ms: 0.0,
        timeout_s: 30.0,
        pin_route: true,
    }
}

/// Sends what `config` makes of the prompt, returning the status and the body.
async fn send(config: &ProviderConfig) -> (u16, String) {
    let request = config.request(None, PROMPT);
    let mut r = reqwest::Client::new().post(&request.url).body(request.body.clone());
    for (name, value) in &request.headers {
        r = r.header(name, value);
    }
    let response = r.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn what_the_client_sends_every_listed_model_takes_and_reasoning_off_leaves_room() {
    let s = server().await;
    let base = |path: &str| format!("http://{}{path}", s.addr());
    let mut models: Vec<(ProviderKind, String, String)> = Vec::new();
    for m in OPENAI_MODELS.iter().filter(|m| **m != "mock") {
        models.push((ProviderKind::OpenAi, base("/v1"), (*m).to_owned()));
    }
    for (m, _) in ANTHROPIC_MODELS {
        models.push((ProviderKind::Anthropic, base("/v1"), m.to_owned()));
    }
    for (m, answers) in GEMINI_MODELS.iter().filter(|g| g.1) {
        assert!(*answers);
        models.push((ProviderKind::Gemini, base("/v1beta"), (*m).to_owned()));
    }
    for (m, _, _) in ROUTER_MODELS {
        models.push((ProviderKind::OpenAiCompatible, base("/api/v1"), m.to_owned()));
    }
    let mut sent = 0;
    for (kind, url, model) in &models {
        for reasoning in Reasoning::ALL {
            let c = config(*kind, url.clone(), model, reasoning);
            let profile = c.profile();
            // What the client refuses before any call is no call.
            if profile.resolve(reasoning).is_err() {
                continue;
            }
            let (status, body) = send(&c).await;
            assert_eq!(status, 200, "{model} at {reasoning:?}: {body}");
            let completion = c
                .parse(&balance_agent::http::HttpResponse { status, headers: Vec::new(), body })
                .unwrap();
            if reasoning == Reasoning::Off {
                let answer = &completion.answers[0];
                assert_eq!(
                    answer.finish,
                    balance_agent::provider::Finish::Done,
                    "{model}: reasoning off leaves the answer room: {answer:?}"
                );
            }
            sent += 1;
        }
    }
    assert!(sent > 60, "{sent} calls");
}

#[tokio::test]
async fn models_without_a_temperature_are_refused_one_by_the_client_and_by_the_mock() {
    let s = server().await;
    for model in ["claude-opus-4-7", "claude-sonnet-5", "claude-opus-5", "claude-opus-5-5"] {
        let c = config(
            ProviderKind::Anthropic,
            format!("http://{}/v1", s.addr()),
            model,
            Reasoning::Off,
        );
        let why = c.profile().check_temperature(0.5, Reasoning::Off).unwrap_err();
        assert!(why.contains("takes only its default temperature"), "{model}: {why}");
        // Sent anyway, the API's own words.
        let mut request: serde_json::Value =
            serde_json::from_str(&c.request(None, PROMPT).body).unwrap();
        request["temperature"] = serde_json::json!(0.5);
        let response = reqwest::Client::new()
            .post(format!("http://{}/v1/messages", s.addr()))
            .header("anthropic-version", "2023-06-01")
            .json(&request)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["message"], "`temperature` is deprecated for this model.");
    }
    // A model with a temperature takes one.
    let c = config(
        ProviderKind::Anthropic,
        format!("http://{}/v1", s.addr()),
        "claude-sonnet-4-20250514",
        Reasoning::Off,
    );
    assert_eq!(c.profile().check_temperature(0.5, Reasoning::Off), Ok(()));
}
