//! An experiment's whole description, as saved with its attempts, written into its file and read
//! from `balance run`'s TOML: the provider (never the key), the task, the plan and the retries.

use serde::{Deserialize, Serialize};

use crate::profile::Reasoning;
use crate::provider::{ProviderConfig, ProviderKind};
use crate::retry::RetryPolicy;
use crate::schedule::{Plan, Price, Protocol};
use crate::task::Task;

/// What an experiment does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// A name for people.
    pub name: String,
    /// The provider and model (no key: keys are never part of an experiment).
    pub provider: ProviderConfig,
    /// The prompt, parser and validator.
    pub task: Task,
    /// Seeds, protocol, attempts, concurrency, prices and budget.
    pub plan: Plan,
    /// When to retry a failed call.
    #[serde(default)]
    pub retry: RetryPolicy,
}

/// One arm of a run made for comparing: its name and what it changes in the experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    /// Its name, added to the experiment's.
    pub name: String,
    /// The sampling temperature.
    #[serde(default)]
    pub temperature: Option<f64>,
    /// The model.
    #[serde(default)]
    pub model: Option<String>,
    /// The prompt template (with `{state}`).
    #[serde(default)]
    pub template: Option<String>,
}

/// Most arms in one run (a comparison takes at most this many datasets).
pub const MAX_ARMS: usize = balance_core::compare::MAX_DATASETS;

impl Spec {
    /// The paper's word task against the built-in simulated LLM: 2,000 attempts from BUZZY,
    /// 8 at a time, no key and no network.
    pub fn simulated_word_task() -> Spec {
        Spec {
            name: "Word task, simulated agent".to_owned(),
            provider: ProviderConfig {
                kind: ProviderKind::Simulated,
                base_url: String::new(),
                model: "simulated-word-task".to_owned(),
                temperature: 1.0,
                max_tokens: 16,
                reasoning: Reasoning::Off,
                answers_per_call: 1,
                logprobs: false,
                system_prompt: None,
                latency_ms: 20.0,
                timeout_s: 60.0,
                pin_route: true,
            },
            task: Task::word_sum_100(),
            plan: Plan {
                seeds: vec!["BUZZY".to_owned()],
                protocol: Protocol::Uniform,
                attempts: 2000,
                concurrency: 8,
                seed: 1,
                price: Price::default(),
                budget: None,
            },
            retry: RetryPolicy::default(),
        }
    }

    /// The paper's word task against one of its three models (GPT-5 Nano, Claude 4, Gemini 2.5
    /// Flash), as it ran them: no reasoning chain, temperature 1, 20,000 attempts of restart
    /// sampling from BUZZY. It runs unchanged once a key is set.
    pub fn paper(model: PaperModel) -> Spec {
        let (name, kind, id, price) = match model {
            PaperModel::Gpt5Nano => {
                ("Paper: GPT-5 Nano", ProviderKind::OpenAi, "gpt-5-nano", (0.05, 0.40))
            }
            PaperModel::Claude4 => (
                "Paper: Claude 4",
                ProviderKind::Anthropic,
                "claude-sonnet-4-20250514",
                (3.0, 15.0),
            ),
            PaperModel::Gemini25Flash => (
                "Paper: Gemini 2.5 Flash, thinking off",
                ProviderKind::Gemini,
                "gemini-2.5-flash",
                (0.30, 2.50),
            ),
        };
        let simulated = Spec::simulated_word_task();
        Spec {
            name: format!("{name}, word task"),
            provider: ProviderConfig {
                kind,
                base_url: kind.default_base_url().to_owned(),
                model: id.to_owned(),
                max_tokens: 32,
                latency_ms: 0.0,
                ..simulated.provider
            },
            plan: Plan {
                attempts: 20_000,
                price: Price { input_per_million: price.0, output_per_million: price.1 },
                ..simulated.plan
            },
            ..simulated
        }
    }

    /// One experiment per arm, named "name (arm)", each with the arm's changes and its own seed
    /// (`seed + k`, so that the arms sample independently); every one checked.
    pub fn arms(&self, arms: &[Arm]) -> Result<Vec<Spec>, String> {
        if !(2..=MAX_ARMS).contains(&arms.len()) {
            return Err(format!(
                "a comparison run has 2 to {MAX_ARMS} arms ({} given)",
                arms.len()
            ));
        }
        let mut specs: Vec<Spec> = Vec::new();
        for (k, arm) in arms.iter().enumerate() {
            let name = arm.name.trim();
            let named = format!("{} ({name})", self.name);
            if name.is_empty() || specs.iter().any(|s| s.name == named) {
                return Err(format!(
                    "every arm needs a name of its own ({:?} is empty or repeated)",
                    arm.name
                ));
            }
            let mut s = self.clone();
            s.name = named;
            s.plan.seed = self.plan.seed.wrapping_add(k as u64);
            if let Some(t) = arm.temperature {
                s.provider.temperature = t;
            }
            if let Some(m) = &arm.model {
                s.provider.model = m.clone();
            }
            if let Some(t) = &arm.template {
                s.task.template = t.clone();
            }
            s.check().map_err(|e| format!("arm {name}: {e}"))?;
            specs.push(s);
        }
        Ok(specs)
    }

