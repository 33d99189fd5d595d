//! `balance run`: an experiment from a TOML file, natively, resumable, writing the experiment file
//! the app imports.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use balance_agent::Spec;
use balance_agent::call::Sleep;
use balance_agent::errors::advice;
use balance_agent::http::Transport;
use balance_agent::provider::{ApiKey, ProviderConfig, ProviderKind};
use balance_agent::retry::RetryPolicy;
use balance_agent::runner::{Experiment, run};
use balance_agent::schedule::{Plan, Scheduler, Stop};
use balance_agent::simulated::SimulatedTransport;
use balance_agent::task::Task;
use balance_core::experiment::{Attempt, ExperimentFile, FORMAT, VERSION};
use serde::Deserialize;

use crate::transport::{Reqwest, TokioClock};

/// The TOML file: the experiment's [`Spec`], with the task given as a preset plus changes, and
/// the name of the environment variable holding the key (never the key itself).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    name: String,
    /// The environment variable with the API key (the provider's usual one when absent).
    key_env: Option<String>,
    provider: ProviderConfig,
    task: toml::Table,
    plan: Plan,
    #[serde(default)]
    retry: RetryPolicy,
}

/// The experiment a TOML text describes, and the key's environment variable.
pub fn read_spec(text: &str) -> Result<(Spec, Option<String>), String> {
    let file: RunFile = toml::from_str(text).map_err(|e| format!("the run file: {e}"))?;
    let mut task = file.task;
    let preset = match task.remove("preset") {
        None => Task::blank(),
        Some(toml::Value::String(p)) if p == "word-sum-100" => Task::word_sum_100(),
        Some(toml::Value::String(p)) if p == "blank" => Task::blank(),
        Some(other) => {
            return Err(format!(
                "the run file: task.preset is {other}, not \"word-sum-100\" or \"blank\""
            ));
        }
    };
    let mut merged = serde_json::to_value(&preset).map_err(|e| e.to_string())?;
    for (k, v) in task {
        merged[k] = serde_json::to_value(v).map_err(|e| e.to_string())?;
    }
    let task: Task =
        serde_json::from_value(merged).map_err(|e| format!("the run file's [task]: {e}"))?;
    let spec =
        Spec { name: file.name, provider: file.provider, task, plan: file.plan, retry: file.retry };
    spec.check().map_err(|e| format!("the run file: {e}"))?;
    Ok((spec, file.key_env))
}

/// The usual environment variable of a provider's key.
fn usual_key_env(kind: ProviderKind) -> Option<&'static str> {
    match kind {
        ProviderKind::OpenAi => Some("OPENAI_API_KEY"),
        ProviderKind::Anthropic => Some("ANTHROPIC_API_KEY"),
        ProviderKind::Gemini => Some("GEMINI_API_KEY"),
        ProviderKind::OpenAiCompatible => Some("OPENAI_COMPATIBLE_API_KEY"),
        ProviderKind::Simulated => None,
    }
}

/// Whether `saved` (an output file's settings) is the experiment of `spec`: the same settings,
/// or the same but for a token limit raised after answers were cut off.
fn same_experiment(saved: &serde_json::Value, spec: &Spec) -> Result<bool, String> {
    let mut saved: Spec = match serde_json::from_value(saved.clone()) {
        Ok(s) => s,
        Err(_) => return Ok(false),
    };
    saved.provider.max_tokens = spec.provider.max_tokens;
    Ok(serde_json::to_value(&saved).map_err(|e| e.to_string())?
        == serde_json::to_value(spec).map_err(|e| e.to_string())?)
}

/// The attempts already in `out` (with their indices) when it is this experiment's file.
fn saved_attempts(out: &Path, spec: &Spec) -> Result<Vec<(usize, Attempt)>, String> {
    let text = match std::fs::read_to_string(out) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", out.display())),
    };
    let file: ExperimentFile = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not an experiment file: {e}", out.display()))?;
    if !same_experiment(&file.settings, spec)? {
        return Err(format!(
            "{} holds another experiment (its settings differ from the run file's, beyond \
             max_tokens): choose another --out, or delete it to start again",
            out.display()
        ));
    }
    file.attempts
        .into_iter()
        .map(|a| match a.index {
            Some(i) => Ok((i as usize, a)),
            None => Err(format!("{} has an attempt without an index", out.display())),
        })
        .collect()
}

