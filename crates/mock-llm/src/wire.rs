//! The three providers' formats as the server reads, checks and writes them. Requests are checked
//! as strictly as the real APIs check them: unknown fields, fields a model refuses, values out of
//! range, each answered with the provider's own error shape and wording.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::models::{Behaviour, behaviour};

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

/// How much the model reasons before answering this request.
#[derive(Debug, Clone, PartialEq)]
pub enum Think {
    /// Not at all.
    Off,
    /// As much as this effort level takes (`low`, `medium`, `high`, `dynamic`).
    Effort(String),
    /// As much as a medium effort takes, at most this budget.
    Budget(u32),
}

/// A request the server accepted.
#[derive(Debug, Clone)]
pub struct Request {
    /// The model asked for.
    pub model: String,
    /// The last user message.
    pub prompt: String,
    /// Answers asked for.
    pub n: u32,
    /// Whether token log-probabilities were asked for.
    pub logprobs: bool,
    /// The token limit: answer and reasoning together.
    pub limit: u64,
    /// The reasoning it gets.
    pub think: Think,
}

/// Fields of OpenAI's chat-completions request (its OpenAPI specification).
const OPENAI_FIELDS: [&str; 37] = [
    "audio",
    "frequency_penalty",
    "function_call",
    "functions",
    "logit_bias",
    "logprobs",
    "max_completion_tokens",
    "max_tokens",
    "messages",
    "metadata",
    "modalities",
    "model",
    "moderation",
    "n",
    "parallel_tool_calls",
    "prediction",
    "presence_penalty",
    "prompt_cache_key",
    "prompt_cache_options",
    "prompt_cache_retention",
    "reasoning_effort",
    "response_format",
    "safety_identifier",
    "seed",
    "service_tier",
    "stop",
    "store",
    "stream",
    "stream_options",
    "temperature",
    "tool_choice",
    "tools",
    "top_logprobs",
    "top_p",
    "user",
    "verbosity",
    "web_search_options",
];
/// Fields of Anthropic's Messages request.
const ANTHROPIC_FIELDS: [&str; 15] = [
    "model",
    "messages",
    "max_tokens",
    "system",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "stream",
    "metadata",
    "tools",
    "tool_choice",
    "thinking",
    "output_config",
    "service_tier",
];
/// Top-level fields of Gemini's `generateContent` request.
const GEMINI_FIELDS: [&str; 7] = [
    "contents",
    "tools",
    "toolConfig",
    "safetySettings",
    "systemInstruction",
    "generationConfig",
    "cachedContent",
];
/// Fields of Gemini's `generationConfig`.
const GEMINI_CONFIG_FIELDS: [&str; 19] = [
    "stopSequences",
    "responseMimeType",
    "responseSchema",
    "responseJsonSchema",
    "responseModalities",
    "candidateCount",
    "maxOutputTokens",
    "temperature",
    "topP",
    "topK",
    "seed",
    "presencePenalty",
    "frequencyPenalty",
    "responseLogprobs",
    "logprobs",
    "enableEnhancedCivicAnswers",
    "speechConfig",
    "thinkingConfig",
    "mediaResolution",
];
/// Fields of Gemini's `thinkingConfig`.
const GEMINI_THINKING_FIELDS: [&str; 3] = ["includeThoughts", "thinkingBudget", "thinkingLevel"];

/// Gemini's JSON takes each field in lowerCamelCase or in its proto snake_case.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A field of `object` under either spelling.
fn gemini_field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.iter().find(|(k, _)| camel(k) == name).map(|(_, v)| v)
}

/// The first field of `object` not in `known`.
fn unknown<'a>(object: &'a Map<String, Value>, known: &[&str], gemini: bool) -> Option<&'a str> {
    object
        .keys()
        .find(|k| !known.contains(&if gemini { camel(k) } else { (*k).clone() }.as_str()))
        .map(String::as_str)
}

/// A request refused, as the provider words it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    api: Api,
    status: StatusCode,
    message: String,
    /// OpenAI's `param` and `code`.
    param: Option<String>,
    code: Option<String>,
}

impl Refusal {
    /// The refusal as the provider sends it.
    pub fn response(&self) -> Response {
        if self.api == Api::OpenAi && self.status == StatusCode::BAD_REQUEST {
            let body = json!({ "error": { "message": self.message, "type": "invalid_request_error",
                                          "param": self.param, "code": self.code } });
            return (self.status, [(header::CONTENT_TYPE, "application/json")], body.to_string())
                .into_response();
        }
        error(self.api, self.status, &self.message)
    }

