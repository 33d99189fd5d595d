//! A provider's list of models, for the model picker: OpenAI's and compatible servers'
//! `GET /models` (OpenRouter's entries carry prices, which fill the price table), Anthropic's
//! paged `GET /v1/models`, Gemini's paged `GET /v1beta/models` (only the models that answer
//! `generateContent`).

use serde_json::Value;

use crate::errors::{ProviderError, classify};
use crate::http::{HttpResponse, Transport};
use crate::provider::{ApiKey, ProviderConfig, ProviderKind};
use crate::schedule::Price;

/// One model a provider offers.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The name to send.
    pub id: String,
    /// A name for people, when the provider gives one.
    pub name: Option<String>,
    /// Its prices, when the provider lists them (OpenRouter).
    pub price: Option<Price>,
}

/// Models the picker offers before a provider's list is loaded: a current model of each
/// provider (late 2026) beside the paper's, with the family the profile gives it.
pub fn suggested(kind: ProviderKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ProviderKind::OpenAi => &[
            ("gpt-5.1", "GPT-5.1 (reasoning none by default)"),
            ("gpt-5-mini", "GPT-5 mini"),
            ("gpt-5-nano", "GPT-5 Nano (the paper's)"),
        ],
        ProviderKind::Anthropic => &[
            ("claude-sonnet-5-5", "Claude Sonnet 5.5 (no temperature)"),
            ("claude-opus-5-5", "Claude Opus 5.5 (no temperature, always thinks)"),
            ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
            ("claude-sonnet-4-20250514", "Claude Sonnet 4 (the paper's)"),
        ],
        ProviderKind::Gemini => &[
            ("gemini-3-flash-preview", "Gemini 3 Flash (one answer per call)"),
            ("gemini-2.5-flash", "Gemini 2.5 Flash (the paper's)"),
            ("gemini-2.5-pro", "Gemini 2.5 Pro"),
        ],
        ProviderKind::OpenAiCompatible | ProviderKind::Simulated => &[],
    }
}

/// Most pages read from a paged list.
const MAX_PAGES: usize = 20;

/// One page of models and the token of the next page.
fn page(kind: ProviderKind, body: &str) -> Result<(Vec<ModelInfo>, Option<String>), ProviderError> {
    let v: Value = serde_json::from_str(body)
        .map_err(|e| ProviderError::Unparseable(format!("the model list is not JSON: {e}")))?;
    let missing = |what: &str| ProviderError::Unparseable(format!("no {what} in the model list"));
    match kind {
        ProviderKind::Gemini => {
            let models = v["models"].as_array().ok_or_else(|| missing("models"))?;
            let list = models
                .iter()
                .filter(|m| {
                    m["supportedGenerationMethods"]
                        .as_array()
                        .is_none_or(|ms| ms.iter().any(|x| x == "generateContent"))
                })
                .filter_map(|m| {
                    let id = m["name"].as_str()?;
                    Some(ModelInfo {
                        id: id.strip_prefix("models/").unwrap_or(id).to_owned(),
                        name: m["displayName"].as_str().map(str::to_owned),
                        price: None,
                    })
                })
                .collect();
            let next = v["nextPageToken"].as_str().filter(|t| !t.is_empty()).map(str::to_owned);
            Ok((list, next))
        }
        ProviderKind::Anthropic => {
            let data = v["data"].as_array().ok_or_else(|| missing("data"))?;
            let list: Vec<ModelInfo> = data
                .iter()
                .filter_map(|m| {
                    Some(ModelInfo {
                        id: m["id"].as_str()?.to_owned(),
                        name: m["display_name"].as_str().map(str::to_owned),
                        price: None,
                    })
                })
                .collect();
            let next =
                (v["has_more"] == true).then(|| v["last_id"].as_str().map(str::to_owned)).flatten();
            Ok((list, next))
        }
        _ => {
            let data = v["data"].as_array().ok_or_else(|| missing("data"))?;
            let per_million = |x: &Value| {
                let per_token: f64 = match x {
                    Value::String(s) => s.trim().parse().ok()?,
                    other => other.as_f64()?,
                };
                // Per million, without the float noise of the multiplication (0.05, not
                // 0.049999999999999996).
                (per_token.is_finite() && per_token >= 0.0)
                    .then_some((per_token * 1e6 * 1e9).round() / 1e9)
            };
            let list = data
                .iter()
                .filter_map(|m| {
                    let pricing = &m["pricing"];
                    let price = match (
                        per_million(&pricing["prompt"]),
                        per_million(&pricing["completion"]),
                    ) {
                        (Some(i), Some(o)) => {
                            Some(Price { input_per_million: i, output_per_million: o })
                        }
                        _ => None,
                    };
                    Some(ModelInfo {
                        id: m["id"].as_str()?.to_owned(),
                        name: m["name"].as_str().map(str::to_owned),
                        price,
                    })
                })
                .collect();
            Ok((list, None))
        }
    }
}

