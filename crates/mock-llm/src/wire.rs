//! The three providers' formats as the server reads and writes them.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Which provider's API an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Api {
    /// `POST /v1/chat/completions`.
    OpenAi,
    /// `POST /v1/messages`.
    Anthropic,
    /// `POST /v1beta/models/{model}:generateContent`.
    Gemini,
}

/// What the server needs from a request body.
pub struct Request {
    pub model: String,
    pub prompt: String,
}

/// The model and the last user message, or why the body is not a request of `api`.
pub fn read_request(api: Api, body: &str) -> Result<Request, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let model = v["model"].as_str().unwrap_or_default().to_owned();
    let prompt = match api {
        Api::OpenAi | Api::Anthropic => v["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .ok_or("no messages[-1].content")?,
        Api::Gemini => v["contents"]
            .as_array()
            .and_then(|c| c.last())
            .and_then(|c| c["parts"][0]["text"].as_str())
            .ok_or("no contents[-1].parts[0].text")?,
    };
    if api != Api::Gemini && model.is_empty() {
        return Err("no model".into());
    }
    Ok(Request { model, prompt: prompt.to_owned() })
}

/// The key a request carries, where `api` puts it.
pub fn key_of(api: Api, headers: &HeaderMap) -> Option<&str> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match api {
        Api::OpenAi => value("authorization").and_then(|v| v.strip_prefix("Bearer ")),
        Api::Anthropic => value("x-api-key"),
        Api::Gemini => value("x-goog-api-key"),
    }
}

/// What the real provider refuses for a missing header: Anthropic wants `anthropic-version`.
pub fn missing_header(api: Api, headers: &HeaderMap) -> Option<Response> {
    (api == Api::Anthropic && !headers.contains_key("anthropic-version"))
        .then(|| error(api, StatusCode::BAD_REQUEST, "anthropic-version header is required"))
}

/// An error response in `api`'s format.
pub fn error(api: Api, status: StatusCode, message: &str) -> Response {
    let body = match api {
        Api::OpenAi => json!({ "error": { "message": message, "type": "mock_error" } }),
        Api::Anthropic => {
            json!({ "type": "error", "error": { "type": "mock_error", "message": message } })
        }
        Api::Gemini => {
            json!({ "error": { "code": status.as_u16(), "message": message, "status": "MOCK" } })
        }
    };
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// A successful answer `text` in `api`'s format, with token usage.
pub fn completion(api: Api, request: &Request, text: &str) -> Response {
    let input = request.prompt.split_whitespace().count();
    let body = match api {
        Api::OpenAi => json!({
            "id": "mock", "object": "chat.completion", "model": request.model,
            "choices": [{ "index": 0, "finish_reason": "stop",
                          "message": { "role": "assistant", "content": text } }],
            "usage": { "prompt_tokens": input, "completion_tokens": 1,
                       "total_tokens": input + 1 }
        }),
        Api::Anthropic => json!({
            "id": "mock", "type": "message", "role": "assistant", "model": request.model,
            "content": [{ "type": "text", "text": text }], "stop_reason": "end_turn",
            "usage": { "input_tokens": input, "output_tokens": 1 }
        }),
        Api::Gemini => json!({
            "candidates": [{ "content": { "role": "model", "parts": [{ "text": text }] },
                             "finishReason": "STOP" }],
            "usageMetadata": { "promptTokenCount": input, "candidatesTokenCount": 1,
                               "totalTokenCount": input + 1 }
        }),
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}
