//! The models the mock serves, and how each behaves, written from the providers' documentation
//! and their users' bug reports (late 2026), independently of the client's own model profiles so
//! that the tests check one against the other:
//!
//! - OpenAI reasoning models (GPT-5, GPT-5 mini/nano, GPT-5.1+, o-series) refuse `max_tokens`
//!   and any temperature but 1 (GPT-5.1+ take one at `reasoning_effort: none`), take their own
//!   `reasoning_effort` values, return no log-probabilities, and spend reasoning tokens inside
//!   `max_completion_tokens`. Chat models (GPT-4o, GPT-4.1) refuse `reasoning_effort`.
//! - Gemini 2.5 Flash thinks by default and `thinkingBudget: 0` turns it off; 2.5 Pro cannot
//!   turn it off; Gemini 3 takes `thinkingLevel`; older models take no thinking setting.
//!   Thought tokens count against `maxOutputTokens`.
//! - Claude takes extended thinking only when asked, on Claude 3.7 and 4 models up to 4.6. Claude
//!   Opus 4.7 and 4.8 and the Claude 5 family think only adaptively (`thinking: {type:
//!   "adaptive"}` with `output_config.effort`), refuse `budget_tokens` and any temperature, `top_p`
//!   or `top_k` but the default ("`temperature` is deprecated for this model."); Opus 4.7 and 4.8
//!   think only when asked and refuse `disabled`; Opus 5 and Sonnet 5 think by default and take
//!   `disabled` (at effort high or below); Sonnet 5.5 takes `between_tools` instead of
//!   `disabled`; Opus 5.5 and later, Fable and Mythos always think.
//! - Gemini 3 refuses `candidateCount` above 1 ("Multiple candidates is not enabled for this
//!   model").

use crate::wire::Api;

/// How a model reasons, and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behaviour {
    /// An OpenAI reasoning model: its `reasoning_effort` values and the default; whether a
    /// temperature is taken at effort `none`.
    OpenAiReasoning {
        /// The values it takes.
        efforts: &'static [&'static str],
        /// The value used when none is sent.
        default: &'static str,
        /// Whether effort `none` allows any temperature.
        temperature_at_none: bool,
    },
    /// An OpenAI chat model without reasoning.
    OpenAiChat,
    /// Any other model on the OpenAI-compatible endpoint (as Ollama, vLLM, llama.cpp serve
    /// them): the basic fields, `max_tokens` or `max_completion_tokens`, `n`, `logprobs`, and
    /// `reasoning_effort` passed through. Thinking models (names with `qwen3`, `r1` or `think`,
    /// as Ollama serves them) think unless `reasoning_effort` says otherwise, inside the limit.
    Compatible {
        /// Whether it thinks when nothing is sent.
        thinks: bool,
    },
    /// A Claude model with a thinking budget; `thinking` when it offers extended thinking.
    Claude {
        /// Whether extended thinking can be asked for.
        thinking: bool,
    },
    /// A Claude model that thinks only adaptively and takes no sampling parameters.
    ClaudeAdaptive {
        /// Whether it thinks when no `thinking` is sent.
        by_default: bool,
        /// The `thinking.type` values it takes besides `adaptive`.
        also: &'static [&'static str],
        /// The effort it uses when none is sent.
        default_effort: &'static str,
    },
    /// Gemini 2.5: a thinking budget.
    GeminiBudget {
        /// Smallest budget above 0.
        min: u32,
        /// Largest budget.
        max: u32,
        /// Whether a budget of 0 is taken.
        can_off: bool,
        /// Whether it thinks when no budget is sent.
        thinks_by_default: bool,
    },
    /// Gemini 3: thinking levels.
    GeminiLevels(&'static [&'static str]),
    /// A Gemini model without thinking.
    GeminiPlain,
}

/// The models listed at each API, and whether each answers prompts.
pub const OPENAI_MODELS: [&str; 9] = [
    "gpt-5-nano",
    "gpt-5-mini",
    "gpt-5",
    "gpt-5.1",
    "gpt-5.2",
    "gpt-4o-mini",
    "gpt-4.1",
    "o4-mini",
    "mock",
];
/// Claude models listed.
pub const ANTHROPIC_MODELS: [(&str, &str); 9] = [
    ("claude-sonnet-5-5", "Claude Sonnet 5.5"),
    ("claude-opus-5-5", "Claude Opus 5.5"),
    ("claude-sonnet-5", "Claude Sonnet 5"),
    ("claude-opus-5", "Claude Opus 5"),
    ("claude-opus-4-7", "Claude Opus 4.7"),
    ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
    ("claude-sonnet-4-20250514", "Claude Sonnet 4"),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1"),
    ("claude-3-5-haiku-20241022", "Claude Haiku 3.5"),
];
/// Gemini models listed, with whether they answer `generateContent`.
pub const GEMINI_MODELS: [(&str, bool); 7] = [
    ("gemini-3-flash-preview", true),
    ("gemini-2.5-flash", true),
    ("gemini-2.5-flash-lite", true),
    ("gemini-2.5-pro", true),
    ("gemini-3-pro-preview", true),
    ("gemini-2.0-flash", true),
    ("text-embedding-004", false),
];
/// Models and prices (dollars per token, as strings) at the OpenRouter-style endpoint.
pub const ROUTER_MODELS: [(&str, &str, &str); 3] = [
    ("openai/gpt-5-nano", "0.00000005", "0.0000004"),
    ("anthropic/claude-sonnet-4", "0.000003", "0.000015"),
    ("google/gemini-2.5-flash", "0.0000003", "0.0000025"),
];