    /// Checks the experiment can run, saying what to change when it cannot.
    pub fn check(&self) -> Result<(), String> {
        self.task.check()?;
        crate::schedule::Scheduler::new(self.plan.clone())?;
        let p = &self.provider;
        if p.kind.is_remote() && p.model.trim().is_empty() {
            return Err("the provider needs a model name".to_owned());
        }
        if p.kind == ProviderKind::Simulated {
            crate::simulated::Simulator::for_task(&self.task)?;
        }
        if !(p.temperature.is_finite() && (0.0..=2.0).contains(&p.temperature)) {
            return Err("the temperature must be between 0 and 2".to_owned());
        }
        if p.max_tokens == 0 {
            return Err("the answer needs at least one token (max tokens)".to_owned());
        }
        let profile = p.profile();
        let resolved = profile.resolve(p.reasoning)?;
        profile.check_temperature(p.temperature, p.reasoning)?;
        let most = profile.max_answers_per_call;
        if p.answers_per_call == 0 || p.answers_per_call > most {
            return Err(if most == 1 {
                format!("{} gives one answer per call: set Answers per call to 1", profile.family)
            } else {
                format!("Answers per call must be from 1 to {most} for {}", profile.family)
            });
        }
        if p.answers_per_call > 1 && self.plan.protocol == crate::schedule::Protocol::Walk {
            return Err("a walk takes one answer at a time: set Answers per call to 1".to_owned());
        }
        if p.logprobs && !profile.logprobs {
            return Err(format!(
                "{} returns no log-probabilities: turn Log-probabilities off",
                profile.family
            ));
        }
        if p.logprobs && !resolved.logprobs {
            return Err(format!(
                "{} returns log-probabilities only with reasoning off: turn Log-probabilities \
                 off, or Reasoning off",
                profile.family
            ));
        }
        if !(p.timeout_s.is_finite() && p.timeout_s > 0.0) {
            return Err("the timeout must be a positive number of seconds".to_owned());
        }
        if !(p.latency_ms.is_finite() && p.latency_ms >= 0.0) {
            return Err("the simulated latency must be zero or more milliseconds".to_owned());
        }
        let base = p.base_url.trim();
        if p.kind.is_remote()
            && !base.is_empty()
            && !(base.starts_with("https://") || base.starts_with("http://"))
        {
            return Err(format!("the base URL must start with https:// or http://, not {base:?}"));
        }
        Ok(())
    }

    /// The most the run can cost, in dollars: every call's prompt (counted as a token per four
    /// characters of the seed's prompt, rounded up) and, for every attempt, the whole token limit
    /// (the answer's and the reasoning's allowance).
    pub fn cost_ceiling(&self) -> f64 {
        let seed = self.plan.seeds.first().map_or("", String::as_str);
        let system = self.provider.system_prompt.as_deref().unwrap_or("").len();
        let prompt_tokens = (self.task.prompt(seed).len() + system).div_ceil(4) as f64;
        let calls = self.plan.attempts.div_ceil(self.provider.answers() as usize) as f64;
        let price = &self.plan.price;
        (calls * prompt_tokens * price.input_per_million
            + self.plan.attempts as f64
                * f64::from(self.provider.token_limit())
                * price.output_per_million)
            / 1e6
    }

    /// Why the run paused when `cut` of the last `of` answers were cut off by the token limit,
    /// `rambling` of them after several words (`example`, the latest of those), and what would
    /// help. A model that rambles is not helped by a higher limit: it needs to be asked for one
    /// state, a pattern that reads the state from the start of its answer, or another model.
    pub fn cut_off_message(
        &self,
        cut: usize,
        rambling: usize,
        of: usize,
        example: Option<&str>,
    ) -> String {
        let head = format!("{cut} of the last {of} answers were cut off by the token limit");
        if 2 * rambling <= cut {
            return format!("{head}: {}", self.cut_off_advice());
        }
        let example = example.map_or(String::new(), |e| {
            let short: String = e.chars().take(60).collect();
            let more = if e.chars().count() > 60 { "…" } else { "" };
            format!(" (such as {:?})", format!("{short}{more}"))
        });
        let mut help = vec![format!(
            "ask for the state alone in a system prompt (now {})",
            match self.provider.system_prompt.as_deref().map(str::trim) {
                Some(p) if !p.is_empty() => format!("{p:?}"),
                _ => "none; try \"Answer with one word only.\"".to_owned(),
            }
        )];
        if self.task.extract.is_none() {
            help.push(format!(
                "read the state from the start of each answer with an extraction pattern (such \
                 as \"{FIRST_WORD}\": an answer cut off after it is then read)"
            ));
        }
        help.push("try another model".to_owned());
        format!(
            "{head}, {rambling} of them after several words{example}: the model rambles, and a \
             higher limit would only let it ramble longer. To go on, {}",
            join_or(&help)
        )
    }

