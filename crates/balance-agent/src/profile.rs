//! Model profiles: what each provider and model family accepts, as their documentation and their
//! users' bug reports describe it. Which field carries the token limit, whether a temperature may
//! be sent, how reasoning ("thinking") is controlled and what it costs in tokens, and whether
//! log-probabilities and several answers per call are offered.
//!
//! One setting, [`Reasoning`], is mapped per profile: `off` is the paper's (no reasoning chain:
//! GPT-5 Nano at `minimal`, Gemini 2.5 Flash at a thinking budget of 0, Claude without extended
//! thinking). Where a model cannot turn reasoning off, `off` takes the least it allows and the
//! profile says so.

use serde::{Deserialize, Serialize};

use crate::provider::ProviderKind;

/// How much the model may reason before it answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reasoning {
    /// No reasoning chain (the least the model allows): the paper's setting.
    #[default]
    Off,
    /// A little.
    Low,
    /// Some.
    Medium,
    /// A lot.
    High,
    /// Whatever the provider does when nothing is sent.
    ProviderDefault,
}

impl Reasoning {
    /// Every level, for pickers.
    pub const ALL: [Reasoning; 5] = [
        Reasoning::Off,
        Reasoning::Low,
        Reasoning::Medium,
        Reasoning::High,
        Reasoning::ProviderDefault,
    ];

    /// The name used in settings and run files.
    pub fn id(self) -> &'static str {
        match self {
            Reasoning::Off => "off",
            Reasoning::Low => "low",
            Reasoning::Medium => "medium",
            Reasoning::High => "high",
            Reasoning::ProviderDefault => "provider-default",
        }
    }

    /// The level named `id`.
    pub fn from_id(id: &str) -> Option<Reasoning> {
        Reasoning::ALL.into_iter().find(|r| r.id() == id)
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Reasoning::Off => "off (the paper's: no reasoning chain)",
            Reasoning::Low => "low",
            Reasoning::Medium => "medium",
            Reasoning::High => "high",
            Reasoning::ProviderDefault => "the provider's default",
        }
    }
}

/// The request field that carries the token limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenField {
    /// `max_tokens` (Anthropic; OpenAI-compatible servers).
    MaxTokens,
    /// `max_completion_tokens` (OpenAI: `max_tokens` is deprecated, and refused by reasoning models).
    MaxCompletionTokens,
    /// `generationConfig.maxOutputTokens` (Gemini).
    MaxOutputTokens,
}

impl TokenField {
    /// The field's name as sent.
    pub fn name(self) -> &'static str {
        match self {
            TokenField::MaxTokens => "max_tokens",
            TokenField::MaxCompletionTokens => "max_completion_tokens",
            TokenField::MaxOutputTokens => "generationConfig.maxOutputTokens",
        }
    }
}

/// Which temperatures may be sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Temperature {
    /// Any from 0 to this.
    Range(f64),
    /// Only the default, 1: the field is left out (the model refuses any other value).
    DefaultOnly,
    /// From 0 to 2 when reasoning is off (GPT-5.1 and later at `none`), else only 1.
    WhenReasoningOff,
}

