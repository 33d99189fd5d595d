//! Runs an experiment: keeps up to the plan's number of calls going, turns each answer into an
//! attempt with the task, records it once, and hands it over (to be saved) as it completes.

use balance_core::experiment::{Attempt, Outcome};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::call::{Retry, Sleep, call};
use crate::http::Transport;
use crate::provider::{Answer, ApiKey, Finish, ProviderConfig};
use crate::retry::RetryPolicy;
use crate::schedule::{CUT_OFF, Scheduler, Stop, mix};
use crate::task::{Outcome as Judged, Task};

/// What is asked of the model and how its answers are read.
pub struct Experiment<'a> {
    /// The provider and model.
    pub config: &'a ProviderConfig,
    /// The key, when the provider needs one.
    pub key: Option<&'a ApiKey>,
    /// The prompt, parser and validator.
    pub task: &'a Task,
    /// When to retry a failed call.
    pub policy: RetryPolicy,
}

/// The attempt an answer `text` to the prompt about `source` makes.
pub fn attempt_of(task: &Task, source: &str, text: &str) -> Attempt {
    let (outcome, state, reason) = match task.judge(source, text) {
        Judged::State(s) if s == source => (Outcome::SelfLoop, Some(s), None),
        Judged::State(s) => (Outcome::Transition, Some(s), None),
        Judged::Sink { state, reason } => (Outcome::Invalid, Some(state), Some(reason)),
        Judged::Rejected { reason } => (Outcome::Rejected, None, Some(reason)),
    };
    Attempt {
        index: None,
        source: source.to_owned(),
        outcome,
        state,
        reason,
        raw: Some(text.to_owned()),
        usage: None,
        finish: None,
        logprob: None,
        elapsed_ms: None,
    }
}

/// The attempt `answer` to the prompt about `source` makes: judged by the task when the model
/// finished it, else an attempt with no answer (cut off, blocked) that moves nothing.
pub fn attempt_of_answer(task: &Task, source: &str, answer: &Answer) -> Attempt {
    let mut attempt = match &answer.finish {
        Finish::Done => attempt_of(task, source, &answer.text),
        other => Attempt {
            outcome: Outcome::NoAnswer,
            state: None,
            reason: Some(match other {
                Finish::Blocked(why) => format!("blocked: {why}"),
                _ => CUT_OFF.to_owned(),
            }),
            ..attempt_of(task, source, &answer.text)
        },
    };
    attempt.finish.clone_from(&answer.finish_reason);
    attempt.logprob = answer.logprob;
    attempt
}

/// Runs `scheduler`'s plan until it is finished or stopped: `on_attempt` gets each recorded
/// attempt with its index and the failures retried on its way; `cancelled` is asked between
/// answers. Returns why the run stopped early, if it did.
pub async fn run(
    scheduler: &mut Scheduler,
    experiment: &Experiment<'_>,
    transport: &impl Transport,
    sleeper: &impl Sleep,
    on_attempt: &mut dyn FnMut(usize, &Attempt, &[Retry]),
    cancelled: &dyn Fn() -> bool,
) -> Option<Stop> {
    let mut running = FuturesUnordered::new();
    loop {
        if cancelled() {
            scheduler.cancel();
        }
        while let Some(job) = scheduler.next_call(experiment.config.answers() as usize) {
            let prompt = experiment.task.prompt(&job.source);
            running.push(async move {
                let started = sleeper.now_ms();
                // Backoff jitter drawn from the call's first index and try, so runs repeat.
                let mut k = 0;
                let first = job.indices[0];
                let mut jitter = move || {
                    k += 1;
                    (mix(first as u64, k) >> 11) as f64 / (1u64 << 53) as f64
                };
                let result = call(
                    transport,
                    sleeper,
                    experiment.config,
                    experiment.key,
                    &prompt,
                    &experiment.policy,
                    &mut jitter,
                )
                .await;
                (job, result, sleeper.now_ms() - started)
            });
        }
        let Some((job, result, elapsed)) = running.next().await else { break };
        match result {
            Ok(answered) => {
                let mut answers = answered.completion.answers.iter();
                let mut usage = answered.completion.usage;
                // The call's retries are counted once, with its first answer.
                let mut retried = answered.retried.as_slice();
                for &index in &job.indices {
                    let Some(answer) = answers.next() else {
                        // Fewer answers than asked (a server without `n`): ask again later.
                        scheduler.release(index);
                        continue;
                    };
                    let mut attempt = attempt_of_answer(experiment.task, &job.source, answer);
                    // The whole call's usage goes with its first answer.
                    attempt.usage = usage.take();
                    attempt.index = Some(index as u64);
                    attempt.elapsed_ms = Some(elapsed);
                    if scheduler.record(index, &attempt) {
                        on_attempt(index, &attempt, retried);
                        retried = &[];
                    }
                }
            }
            Err(failed) => {
                for &index in &job.indices {
                    scheduler.fail(index, &failed.error);
                }
            }
        }
    }
    scheduler.stopped().cloned()
}
