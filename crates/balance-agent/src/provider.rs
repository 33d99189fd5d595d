//! The providers' wire formats: the request each one wants and where its answer and token
//! usage sit in the response.

pub use balance_core::experiment::Usage;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::errors::{ProviderError, classify};
use crate::http::{HttpRequest, HttpResponse};

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
    /// Most tokens in an answer.
    pub max_tokens: u32,
    /// System prompt, if any.
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// Added wait per answer of the simulated LLM, in milliseconds (other kinds ignore it).
    #[serde(default)]
    pub latency_ms: f64,
    /// How long to wait for an answer, in seconds, before counting the call as timed out.
    #[serde(default = "default_timeout")]
    pub timeout_s: f64,
}

fn default_timeout() -> f64 {
    60.0
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The answer's text (untrusted: show it as text, never as HTML).
    pub text: String,
    /// Token usage, when the provider reports it.
    pub usage: Option<Usage>,
}

impl ProviderConfig {
    /// The base URL in use.
    fn base(&self) -> &str {
        let base = self.base_url.trim().trim_end_matches('/');
        if base.is_empty() { self.kind.default_base_url() } else { base }
    }

    /// The request asking the model to answer `prompt`.
    pub fn request(&self, key: Option<&ApiKey>, prompt: &str) -> HttpRequest {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        let system = self.system_prompt.as_deref().filter(|s| !s.trim().is_empty());
        let (url, body) = match self.kind {
            ProviderKind::OpenAi | ProviderKind::OpenAiCompatible | ProviderKind::Simulated => {
                if let Some(k) = key {
                    headers.push(("authorization".into(), format!("Bearer {}", k.expose())));
                }
                let mut messages = Vec::new();
                if let Some(s) = system {
                    messages.push(json!({ "role": "system", "content": s }));
                }
                messages.push(json!({ "role": "user", "content": prompt }));
                let body = json!({
                    "model": self.model,
                    "messages": messages,
                    "temperature": self.temperature,
                    "max_tokens": self.max_tokens,
                });
                (format!("{}/chat/completions", self.base()), body)
            }
            ProviderKind::Anthropic => {
                if let Some(k) = key {
                    headers.push(("x-api-key".into(), k.expose().to_owned()));
                }
                headers.push(("anthropic-version".into(), "2023-06-01".into()));
                // Anthropic refuses calls from a web page without this header.
                headers.push(("anthropic-dangerous-direct-browser-access".into(), "true".into()));
                let mut body = json!({
                    "model": self.model,
                    "max_tokens": self.max_tokens,
                    "temperature": self.temperature,
                    "messages": [{ "role": "user", "content": prompt }],
                });
                if let Some(s) = system {
                    body["system"] = json!(s);
                }
                (format!("{}/messages", self.base()), body)
            }
            ProviderKind::Gemini => {
                // The key goes in a header, never in the URL.
                if let Some(k) = key {
                    headers.push(("x-goog-api-key".into(), k.expose().to_owned()));
                }
                let mut body = json!({
                    "contents": [{ "role": "user", "parts": [{ "text": prompt }] }],
                    "generationConfig": {
                        "temperature": self.temperature,
                        "maxOutputTokens": self.max_tokens,
                    },
                });
                if let Some(s) = system {
                    body["systemInstruction"] = json!({ "parts": [{ "text": s }] });
                }
                (format!("{}/models/{}:generateContent", self.base(), self.model), body)
            }
        };
        HttpRequest { url, headers, body: body.to_string() }
    }

    /// The answer in `response`, or the classified failure.
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
                let text = v["choices"][0]["message"]["content"]
                    .as_str()
                    .ok_or_else(|| missing("choices[0].message.content"))?;
                let u = &v["usage"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["prompt_tokens"]),
                    output_tokens: number(&u["completion_tokens"]),
                });
                Ok(Completion { text: text.to_owned(), usage })
            }
            ProviderKind::Anthropic => {
                let text: String = v["content"]
                    .as_array()
                    .ok_or_else(|| missing("content"))?
                    .iter()
                    .filter(|b| b["type"] == "text")
                    .filter_map(|b| b["text"].as_str())
                    .collect();
                let u = &v["usage"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["input_tokens"]),
                    output_tokens: number(&u["output_tokens"]),
                });
                Ok(Completion { text, usage })
            }
            ProviderKind::Gemini => {
                let parts = v["candidates"][0]["content"]["parts"]
                    .as_array()
                    .ok_or_else(|| missing("candidates[0].content.parts"))?;
                let text: String = parts.iter().filter_map(|p| p["text"].as_str()).collect();
                let u = &v["usageMetadata"];
                let usage = u.is_object().then(|| Usage {
                    input_tokens: number(&u["promptTokenCount"]),
                    output_tokens: number(&u["candidatesTokenCount"]),
                });
                Ok(Completion { text, usage })
            }
        }
    }
}