/// How reasoning is controlled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    /// Not at all: nothing is sent (the model does not reason, or takes no setting).
    Nothing,
    /// OpenAI's `reasoning_effort`: the value for off, low, medium and high.
    Effort {
        /// The value `off` sends (the least the model allows).
        off: &'static str,
        /// Whether that value really turns reasoning off.
        off_is_none: bool,
        /// The values for low, medium and high.
        levels: [&'static str; 3],
        /// The level the provider uses when nothing is sent (0 low, 1 medium, 2 high).
        default: usize,
    },
    /// `reasoning_effort` passed through to an OpenAI-compatible server for low, medium and high;
    /// nothing is sent for off or the default.
    PassThrough,
    /// Anthropic's extended thinking (`thinking.budget_tokens`), off unless asked.
    Thinking,
    /// Anthropic's adaptive thinking (`thinking: {type: "adaptive"}` with
    /// `output_config.effort`), the only thinking of Claude Opus 4.7 and later and the Claude 5
    /// family, which refuse `budget_tokens`; how it is turned off differs by model.
    Adaptive {
        /// What `off` sends.
        off: AdaptiveOff,
        /// The effort the model uses when nothing is sent (0 low, 1 medium, 2 high).
        default: usize,
    },
    /// Gemini 2.5's `thinkingConfig.thinkingBudget` in tokens.
    Budget {
        /// The smallest budget that is not 0.
        min: u32,
        /// The largest budget.
        max: u32,
        /// Whether 0 (thinking off) is allowed.
        can_off: bool,
        /// Whether the model thinks (dynamically) when nothing is sent.
        thinks_by_default: bool,
    },
    /// Gemini 3's `thinkingConfig.thinkingLevel`: the values for off, low, medium and high.
    Level {
        /// The value `off` sends (the least the model allows).
        off: &'static str,
        /// The values for low, medium and high.
        levels: [&'static str; 3],
    },
}

/// How a model with adaptive thinking is made not to think.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdaptiveOff {
    /// It thinks only when asked: nothing is sent (Claude Opus 4.7 and 4.8, which refuse both
    /// `enabled` and `disabled`).
    Omit,
    /// It thinks by default; `thinking: {type: "disabled"}` turns it off (Claude Opus 5 and
    /// Sonnet 5, at the default effort or below).
    Disabled,
    /// It thinks by default; `thinking: {type: "between_tools"}`, no thinking before the answer,
    /// is the least (Claude Sonnet 5.5 and later, which refuse `disabled`).
    BetweenTools,
    /// It always thinks: `off` takes the least effort (Claude Opus 5.5 and later, Fable, Mythos).
    Never,
}

/// What a model accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// The model family, for people.
    pub family: &'static str,
    /// The token-limit field.
    pub token_field: TokenField,
    /// Which temperatures may be sent.
    pub temperature: Temperature,
    /// How reasoning is controlled.
    pub control: Control,
    /// Whether the answer's token log-probabilities can be asked for.
    pub logprobs: bool,
    /// Most answers one call can give (`n`, `candidateCount`); 1 when there is no such field.
    pub max_answers_per_call: u32,
}

/// Token budgets of the reasoning levels, where the provider takes a number or counts reasoning
/// tokens against the limit: the limit sent is the answer's tokens plus this allowance, so a
/// small answer limit is not eaten by the reasoning.
const ALLOWANCE: [u32; 3] = [2048, 8192, 24576];
/// Allowance of the least reasoning a model cannot turn off (GPT-5 `minimal`, Gemini 3's least).
const LEAST_ALLOWANCE: u32 = 512;

/// What one request sends for reasoning, and what the limit must leave room for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolved {
    /// `reasoning_effort` to send.
    pub effort: Option<&'static str>,
    /// Anthropic `thinking.budget_tokens` to send (thinking enabled).
    pub thinking_budget: Option<u32>,
    /// Anthropic `thinking.type` to send other than `enabled` (`adaptive`, `disabled`,
    /// `between_tools`).
    pub thinking_type: Option<&'static str>,
    /// Anthropic `output_config.effort` to send.
    pub output_effort: Option<&'static str>,
    /// Gemini `thinkingConfig.thinkingBudget` to send.
    pub gemini_budget: Option<u32>,
    /// Gemini `thinkingConfig.thinkingLevel` to send.
    pub gemini_level: Option<&'static str>,
    /// Tokens the reasoning may take beyond the answer's limit.
    pub allowance: u32,
    /// Whether the temperature is sent.
    pub send_temperature: bool,
    /// Whether log-probabilities may be asked for (GPT-5.1 and later give them only at effort
    /// `none`, as they take a temperature only there).
    pub logprobs: bool,
    /// What the mapping could not do as asked, for people.
    pub note: Option<String>,
}

/// The model's name without a router's `vendor/` prefix or Gemini's `models/`, in lower case.
fn bare(model: &str) -> String {
    let m = model.trim().to_ascii_lowercase();
    let m = m.strip_prefix("models/").unwrap_or(&m).to_owned();
    m.rsplit('/').next().unwrap_or("").to_owned()
}

