//! The providers' wire formats: the request each one wants and where its answer and token
//! usage sit in the response.

pub use balance_core::experiment::Usage;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::errors::{ProviderError, classify};
use crate::http::{HttpRequest, HttpResponse};
use crate::profile::{Profile, Reasoning, Resolved, TokenField, profile};

/// Which API a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// OpenAI's chat completions.
    #[serde(rename = "openai")]
    OpenAi,
    /// Anthropic's Messages API.
    Anthropic,
    /// Google Gemini's native `generateContent`.
    Gemini,
    /// Any server speaking OpenAI's chat completions at its own base URL: OpenRouter, Ollama,
    /// LM Studio, vLLM, llama.cpp server.
    #[serde(rename = "openai-compatible")]
    OpenAiCompatible,
    /// The built-in simulated LLM (the core's word-task model): no key, no network. It speaks
    /// OpenAI's format to [`crate::simulated::SimulatedTransport`].
    Simulated,
}

impl ProviderKind {
    /// Every kind, for pickers.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Simulated,
        ProviderKind::OpenAi,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
        ProviderKind::OpenAiCompatible,
    ];

    /// The base URL used when none is given.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "https://api.openai.com/v1",
            ProviderKind::Anthropic => "https://api.anthropic.com/v1",
            ProviderKind::Gemini => "https://generativelanguage.googleapis.com/v1beta",
            ProviderKind::OpenAiCompatible => "http://127.0.0.1:11434/v1",
            ProviderKind::Simulated => "simulated:",
        }
    }

    /// Whether the provider refuses requests without a key.
    pub fn needs_key(self) -> bool {
        !matches!(self, ProviderKind::OpenAiCompatible | ProviderKind::Simulated)
    }

    /// Whether calls leave the machine's own code (everything but the simulated LLM).
    pub fn is_remote(self) -> bool {
        self != ProviderKind::Simulated
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "OpenAI",
            ProviderKind::Anthropic => "Anthropic",
            ProviderKind::Gemini => "Google Gemini",
            ProviderKind::OpenAiCompatible => {
                "OpenAI-compatible (OpenRouter, Ollama, LM Studio, vLLM, llama.cpp)"
            }
            ProviderKind::Simulated => "Simulated agent (no key, no network)",
        }
    }

    /// The name used in settings and files (`openai`, `anthropic`, ...).
    pub fn id(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "openai",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Gemini => "gemini",
            ProviderKind::OpenAiCompatible => "openai-compatible",
            ProviderKind::Simulated => "simulated",
        }
    }

    /// The kind named `id` (as [`ProviderKind::id`] gives).
    pub fn from_id(id: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// An API key. It cannot be serialised and prints as `***`: it goes into the request to its
/// provider and nowhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key (surrounding whitespace removed); `None` when it is empty.
    pub fn new(key: &str) -> Option<ApiKey> {
        let key = key.trim();
        (!key.is_empty()).then(|| ApiKey(key.to_owned()))
    }

    /// The key itself, for the request header.
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// How to call a model (everything but the key, so it can be saved and shared).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderConfig {
    /// The API.
    pub kind: ProviderKind,
    /// Base URL without a trailing slash (the kind's default when empty).
    #[serde(default)]
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Sampling temperature.
    pub temperature: f64,
    /// Most tokens in an answer (reasoning tokens come on top, as the reasoning level allows).
    pub max_tokens: u32,
    /// How much the model may reason before it answers (mapped per model: [`crate::profile`]).
    #[serde(default)]
    pub reasoning: Reasoning,
    /// Answers asked of one call (`n`, `candidateCount`), each an attempt of its own; the prompt
    /// is paid once. 1 where the API has no such field.
    #[serde(default = "one")]
    pub answers_per_call: u32,
    /// Ask for the answer's token log-probabilities (where the model offers them).
    #[serde(default)]
    pub logprobs: bool,
    /// System prompt, if any.
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// Added wait per answer of the simulated LLM, in milliseconds (other kinds ignore it).
    #[serde(default)]
    pub latency_ms: f64,
    /// How long to wait for an answer, in seconds, before counting the call as timed out.
    #[serde(default = "default_timeout")]
    pub timeout_s: f64,
    /// At OpenRouter, keep one provider for the whole run: routing preferences `{allow_fallbacks:
    /// false, require_parameters: true}`, so that the router neither moves a call to another
    /// provider of the model nor drops a parameter the provider cannot take (on by default: an
    /// experiment must not mix providers silently). Other servers ignore it.
    #[serde(default = "yes")]
    pub pin_route: bool,
}

fn default_timeout() -> f64 {
    60.0
}

fn yes() -> bool {
    true
}

fn one() -> u32 {
    1
}