    /// A refusal with status `status`.
    pub fn new(api: Api, status: StatusCode, message: &str) -> Refusal {
        Refusal { api, status, message: message.to_owned(), param: None, code: None }
    }
}

/// An OpenAI 400 with its `param` and `code`.
fn openai_error(message: &str, param: Option<&str>, code: Option<&str>) -> Refusal {
    Refusal {
        param: param.map(str::to_owned),
        code: code.map(str::to_owned),
        ..Refusal::new(Api::OpenAi, StatusCode::BAD_REQUEST, message)
    }
}

/// A 400 in `api`'s format.
fn bad(api: Api, message: &str) -> Refusal {
    Refusal::new(api, StatusCode::BAD_REQUEST, message)
}

/// The text of the last user message.
fn last_text(messages: Option<&Value>) -> Option<String> {
    let last = messages?.as_array()?.last()?;
    match &last["content"] {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => Some(parts.iter().filter_map(|p| p["text"].as_str()).collect()),
        _ => None,
    }
}

/// Checks an OpenAI chat-completions request for `behaviour`.
fn read_openai(v: &Map<String, Value>) -> Result<Request, Refusal> {
    if let Some(field) = unknown(v, &OPENAI_FIELDS, false) {
        return Err(openai_error(
            &format!("Unrecognized request argument supplied: {field}"),
            None,
            None,
        ));
    }
    let model = v.get("model").and_then(Value::as_str).unwrap_or_default().to_owned();
    if model.is_empty() {
        return Err(openai_error("you must provide a model parameter", None, None));
    }
    let prompt = last_text(v.get("messages")).ok_or_else(|| {
        openai_error("'messages' must contain at least one message", Some("messages"), None)
    })?;
    let b = behaviour(Api::OpenAi, &model);
    let temperature = v.get("temperature").and_then(Value::as_f64);
    if let Some(t) = temperature
        && !(0.0..=2.0).contains(&t)
    {
        return Err(openai_error(
            &format!(
                "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got {t} instead."
            ),
            Some("temperature"),
            Some("decimal_above_max_value"),
        ));
    }
    let n = v.get("n").and_then(Value::as_u64).unwrap_or(1);
    if !(1..=128).contains(&n) {
        return Err(openai_error("Invalid 'n': must be between 1 and 128.", Some("n"), None));
    }
    let logprobs = v.get("logprobs") == Some(&Value::Bool(true));
    let effort = v.get("reasoning_effort").and_then(Value::as_str);
    let limit = v
        .get("max_completion_tokens")
        .or_else(|| v.get("max_tokens"))
        .and_then(Value::as_u64)
        .unwrap_or(16_384);
    if limit == 0 {
        return Err(openai_error(
            "Invalid 'max_completion_tokens': must be at least 1.",
            Some("max_completion_tokens"),
            None,
        ));
    }
    let think = match b {
        Behaviour::OpenAiReasoning { efforts, default, temperature_at_none } => {
            if v.contains_key("max_tokens") {
                return Err(openai_error(
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                    Some("max_tokens"),
                    Some("unsupported_parameter"),
                ));
            }
            let effort = effort.unwrap_or(default);
            if !efforts.contains(&effort) {
                return Err(openai_error(
                    &format!(
                        "Unsupported value: 'reasoning_effort' does not support '{effort}' with this model. Supported values are: {}.",
                        efforts.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(", ")
                    ),
                    Some("reasoning_effort"),
                    Some("unsupported_value"),
                ));
            }
            if let Some(t) = temperature
                && t != 1.0
                && !(temperature_at_none && effort == "none")
            {
                return Err(openai_error(
                    &format!(
                        "Unsupported value: 'temperature' does not support {t} with this model. Only the default (1) value is supported."
                    ),
                    Some("temperature"),
                    Some("unsupported_value"),
                ));
            }
            if logprobs {
                return Err(openai_error(
                    "Unsupported parameter: 'logprobs' is not supported with this model.",
                    Some("logprobs"),
                    Some("unsupported_parameter"),
                ));
            }
            Think::Effort(effort.to_owned())
        }
        Behaviour::OpenAiChat => {
            if effort.is_some() {
                return Err(openai_error(
                    "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
                    Some("reasoning_effort"),
                    Some("unsupported_parameter"),
                ));
            }
            Think::Off
        }
        Behaviour::Compatible { thinks } => match effort {
            Some(e) => Think::Effort(e.to_owned()),
            None if thinks => Think::Effort("medium".into()),
            None => Think::Off,
        },
        _ => Think::Off,
    };
    Ok(Request { model, prompt, n: n as u32, logprobs, limit, think })
}