    /// Why the run paused when `empty` of the last `of` answers were empty, and what to check.
    pub fn empty_message(&self, empty: usize, of: usize) -> String {
        let mut text = format!(
            "{empty} of the last {of} answers were empty: {} answers nothing to this prompt. \
             Check the model's name and that the server applies its chat template",
            self.provider.model
        );
        if !matches!(self.provider.reasoning, Reasoning::Off) {
            text.push_str(
                ", or lower Reasoning (a reasoning model may spend its answer on thinking)",
            );
        }
        text.push_str("; then run again to go on");
        text
    }

    /// What to change when most answers are cut off by the token limit.
    pub fn cut_off_advice(&self) -> String {
        let p = &self.provider;
        let limit = p.token_limit();
        let mut text = format!("raise Max tokens (now {}", p.max_tokens);
        if limit != p.max_tokens {
            text.push_str(&format!("; {limit} are sent, with room for the reasoning"));
        }
        text.push(')');
        if !matches!(p.reasoning, Reasoning::Off) {
            text.push_str(", or lower Reasoning");
        }
        text
    }
}

/// An extraction pattern that reads the first word of an answer, for models that go on after
/// it: the word when something follows it.
pub const FIRST_WORD: &str = r"^\W*([A-Za-z]+)\b";

/// "a, b or c".
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The paper's three models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperModel {
    /// OpenAI's GPT-5 Nano at minimal reasoning.
    Gpt5Nano,
    /// Anthropic's Claude Sonnet 4 without extended thinking.
    Claude4,
    /// Google's Gemini 2.5 Flash with a thinking budget of 0.
    Gemini25Flash,
}

impl PaperModel {
    /// The three, for pickers.
    pub const ALL: [PaperModel; 3] =
        [PaperModel::Gpt5Nano, PaperModel::Claude4, PaperModel::Gemini25Flash];

    /// The name used in links and file names.
    pub fn id(self) -> &'static str {
        match self {
            PaperModel::Gpt5Nano => "gpt-5-nano",
            PaperModel::Claude4 => "claude-4",
            PaperModel::Gemini25Flash => "gemini-2.5-flash",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_runs_and_a_bad_value_is_named() {
        let spec = Spec::simulated_word_task();
        assert_eq!(spec.check(), Ok(()));
        let mut bad = spec.clone();
        bad.provider.temperature = f64::NAN;
        assert!(bad.check().unwrap_err().contains("temperature"));
        let mut bad = spec.clone();
        bad.provider.kind = ProviderKind::OpenAi;
        bad.provider.base_url = "api.openai.com".into();
        assert!(bad.check().unwrap_err().contains("https://"));
        let mut bad = spec;
        bad.plan.seeds.clear();
        assert!(bad.check().unwrap_err().contains("seed"));
    }

    #[test]
    fn the_cost_ceiling_counts_prompt_and_answer_tokens() {
        let mut spec = Spec::simulated_word_task();
        spec.plan.attempts = 1000;
        spec.plan.price = Price { input_per_million: 1.0, output_per_million: 10.0 };
        let prompt = spec.task.prompt("BUZZY").len().div_ceil(4) as f64;
        let expected = 1000.0 * (prompt + 16.0 * 10.0) / 1e6;
        assert!((spec.cost_ceiling() - expected).abs() < 1e-12);
        assert!(spec.cost_ceiling() > 0.1 && spec.cost_ceiling() < 0.3, "{}", spec.cost_ceiling());
        // Several answers per call pay the prompt once per call.
        spec.provider.answers_per_call = 4;
        let expected = (250.0 * prompt + 1000.0 * 16.0 * 10.0) / 1e6;
        assert!((spec.cost_ceiling() - expected).abs() < 1e-12);
    }

    #[test]
    fn the_papers_presets_check_and_count_the_reasoning_allowance() {
        for model in PaperModel::ALL {
            let spec = Spec::paper(model);
            assert_eq!(spec.check(), Ok(()), "{model:?}");
            assert_eq!(spec.plan.attempts, 20_000);
            assert_eq!(spec.provider.reasoning, Reasoning::Off);
        }
        let nano = Spec::paper(PaperModel::Gpt5Nano);
        assert_eq!(nano.provider.token_limit(), 32 + 512, "minimal reasoning gets room");
        assert!(nano.cut_off_advice().contains("now 32; 544 are sent"));
        assert_eq!(Spec::paper(PaperModel::Gemini25Flash).provider.token_limit(), 32);
        let mut hot = nano.clone();
        hot.provider.temperature = 0.7;
        assert!(hot.check().unwrap_err().contains("Temperature to 1"));
        let mut many = Spec::paper(PaperModel::Claude4);
        many.provider.answers_per_call = 3;
        assert!(many.check().unwrap_err().contains("one answer per call"));
        let mut lp = nano;
        lp.provider.logprobs = true;
        assert!(lp.check().unwrap_err().contains("Log-probabilities off"));
    }
}