/// Why an answer ended, as far as the runner is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// The model finished its answer.
    Done,
    /// The token limit cut the answer off (perhaps before any visible text: the reasoning used
    /// it up).
    CutOff,
    /// The provider blocked the answer or the model refused (the provider's reason).
    Blocked(String),
}

/// One answer of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The answer's text (untrusted: show it as text, never as HTML).
    pub text: String,
    /// How it ended.
    pub finish: Finish,
    /// The provider's own word for how it ended (`stop`, `length`, `MAX_TOKENS`, ...).
    pub finish_reason: Option<String>,
    /// The answer's log-probability (the sum over its tokens), when returned.
    pub logprob: Option<f64>,
}

/// A model's reply to one call: one answer or several.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The answers, in order.
    pub answers: Vec<Answer>,
    /// Token usage of the whole call, when the provider reports it.
    pub usage: Option<Usage>,
    /// The provider that served the call, when a router says (OpenRouter's `provider`).
    pub served_by: Option<String>,
}

impl ProviderConfig {
    /// Whether calls go to OpenRouter (its routing preferences and accounting are sent).
    pub fn is_openrouter(&self) -> bool {
        self.kind == ProviderKind::OpenAiCompatible && {
            let rest = self.base().split("://").nth(1).unwrap_or("");
            let host = rest.split(['/', ':']).next().unwrap_or("");
            host == "openrouter.ai" || host.ends_with(".openrouter.ai")
        }
    }

    /// The base URL in use.
    pub fn base(&self) -> &str {
        let base = self.base_url.trim().trim_end_matches('/');
        if base.is_empty() { self.kind.default_base_url() } else { base }
    }

    /// What the model accepts.
    pub fn profile(&self) -> Profile {
        profile(self.kind, &self.model)
    }

    /// What the reasoning setting sends (the least reasoning when the setting cannot be had:
    /// [`crate::Spec::check`] refuses such settings before a run).
    pub fn resolved(&self) -> Resolved {
        let p = self.profile();
        p.resolve(self.reasoning).or_else(|_| p.resolve(Reasoning::Off)).unwrap_or_default()
    }

    /// The token limit sent: the answer's plus the reasoning's allowance.
    pub fn token_limit(&self) -> u32 {
        self.max_tokens.saturating_add(self.resolved().allowance)
    }

    /// What is sent for this model, in a sentence: its family, the token limit and the
    /// reasoning and temperature fields, and what the mapping could not do as asked.
    pub fn describe(&self) -> String {
        let profile = self.profile();
        let r = self.resolved();
        let field = match self.kind {
            ProviderKind::Anthropic => "max_tokens",
            ProviderKind::Gemini => "maxOutputTokens",
            _ if profile.token_field == TokenField::MaxCompletionTokens => "max_completion_tokens",
            _ => "max_tokens",
        };
        let mut parts = vec![if r.allowance > 0 {
            format!(
                "{field} {} ({} for the answer, {} for the reasoning)",
                self.token_limit(),
                self.max_tokens,
                r.allowance
            )
        } else {
            format!("{field} {}", self.token_limit())
        }];
        if let Some(e) = r.effort {
            parts.push(format!("reasoning_effort {e}"));
        }
        if let Some(b) = r.thinking_budget {
            parts.push(format!("thinking with budget_tokens {b}"));
        }
        if let Some(t) = r.thinking_type {
            parts.push(format!("thinking {t}"));
        }
        if let Some(e) = r.output_effort {
            parts.push(format!("output_config.effort {e}"));
        }
        if let Some(b) = r.gemini_budget {
            parts.push(format!("thinkingBudget {b}"));
        }
        if let Some(l) = r.gemini_level {
            parts.push(format!("thinkingLevel {l}"));
        }
        parts.push(if r.send_temperature {
            format!("temperature {}", self.temperature)
        } else {
            "no temperature (the model takes only its default, 1)".to_owned()
        });
        let mut text = format!("Treated as {}: sends {}.", profile.family, parts.join(", "));
        if let Some(note) = r.note {
            text.push_str(&format!(" Note: {note}."));
        }
        text
    }

    /// Answers asked per call, within what the model offers.
    pub fn answers(&self) -> u32 {
        self.answers_per_call.clamp(1, self.profile().max_answers_per_call.max(1))
    }

    /// The headers carrying `key` where this provider wants it, and the JSON content type.
    fn headers(&self, key: Option<&ApiKey>) -> Vec<(String, String)> {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        match self.kind {
            ProviderKind::OpenAi | ProviderKind::OpenAiCompatible | ProviderKind::Simulated => {
                if let Some(k) = key {
                    headers.push(("authorization".into(), format!("Bearer {}", k.expose())));
                }
            }
            ProviderKind::Anthropic => {
                if let Some(k) = key {
                    headers.push(("x-api-key".into(), k.expose().to_owned()));
                }
                headers.push(("anthropic-version".into(), "2023-06-01".into()));
                // Anthropic refuses calls from a web page without this header.
                headers.push(("anthropic-dangerous-direct-browser-access".into(), "true".into()));
            }
            ProviderKind::Gemini => {
                // The key goes in a header, never in the URL.
                if let Some(k) = key {
                    headers.push(("x-goog-api-key".into(), k.expose().to_owned()));
                }
            }
        }
        headers
    }

