//! `balance run`: an experiment from a TOML file, natively, resumable, writing the experiment file
//! the app imports. A run file with `[[arms]]` runs one experiment per arm (each changing the
//! temperature, the model or the prompt template) at the same time, each into its own file, for
//! `balance compare`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use balance_agent::Spec;
use balance_agent::answers::Answers;
use balance_agent::call::Sleep;
use balance_agent::errors::advice;
use balance_agent::http::Transport;
use balance_agent::provider::{ApiKey, ProviderConfig, ProviderKind};
use balance_agent::retry::RetryPolicy;
use balance_agent::runner::{Events, Experiment, Notice, run};
use balance_agent::schedule::{Plan, Scheduler, Stop};
use balance_agent::simulated::{SimulatedTransport, Simulator};
use balance_agent::spec::Arm;
use balance_agent::task::{PRESETS, Preset, Task};
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
    /// The arms of a comparison run (none: one experiment).
    #[serde(default)]
    arms: Vec<Arm>,
}

/// The experiments of a run file: one without a name, or one per arm with the arm's name.
type Arms = Vec<(Option<String>, Spec)>;

/// The experiments a TOML text describes (one, or one per arm, each with its name), and the
/// key's environment variable.
pub fn read_specs(text: &str) -> Result<(Arms, Option<String>), String> {
    let file: RunFile = toml::from_str(text).map_err(|e| format!("the run file: {e}"))?;
    let mut task = file.task;
    let given = task.remove("preset");
    let found = match &given {
        None => Preset::find("blank"),
        Some(toml::Value::String(p)) => Preset::find(p),
        Some(_) => None,
    };
    let Some(preset) = found.map(Preset::task) else {
        let ids: Vec<String> = PRESETS.iter().map(|p| format!("\"{}\"", p.id)).collect();
        let given = given.map_or_else(String::new, |g| g.to_string());
        return Err(format!("the run file: task.preset is {given}, not one of {}", ids.join(", ")));
    };
    let mut merged = serde_json::to_value(&preset).map_err(|e| e.to_string())?;
    for (k, v) in task {
        merged[k] = serde_json::to_value(v).map_err(|e| e.to_string())?;
    }
    let task: Task =
        serde_json::from_value(merged).map_err(|e| format!("the run file's [task]: {e}"))?;
    let spec =
        Spec { name: file.name, provider: file.provider, task, plan: file.plan, retry: file.retry };
    if file.arms.is_empty() {
        spec.check().map_err(|e| format!("the run file: {e}"))?;
        return Ok((vec![(None, spec)], file.key_env));
    }
    let specs = spec.arms(&file.arms).map_err(|e| format!("the run file: {e}"))?;
    let names = file.arms.into_iter().map(|a| Some(a.name.trim().to_owned()));
    let specs: Arms = names.zip(specs).collect();
    Ok((specs, file.key_env))
}

/// The output file of an arm: the run's with the arm's name before `.json`.
fn arm_out(out: &Path, arm: &str) -> PathBuf {
    let slug: String = arm
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let stem = out.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}.{slug}.json"))
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
    let (specs, key_env) = read_specs(&text)?;
    let out = out.unwrap_or_else(|| run_file.with_extension("json"));
    let kind = specs[0].1.provider.kind;
    let env = key_env.or_else(|| usual_key_env(kind).map(str::to_owned));
    let key = env.as_deref().and_then(|v| std::env::var(v).ok()).and_then(|k| ApiKey::new(&k));
    if kind.needs_key() && key.is_none() {
        return Err(format!(
            "{} needs an API key: put it in the environment variable {}",
            kind.label(),
            env.unwrap_or_default()
        ));
    }
    let mut jobs = Vec::new();
    for (arm, spec) in &specs {
        let out = arm.as_deref().map_or_else(|| out.clone(), |a| arm_out(&out, a));
        let saved = saved_attempts(&out, spec)?;
        let scheduler = Scheduler::resume(spec.plan.clone(), &saved)?;
        let label = arm.as_deref().map_or_else(String::new, |a| format!(" [{a}]"));
        jobs.push(Job { spec, key: key.as_ref(), out, label, quiet, scheduler });
    }
    let outs: Vec<String> = jobs.iter().map(|j| j.out.display().to_string()).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    // The arms run at the same time, so that every arm sees the same window of the provider.
    let results =
        runtime.block_on(futures_util::future::join_all(jobs.into_iter().map(|job| async move {
            let clock = TokioClock::new();
            if job.spec.provider.kind == ProviderKind::Simulated {
                let latency = job.spec.provider.latency_ms;
                let seed = job.spec.plan.seed;
                let simulator = Simulator::for_task(&job.spec.task)?;
                let llm = SimulatedTransport::new(simulator, seed, TokioClock::new(), latency);
                job.go(&llm, &clock).await
            } else {
                let transport = Reqwest::new(job.spec.provider.timeout_s)?;
                job.go(&transport, &clock).await
            }
        })));
    let failed = results.iter().any(Result::is_err);
    let mut text: String = results.into_iter().map(|r| r.unwrap_or_else(|e| e + "\n")).collect();
    if specs.len() > 1 && !failed {
        text.push_str(&format!(
            "compare the arms: balance compare --input experiment {}\n",
            outs.join(" ")
        ));
    }
    if failed { Err(text.trim_end().to_owned()) } else { Ok(text) }
}