/// Checks an Anthropic Messages request.
fn read_anthropic(v: &Map<String, Value>) -> Result<Request, Refusal> {
    let api = Api::Anthropic;
    if let Some(field) = unknown(v, &ANTHROPIC_FIELDS, false) {
        return Err(bad(api, &format!("{field}: Extra inputs are not permitted")));
    }
    let model = v.get("model").and_then(Value::as_str).unwrap_or_default().to_owned();
    if model.is_empty() {
        return Err(bad(api, "model: Field required"));
    }
    let limit = v
        .get("max_tokens")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad(api, "max_tokens: Field required"))?;
    if limit == 0 {
        return Err(bad(api, "max_tokens: Input should be greater than or equal to 1"));
    }
    let prompt =
        last_text(v.get("messages")).ok_or_else(|| bad(api, "messages: Field required"))?;
    let temperature = v.get("temperature").and_then(Value::as_f64);
    if let Some(t) = temperature
        && !(0.0..=1.0).contains(&t)
    {
        return Err(bad(api, "temperature: range: 0..1"));
    }
    let think = match behaviour(api, &model) {
        Behaviour::ClaudeAdaptive { by_default, also, default_effort } => {
            read_adaptive(v, by_default, also, default_effort)?
        }
        _ => read_budget(v, &model, temperature, limit)?,
    };
    Ok(Request { model, prompt, n: 1, logprobs: false, limit, think })
}

/// The thinking of a Claude model with extended thinking: off unless `thinking.type` is
/// `enabled` with a budget of at least 1,024 tokens, below `max_tokens`, at temperature 1.
fn read_budget(
    v: &Map<String, Value>,
    model: &str,
    temperature: Option<f64>,
    limit: u64,
) -> Result<Think, Refusal> {
    let api = Api::Anthropic;
    if v.contains_key("output_config") {
        return Err(bad(api, "output_config: Extra inputs are not permitted"));
    }
    match v.get("thinking") {
        None => Ok(Think::Off),
        Some(t) if t["type"] == "disabled" => Ok(Think::Off),
        Some(t) => {
            let Behaviour::Claude { thinking: true } = behaviour(api, model) else {
                return Err(bad(api, &format!("'{model}' does not support thinking.")));
            };
            let budget = t["budget_tokens"]
                .as_u64()
                .ok_or_else(|| bad(api, "thinking.enabled.budget_tokens: Field required"))?;
            if budget < 1024 {
                return Err(bad(
                    api,
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
                ));
            }
            if budget >= limit {
                return Err(bad(api, "`max_tokens` must be greater than `thinking.budget_tokens`"));
            }
            if temperature.is_some_and(|t| t != 1.0) {
                return Err(bad(
                    api,
                    "`temperature` may only be set to 1 when thinking is enabled",
                ));
            }
            Ok(Think::Budget(budget as u32))
        }
    }
}

/// Efforts a Claude model with adaptive thinking takes.
const CLAUDE_EFFORTS: [&str; 5] = ["low", "medium", "high", "xhigh", "max"];