    /// A GET of `path` under the base URL (model lists), with the key where it belongs.
    pub fn get(&self, key: Option<&ApiKey>, path: &str) -> HttpRequest {
        HttpRequest {
            method: crate::http::Method::Get,
            url: format!("{}{path}", self.base()),
            headers: self.headers(key),
            body: String::new(),
        }
    }

    /// The request asking the model to answer `prompt`.
    pub fn request(&self, key: Option<&ApiKey>, prompt: &str) -> HttpRequest {
        let system = self.system_prompt.as_deref().filter(|s| !s.trim().is_empty());
        let r = self.resolved();
        let limit = self.token_limit();
        let n = self.answers();
        let (url, body) = match self.kind {
            ProviderKind::OpenAi | ProviderKind::OpenAiCompatible | ProviderKind::Simulated => {
                let mut messages = Vec::new();
                if let Some(s) = system {
                    messages.push(json!({ "role": "system", "content": s }));
                }
                messages.push(json!({ "role": "user", "content": prompt }));
                let mut body = json!({ "model": self.model, "messages": messages });
                if r.send_temperature {
                    body["temperature"] = json!(self.temperature);
                }
                let field = match self.profile().token_field {
                    TokenField::MaxCompletionTokens => "max_completion_tokens",
                    _ => "max_tokens",
                };
                body[field] = json!(limit);
                if let Some(effort) = r.effort {
                    body["reasoning_effort"] = json!(effort);
                }
                if n > 1 {
                    body["n"] = json!(n);
                }
                if self.logprobs && r.logprobs {
                    body["logprobs"] = json!(true);
                }
                if self.is_openrouter() {
                    // The call's cost in the answer, and (by default) one provider throughout.
                    body["usage"] = json!({ "include": true });
                    if self.pin_route {
                        body["provider"] =
                            json!({ "allow_fallbacks": false, "require_parameters": true });
                    }
                }
                (format!("{}/chat/completions", self.base()), body)
            }
            ProviderKind::Anthropic => {
                let mut body = json!({
                    "model": self.model,
                    "max_tokens": limit,
                    "messages": [{ "role": "user", "content": prompt }],
                });
                if r.send_temperature {
                    body["temperature"] = json!(self.temperature);
                }
                if let Some(s) = system {
                    body["system"] = json!(s);
                }
                if let Some(budget) = r.thinking_budget {
                    body["thinking"] = json!({ "type": "enabled", "budget_tokens": budget });
                } else if let Some(kind) = r.thinking_type {
                    body["thinking"] = json!({ "type": kind });
                }
                if let Some(effort) = r.output_effort {
                    body["output_config"] = json!({ "effort": effort });
                }
                (format!("{}/messages", self.base()), body)
            }
            ProviderKind::Gemini => {
                let mut config = json!({ "maxOutputTokens": limit });
                if r.send_temperature {
                    config["temperature"] = json!(self.temperature);
                }
                if n > 1 {
                    config["candidateCount"] = json!(n);
                }
                if let Some(budget) = r.gemini_budget {
                    config["thinkingConfig"] = json!({ "thinkingBudget": budget });
                } else if let Some(level) = r.gemini_level {
                    config["thinkingConfig"] = json!({ "thinkingLevel": level });
                }
                let mut body = json!({
                    "contents": [{ "role": "user", "parts": [{ "text": prompt }] }],
                    "generationConfig": config,
                });
                if let Some(s) = system {
                    body["systemInstruction"] = json!({ "parts": [{ "text": s }] });
                }
                (format!("{}/models/{}:generateContent", self.base(), self.model), body)
            }
        };
        HttpRequest {
            method: crate::http::Method::Post,
            url,
            headers: self.headers(key),
            body: body.to_string(),
        }
    }