struct Job<'a> {
    spec: &'a Spec,
    key: Option<&'a ApiKey>,
    out: PathBuf,
    /// The arm's name in progress lines (empty for a run without arms).
    label: String,
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
            saved_attempts(&self.out, self.spec)?.into_iter().map(|(_, a)| a).collect();
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
                if let Err(e) = write(&self.out, self.spec, &attempts) {
                    error.get_or_insert(e);
                }
                if !self.quiet {
                    let n = attempts.len();
                    let rate = (n - done_before) as f64 / started.elapsed().as_secs_f64();
                    let label = &self.label;
                    eprintln!(
                        "balance run{label}: {n}/{total} attempts, {rate:.0}/s, {retries} retries"
                    );
                }
            }
        };
        let is_cancelled = || cancelled.load(Ordering::SeqCst);
        let mut notices = Vec::new();
        let quiet = self.quiet;
        let label = self.label.clone();
        let mut on_notice = |n: &Notice| {
            if !quiet {
                eprintln!("balance run{label}: {n}");
            }
            notices.push(n.to_string());
        };
        let events = Events { attempt: &mut on_attempt, notice: &mut on_notice };
        let stop =
            run(&mut self.scheduler, &experiment, transport, clock, events, &is_cancelled).await;
        if let Some(e) = error {
            return Err(e);
        }
        write(&self.out, self.spec, &attempts)?;
        let (done, total) = self.scheduler.progress();
        let mut summary = format!(
            "{done} of {total} attempts recorded in {} ({} this run, {:.1} s, {retries} retries, \
             ${:.4} spent in all)\n",
            self.out.display(),
            done - done_before,
            started.elapsed().as_secs_f64(),
            self.scheduler.spent(),
        );
        for n in &notices {
            summary.push_str(&format!("noticed: {n}\n"));
        }
        // What the answers that became no state were, so that a parser a real model's answers
        // slip past is seen at once.
        let answers = Answers::of(&attempts);
        if answers.states < answers.attempts {
            summary.push_str(&format!(
                "{} of {} answers became a state; the others:\n",
                answers.states, answers.attempts
            ));
            for line in answers.lines() {
                summary.push_str(&format!("  {line}\n"));
            }
        }
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
            Some(Stop::CutOff { cut, rambling, of, example }) if 2 * rambling > cut => {
                Err(format!(
                    "{summary}paused: {}. A changed prompt or pattern is another experiment: write \
                 it to a new --out (answers cut off are kept in the file but not counted)",
                    self.spec.cut_off_message(cut, rambling, of, example.as_deref())
                ))
            }
            Some(Stop::CutOff { cut, rambling, of, example }) => Err(format!(
                "{summary}paused: {} in the run file, then run the same command again to go on \
                 (answers cut off are kept in the file but not counted)",
                self.spec.cut_off_message(cut, rambling, of, example.as_deref())
            )),
            Some(Stop::Empty { empty, of }) => {
                Err(format!("{summary}paused: {}", self.spec.empty_message(empty, of)))
            }
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
            let (specs, key_env) = read_specs(&std::fs::read_to_string(path).unwrap()).unwrap();
            assert_eq!(specs, [(None, Spec::paper(model))], "{model:?}");
            let spec = &specs[0].1;
            assert_eq!(key_env.as_deref(), usual_key_env(spec.provider.kind));
        }
    }

    #[test]
    fn the_sweep_example_has_three_arms_with_their_own_temperature_and_seed() {
        let path =
            format!("{}/../../docs/examples/word-task-sweep.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let (specs, _) = read_specs(&text).unwrap();
        let arms: Vec<(Option<&str>, &str, f64, u64)> = specs
            .iter()
            .map(|(a, s)| (a.as_deref(), s.name.as_str(), s.provider.temperature, s.plan.seed))
            .collect();
        let name = |t: &str| format!("Word task, temperature sweep ({t})");
        assert_eq!(
            arms,
            [
                (Some("T 1"), name("T 1").as_str(), 1.0, 1),
                (Some("T 0.5"), name("T 0.5").as_str(), 0.5, 2),
                (Some("T 2"), name("T 2").as_str(), 2.0, 3),
            ]
        );
        assert_eq!(arm_out(Path::new("/x/sweep.json"), "T 0.5"), Path::new("/x/sweep.t-0.5.json"));
    }
}