/// The path of the page after `token` (the first page when `None`).
fn path(kind: ProviderKind, token: Option<&str>) -> String {
    match (kind, token) {
        (ProviderKind::Gemini, None) => "/models?pageSize=1000".to_owned(),
        (ProviderKind::Gemini, Some(t)) => format!("/models?pageSize=1000&pageToken={t}"),
        (ProviderKind::Anthropic, None) => "/models?limit=1000".to_owned(),
        (ProviderKind::Anthropic, Some(t)) => format!("/models?limit=1000&after_id={t}"),
        _ => "/models".to_owned(),
    }
}

/// Every model the provider of `config` offers, sorted by name.
pub async fn list_models(
    transport: &impl Transport,
    config: &ProviderConfig,
    key: Option<&ApiKey>,
) -> Result<Vec<ModelInfo>, ProviderError> {
    if config.kind == ProviderKind::Simulated {
        return Ok(vec![ModelInfo {
            id: "simulated-word-task".to_owned(),
            name: Some("The simulated word-task agent".to_owned()),
            price: Some(Price::default()),
        }]);
    }
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let request = config.get(key, &path(config.kind, token.as_deref()));
        let response: HttpResponse =
            transport.send(request).await.map_err(ProviderError::from_transport)?;
        if !(200..300).contains(&response.status) {
            return Err(classify(config.kind, &response));
        }
        let (list, next) = page(config.kind, &response.body)?;
        all.extend(list);
        match next {
            Some(t) if Some(&t) != token.as_ref() => token = Some(t),
            _ => break,
        }
    }
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_providers_list_is_read() {
        let openai = r#"{"object":"list","data":[{"id":"gpt-5-nano","object":"model","created":1,"owned_by":"system"}]}"#;
        let (list, next) = page(ProviderKind::OpenAi, openai).unwrap();
        assert_eq!((list[0].id.as_str(), list[0].price, next), ("gpt-5-nano", None, None));

        let router = r#"{"data":[{"id":"openai/gpt-5-nano","name":"OpenAI: GPT-5 Nano",
            "pricing":{"prompt":"0.00000005","completion":"0.0000004"}}]}"#;
        let (list, _) = page(ProviderKind::OpenAiCompatible, router).unwrap();
        let price = list[0].price.unwrap();
        assert_eq!((price.input_per_million, price.output_per_million), (0.05, 0.4));

        let anthropic = r#"{"data":[{"type":"model","id":"claude-sonnet-4-20250514",
            "display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],
            "has_more":true,"first_id":"claude-sonnet-4-20250514","last_id":"claude-sonnet-4-20250514"}"#;
        let (list, next) = page(ProviderKind::Anthropic, anthropic).unwrap();
        assert_eq!(list[0].name.as_deref(), Some("Claude Sonnet 4"));
        assert_eq!(next.as_deref(), Some("claude-sonnet-4-20250514"));

        let gemini = r#"{"models":[
            {"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash",
             "supportedGenerationMethods":["generateContent","countTokens"]},
            {"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}],
            "nextPageToken":"abc"}"#;
        let (list, next) = page(ProviderKind::Gemini, gemini).unwrap();
        assert_eq!(list.len(), 1, "embedding models cannot answer prompts");
        assert_eq!(list[0].id, "gemini-2.5-flash");
        assert_eq!(next.as_deref(), Some("abc"));
        assert!(page(ProviderKind::Gemini, "{}").is_err());
    }
}