    /// The answers in `response`, or the classified failure. Cut-off, blocked and empty answers
    /// are answers (with their finish), not failures.
    pub fn parse(&self, response: &HttpResponse) -> Result<Completion, ProviderError> {
        if !(200..300).contains(&response.status) {
            return Err(classify(self.kind, response));
        }
        let v: Value = serde_json::from_str(&response.body)
            .map_err(|e| ProviderError::Unparseable(format!("the body is not JSON: {e}")))?;
        let missing = |what: &str| ProviderError::Unparseable(format!("no {what} in the answer"));
        let number = |x: &Value| x.as_u64().unwrap_or(0);
        match self.kind {
            ProviderKind::OpenAi | ProviderKind::OpenAiCompatible | ProviderKind::Simulated => {
                let choices = v["choices"].as_array().filter(|c| !c.is_empty());
                let answers = choices
                    .ok_or_else(|| missing("choices"))?
                    .iter()
                    .map(openai_answer)
                    .collect::<Result<Vec<_>, _>>()?;
                let u = &v["usage"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["prompt_tokens"]),
                    output_tokens: number(&u["completion_tokens"]),
                    reasoning_tokens: number(&u["completion_tokens_details"]["reasoning_tokens"]),
                    cost: u["cost"].as_f64().filter(|c| c.is_finite() && *c >= 0.0),
                });
                let served_by = v["provider"].as_str().map(str::to_owned);
                Ok(Completion { answers, usage, served_by })
            }
            ProviderKind::Anthropic => {
                let text: String = v["content"]
                    .as_array()
                    .ok_or_else(|| missing("content"))?
                    .iter()
                    .filter(|b| b["type"] == "text")
                    .filter_map(|b| b["text"].as_str())
                    .collect();
                let reason = v["stop_reason"].as_str().map(str::to_owned);
                let finish = match reason.as_deref() {
                    Some("max_tokens") => Finish::CutOff,
                    Some("refusal") => Finish::Blocked("the model refused".into()),
                    _ => Finish::Done,
                };
                let u = &v["usage"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["input_tokens"]),
                    output_tokens: number(&u["output_tokens"]),
                    reasoning_tokens: 0,
                    cost: None,
                });
                let answer = Answer { text, finish, finish_reason: reason, logprob: None };
                Ok(Completion { answers: vec![answer], usage, served_by: None })
            }
            ProviderKind::Gemini => {
                let u = &v["usageMetadata"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["promptTokenCount"]),
                    // Thoughts are billed as output but counted apart from the answer.
                    output_tokens: number(&u["candidatesTokenCount"])
                        + number(&u["thoughtsTokenCount"]),
                    reasoning_tokens: number(&u["thoughtsTokenCount"]),
                    cost: None,
                });
                let answers = match v["candidates"].as_array().filter(|c| !c.is_empty()) {
                    Some(candidates) => candidates.iter().map(gemini_answer).collect(),
                    None => {
                        // The prompt itself was blocked: no candidate at all.
                        let why = v["promptFeedback"]["blockReason"]
                            .as_str()
                            .ok_or_else(|| missing("candidates"))?;
                        vec![
                            Answer {
                                text: String::new(),
                                finish: Finish::Blocked(format!("the prompt was blocked ({why})")),
                                finish_reason: Some(why.to_owned()),
                                logprob: None,
                            };
                            self.answers() as usize
                        ]
                    }
                };
                Ok(Completion { answers, usage, served_by: None })
            }
        }
    }
}

/// One OpenAI choice: its text, how it ended, its log-probability.
fn openai_answer(choice: &Value) -> Result<Answer, ProviderError> {
    let message = &choice["message"];
    let reason = choice["finish_reason"].as_str().map(str::to_owned);
    let refusal = message["refusal"].as_str().filter(|r| !r.is_empty());
    let text = match (message["content"].as_str(), refusal) {
        (Some(t), _) => t.to_owned(),
        (None, Some(_)) => String::new(),
        (None, None) if message.is_object() && message["content"].is_null() => String::new(),
        (None, None) => {
            return Err(ProviderError::Unparseable(
                "no choices[].message.content in the answer".into(),
            ));
        }
    };
    let finish = match (reason.as_deref(), refusal) {
        (_, Some(r)) => Finish::Blocked(format!("the model refused: {r}")),
        (Some("length"), _) => Finish::CutOff,
        (Some("content_filter"), _) => Finish::Blocked("the content filter".into()),
        _ => Finish::Done,
    };
    let logprob = choice["logprobs"]["content"]
        .as_array()
        .map(|tokens| tokens.iter().filter_map(|t| t["logprob"].as_f64()).sum());
    Ok(Answer { text, finish, finish_reason: reason, logprob })
}

/// One Gemini candidate: its text (none when blocked or cut off in its thoughts), how it ended.
fn gemini_answer(candidate: &Value) -> Answer {
    let text: String = candidate["content"]["parts"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .filter(|p| p["thought"] != true)
                .filter_map(|p| p["text"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let reason = candidate["finishReason"].as_str().map(str::to_owned);
    let finish = match reason.as_deref() {
        None | Some("STOP") | Some("FINISH_REASON_UNSPECIFIED") => Finish::Done,
        Some("MAX_TOKENS") => Finish::CutOff,
        Some(other) => Finish::Blocked(format!("blocked ({other})")),
    };
    Answer { text, finish, finish_reason: reason, logprob: None }
}