/// The thinking of a Claude model that thinks only adaptively: no sampling parameter but the
/// default; `thinking.type` `adaptive`, or one of `also` (`disabled`, `between_tools`), or none
/// (thinking `by_default` or not); the effort from `output_config.effort`, else `default_effort`.
fn read_adaptive(
    v: &Map<String, Value>,
    by_default: bool,
    also: &[&str],
    default_effort: &str,
) -> Result<Think, Refusal> {
    let api = Api::Anthropic;
    for (field, default) in [("temperature", Some(1.0)), ("top_p", None), ("top_k", None)] {
        if let Some(x) = v.get(field)
            && x.as_f64() != default
        {
            return Err(bad(api, &format!("`{field}` is deprecated for this model.")));
        }
    }
    let effort = match v.get("output_config") {
        None => default_effort.to_owned(),
        Some(config) => {
            if let Some(field) = config.as_object().and_then(|c| c.keys().find(|k| *k != "effort"))
            {
                return Err(bad(
                    api,
                    &format!("output_config.{field}: Extra inputs are not permitted"),
                ));
            }
            let e = config["effort"].as_str().unwrap_or_default();
            if !CLAUDE_EFFORTS.contains(&e) {
                return Err(bad(
                    api,
                    "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'",
                ));
            }
            e.to_owned()
        }
    };
    let kind = v.get("thinking").map(|t| t["type"].as_str().unwrap_or_default());
    match kind {
        None if by_default => Ok(Think::Effort(effort)),
        None => Ok(Think::Off),
        Some("adaptive") => Ok(Think::Effort(effort)),
        Some(k) if also.contains(&k) => {
            if k == "disabled" && matches!(effort.as_str(), "xhigh" | "max") {
                return Err(bad(
                    api,
                    &format!(
                        "output_config.effort \"{effort}\" cannot be used with thinking disabled"
                    ),
                ));
            }
            Ok(Think::Off)
        }
        Some(k @ ("enabled" | "disabled" | "between_tools")) => Err(bad(
            api,
            &format!(
                "\"thinking.type.{k}\" is not supported for this model. Use \
                 \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior."
            ),
        )),
        Some(k) => Err(bad(
            api,
            &format!(
                "thinking.type: Input tag '{k}' found using 'type' does not match any of the \
                 expected tags: 'adaptive', 'disabled', 'enabled'"
            ),
        )),
    }
}

/// Fields of OpenRouter's `provider` routing preferences.
const ROUTER_PROVIDER_FIELDS: [&str; 10] = [
    "order",
    "allow_fallbacks",
    "require_parameters",
    "data_collection",
    "zdr",
    "only",
    "ignore",
    "quantizations",
    "sort",
    "max_price",
];

/// Why OpenRouter's own fields of a request are refused, if they are: `provider` must be an
/// object of routing preferences (booleans where they are flags), `usage` `{include: bool}`.
pub fn router_fields(provider: Option<&Value>, usage: Option<&Value>) -> Option<Refusal> {
    let refuse = |m: String| Some(Refusal::new(Api::OpenAi, StatusCode::BAD_REQUEST, &m));
    if let Some(p) = provider {
        let Some(p) = p.as_object() else { return refuse("provider: Expected object".into()) };
        if let Some(f) = p.keys().find(|k| !ROUTER_PROVIDER_FIELDS.contains(&k.as_str())) {
            return refuse(format!("provider.{f}: Unrecognized key"));
        }
        for flag in ["allow_fallbacks", "require_parameters"] {
            if p.get(flag).is_some_and(|v| !v.is_boolean()) {
                return refuse(format!("provider.{flag}: Expected boolean"));
            }
        }
    }
    if let Some(u) = usage
        && !(u.is_object()
            && u.as_object()?.keys().all(|k| k == "include")
            && u["include"].is_boolean())
    {
        return refuse("usage: Expected { include: boolean }".into());
    }
    None
}

