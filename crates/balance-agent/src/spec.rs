//! An experiment's whole description, as saved with its attempts, written into its file and read
//! from `balance run`'s TOML: the provider (never the key), the task, the plan and the retries.

use serde::{Deserialize, Serialize};

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
                system_prompt: None,
                latency_ms: 20.0,
                timeout_s: 60.0,
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

    /// Checks the experiment can run, saying what to change when it cannot.
    pub fn check(&self) -> Result<(), String> {
        self.task.check()?;
        crate::schedule::Scheduler::new(self.plan.clone())?;
        let p = &self.provider;
        if p.kind.is_remote() && p.model.trim().is_empty() {
            return Err("the provider needs a model name".to_owned());
        }
        if !(p.temperature.is_finite() && (0.0..=2.0).contains(&p.temperature)) {
            return Err("the temperature must be between 0 and 2".to_owned());
        }
        if p.max_tokens == 0 {
            return Err("the answer needs at least one token (max tokens)".to_owned());
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

    /// The most the run can cost, in dollars: every attempt's prompt (counted as a token per
    /// four characters of the seed's prompt, rounded up) and `max_tokens` of answer.
    pub fn cost_ceiling(&self) -> f64 {
        let seed = self.plan.seeds.first().map_or("", String::as_str);
        let system = self.provider.system_prompt.as_deref().unwrap_or("").len();
        let prompt_tokens = (self.task.prompt(seed).len() + system).div_ceil(4) as f64;
        let per_attempt = (prompt_tokens * self.plan.price.input_per_million
            + self.provider.max_tokens as f64 * self.plan.price.output_per_million)
            / 1e6;
        per_attempt * self.plan.attempts as f64
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
    }
}