/// Writes the experiment file whole, through a temporary file, so a crash leaves the old one.
fn write(out: &Path, spec: &Spec, attempts: &[Attempt]) -> Result<(), String> {
    let mut attempts = attempts.to_vec();
    attempts.sort_by_key(|a| a.index);
    let file = ExperimentFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        name: spec.name.clone(),
        settings: serde_json::to_value(spec).map_err(|e| e.to_string())?,
        total_attempts: None,
        attempts,
    };
    let tmp = out.with_extension("json.part");
    std::fs::write(&tmp, file.to_json())
        .and_then(|()| std::fs::rename(&tmp, out))
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Runs the experiment in `run_file` into `out`, resuming from what `out` already holds; returns
/// the summary to print.
pub fn execute(run_file: &Path, out: Option<PathBuf>, quiet: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(run_file)
        .map_err(|e| format!("cannot read {}: {e}", run_file.display()))?;
    let (spec, key_env) = read_spec(&text)?;
    let out = out.unwrap_or_else(|| run_file.with_extension("json"));
    let env = key_env.or_else(|| usual_key_env(spec.provider.kind).map(str::to_owned));
    let key = env.as_deref().and_then(|v| std::env::var(v).ok()).and_then(|k| ApiKey::new(&k));
    if spec.provider.kind.needs_key() && key.is_none() {
        return Err(format!(
            "{} needs an API key: put it in the environment variable {}",
            spec.provider.kind.label(),
            env.unwrap_or_default()
        ));
    }
    let saved = saved_attempts(&out, &spec)?;
    let scheduler = Scheduler::resume(spec.plan.clone(), &saved)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let clock = TokioClock::new();
        let job = Job { spec: &spec, key: key.as_ref(), out: &out, quiet, scheduler };
        if spec.provider.kind == ProviderKind::Simulated {
            let latency = spec.provider.latency_ms;
            job.go(&SimulatedTransport::new(spec.plan.seed, TokioClock::new(), latency), &clock)
                .await
        } else {
            job.go(&Reqwest::new(spec.provider.timeout_s)?, &clock).await
        }
    })
}

struct Job<'a> {
    spec: &'a Spec,
    key: Option<&'a ApiKey>,
    out: &'a Path,
    quiet: bool,
    scheduler: Scheduler,
}

impl Job<'_> {
    async fn go(
        mut self,
        transport: &impl Transport,
        clock: &impl Sleep,
    ) -> Result<String, String> {
        let (done_before, total) = self.scheduler.progress();
        let mut attempts: Vec<Attempt> =
            saved_attempts(self.out, self.spec)?.into_iter().map(|(_, a)| a).collect();
        let cancelled = Arc::new(AtomicBool::new(false));
        let flag = cancelled.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        });
        let experiment = Experiment {
            config: &self.spec.provider,
            key: self.key,
            task: &self.spec.task,
            policy: self.spec.retry,
        };
        let started = Instant::now();
        let mut last_write = Instant::now();
        let mut retries = 0usize;
        let mut error: Option<String> = None;
        let mut on_attempt = |_: usize, attempt: &Attempt, retried: &[(_, f64)]| {
            attempts.push(attempt.clone());
            retries += retried.len();
            if last_write.elapsed() > Duration::from_millis(500) {
                last_write = Instant::now();
                if let Err(e) = write(self.out, self.spec, &attempts) {
                    error.get_or_insert(e);
                }
                if !self.quiet {
                    let n = attempts.len();
                    let rate = (n - done_before) as f64 / started.elapsed().as_secs_f64();
                    eprintln!("balance run: {n}/{total} attempts, {rate:.0}/s, {retries} retries");
                }
            }
        };
        let is_cancelled = || cancelled.load(Ordering::SeqCst);
        let stop =
            run(&mut self.scheduler, &experiment, transport, clock, &mut on_attempt, &is_cancelled)
                .await;
        if let Some(e) = error {
            return Err(e);
        }
        write(self.out, self.spec, &attempts)?;
        let (done, total) = self.scheduler.progress();
        let mut summary = format!(
            "{done} of {total} attempts recorded in {} ({} this run, {:.1} s, {retries} retries, \
             ${:.4} spent in all)\n",
            self.out.display(),
            done - done_before,
            started.elapsed().as_secs_f64(),
            self.scheduler.spent(),
        );
        match stop {
            None => Ok(summary),
            Some(Stop::Cancelled) => {
                summary.push_str("stopped: cancelled; run the same command again to resume\n");
                Ok(summary)
            }
            Some(Stop::Budget) => {
                summary.push_str("stopped: the next attempt could pass the budget\n");
                Ok(summary)
            }
            Some(Stop::CutOff { cut, of }) => Err(format!(
                "{summary}paused: {cut} of the last {of} answers were cut off by the token limit: \
                 {} in the run file, then run the same command again to go on (answers cut off \
                 are kept in the file but not counted)",
                self.spec.cut_off_advice()
            )),
            Some(Stop::Failed(error)) => {
                let mut message = format!("{summary}stopped: {error}");
                if let Some(hint) = advice(&self.spec.provider, &error, None) {
                    message.push_str(&format!("\n{hint}"));
                }
                if error.retryable() {
                    message.push_str("\nrun the same command again to resume");
                } else {
                    message.push_str(
                        "\nchange the run file as the message says; with a changed setting, \
                         write to a new --out (only max_tokens may change on resume)",
                    );
                }
                Err(message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use balance_agent::spec::PaperModel;

    use super::*;

    #[test]
    fn the_papers_example_files_are_the_presets() {
        for model in PaperModel::ALL {
            let path =
                format!("{}/../../docs/examples/{}.toml", env!("CARGO_MANIFEST_DIR"), model.id());
            let (spec, key_env) = read_spec(&std::fs::read_to_string(path).unwrap()).unwrap();
            assert_eq!(spec, Spec::paper(model), "{model:?}");
            assert_eq!(key_env.as_deref(), usual_key_env(spec.provider.kind));
        }
    }
}