/// Checks a Gemini `generateContent` request for `model`.
fn read_gemini(v: &Map<String, Value>, model: &str) -> Result<Request, Refusal> {
    let api = Api::Gemini;
    let unknown_name = |field: &str, at: &str| {
        bad(
            api,
            &format!(
                "Invalid JSON payload received. Unknown name \"{field}\"{at}: Cannot find field."
            ),
        )
    };
    if let Some(field) = unknown(v, &GEMINI_FIELDS, true) {
        return Err(unknown_name(field, ""));
    }
    let contents = gemini_field(v, "contents").and_then(Value::as_array);
    let prompt: String = contents
        .and_then(|c| c.last())
        .and_then(|c| c["parts"].as_array())
        .map(|parts| parts.iter().filter_map(|p| p["text"].as_str()).collect())
        .ok_or_else(|| bad(api, "* GenerateContentRequest.contents: contents is not specified"))?;
    let empty = Map::new();
    let config = gemini_field(v, "generationConfig").and_then(Value::as_object).unwrap_or(&empty);
    if let Some(field) = unknown(config, &GEMINI_CONFIG_FIELDS, true) {
        return Err(unknown_name(field, " at 'generation_config'"));
    }
    let number = |name: &str| gemini_field(config, name).and_then(Value::as_f64);
    if let Some(t) = number("temperature")
        && !(0.0..=2.0).contains(&t)
    {
        return Err(bad(
            api,
            "* GenerateContentRequest.generation_config.temperature: must be in [0, 2]",
        ));
    }
    let n = number("candidateCount").unwrap_or(1.0) as u32;
    if n > 1 && matches!(behaviour(api, model), Behaviour::GeminiLevels(_)) {
        return Err(bad(api, "Multiple candidates is not enabled for this model"));
    }
    if !(1..=8).contains(&n) {
        return Err(bad(
            api,
            "* GenerateContentRequest.generation_config.candidate_count: must be between 1 and 8",
        ));
    }
    let limit = number("maxOutputTokens").map_or(65_536, |x| x as u64);
    let b = behaviour(api, model);
    let thinking = gemini_field(config, "thinkingConfig").and_then(Value::as_object);
    if let Some(t) = thinking
        && let Some(field) = unknown(t, &GEMINI_THINKING_FIELDS, true)
    {
        return Err(unknown_name(field, " at 'generation_config.thinking_config'"));
    }
    let budget = thinking.and_then(|t| gemini_field(t, "thinkingBudget")).and_then(Value::as_i64);
    let level = thinking.and_then(|t| gemini_field(t, "thinkingLevel")).and_then(Value::as_str);
    if budget.is_some() && level.is_some() {
        return Err(bad(
            api,
            "You cannot set both thinking_level and thinking_budget in the same request.",
        ));
    }
    let think = match b {
        Behaviour::GeminiBudget { min, max, can_off, thinks_by_default } => {
            if level.is_some() {
                return Err(bad(api, "Thinking level is not supported for this model."));
            }
            match budget {
                None | Some(-1) if thinks_by_default => Think::Effort("dynamic".into()),
                None | Some(-1) => Think::Off,
                Some(0) if can_off => Think::Off,
                Some(0) => {
                    return Err(bad(
                        api,
                        "Budget 0 is invalid. This model only works in thinking mode.",
                    ));
                }
                Some(b) if b >= i64::from(min) && b <= i64::from(max) => Think::Budget(b as u32),
                Some(b) => {
                    return Err(bad(
                        api,
                        &format!(
                            "The thinking budget {b} is invalid. Please choose a value between {min} and {max}."
                        ),
                    ));
                }
            }
        }
        Behaviour::GeminiLevels(levels) => {
            if budget.is_some() {
                return Err(bad(
                    api,
                    "Thinking budget is not supported for this model; use thinking_level.",
                ));
            }
            match level {
                None => Think::Effort("high".into()),
                Some(l) if levels.contains(&l.to_ascii_lowercase().as_str()) => {
                    Think::Effort(l.to_ascii_lowercase())
                }
                Some(l) => {
                    return Err(bad(
                        api,
                        &format!("Thinking level {l} is not supported for this model."),
                    ));
                }
            }
        }
        _ => {
            if thinking.is_some() {
                return Err(bad(api, "Thinking is not supported for this model."));
            }
            Think::Off
        }
    };
    Ok(Request { model: model.to_owned(), prompt, n, logprobs: false, limit, think })
}