/// The cost in dollars of a call to `model` at the OpenRouter-style endpoint with these tokens,
/// from its listed prices (0 for a model it does not list).
pub fn router_cost(model: &str, prompt_tokens: u64, completion_tokens: u64) -> f64 {
    let price = |p: &str| p.parse::<f64>().unwrap_or(0.0);
    ROUTER_MODELS
        .iter()
        .find(|m| m.0 == model)
        .map_or(0.0, |m| prompt_tokens as f64 * price(m.1) + completion_tokens as f64 * price(m.2))
}

/// How `model` behaves at `api`.
pub fn behaviour(api: Api, model: &str) -> Behaviour {
    let m = model.to_ascii_lowercase();
    let m = m.rsplit('/').next().unwrap_or("").to_owned();
    match api {
        Api::OpenAi => {
            if m.contains("chat") {
                Behaviour::OpenAiChat
            } else if m == "gpt-5" || m.starts_with("gpt-5-") {
                Behaviour::OpenAiReasoning {
                    efforts: &["minimal", "low", "medium", "high"],
                    default: "medium",
                    temperature_at_none: false,
                }
            } else if m == "gpt-5.1" || m.starts_with("gpt-5.1-") {
                Behaviour::OpenAiReasoning {
                    efforts: &["none", "low", "medium", "high"],
                    default: "none",
                    temperature_at_none: true,
                }
            } else if m.starts_with("gpt-5.") {
                // From GPT-5.2: xhigh too.
                Behaviour::OpenAiReasoning {
                    efforts: &["none", "low", "medium", "high", "xhigh"],
                    default: "none",
                    temperature_at_none: true,
                }
            } else if ["o1", "o3", "o4"].iter().any(|p| m == *p || m.starts_with(&format!("{p}-")))
            {
                Behaviour::OpenAiReasoning {
                    efforts: &["low", "medium", "high"],
                    default: "medium",
                    temperature_at_none: false,
                }
            } else if m.starts_with("gpt-4") || m.starts_with("gpt-3.5") {
                Behaviour::OpenAiChat
            } else {
                let thinks = ["qwen3", "r1", "think"].iter().any(|t| m.contains(t));
                Behaviour::Compatible { thinks }
            }
        }
        Api::Anthropic => claude(&m),
        Api::Gemini => {
            if m.starts_with("gemini-3") {
                Behaviour::GeminiLevels(if m.contains("pro") {
                    &["low", "high"]
                } else {
                    &["minimal", "low", "medium", "high"]
                })
            } else if m.starts_with("gemini-2.5-pro") {
                Behaviour::GeminiBudget {
                    min: 128,
                    max: 32768,
                    can_off: false,
                    thinks_by_default: true,
                }
            } else if m.starts_with("gemini-2.5-flash-lite") {
                Behaviour::GeminiBudget {
                    min: 512,
                    max: 24576,
                    can_off: true,
                    thinks_by_default: false,
                }
            } else if m.starts_with("gemini-2.5-flash") {
                Behaviour::GeminiBudget {
                    min: 1,
                    max: 24576,
                    can_off: true,
                    thinks_by_default: true,
                }
            } else {
                Behaviour::GeminiPlain
            }
        }
    }
}

/// How the Claude model `m` behaves, by its name's family and version.
fn claude(m: &str) -> Behaviour {
    let version = |family: &str| -> Option<(u32, u32)> {
        let rest = m.strip_prefix(&format!("claude-{family}-"))?;
        let mut numbers = rest.split('-').map(|p| p.parse::<u32>().ok().filter(|n| *n < 100));
        let major = numbers.next().flatten()?;
        Some((major, numbers.next().flatten().unwrap_or(0)))
    };
    let adaptive = |by_default, also, default_effort| Behaviour::ClaudeAdaptive {
        by_default,
        also,
        default_effort,
    };
    if m.starts_with("claude-fable") || m.starts_with("claude-mythos") {
        return adaptive(true, &[], "high");
    }
    match (version("opus"), version("sonnet"), version("haiku")) {
        (Some((5, minor)), _, _) if minor >= 5 => adaptive(true, &[], "medium"),
        (_, Some((5, minor)), _) if minor >= 5 => adaptive(true, &["between_tools"], "high"),
        (Some((major, _)), _, _) | (_, Some((major, _)), _) | (_, _, Some((major, _)))
            if major >= 5 =>
        {
            adaptive(true, &["disabled"], "high")
        }
        (Some((4, minor)), _, _) if minor >= 7 => adaptive(false, &[], "high"),
        _ => Behaviour::Claude {
            thinking: m.starts_with("claude-3-7")
                || m.starts_with("claude-sonnet-4")
                || m.starts_with("claude-opus-4")
                || m.starts_with("claude-haiku-4"),
        },
    }
}

/// The reasoning tokens an answer takes at `effort` (the mock's draw `u` in `[0, 1)`): none at
/// `none`/`minimal`, a few hundred at `low`, more at `medium`, thousands at `high`.
pub fn reasoning_tokens(effort: &str, u: f64) -> u64 {
    let (lo, hi) = match effort {
        "none" | "minimal" | "off" => return 0,
        "low" => (64.0, 320.0),
        "medium" | "dynamic" => (256.0, 1200.0),
        _ => (1024.0, 4096.0),
    };
    (lo + (hi - lo) * u).round() as u64
}
