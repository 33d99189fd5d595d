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
        served_by: None,
    }
}

/// The attempt `answer` to the prompt about `source` makes: judged by the task when the model
/// finished it (or when the token limit cut it off after what the task's extraction pattern
/// reads: [`Task::reads_cut_off`]), else an attempt with no answer (cut off, blocked) that moves
/// nothing.
pub fn attempt_of_answer(task: &Task, source: &str, answer: &Answer) -> Attempt {
    let mut attempt = match &answer.finish {
        Finish::Done => attempt_of(task, source, &answer.text),
        Finish::CutOff if task.reads_cut_off(&answer.text) => {
            attempt_of(task, source, &answer.text)
        }
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

/// Something the run noticed about the provider and did something about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A call asked for `asked` answers and got `got`: the server does not give several answers
    /// per call (llama.cpp's and others ignore `n`), so the run asks for `got` from now on.
    FewerAnswers {
        /// Answers asked of one call.
        asked: usize,
        /// Answers it gave.
        got: usize,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::FewerAnswers { asked, got } => write!(
                f,
                "the server gave {got} answer(s) to a call that asked for {asked} (it ignores \
                 the number of answers per call): asking for {got} per call from now on"
            ),
        }
    }
}

/// What a run tells its caller as it goes.
pub struct Events<'a> {
    /// Each recorded attempt with its index and the failures retried on its way.
    pub attempt: &'a mut dyn FnMut(usize, &Attempt, &[Retry]),
    /// What the run noticed and did about it.
    pub notice: &'a mut dyn FnMut(&Notice),
}

/// Runs `scheduler`'s plan until it is finished or stopped, telling `events` what happens;
/// `cancelled` is asked between answers. Returns why the run stopped early, if it did.
pub async fn run(
    scheduler: &mut Scheduler,
    experiment: &Experiment<'_>,
    transport: &impl Transport,
    sleeper: &impl Sleep,
    events: Events<'_>,
    cancelled: &dyn Fn() -> bool,
) -> Option<Stop> {
    let Events { attempt: on_attempt, notice: on_notice } = events;
    let mut running = FuturesUnordered::new();
    // The configuration calls are made with: the number of answers per call drops to what the
    // server gives.
    let mut config = std::rc::Rc::new(experiment.config.clone());
    loop {
        if cancelled() {
            scheduler.cancel();
        }
        while let Some(job) = scheduler.next_call(config.answers() as usize) {
            let prompt = experiment.task.prompt(&job.source);
            let config = config.clone();
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
                    &config,
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
                let got = answered.completion.answers.len();
                if (1..job.indices.len()).contains(&got) && got < config.answers() as usize {
                    on_notice(&Notice::FewerAnswers { asked: job.indices.len(), got });
                    let fewer =
                        ProviderConfig { answers_per_call: got as u32, ..(*config).clone() };
                    config = std::rc::Rc::new(fewer);
                }
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
                    attempt.served_by.clone_from(&answered.completion.served_by);
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