/// The request in `body`, checked as `api` checks it (`model` from the path for Gemini), or the
/// error the provider would answer.
pub fn read_request(api: Api, model_in_path: Option<&str>, body: &str) -> Result<Request, Refusal> {
    let v: Value = serde_json::from_str(body)
        .map_err(|e| bad(api, &format!("the body is not valid JSON: {e}")))?;
    let object = v.as_object().ok_or_else(|| bad(api, "the body must be a JSON object"))?;
    match api {
        Api::OpenAi => read_openai(object),
        Api::Anthropic => read_anthropic(object),
        Api::Gemini => read_gemini(object, model_in_path.unwrap_or_default()),
    }
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
pub fn missing_header(api: Api, headers: &HeaderMap) -> Option<Refusal> {
    (api == Api::Anthropic && !headers.contains_key("anthropic-version"))
        .then(|| bad(api, "anthropic-version header is required"))
}

/// An error response in `api`'s format.
pub fn error(api: Api, status: StatusCode, message: &str) -> Response {
    let body = match api {
        Api::OpenAi => {
            json!({ "error": { "message": message, "type": "mock_error", "param": null, "code": null } })
        }
        Api::Anthropic => {
            let kind = if status == StatusCode::BAD_REQUEST {
                "invalid_request_error"
            } else {
                "mock_error"
            };
            json!({ "type": "error", "error": { "type": kind, "message": message } })
        }
        Api::Gemini => {
            let kind = if status == StatusCode::BAD_REQUEST { "INVALID_ARGUMENT" } else { "MOCK" };
            json!({ "error": { "code": status.as_u16(), "message": message, "status": kind } })
        }
    };
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// One answer as the model produced it: its words, its probability, the reasoning it took.
#[derive(Debug, Clone)]
pub struct Produced {
    /// The answer's text.
    pub text: String,
    /// Its probability under the simulated LLM.
    pub probability: f64,
    /// Reasoning tokens spent before it.
    pub reasoning: u64,
}

/// Tokens of an answer (a token per four characters, at least one).
fn tokens_of(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4).max(1)
}

/// What the limit leaves of an answer: its text (cut if need be), the tokens it billed, and
/// whether it was cut off.
fn within_limit(p: &Produced, limit: u64) -> (String, u64, u64, bool) {
    if p.reasoning >= limit {
        return (String::new(), limit, limit, true);
    }
    let room = limit - p.reasoning;
    let need = tokens_of(&p.text);
    if need <= room {
        (p.text.clone(), p.reasoning + need, p.reasoning, false)
    } else {
        let kept: String = p.text.chars().take((room * 4) as usize).collect();
        (kept, limit, p.reasoning, true)
    }
}

/// The answers `produced` in `api`'s format, with usage, finish reasons and (when asked)
/// log-probabilities.
pub fn completion(api: Api, request: &Request, produced: &[Produced]) -> Response {
    let input = request.prompt.split_whitespace().count() as u64;
    let body = match api {
        Api::OpenAi => {
            let mut completion_tokens = 0;
            let mut reasoning_tokens = 0;
            let choices: Vec<Value> = produced
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (text, billed, reasoning, cut) = within_limit(p, request.limit);
                    completion_tokens += billed;
                    reasoning_tokens += reasoning;
                    let logprobs = (request.logprobs && !cut).then(|| {
                        json!({ "content": [{ "token": text, "logprob": p.probability.ln(),
                                              "bytes": null, "top_logprobs": [] }], "refusal": null })
                    });
                    json!({ "index": i, "finish_reason": if cut { "length" } else { "stop" },
                            "message": { "role": "assistant", "content": text, "refusal": null },
                            "logprobs": logprobs })
                })
                .collect();
            json!({
                "id": "mock", "object": "chat.completion", "created": 0, "model": request.model,
                "choices": choices,
                "usage": { "prompt_tokens": input, "completion_tokens": completion_tokens,
                           "total_tokens": input + completion_tokens,
                           "completion_tokens_details": { "reasoning_tokens": reasoning_tokens } }
            })
        }
        Api::Anthropic => {
            let p = &produced[0];
            let (text, billed, reasoning, cut) = within_limit(p, request.limit);
            let mut content = Vec::new();
            if reasoning > 0 {
                content.push(json!({ "type": "thinking", "thinking": "Adding the letters...", "signature": "mock" }));
            }
            if !text.is_empty() {
                content.push(json!({ "type": "text", "text": text }));
            }
            json!({
                "id": "mock", "type": "message", "role": "assistant", "model": request.model,
                "content": content, "stop_reason": if cut { "max_tokens" } else { "end_turn" },
                "usage": { "input_tokens": input, "output_tokens": billed }
            })
        }
        Api::Gemini => {
            let mut answer_tokens = 0;
            let mut thoughts = 0;
            let candidates: Vec<Value> = produced
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (text, billed, reasoning, cut) = within_limit(p, request.limit);
                    answer_tokens += billed - reasoning;
                    thoughts += reasoning;
                    // Thoughts that used the whole limit leave a candidate without parts.
                    let content = if text.is_empty() {
                        json!({ "role": "model" })
                    } else {
                        json!({ "role": "model", "parts": [{ "text": text }] })
                    };
                    json!({ "content": content, "index": i,
                            "finishReason": if cut { "MAX_TOKENS" } else { "STOP" } })
                })
                .collect();
            let mut usage = json!({ "promptTokenCount": input,
                                    "totalTokenCount": input + answer_tokens + thoughts });
            if answer_tokens > 0 {
                usage["candidatesTokenCount"] = json!(answer_tokens);
            }
            if thoughts > 0 {
                usage["thoughtsTokenCount"] = json!(thoughts);
            }
            json!({ "candidates": candidates, "usageMetadata": usage, "modelVersion": request.model })
        }
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}