/// The minor version of a `gpt-5.N` name (0 for `gpt-5`, `gpt-5-mini`, `gpt-5-nano`).
fn gpt5_minor(m: &str) -> Option<u32> {
    let rest = m.strip_prefix("gpt-5")?;
    if rest.is_empty() || rest.starts_with('-') {
        return Some(0);
    }
    let digits: String = rest.strip_prefix('.')?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The OpenAI reasoning family of `m`, if it is one.
fn openai_reasoning(m: &str) -> Option<(&'static str, Control, Temperature)> {
    if m.contains("chat") {
        return None;
    }
    if let Some(minor) = gpt5_minor(m) {
        return Some(if minor == 0 {
            (
                "OpenAI GPT-5 (reasoning; minimal is the least)",
                Control::Effort {
                    off: "minimal",
                    off_is_none: false,
                    levels: ["low", "medium", "high"],
                    default: 1,
                },
                Temperature::DefaultOnly,
            )
        } else {
            (
                "OpenAI GPT-5.1 and later (reasoning; none turns it off)",
                Control::Effort {
                    off: "none",
                    off_is_none: true,
                    levels: ["low", "medium", "high"],
                    default: 0,
                },
                Temperature::WhenReasoningOff,
            )
        });
    }
    let o_series = ["o1", "o3", "o4"]
        .iter()
        .any(|p| m.strip_prefix(p).is_some_and(|r| r.is_empty() || r.starts_with('-')));
    o_series.then_some((
        "OpenAI o-series (reasoning; low is the least)",
        Control::Effort {
            off: "low",
            off_is_none: false,
            levels: ["low", "medium", "high"],
            default: 1,
        },
        Temperature::DefaultOnly,
    ))
}

/// A Claude model's family and version from its name: `claude-opus-4-1-20250805` is
/// `("opus", 4, 1)`, `claude-sonnet-5` `("sonnet", 5, 0)`, `claude-opus-5-5` `("opus", 5, 5)`, the
/// older `claude-3-7-sonnet-latest` `("sonnet", 3, 7)`; a family without a number
/// (`claude-mythos-preview`) is version 0.
fn claude_version(m: &str) -> Option<(&str, u32, u32)> {
    let parts: Vec<&str> = m.strip_prefix("claude-")?.split('-').collect();
    let small = |p: Option<&&str>| {
        p.filter(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    if let Some(major) = small(parts.first()) {
        // The older order: claude-3-7-sonnet, claude-3-5-haiku.
        let minor = small(parts.get(1));
        let family = parts.iter().find(|p| p.chars().all(|c| c.is_ascii_alphabetic()))?;
        return Some((family, major, minor.unwrap_or(0)));
    }
    let family = parts.first()?;
    let major = small(parts.get(1)).unwrap_or(0);
    Some((family, major, small(parts.get(2)).unwrap_or(0)))
}

/// The profile of a Claude model `m` (bare, lower case), from Anthropic's documentation and its
/// users' reports (late 2026): Claude Opus 4.7 and later and the Claude 5 family think only
/// adaptively (`budget_tokens` is refused) and refuse any temperature, `top_p` or `top_k` but the
/// default ("`temperature` is deprecated for this model"); Opus 4.7 and 4.8 think only when asked,
/// Opus 5 and Sonnet 5 by default (off with `disabled`), Sonnet 5.5 and later by default (the least
/// is `between_tools`), Opus 5.5 and later, Fable and Mythos always. Earlier Claude 3.7 and 4
/// models take extended thinking with a budget, and temperatures from 0 to 1.
fn claude(m: &str) -> Profile {
    let version = claude_version(m);
    let adaptive = |family: &'static str, off: AdaptiveOff, default: usize| Profile {
        family,
        token_field: TokenField::MaxTokens,
        temperature: Temperature::DefaultOnly,
        control: Control::Adaptive { off, default },
        logprobs: false,
        max_answers_per_call: 1,
    };
    match version {
        Some(("fable" | "mythos", _, _)) => adaptive(
            "Anthropic Claude Fable / Mythos (adaptive thinking, always on; no temperature)",
            AdaptiveOff::Never,
            2,
        ),
        Some(("opus", 5, minor)) if minor >= 5 => adaptive(
            "Anthropic Claude Opus 5.5 and later (adaptive thinking, always on; no temperature)",
            AdaptiveOff::Never,
            1,
        ),
        Some(("sonnet", 5, minor)) if minor >= 5 => adaptive(
            "Anthropic Claude Sonnet 5.5 and later (adaptive thinking on by default; between_tools \
             is the least; no temperature)",
            AdaptiveOff::BetweenTools,
            2,
        ),
        Some((_, major, _)) if major >= 5 => adaptive(
            "Anthropic Claude 5 (adaptive thinking on by default, off when disabled; no temperature)",
            AdaptiveOff::Disabled,
            2,
        ),
        Some(("opus", 4, minor)) if minor >= 7 => adaptive(
            "Anthropic Claude Opus 4.7 / 4.8 (adaptive thinking only when asked; no temperature)",
            AdaptiveOff::Omit,
            2,
        ),
        _ => {
            let thinks =
                matches!(version, Some((_, 3, 7)) | Some((_, 4, _))) || m.starts_with("claude-4");
            Profile {
                family: if thinks {
                    "Anthropic Claude (extended thinking off unless asked)"
                } else {
                    "Anthropic Claude (no extended thinking)"
                },
                token_field: TokenField::MaxTokens,
                temperature: Temperature::Range(1.0),
                control: if thinks { Control::Thinking } else { Control::Nothing },
                logprobs: false,
                max_answers_per_call: 1,
            }
        }
    }
}

/// The profile of `model` at a provider of `kind`; unknown models get a safe generic profile.
pub fn profile(kind: ProviderKind, model: &str) -> Profile {
    let m = bare(model);
    match kind {
        ProviderKind::OpenAi => match openai_reasoning(&m) {
            Some((family, control, temperature)) => Profile {
                family,
                token_field: TokenField::MaxCompletionTokens,
                temperature,
                control,
                // GPT-5.1 and later give them at effort `none`, where they take a temperature.
                logprobs: temperature == Temperature::WhenReasoningOff,
                max_answers_per_call: 128,
            },
            None => Profile {
                family: "OpenAI chat model (no reasoning)",
                token_field: TokenField::MaxCompletionTokens,
                temperature: Temperature::Range(2.0),
                control: Control::Nothing,
                logprobs: true,
                max_answers_per_call: 128,
            },
        },
        ProviderKind::OpenAiCompatible | ProviderKind::Simulated => {
            match (kind, openai_reasoning(&m)) {
                (ProviderKind::OpenAiCompatible, Some((family, control, temperature))) => Profile {
                    family,
                    token_field: TokenField::MaxTokens,
                    temperature,
                    control,
                    logprobs: false,
                    max_answers_per_call: 1,
                },
                (ProviderKind::Simulated, _) => Profile {
                    family: "the simulated word-task agent",
                    token_field: TokenField::MaxTokens,
                    temperature: Temperature::Range(2.0),
                    control: Control::Nothing,
                    logprobs: true,
                    max_answers_per_call: 128,
                },
                _ => Profile {
                    family: "OpenAI-compatible server (generic)",
                    token_field: TokenField::MaxTokens,
                    temperature: Temperature::Range(2.0),
                    control: Control::PassThrough,
                    logprobs: true,
                    max_answers_per_call: 128,
                },
            }
        }
        ProviderKind::Anthropic => claude(&m),
        ProviderKind::Gemini => {
            let control = if m.starts_with("gemini-3") {
                if m.contains("pro") {
                    Control::Level { off: "low", levels: ["low", "high", "high"] }
                } else {
                    Control::Level { off: "minimal", levels: ["low", "medium", "high"] }
                }
            } else if m.starts_with("gemini-2.5-pro") {
                Control::Budget { min: 128, max: 32768, can_off: false, thinks_by_default: true }
            } else if m.starts_with("gemini-2.5-flash-lite") {
                Control::Budget { min: 512, max: 24576, can_off: true, thinks_by_default: false }
            } else if m.starts_with("gemini-2.5-flash") {
                Control::Budget { min: 1, max: 24576, can_off: true, thinks_by_default: true }
            } else {
                Control::Nothing
            };
            Profile {
                family: match control {
                    Control::Level { .. } => {
                        "Google Gemini 3 (thinking levels; one answer per call: the Gemini API \
                         refuses candidateCount above 1 on it)"
                    }
                    Control::Budget { can_off: false, .. } => {
                        "Google Gemini 2.5 Pro (always thinks; a budget of 128 is the least)"
                    }
                    Control::Budget { .. } => {
                        "Google Gemini 2.5 Flash (thinking budget; 0 turns it off)"
                    }
                    _ => "Google Gemini (no thinking)",
                },
                token_field: TokenField::MaxOutputTokens,
                temperature: Temperature::Range(2.0),
                control,
                logprobs: false,
                max_answers_per_call: if matches!(control, Control::Level { .. }) { 1 } else { 8 },
            }
        }
    }
}

impl Profile {
    /// What `reasoning` sends for this model, or why it cannot be had.
    pub fn resolve(&self, reasoning: Reasoning) -> Result<Resolved, String> {
        let level = match reasoning {
            Reasoning::Low => Some(0),
            Reasoning::Medium => Some(1),
            Reasoning::High => Some(2),
            Reasoning::Off | Reasoning::ProviderDefault => None,
        };
        let send_temperature = match self.temperature {
            Temperature::Range(_) => true,
            Temperature::DefaultOnly => false,
            Temperature::WhenReasoningOff => reasoning == Reasoning::Off,
        };
        let logprobs = self.logprobs
            && (self.temperature != Temperature::WhenReasoningOff || reasoning == Reasoning::Off);
        let mut r = Resolved { send_temperature, logprobs, ..Resolved::default() };
        match self.control {
            Control::Nothing => {
                if level.is_some() {
                    return Err(format!(
                        "{} takes no reasoning setting: choose Reasoning off",
                        self.family
                    ));
                }
            }
            Control::Effort { off, off_is_none, levels, default } => match level {
                Some(k) => {
                    r.effort = Some(levels[k]);
                    r.allowance = ALLOWANCE[k];
                }
                None if reasoning == Reasoning::Off => {
                    r.effort = Some(off);
                    r.allowance = if off_is_none { 0 } else { LEAST_ALLOWANCE };
                    if !off_is_none {
                        r.note = Some(format!(
                            "{}: reasoning cannot be turned off; \"{off}\" is the least",
                            self.family
                        ));
                    }
                }
                None => r.allowance = ALLOWANCE[default],
            },
            Control::PassThrough => {
                if let Some(k) = level {
                    r.effort = Some(["low", "medium", "high"][k]);
                    r.allowance = ALLOWANCE[k];
                }
            }
            Control::Thinking => {
                if let Some(k) = level {
                    // Anthropic's smallest budget is 1,024 tokens.
                    let budget = [1024, 4096, 16384][k];
                    r.thinking_budget = Some(budget);
                    r.allowance = budget;
                    // Extended thinking takes only the default temperature.
                    r.send_temperature = false;
                }
            }
            Control::Adaptive { off, default } => match level {
                Some(k) => {
                    r.thinking_type = Some("adaptive");
                    r.output_effort = Some(["low", "medium", "high"][k]);
                    r.allowance = ALLOWANCE[k];
                }
                None if reasoning == Reasoning::Off => match off {
                    AdaptiveOff::Omit => {}
                    AdaptiveOff::Disabled => r.thinking_type = Some("disabled"),
                    AdaptiveOff::BetweenTools => r.thinking_type = Some("between_tools"),
                    AdaptiveOff::Never => {
                        r.output_effort = Some("low");
                        r.allowance = ALLOWANCE[0];
                        r.note = Some(format!(
                            "{}: thinking cannot be turned off; effort \"low\" is the least",
                            self.family
                        ));
                    }
                },
                None => r.allowance = if off == AdaptiveOff::Omit { 0 } else { ALLOWANCE[default] },
            },
            Control::Budget { min, max, can_off, thinks_by_default } => match level {
                Some(k) => {
                    let budget = ALLOWANCE[k].clamp(min, max);
                    r.gemini_budget = Some(budget);
                    r.allowance = budget;
                }
                None if reasoning == Reasoning::Off => {
                    let budget = if can_off { 0 } else { min };
                    r.gemini_budget = Some(budget);
                    r.allowance = budget;
                    if !can_off {
                        r.note = Some(format!(
                            "{}: thinking cannot be turned off; a budget of {min} is the least",
                            self.family
                        ));
                    }
                }
                None => r.allowance = if thinks_by_default { max } else { 0 },
            },
            Control::Level { off, levels } => match level {
                Some(k) => {
                    r.gemini_level = Some(levels[k]);
                    r.allowance = ALLOWANCE[k];
                }
                None if reasoning == Reasoning::Off => {
                    r.gemini_level = Some(off);
                    r.allowance = LEAST_ALLOWANCE;
                    r.note = Some(format!(
                        "{}: thinking cannot be turned off; \"{off}\" is the least",
                        self.family
                    ));
                }
                None => r.allowance = ALLOWANCE[2],
            },
        }
        Ok(r)
    }

    /// Why `temperature` cannot be sent to this model at `reasoning`, if it cannot.
    pub fn check_temperature(&self, temperature: f64, reasoning: Reasoning) -> Result<(), String> {
        let only_default = || {
            if (temperature - 1.0).abs() < 1e-12 {
                Ok(())
            } else {
                Err(format!(
                    "{} takes only its default temperature here (the API refuses any other, so a \
                     sweep over temperatures cannot run on it): set Temperature to 1, for which \
                     none is sent",
                    self.family
                ))
            }
        };
        let thinking = self.control == Control::Thinking
            && !matches!(reasoning, Reasoning::Off | Reasoning::ProviderDefault);
        match self.temperature {
            _ if thinking => only_default(),
            Temperature::Range(max) if temperature > max => Err(format!(
                "{} takes temperatures from 0 to {max}: lower Temperature",
                self.family
            )),
            Temperature::Range(_) => Ok(()),
            Temperature::DefaultOnly => only_default(),
            Temperature::WhenReasoningOff if reasoning == Reasoning::Off => Ok(()),
            Temperature::WhenReasoningOff => only_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_papers_models_get_the_papers_setting_by_default() {
        let nano = profile(ProviderKind::OpenAi, "gpt-5-nano");
        assert_eq!(nano.token_field, TokenField::MaxCompletionTokens);
        let r = nano.resolve(Reasoning::Off).unwrap();
        assert_eq!(r.effort, Some("minimal"));
        assert!(!r.send_temperature);
        assert!(r.note.unwrap().contains("minimal"));
        assert!(
            nano.check_temperature(0.7, Reasoning::Off).unwrap_err().contains("Temperature to 1")
        );
        assert_eq!(nano.check_temperature(1.0, Reasoning::Off), Ok(()));

        let flash = profile(ProviderKind::Gemini, "gemini-2.5-flash");
        let r = flash.resolve(Reasoning::Off).unwrap();
        assert_eq!((r.gemini_budget, r.allowance, r.note), (Some(0), 0, None));
        assert_eq!(flash.resolve(Reasoning::ProviderDefault).unwrap().gemini_budget, None);

        let claude = profile(ProviderKind::Anthropic, "claude-sonnet-4-20250514");
        let r = claude.resolve(Reasoning::Off).unwrap();
        assert_eq!((r.thinking_budget, r.send_temperature), (None, true));
        assert!(claude.check_temperature(1.5, Reasoning::Off).unwrap_err().contains("0 to 1"));
        let r = claude.resolve(Reasoning::Medium).unwrap();
        assert_eq!((r.thinking_budget, r.send_temperature), (Some(4096), false));
    }

    #[test]
    fn claude_versions_are_read_from_their_names() {
        assert_eq!(claude_version("claude-opus-4-1-20250805"), Some(("opus", 4, 1)));
        assert_eq!(claude_version("claude-sonnet-4-20250514"), Some(("sonnet", 4, 0)));
        assert_eq!(claude_version("claude-sonnet-5"), Some(("sonnet", 5, 0)));
        assert_eq!(claude_version("claude-opus-5-5"), Some(("opus", 5, 5)));
        assert_eq!(claude_version("claude-3-7-sonnet-latest"), Some(("sonnet", 3, 7)));
        assert_eq!(claude_version("claude-haiku-4-5-20251001"), Some(("haiku", 4, 5)));
        assert_eq!(claude_version("claude-mythos-preview"), Some(("mythos", 0, 0)));
        assert_eq!(claude_version("gpt-5"), None);
    }

    #[test]
    fn claude_5_and_opus_4_7_think_adaptively_and_take_no_temperature() {
        let claude = |m: &str| profile(ProviderKind::Anthropic, m);
        // Opus 4.7: no thinking unless asked, and then adaptive with an effort.
        let opus47 = claude("claude-opus-4-7");
        let off = opus47.resolve(Reasoning::Off).unwrap();
        assert_eq!(
            (off.thinking_type, off.output_effort, off.send_temperature),
            (None, None, false)
        );
        let low = opus47.resolve(Reasoning::Low).unwrap();
        assert_eq!((low.thinking_type, low.output_effort), (Some("adaptive"), Some("low")));
        assert_eq!(low.thinking_budget, None, "budget_tokens is refused");
        // Claude 5 thinks by default: off sends disabled; Sonnet 5.5 between_tools; Opus 5.5 has
        // no off, and says so.
        assert_eq!(
            claude("claude-sonnet-5").resolve(Reasoning::Off).unwrap().thinking_type,
            Some("disabled")
        );
        assert_eq!(
            claude("claude-opus-5").resolve(Reasoning::Off).unwrap().thinking_type,
            Some("disabled")
        );
        assert_eq!(
            claude("claude-sonnet-5-5").resolve(Reasoning::Off).unwrap().thinking_type,
            Some("between_tools")
        );
        let never = claude("claude-opus-5-5").resolve(Reasoning::Off).unwrap();
        assert_eq!((never.thinking_type, never.output_effort), (None, Some("low")));
        assert!(never.note.unwrap().contains("cannot be turned off"));
        assert!(never.allowance > 0, "its thinking shares max_tokens");
        // No temperature on any of them; a sweep is refused before the first call.
        for m in ["claude-opus-4-7", "claude-sonnet-5", "claude-opus-5-5", "claude-fable-5-1"] {
            let p = claude(m);
            assert!(!p.resolve(Reasoning::Off).unwrap().send_temperature, "{m}");
            assert!(p.check_temperature(0.5, Reasoning::Off).is_err(), "{m}");
            assert_eq!(p.check_temperature(1.0, Reasoning::Off), Ok(()), "{m}");
        }
        // Earlier models keep their temperature and budgets.
        let haiku45 = claude("claude-haiku-4-5-20251001");
        assert_eq!(haiku45.control, Control::Thinking);
        assert_eq!(haiku45.check_temperature(0.5, Reasoning::Off), Ok(()));
    }

    #[test]
    fn families_are_told_apart_by_name() {
        let openai = |m: &str| profile(ProviderKind::OpenAi, m);
        assert_eq!(openai("gpt-4o-mini").control, Control::Nothing);
        assert!(openai("gpt-4o-mini").logprobs);
        assert_eq!(openai("gpt-5-chat-latest").control, Control::Nothing);
        let five_one = openai("gpt-5.1");
        assert_eq!(five_one.resolve(Reasoning::Off).unwrap().effort, Some("none"));
        assert_eq!(five_one.check_temperature(0.3, Reasoning::Off), Ok(()));
        assert!(five_one.check_temperature(0.3, Reasoning::High).is_err());
        assert_eq!(openai("o3-mini").resolve(Reasoning::Off).unwrap().effort, Some("low"));
        assert_eq!(openai("o4-mini").resolve(Reasoning::High).unwrap().allowance, 24576);
        // A router's name for the same model.
        let routed = profile(ProviderKind::OpenAiCompatible, "openai/gpt-5-nano");
        assert_eq!(routed.token_field, TokenField::MaxTokens);
        assert_eq!(routed.resolve(Reasoning::Off).unwrap().effort, Some("minimal"));
        // Unknown models: nothing beyond the basics unless a level is asked for.
        let generic = profile(ProviderKind::OpenAiCompatible, "llama3.2");
        assert_eq!(
            generic.resolve(Reasoning::Off).unwrap(),
            Resolved { send_temperature: true, logprobs: true, ..Resolved::default() }
        );
        assert_eq!(generic.resolve(Reasoning::High).unwrap().effort, Some("high"));
        let pro = profile(ProviderKind::Gemini, "models/gemini-2.5-pro");
        assert_eq!(pro.resolve(Reasoning::Off).unwrap().gemini_budget, Some(128));
        let three = profile(ProviderKind::Gemini, "gemini-3-flash-preview");
        assert_eq!(three.resolve(Reasoning::Off).unwrap().gemini_level, Some("minimal"));
        let old = profile(ProviderKind::Gemini, "gemini-2.0-flash");
        assert!(old.resolve(Reasoning::Low).unwrap_err().contains("Reasoning off"));
        assert_eq!(three.max_answers_per_call, 1, "Gemini 3 refuses candidateCount above 1");
        // GPT-5.1 and later: log-probabilities only at effort none.
        assert!(five_one.logprobs && five_one.resolve(Reasoning::Off).unwrap().logprobs);
        assert!(!five_one.resolve(Reasoning::Low).unwrap().logprobs);
        let haiku = profile(ProviderKind::Anthropic, "claude-3-5-haiku-latest");
        assert_eq!(haiku.control, Control::Nothing);
    }
}
